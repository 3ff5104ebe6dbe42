// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/messages/securitynote.h"

#include <QCoreApplication>

namespace tandem::ui {

using mailcore::mime::SecurityInfo;
using mailcore::mime::SecurityKind;

namespace {

QString tr(const char *text) { return QCoreApplication::translate("tandem::ui::SecurityNote", text); }

} // namespace

QString securityNote(const QList<SecurityInfo> &security)
{
    bool signedPgp = false, signedSmime = false, encryptedPgp = false, encryptedSmime = false;
    for (const SecurityInfo &info : security) {
        switch (info.kind) {
        case SecurityKind::PgpSigned: signedPgp = true; break;
        case SecurityKind::SmimeSigned: signedSmime = true; break;
        case SecurityKind::PgpEncrypted: encryptedPgp = true; break;
        case SecurityKind::SmimeEncrypted: encryptedSmime = true; break;
        }
    }
    QStringList sentences;
    if (signedPgp || signedSmime) {
        const QString scheme = signedPgp && signedSmime ? tr("OpenPGP and S/MIME")
            : signedPgp                                 ? tr("OpenPGP")
                                                        : tr("S/MIME");
        sentences << tr("Signed with %1. The signature is not verified: Tandem cannot check signatures yet, "
                        "so this does not prove who sent the message or that it is unchanged.")
                         .arg(scheme);
    }
    if (encryptedPgp || encryptedSmime) {
        const QString scheme = encryptedPgp && encryptedSmime ? tr("OpenPGP and S/MIME")
            : encryptedPgp                                    ? tr("OpenPGP")
                                                              : tr("S/MIME");
        sentences << tr("Encrypted with %1. Tandem cannot decrypt messages yet: the encrypted part is not shown.")
                         .arg(scheme);
    }
    return sentences.join(QLatin1Char(' '));
}

} // namespace tandem::ui
