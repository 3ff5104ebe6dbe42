// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Shared by the scripted SMTP tests: the fake server's usual replies, and
// settings for a connection to it.

#include <QFuture>
#include <QTest>

#include "mailcore/base/error.h"
#include "mailcore/smtp/connection.h"
#include "support/outcome.h"
#include "support/scriptedsession.h"

namespace tandem::test::smtp {

using mailcore::Error;
using mailcore::ErrorCode;
using mailcore::Security;
using namespace tandem::test; // ScriptedServer, the scripted account, outcome(): also where this namespace is used

inline const QByteArray kGreeting = "220 mx.example.org ESMTP ready\r\n";
inline const QByteArray kEhlo = "EHLO [127.0.0.1]\r\n";
inline const QByteArray kAuthPlain = "AUTH PLAIN " + tandem::test::kSaslPlain + "\r\n";
inline const QByteArray kAuthOk = "235 2.7.0 Authentication successful\r\n";

/// EHLO reply with the given extra keywords (each without CR LF).
inline QByteArray ehloReply(const QList<QByteArray> &keywords)
{
    QByteArray out = "250";
    out += keywords.isEmpty() ? " mx.example.org\r\n" : "-mx.example.org\r\n";
    for (qsizetype i = 0; i < keywords.size(); ++i)
        out += (i + 1 == keywords.size() ? "250 " : "250-") + keywords.at(i) + "\r\n";
    return out;
}

inline mailcore::smtp::SessionSettings settingsFor(const ScriptedServer &server, Security security)
{
    auto settings = scriptedSettings<mailcore::smtp::SessionSettings>(server, security);
    settings.dataTimeout = std::chrono::milliseconds(5000);
    return settings;
}

/// Starts the server's script; the settings of a connection to it.
inline mailcore::smtp::SessionSettings startScript(ScriptedServer &server, Security security)
{
    server.start();
    return settingsFor(server, security);
}

inline mailcore::smtp::Envelope envelope(const QStringList &recipients, const QByteArray &message)
{
    mailcore::smtp::Envelope e;
    e.from = QStringLiteral("alice@example.org");
    e.recipients = recipients;
    e.message = message;
    return e;
}

} // namespace tandem::test::smtp
