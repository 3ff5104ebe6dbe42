// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QLocalSocket>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTest>

#include <memory>
#include <vector>

#include "support/kitenv.h"

namespace tandem::test {

/// How many IMAP sessions of `user` from the kit's host Dovecot's own counter
/// holds: its anvil process, which mail_max_userip_connections is checked
/// against. Asked over anvil's socket ("LOOKUP imap/<ip>/<user>" answers with
/// the count) rather than through `doveadm who`: starting a process from a
/// threaded test is a fork that ThreadSanitizer cannot follow. -1 when anvil
/// does not answer.
inline int dovecotImapSessions(const KitEnv &env, const QString &user, int deadlineMs = 30000)
{
    QLocalSocket anvil;
    anvil.connectToServer(env.value(QStringLiteral("TANDEM_KIT_ANVIL_SOCKET")));
    if (!anvil.waitForConnected(deadlineMs))
        return -1;
    anvil.write("VERSION\tanvil\t1\t0\nLOOKUP\timap/" + env.host().toUtf8() + '/' + user.toUtf8() + '\n');
    while (!anvil.canReadLine()) {
        if (!anvil.waitForReadyRead(deadlineMs))
            return -1;
    }
    bool isNumber = false;
    const int sessions = anvil.readLine().trimmed().toInt(&isNumber);
    return isNumber ? sessions : -1;
}

/// `count` IMAP sessions of the kit's user, logged in and kept open, as other
/// programs of the same user hold them: so that a client meets the server's
/// connection limit (B05) as soon as it wants more than the rest. Waits until
/// Dovecot counts them.
class OccupiedSessions
{
public:
    /// Empty `error` when all are held.
    OccupiedSessions(const KitEnv &env, int count, QString &error, int deadlineMs = 30000)
    {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(QSslCertificate::fromPath(env.caCertificatePath()));
        for (int i = 0; i < count; ++i) {
            auto socket = std::make_unique<QSslSocket>();
            socket->setSslConfiguration(tls);
            socket->connectToHostEncrypted(env.host(), env.port(QStringLiteral("TANDEM_KIT_IMAPS_PORT")));
            if (!socket->waitForEncrypted(deadlineMs)) {
                error = QStringLiteral("session %1: %2").arg(i).arg(socket->errorString());
                return;
            }
            socket->write("o LOGIN " + env.user().toUtf8() + " \"" + env.password().toUtf8() + "\"\r\n");
            QByteArray reply;
            if (!QTest::qWaitFor(
                    [&] {
                        socket->waitForReadyRead(50);
                        reply += socket->readAll();
                        return reply.contains("o OK");
                    },
                    deadlineMs)) {
                error = QStringLiteral("session %1 was not let in: %2").arg(i).arg(QString::fromUtf8(reply));
                return;
            }
            m_sockets.push_back(std::move(socket));
        }
        // Dovecot registers a login with its counter a moment after the OK.
        int counted = 0;
        if (!QTest::qWaitFor([&] { return (counted = dovecotImapSessions(env, env.user(), deadlineMs)) >= count; },
                             deadlineMs))
            error = QStringLiteral("Dovecot (anvil) counts %1 IMAP session(s) of %2").arg(counted).arg(env.user());
    }

private:
    std::vector<std::unique_ptr<QSslSocket>> m_sockets;
};

} // namespace tandem::test
