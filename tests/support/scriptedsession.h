// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// What the scripted IMAP, POP3 and SMTP tests share: the account their client
// logs in with, and the settings of a connection to a ScriptedServer.

#include <QByteArray>
#include <QString>

#include "mailcore/base/endpoint.h"
#include "support/scriptedserver.h"

namespace tandem::test {

/// The account every scripted test logs in with. The password must never be
/// logged nor put in an error text: the tests search for it.
inline const QString kUser = QStringLiteral("alice");
inline const QByteArray kPassword = "Pa55-word-never-logged";
/// The account's SASL PLAIN response (RFC 4616: empty authzid, user, password), in base64.
inline const QByteArray kSaslPlain = QByteArray(QByteArray("\0alice\0", 7) + kPassword).toBase64();

/// Session settings of any protocol (IMAP, POP3, SMTP: an endpoint, a user and
/// a password) for a connection to `server` as that account.
template <typename Settings>
Settings scriptedSettings(const ScriptedServer &server, mailcore::Security security)
{
    Settings settings;
    settings.endpoint = server.endpoint(security);
    settings.user = kUser;
    settings.password = QString::fromLatin1(kPassword);
    return settings;
}

} // namespace tandem::test
