// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// probe() against the kit's real servers (Dovecot IMAP and POP3, on their
// implicit-TLS and STARTTLS ports; Dovecot submission and aiosmtpd): reached,
// certificate verified with the kit's CA, capabilities read; the same ports
// without that CA: a certificate failure with the chain; a closed port, a
// silent server and a server without STARTTLS: plain words. Nothing is ever
// sent that logs in (checked on a local server that records every byte).

#include <QFile>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include "mailcore/discovery/discovery.h"
#include "support/kitenv.h"

using namespace mailcore;
using namespace mailcore::discovery;
using tandem::test::KitEnv;

namespace {

constexpr std::chrono::seconds probeTimeout{10};

// A server on 127.0.0.1 that says `greeting`, answers each line it gets with
// the next of `answers`, and records everything it was sent.
class RecordingServer : public QObject
{
public:
    RecordingServer(QByteArray greeting, QList<QByteArray> answers)
        : m_greeting(std::move(greeting))
        , m_answers(std::move(answers))
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            QTcpSocket *socket = m_server.nextPendingConnection();
            socket->setParent(this);
            socket->write(m_greeting);
            connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                const QByteArray bytes = socket->readAll();
                received += bytes;
                for (qsizetype i = 0; i < bytes.count('\n') && !m_answers.isEmpty(); ++i)
                    socket->write(m_answers.takeFirst());
            });
        });
    }
    quint16 port() const { return m_server.serverPort(); }
    QByteArray received;

private:
    QTcpServer m_server;
    QByteArray m_greeting;
    QList<QByteArray> m_answers;
};

Endpoint onThisMachine(quint16 port, Security security)
{
    Endpoint endpoint;
    endpoint.host = QStringLiteral("127.0.0.1");
    endpoint.port = port;
    endpoint.security = security;
    return endpoint;
}

ServerCandidate candidate(Protocol protocol, const mailcore::Endpoint &endpoint)
{
    ServerCandidate server;
    server.protocol = protocol;
    server.endpoint = endpoint;
    server.endpoint.tls = {}; // trust comes through probe()'s argument only
    server.userName = QStringLiteral("alice");
    return server;
}

} // namespace

class TestDiscoveryProbe : public QObject
{
    Q_OBJECT

private:
    KitEnv m_kit;
    QByteArray m_ca;

private Q_SLOTS:
    void initTestCase()
    {
        m_kit = KitEnv::load();
        QVERIFY2(m_kit.isValid(), qPrintable(m_kit.error()));
        QFile ca(m_kit.caCertificatePath());
        QVERIFY(ca.open(QIODevice::ReadOnly));
        m_ca = ca.readAll();
    }

    void kitServers_data()
    {
        QTest::addColumn<int>("protocol");
        QTest::addColumn<int>("service");
        QTest::addColumn<int>("security");
        QTest::addColumn<QString>("capability");
        using S = KitEnv::Service;
        const int tls = int(Security::ImplicitTls);
        const int startTls = int(Security::StartTls);
        QTest::newRow("IMAP, TLS") << int(Protocol::Imap) << int(S::Imap) << tls << QStringLiteral("IMAP4REV1");
        QTest::newRow("IMAP, STARTTLS") << int(Protocol::Imap) << int(S::Imap) << startTls
                                        << QStringLiteral("IMAP4REV1");
        QTest::newRow("POP3, TLS") << int(Protocol::Pop3) << int(S::Pop3) << tls << QStringLiteral("UIDL");
        QTest::newRow("POP3, STARTTLS") << int(Protocol::Pop3) << int(S::Pop3) << startTls << QStringLiteral("UIDL");
        QTest::newRow("submission, TLS") << int(Protocol::Smtp) << int(S::Submission) << tls
                                         << QStringLiteral("PIPELINING");
        QTest::newRow("submission, STARTTLS")
            << int(Protocol::Smtp) << int(S::Submission) << startTls << QStringLiteral("PIPELINING");
        QTest::newRow("aiosmtpd, TLS") << int(Protocol::Smtp) << int(S::Smtp) << tls << QString();
        QTest::newRow("aiosmtpd, STARTTLS") << int(Protocol::Smtp) << int(S::Smtp) << startTls << QString();
    }

    void kitServers()
    {
        QFETCH(int, protocol);
        QFETCH(int, service);
        QFETCH(int, security);
        QFETCH(QString, capability);
        const ServerCandidate server = candidate(Protocol(protocol),
                                                 m_kit.endpoint(KitEnv::Service(service), Security(security)));

        const ProbeResult trusted = probe(server, probeTimeout, {m_ca});
        QVERIFY2(trusted.reachable, qPrintable(trusted.error.toString()));
        QVERIFY(trusted.tlsVerified);
        QVERIFY(!trusted.tlsFailure);
        QVERIFY(!trusted.error.isError());
        QVERIFY(!trusted.greeting.isEmpty());
        QVERIFY(!trusted.capabilities.isEmpty());
        if (!capability.isEmpty())
            QVERIFY2(trusted.capabilities.contains(capability),
                     qPrintable(trusted.capabilities.join(QLatin1Char(' '))));
        // Over TLS, STARTTLS is no longer offered: the capabilities are the secured ones.
        if (Security(security) == Security::StartTls && Protocol(protocol) != Protocol::Pop3)
            QVERIFY(!trusted.capabilities.contains(QStringLiteral("STARTTLS")));

        const ProbeResult untrusted = probe(server, probeTimeout);
        QVERIFY(!untrusted.reachable);
        QVERIFY(!untrusted.tlsVerified);
        QVERIFY(untrusted.tlsFailure);
        QCOMPARE(untrusted.error.code(), ErrorCode::Tls);
        QVERIFY2(untrusted.error.message().contains(QLatin1String("not trusted")),
                 qPrintable(untrusted.error.message()));
        QCOMPARE(untrusted.tlsFailure->port, server.endpoint.port);
        QVERIFY(!untrusted.tlsFailure->chain.isEmpty());
        QVERIFY(!untrusted.tlsFailure->errors.isEmpty());
        QVERIFY(untrusted.tlsFailure->chain.first().alternativeNames.contains(QStringLiteral("localhost")));
    }

    void closedPort()
    {
        quint16 port = 0;
        {
            QTcpServer server;
            QVERIFY(server.listen(QHostAddress::LocalHost, 0));
            port = server.serverPort();
        }
        const ProbeResult result = probe(candidate(Protocol::Imap, onThisMachine(port, Security::ImplicitTls)),
                                         probeTimeout);
        QVERIFY(!result.reachable);
        QCOMPARE(result.error.code(), ErrorCode::Network);
        QVERIFY2(result.error.message().contains(QLatin1String("refused"), Qt::CaseInsensitive),
                 qPrintable(result.error.message()));
    }

    void silentServer()
    {
        QTcpServer silent; // accepts (the kernel does) and never says a word
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        const Endpoint endpoint = onThisMachine(silent.serverPort(), Security::StartTls);
        const ProbeResult result = probe(candidate(Protocol::Smtp, endpoint), std::chrono::milliseconds(500));
        QVERIFY(!result.reachable);
        QCOMPARE(result.error.code(), ErrorCode::Timeout);
        QVERIFY2(result.error.message().contains(QLatin1String("no answer from 127.0.0.1")),
                 qPrintable(result.error.message()));
    }

    void noStartTlsIsNoPlainText()
    {
        RecordingServer server("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] plain only\r\n", {"* BYE\r\n"});
        const Endpoint endpoint = onThisMachine(server.port(), Security::StartTls);
        const ProbeResult result = probe(candidate(Protocol::Imap, endpoint), probeTimeout);
        QVERIFY(!result.reachable);
        QCOMPARE(result.error.code(), ErrorCode::Tls);
        QVERIFY2(result.error.message().contains(QLatin1String("does not offer STARTTLS")),
                 qPrintable(result.error.message()));
        QCOMPARE(result.greeting, QStringLiteral("plain only"));
        QCOMPARE(server.received, QByteArray()); // not a byte: no LOGIN, not even LOGOUT
    }

    void plainProbeNeverLogsIn()
    {
        // A server the user chose to use without TLS: the probe still only asks.
        RecordingServer server("+OK hello\r\n", {"+OK\r\nUSER\r\nUIDL\r\n.\r\n", "+OK bye\r\n"});
        const Endpoint endpoint = onThisMachine(server.port(), Security::Plain);
        const ProbeResult result = probe(candidate(Protocol::Pop3, endpoint), probeTimeout);
        QVERIFY2(result.reachable, qPrintable(result.error.toString()));
        QVERIFY(!result.tlsVerified);
        QCOMPARE(result.capabilities, (QStringList{QStringLiteral("USER"), QStringLiteral("UIDL")}));
        QTRY_COMPARE(server.received, QByteArray("CAPA\r\nQUIT\r\n"));
    }
};

QTEST_GUILESS_MAIN(TestDiscoveryProbe)
#include "tst_discovery_probe.moc"
