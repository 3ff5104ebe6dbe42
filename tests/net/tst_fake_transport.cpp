// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The transport seam: an ImapConnection runs unchanged over the in-memory
// FakeTransport, byte for byte, including a STARTTLS upgrade that drops bytes
// injected before the handshake.

#include <QPointer>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>

#include "mailcore/imap/connection.h"
#include "mailcore/imap/requests.h"
#include "mailcore/net/faketransport.h"

using namespace mailcore;
using namespace mailcore::imap;

namespace {

std::unique_ptr<ImapConnection> connectionOver(const std::shared_ptr<net::FakeWire> &wire, Security security)
{
    SessionSettings settings;
    settings.endpoint.host = QStringLiteral("fake.example");
    settings.endpoint.security = security;
    settings.user = QStringLiteral("alice");
    settings.password = QStringLiteral("pw");
    return std::make_unique<ImapConnection>(settings, [wire](const Endpoint &endpoint) {
        return std::make_unique<net::FakeTransport>(wire, endpoint.security == Security::ImplicitTls);
    });
}

/// A connection over a fresh fake wire, opening: the test plays the server.
struct Opening {
    std::shared_ptr<net::FakeWire> wire;
    std::unique_ptr<ImapConnection> connection;
    QFuture<void> opened;
};

Opening opening(Security security)
{
    auto wire = std::make_shared<net::FakeWire>();
    auto connection = connectionOver(wire, security);
    auto opened = connection->open();
    return {wire, std::move(connection), opened};
}

} // namespace

class TestFakeTransport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void drivesAConnectionByteForByte();
    void starttlsDropsBytesSentBeforeTheHandshake();
    void serverCloseFailsPendingCommands();
    void aConnectionReleasedInItsOwnThreadEndsCleanly();
};

void TestFakeTransport::drivesAConnectionByteForByte()
{
    auto [wire, connection, opened] = opening(Security::ImplicitTls);
    wire->serverSend("* OK [CAPABILITY IMAP4rev1] hi\r\n");
    QTRY_COMPARE(wire->clientBytes(), QByteArray("t1 LOGIN alice \"pw\"\r\n"));
    wire->serverSend("t1 OK [CAPABILITY IMAP4rev1 IDLE] in\r\n");
    QTRY_VERIFY(opened.isFinished());
    auto noop = connection->execute(requests::noop());
    QTRY_COMPARE(wire->clientBytes(), QByteArray("t1 LOGIN alice \"pw\"\r\nt2 NOOP\r\n"));
    // A reply split at every possible point still completes the command.
    wire->serverSend("t2 O");
    wire->serverSend("K don");
    wire->serverSend("e\r\n");
    QTRY_VERIFY(noop.isFinished());
    QCOMPARE(noop.result().completion.text, QStringLiteral("done"));
}

void TestFakeTransport::starttlsDropsBytesSentBeforeTheHandshake()
{
    auto [wire, connection, opened] = opening(Security::StartTls);
    wire->serverSend("* OK [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n");
    QTRY_COMPARE(wire->clientBytes(), QByteArray("t1 STARTTLS\r\n"));
    wire->serverSend("t1 OK go\r\n* PREAUTH injected\r\n");
    QTRY_VERIFY(wire->clientUpgradedToTls());
    QTRY_COMPARE(wire->clientBytes(), QByteArray("t1 STARTTLS\r\nt2 CAPABILITY\r\n"));
    wire->serverSend("* CAPABILITY IMAP4rev1\r\nt2 OK\r\n");
    QTRY_COMPARE(wire->clientBytes(), QByteArray("t1 STARTTLS\r\nt2 CAPABILITY\r\nt3 LOGIN alice \"pw\"\r\n"));
    wire->serverSend("t3 OK [CAPABILITY IMAP4rev1] in\r\n");
    QTRY_VERIFY(opened.isFinished());
    QCOMPARE(connection->state(), SessionState::Authenticated);
}

void TestFakeTransport::serverCloseFailsPendingCommands()
{
    auto [wire, connection, opened] = opening(Security::ImplicitTls);
    wire->serverSend("* OK [CAPABILITY IMAP4rev1] hi\r\n");
    QTRY_VERIFY(!wire->clientBytes().isEmpty());
    wire->serverSend("t1 OK in\r\n* CAPABILITY IMAP4rev1\r\n");
    auto noop = connection->execute(requests::noop());
    wire->serverClose();
    QTRY_VERIFY(noop.isFinished());
    bool failed = false;
    try {
        noop.waitForFinished();
    } catch (const MailException &e) {
        failed = e.error().code() == ErrorCode::Network;
    }
    QVERIFY(failed);
    QTRY_COMPARE(connection->state(), SessionState::Closed);
}

void TestFakeTransport::aConnectionReleasedInItsOwnThreadEndsCleanly()
{
    // A continuation of a reply runs in the connection's I/O thread; when it
    // held the connection's last owner (a pool), the connection is destroyed
    // there. It must end cleanly: no wait of the thread for itself.
    auto [wire, connection, opened] = opening(Security::ImplicitTls);
    wire->serverSend("* OK [CAPABILITY IMAP4rev1] hi\r\n");
    QTRY_COMPARE(wire->clientBytes(), QByteArray("t1 LOGIN alice \"pw\"\r\n"));
    wire->serverSend("t1 OK [CAPABILITY IMAP4rev1] in\r\n");
    QTRY_VERIFY(opened.isFinished());
    auto owner = std::make_shared<std::unique_ptr<ImapConnection>>(std::move(connection));
    std::atomic<bool> released{false};
    QPointer<QThread> ioThread;
    QFuture<void> done = (*owner)->execute(requests::noop()).then([owner, &released, &ioThread](const CommandResult &) {
        ioThread = QThread::currentThread();
        owner->reset(); // the last owner lets go, in the I/O thread
        released = true;
    });
    wire->serverSend("t2 OK done\r\n");
    QTRY_VERIFY(released.load());
    QVERIFY(!done.isCanceled());
    // The I/O thread ended by itself and was reaped.
    QTRY_VERIFY(ioThread.isNull());
}

QTEST_GUILESS_MAIN(TestFakeTransport)
#include "tst_fake_transport.moc"
