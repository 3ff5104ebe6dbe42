// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Shared by the scripted POP3 tests: the fake server's usual replies and
// login dialogue, and settings for a connection to it.

#include <QTest>

#include "mailcore/pop3/connection.h"
#include "support/outcome.h"
#include "support/scriptedsession.h"

namespace pop3test {

using namespace tandem::test; // ScriptedServer, the scripted account, outcome()
using mailcore::Error;
using mailcore::ErrorCode;
using mailcore::Security;

inline const QByteArray kGreeting = "+OK POP3 ready <1896.697170952@dbc.mtview.ca.us>\r\n";
inline const QByteArray kCapa =
    "+OK Capability list follows\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nSASL PLAIN\r\nUSER\r\n.\r\n";
inline const QByteArray kCapaPipelining =
    "+OK\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nSASL PLAIN LOGIN\r\nUSER\r\n.\r\n";
inline const QByteArray kAuthLine = "AUTH PLAIN " + kSaslPlain + "\r\n";
inline const QByteArray kUidl = "+OK\r\n1 uid-a\r\n2 uid-b\r\n3 uid-c\r\n.\r\n";

inline mailcore::pop3::SessionSettings settingsFor(const ScriptedServer &server, Security security)
{
    return scriptedSettings<mailcore::pop3::SessionSettings>(server, security);
}

/// Starts the server's script; the settings of a connection to it.
inline mailcore::pop3::SessionSettings startScript(ScriptedServer &server, Security security)
{
    server.start();
    return settingsFor(server, security);
}

/// Greeting, CAPA, AUTH PLAIN, UIDL: the dialogue before every command test.
inline ScriptedServer &loggedIn(ScriptedServer &server, const QByteArray &capa = kCapa, const QByteArray &uidl = kUidl)
{
    return server.send(kGreeting)
        .expect("CAPA\r\n")
        .send(capa)
        .expect(kAuthLine)
        .send("+OK logged in\r\n")
        .expect("UIDL\r\n")
        .send(uidl);
}

} // namespace pop3test
