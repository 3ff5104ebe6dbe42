// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QDateTime>

#include "mailcore/store/mailstore.h"

#include "mailcore/store/mailstore.h"

namespace tandem::test {

/// A message row as a sync would save it: every field set, from `uid`.
inline mailcore::store::StoredMessage sampleMessage(quint32 uid)
{
    using namespace mailcore;
    store::StoredMessage m;
    MessageSummary &s = m.summary;
    s.uid = uid;
    s.flags = uid % 3 ? QList<QByteArray>{"\\Seen"} : QList<QByteArray>{"\\Flagged", "$Label1"};
    s.size = 1000 + uid * 7 % 500;
    s.internalDate = QDateTime::fromSecsSinceEpoch(1'700'000'000 + qint64(uid) * 60, Qt::UTC);
    s.date = QDateTime::fromSecsSinceEpoch(1'700'000'000 + qint64((uid * 37) % 101) * 3600, Qt::UTC);
    s.subject = QStringLiteral("Subject %1 — ünïcode").arg(uid, 3, 10, QLatin1Char('0'));
    s.from = {mime::MailAddress{
        QStringLiteral("Sender %1").arg(uid % 7), QStringLiteral("s%1@example.org").arg(uid % 7), {}}};
    s.to = {mime::MailAddress{{}, QStringLiteral("me@example.org"), {}}};
    s.cc = {mime::MailAddress{QStringLiteral("Team"), QStringLiteral("team@example.org"), QStringLiteral("Lists")}};
    s.messageId = QStringLiteral("m%1@example.org").arg(uid);
    s.inReplyTo = uid > 1 ? QStringLiteral("m%1@example.org").arg(uid - 1) : QString();
    MessagePart text;
    text.section = "1";
    text.mimeType = QStringLiteral("text/plain");
    text.charset = "utf-8";
    text.encoding = "quoted-printable";
    text.size = 321;
    MessagePart file;
    file.section = "2";
    file.mimeType = QStringLiteral("application/pdf");
    file.encoding = "base64";
    file.size = 4096;
    file.fileName = QStringLiteral("report %1.pdf").arg(uid);
    file.disposition = mime::Disposition::Attachment;
    s.parts = uid % 2 ? QList<MessagePart>{text, file} : QList<MessagePart>{text};
    m.modseq = 100 + uid;
    s.references = uid > 2 ? QStringList{QStringLiteral("m%1@example.org").arg(uid - 2), s.inReplyTo} : QStringList();
    return m;
}

/// An account with an empty "INBOX" in `store`; the folder's id (0 if a write failed).
inline qint64 accountWithInbox(mailcore::store::MailStore &store)
{
    using namespace mailcore::store;
    try {
        const qint64 account = store
                                   .addAccount(Account{0,
                                                       QStringLiteral("A"),
                                                       QStringLiteral("imap"),
                                                       QStringLiteral("h"),
                                                       993,
                                                       QStringLiteral("tls"),
                                                       QStringLiteral("u"),
                                                       {}})
                                   .result();
        Folder folder;
        folder.accountId = account;
        folder.name = QStringLiteral("INBOX");
        return store.saveFolder(folder).result();
    } catch (const mailcore::MailException &) {
        return 0;
    }
}

} // namespace tandem::test
