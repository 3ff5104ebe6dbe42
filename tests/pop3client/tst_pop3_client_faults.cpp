// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Pop3Client faults against the scripted fake server, where a drop must come at
// an exact moment: an idempotent RETR is retried once on a new connection
// (B06 in docs/POOL.md), a DELE is not; deletions lost with a dropped session make
// commit() fail; the client never sends the QUIT that would commit on its own.
//
// Each client connects through TwoServers: its first connection goes to one
// scripted server, its second to another.

#include <QTest>

#include "mailcore/pop3client/pop3client.h"
#include "pop3connection/pop3scripts.h"
#include "support/datatable.h"
#include "support/twoservers.h"
#include "support/verify.h"

using namespace mailcore;
using namespace pop3test;
using tandem::test::TwoServers;

namespace {

const QByteArray kMessage = "Subject: one\r\n\r\n.leading dot\r\nbody\r\n";
const QByteArray kRetrReply = "+OK\r\nSubject: one\r\n\r\n..leading dot\r\nbody\r\n.\r\n";

/// A client of the scripted servers. Most scripts play one session at a time:
/// a limit of 1 keeps every call on it; the b05_ tests let an extra session try.
std::unique_ptr<Pop3Client> clientFor(TwoServers &servers, int limit = 1)
{
    auto client = std::make_unique<Pop3Client>(servers.endpoint(), tandem::test::kUser, QString::fromLatin1(kPassword),
                                               nullptr, servers.factory());
    if (const Error e = client->setMaxConnectionsPerServer(limit); e.isError())
        qFatal("%s", qPrintable(e.toString()));
    return client;
}

bool waitUntilClosed(Pop3Client &client)
{
    return QTest::qWaitFor(
        [&] {
            const PoolSnapshot s = client.poolSnapshot();
            return !s.connections.isEmpty()
                && s.connections.first().activity.state == ConnectionActivity::State::Closed;
        },
        5000);
}

} // namespace

class TestPop3ClientFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void b06_retrDroppedIsRetriedOnceOnANewConnection_data();
    void b06_retrDroppedIsRetriedOnceOnANewConnection();
    void b06_retrDroppedTwiceFailsAfterOneRetry();
    void b06_deleDroppedIsNotRetried();
    void commitAfterADropReportsTheLostDeletions();
    void disposeWithDeletionsMarkedSendsNoQuit();
    void disposeWithoutDeletionsSaysQuit();
    void b02_asyncCallsArePipelined();
    void commitEndsTheSessionAndTheNextCallLogsInAgain();
    void cancelledBeforeItIsHandedOverIsNeverSent();
    void lockedMaildropIsALimitError();
    void b05_anExtraSessionRefusedInUseLowersTheLimitToOne();
    void b05_anExtraSessionsLoginThatWaitsCountsAsALock();
};

void TestPop3ClientFaults::b06_retrDroppedIsRetriedOnceOnANewConnection_data()
{
    tandem::test::column<bool>("async", {{"sync", false}, {"async", true}});
}

void TestPop3ClientFaults::b06_retrDroppedIsRetriedOnceOnANewConnection()
{
    QFETCH(bool, async);
    ScriptedServer first;
    loggedIn(first).expect("RETR 2\r\n").send("+OK\r\nSubject: one\r\n\r\nhalf of the bo").close();
    ScriptedServer second;
    loggedIn(second).expect("RETR 2\r\n").send(kRetrReply).expect("QUIT\r\n").expectClosed();
    first.start();
    second.start();
    TwoServers servers(first, &second);
    auto client = clientFor(servers);

    QByteArray bytes;
    if (async) {
        QFuture<QByteArray> future = client->fetchMessageAsync("uid-b");
        const Error error = outcome(future);
        QVERIFY2(!error.isError(), qPrintable(error.toString()));
        bytes = future.result();
    } else {
        const Result<QByteArray> fetched = client->fetchMessage("uid-b");
        QVERIFY2(fetched, qPrintable(fetched.error().toString()));
        bytes = fetched.value();
    }
    QCOMPARE(bytes, kMessage);
    QCOMPARE(servers.opened(), 2);
    client.reset(); // says QUIT on the second connection: nothing is marked
    QVERIFY2(servers.waitDone(), qPrintable(servers.failureText()));
}

void TestPop3ClientFaults::b06_retrDroppedTwiceFailsAfterOneRetry()
{
    ScriptedServer first;
    loggedIn(first).expect("RETR 1\r\n").close();
    ScriptedServer second;
    loggedIn(second).expect("RETR 1\r\n").close();
    first.start();
    second.start();
    TwoServers servers(first, &second);
    auto client = clientFor(servers);
    const Result<QByteArray> fetched = client->fetchMessage("uid-a");
    QVERIFY(!fetched);
    QCOMPARE(fetched.error().code(), ErrorCode::Network);
    QCOMPARE(servers.opened(), 2); // one retry, not more
    QVERIFY2(servers.waitDone(), qPrintable(servers.failureText()));
}

void TestPop3ClientFaults::b06_deleDroppedIsNotRetried()
{
    ScriptedServer first;
    loggedIn(first).expect("DELE 3\r\n").close();
    first.start();
    TwoServers servers(first);
    auto client = clientFor(servers);
    const Error error = outcome(client->deleteMessageAsync("uid-c"));
    QCOMPARE(error.code(), ErrorCode::Network);
    QCOMPARE(servers.opened(), 1);
    QCOMPARE(client->pendingDeletions(), 0);
    QVERIFY2(first.waitDone(), qPrintable(first.failureText()));
}

void TestPop3ClientFaults::commitAfterADropReportsTheLostDeletions()
{
    ScriptedServer first;
    loggedIn(first).expect("DELE 1\r\n").send("+OK marked\r\n").expect("DELE 2\r\n").send("+OK marked\r\n").close();
    ScriptedServer second;
    loggedIn(second).expect("QUIT\r\n").send("+OK bye\r\n").expectClosed();
    first.start();
    second.start();
    TwoServers servers(first, &second);
    auto client = clientFor(servers);
    QVERIFY(!client->deleteMessage("uid-a").isError());
    VERIFY_OK(client->deleteMessageAsync("uid-b"));
    QCOMPARE(client->pendingDeletions(), 2);
    QVERIFY(waitUntilClosed(*client)); // the server dropped the session, and the marks with it
    const Error error = client->commit();
    QCOMPARE(error.code(), ErrorCode::Network);
    QVERIFY2(error.message().contains(QLatin1String("2 message(s) marked deleted were not deleted")),
             qPrintable(error.message()));
    QCOMPARE(client->pendingDeletions(), 0);
    QCOMPARE(servers.opened(), 2);
    QVERIFY2(servers.waitDone(), qPrintable(servers.failureText()));
}

void TestPop3ClientFaults::disposeWithDeletionsMarkedSendsNoQuit()
{
    ScriptedServer server;
    loggedIn(server).expect("DELE 1\r\n").send("+OK marked\r\n").expectClosed();
    server.start();
    TwoServers servers(server);
    auto client = clientFor(servers);
    QVERIFY(!client->deleteMessage("uid-a").isError());
    client->dispose();
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
    QVERIFY2(!server.received().contains("QUIT"), "QUIT would have deleted what was only marked");
}

void TestPop3ClientFaults::disposeWithoutDeletionsSaysQuit()
{
    ScriptedServer server;
    loggedIn(server).expect("STAT\r\n").send("+OK 3 300\r\n").expect("QUIT\r\n").expectClosed();
    server.start();
    TwoServers servers(server);
    auto client = clientFor(servers);
    const Result<Pop3MailboxInfo> info = client->mailboxInfo();
    QVERIFY2(info, qPrintable(info.error().toString()));
    QCOMPARE(info.value().messageCount, 3);
    QCOMPARE(info.value().totalSize, qint64(300));
    client.reset();
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3ClientFaults::b02_asyncCallsArePipelined()
{
    // Three asynchronous reads from one thread are on the wire together (the
    // server offers PIPELINING): the script only answers once all three came.
    // At limit 1 they share the main session, in the order they were made.
    // (Reads and the main session's own commands, STAT or LIST, take
    // different ways to it and may meet it in either order.)
    ScriptedServer server;
    loggedIn(server, kCapaPipelining)
        .expect("RETR 1\r\nRETR 2\r\nRETR 3\r\n")
        .send("+OK\r\nA\r\n.\r\n+OK\r\nB\r\n.\r\n+OK\r\nC\r\n.\r\n")
        .expect("QUIT\r\n")
        .expectClosed();
    server.start();
    TwoServers servers(server);
    auto client = clientFor(servers);
    QVERIFY(client->poolSnapshot().connections.isEmpty()); // S03: nothing before the first call
    QFuture<QByteArray> a = client->fetchMessageAsync("uid-a");
    QFuture<QByteArray> b = client->fetchMessageAsync("uid-b");
    QFuture<QByteArray> c = client->fetchMessageAsync("uid-c");
    VERIFY_OK(a);
    VERIFY_OK(b);
    VERIFY_OK(c);
    QCOMPARE(a.result(), QByteArray("A\r\n"));
    QCOMPARE(b.result(), QByteArray("B\r\n"));
    QCOMPARE(c.result(), QByteArray("C\r\n"));
    client.reset();
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3ClientFaults::commitEndsTheSessionAndTheNextCallLogsInAgain()
{
    ScriptedServer first;
    loggedIn(first).expect("DELE 1\r\n").send("+OK marked\r\n").expect("QUIT\r\n").send("+OK bye\r\n").expectClosed();
    ScriptedServer second; // the new session no longer lists uid-a
    loggedIn(second, kCapa, "+OK\r\n1 uid-b\r\n2 uid-c\r\n.\r\n")
        .expect("RETR 1\r\n")
        .send(kRetrReply)
        .expect("QUIT\r\n")
        .expectClosed();
    first.start();
    second.start();
    TwoServers servers(first, &second);
    auto client = clientFor(servers);
    VERIFY_OK(client->deleteMessageAsync("uid-a"));
    QCOMPARE(client->pendingDeletions(), 1);
    // The fetch after the commit runs on the next session, where uid-b is
    // message 1, and uid-a is gone. (Made while the commit runs, it may also
    // meet a session whose login began before the QUIT was answered: such a
    // session may see the maildrop as it was, and gets no new work after it.)
    QFuture<void> commit = client->commitAsync();
    VERIFY_OK(commit);
    QFuture<QByteArray> fetch = client->fetchMessageAsync("uid-b");
    QCOMPARE(client->pendingDeletions(), 0);
    const Error error = outcome(fetch);
    QVERIFY2(!error.isError(), qPrintable(error.toString()));
    QCOMPARE(fetch.result(), kMessage);
    QCOMPARE(client->fetchMessage("uid-a").error().code(), ErrorCode::NotFound);
    QCOMPARE(servers.opened(), 2);
    client.reset();
    QVERIFY2(servers.waitDone(), qPrintable(servers.failureText()));
}

void TestPop3ClientFaults::cancelledBeforeItIsHandedOverIsNeverSent()
{
    // The greeting, held back, keeps the first call's task busy logging in; the
    // second call, cancelled meanwhile, must never reach the wire: after the
    // first RETR the server wants QUIT, not RETR 2.
    ScriptedServer server;
    server.hold(); // no greeting before the second call is cancelled
    loggedIn(server).expect("RETR 1\r\n").send("+OK\r\nA\r\n.\r\n").expect("QUIT\r\n").expectClosed();
    server.start();
    TwoServers servers(server);
    auto client = clientFor(servers);
    QFuture<QByteArray> first = client->fetchMessageAsync("uid-a");
    QFuture<QByteArray> second = client->fetchMessageAsync("uid-b");
    second.cancel();
    server.release();
    QCOMPARE(outcome(second).code(), ErrorCode::Cancelled);
    VERIFY_OK(first);
    QCOMPARE(first.result(), QByteArray("A\r\n"));
    client.reset();
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3ClientFaults::lockedMaildropIsALimitError()
{
    // Another session holds the maildrop (RFC 2449 [IN-USE], e.g. Dovecot with
    // pop3_lock_session): the reason a POP3 client never opens a second one.
    ScriptedServer server;
    server.send(kGreeting)
        .expect("CAPA\r\n")
        .send(kCapa)
        .expect(kAuthLine)
        .send("-ERR [IN-USE] Mailbox is locked by another POP3 session\r\n")
        .expectClosed();
    server.start();
    TwoServers servers(server);
    auto client = clientFor(servers);
    const Result<Pop3MailboxInfo> info = client->mailboxInfo();
    QVERIFY(!info);
    QCOMPARE(info.error().code(), ErrorCode::Limit);
    QVERIFY2(info.error().message().startsWith(QLatin1String("[IN-USE]")), qPrintable(info.error().message()));
    QCOMPARE(servers.opened(), 1); // a login refusal is not a dropped command: no retry
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

/// The main session holds the maildrop; a read that asks for an extra session
/// meets the server's lock, by `extraLogin`'s script, and runs on the main
/// session instead (B05): it does not fail, and the limit is 1 from then on.
static void readOnTheMainSessionAfterALockedExtra(ScriptedServer &extra)
{
    ScriptedServer main;
    loggedIn(main)
        .expect("STAT\r\n")
        .send("+OK 3 300\r\n")
        .expect("RETR 2\r\n")
        .send(kRetrReply)
        .expect("RETR 3\r\n")
        .send(kRetrReply)
        .expect("QUIT\r\n")
        .expectClosed();
    main.start();
    extra.start();
    TwoServers servers(main, &extra);
    auto client = clientFor(servers, 2);
    const Result<Pop3MailboxInfo> info = client->mailboxInfo(); // the main session, logged in
    QVERIFY2(info, qPrintable(info.error().toString()));
    QFuture<QByteArray> fetched = client->fetchMessageAsync("uid-b"); // an extra is tried
    VERIFY_OK(fetched);
    QCOMPARE(fetched.result(), kMessage);
    QCOMPARE(servers.opened(), 2);
    const PoolSnapshot lowered = client->poolSnapshot();
    QCOMPARE(lowered.loweredLimit, 1);
    QCOMPARE(lowered.connections.size(), 1);
    // The limit stays lowered: the next read goes to the main session at once.
    QFuture<QByteArray> again = client->fetchMessageAsync("uid-c");
    VERIFY_OK(again);
    QCOMPARE(servers.opened(), 2);
    client.reset(); // QUIT on the main session: nothing is marked
    QVERIFY2(servers.waitDone(), qPrintable(servers.failureText()));
}

void TestPop3ClientFaults::b05_anExtraSessionRefusedInUseLowersTheLimitToOne()
{
    ScriptedServer extra;
    extra.send(kGreeting)
        .expect("CAPA\r\n")
        .send(kCapa)
        .expect(kAuthLine)
        .send("-ERR [IN-USE] Mailbox is locked by another POP3 session\r\n")
        .expectClosed();
    readOnTheMainSessionAfterALockedExtra(extra);
}

void TestPop3ClientFaults::b05_anExtraSessionsLoginThatWaitsCountsAsALock()
{
    // Dovecot with pop3_lock_session keeps the second login waiting (about
    // 12 s) before its [IN-USE]; the client takes a wait of 3 s for the lock.
    ScriptedServer extra;
    extra.send(kGreeting).expect("CAPA\r\n").send(kCapa).expect(kAuthLine).expectClosed(30000);
    readOnTheMainSessionAfterALockedExtra(extra);
}

QTEST_GUILESS_MAIN(TestPop3ClientFaults)
#include "tst_pop3_client_faults.moc"
