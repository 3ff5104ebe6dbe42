// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Proves the kit's "default-limit" profile: Dovecot's default of 10 IMAP
// connections per user and IP is in force, and the 11th login is refused with
// a [LIMIT]-style reply. Pool spec B05 is tested against this instance.

#include <QSslConfiguration>
#include <QSslSocket>
#include <QTest>

#include <memory>
#include <vector>

#include "support/kitenv.h"

using tandem::test::KitEnv;

class TestKitLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eleventhImapLoginIsRefused();
};

namespace {

QByteArray readTagged(QSslSocket &socket, const QByteArray &tag)
{
    QByteArray all;
    for (;;) {
        while (!socket.canReadLine()) {
            if (!socket.waitForReadyRead(10000))
                return all;
        }
        const QByteArray line = socket.readLine();
        all += line;
        if (line.startsWith(QByteArray(tag + ' ')))
            return all;
    }
}

} // namespace

void TestKitLimits::eleventhImapLoginIsRefused()
{
    const KitEnv env = KitEnv::load("TANDEM_KIT_LIMITED_ENV");
    if (!env.isValid())
        QFAIL(qPrintable(env.error()));
    QCOMPARE(env.value(QStringLiteral("TANDEM_KIT_MAX_USERIP_CONNECTIONS")), QStringLiteral("10"));

    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(QSslCertificate::fromPath(env.caCertificatePath()));

    std::vector<std::unique_ptr<QSslSocket>> sessions;
    QByteArray lastReply;
    for (int i = 0; i < 11; ++i) {
        auto socket = std::make_unique<QSslSocket>();
        socket->setSslConfiguration(tls);
        socket->connectToHostEncrypted(env.host(), env.port(QStringLiteral("TANDEM_KIT_IMAPS_PORT")));
        QVERIFY2(socket->waitForEncrypted(10000), qPrintable(socket->errorString()));
        QVERIFY(readTagged(*socket, "*").startsWith("* OK"));
        socket->write("l LOGIN " + env.user().toUtf8() + " \"" + env.password().toUtf8() + "\"\r\n");
        lastReply = readTagged(*socket, "l");
        if (i < 10)
            QVERIFY2(lastReply.contains("l OK"), lastReply.constData());
        sessions.push_back(std::move(socket));
    }
    QVERIFY2(lastReply.contains("l NO") || lastReply.contains("* BYE"), lastReply.constData());
    QVERIFY2(lastReply.toLower().contains("connections"), lastReply.constData());
}

QTEST_GUILESS_MAIN(TestKitLimits)
#include "tst_testkit_limits.moc"
