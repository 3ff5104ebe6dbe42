// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Lanes (issue 15): interactive work is never queued behind bulk work. At a
// limit of 1 (S06) a bulk fetch holds every connection there is, the main
// one; a click made meanwhile must reach the server before the bulk's next
// batch and be answered before that batch is sent. The scripted fake server
// asserts the order on the wire, byte for byte; no timing is measured.
// Across connections, bulk work yields to clicks between its batches
// (client::InteractiveWork): the last functions check that wait alone.

#include <QTest>

#include <atomic>
#include <future>

#include "mailcore/client/interactivework.h"

#include "mailcore/imapclient/imapclient.h"
#include "support/outcome.h"
#include "support/scriptedserver.h"

using namespace mailcore;
using tandem::test::outcome;
using tandem::test::ScriptedServer;

namespace {

const QByteArray kPassword = "Pa55-word-never-logged";
const QByteArray kGreeting = "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready\r\n";
const QByteArray kLoginLine = "t1 AUTHENTICATE PLAIN " + QByteArray(QByteArray("\0alice\0", 7) + kPassword).toBase64()
    + "\r\n";

std::unique_ptr<ImapClient> clientFor(const ScriptedServer &server)
{
    Endpoint endpoint;
    endpoint.host = QStringLiteral("localhost");
    endpoint.port = server.port();
    endpoint.security = Security::ImplicitTls;
    endpoint.tls.extraCaCertificatesPem = {ScriptedServer::caCertificatePem()};
    endpoint.timeouts.connect = std::chrono::milliseconds(5000);
    endpoint.timeouts.greeting = std::chrono::milliseconds(5000);
    endpoint.timeouts.command = std::chrono::milliseconds(5000);
    auto client = std::make_unique<ImapClient>(endpoint, QStringLiteral("alice"), QString::fromLatin1(kPassword));
    client->setMaxConnectionsPerServer(1); // S06: the bulk and the click share the one connection
    return client;
}

QByteArray batch(int tag, int first)
{
    return "t" + QByteArray::number(tag) + " UID FETCH " + QByteArray::number(first) + ':'
        + QByteArray::number(first + 99) + " (UID BODY.PEEK[])\r\n";
}

QByteArray batchDone(int tag, quint32 uid)
{
    return "* " + QByteArray::number(uid) + " FETCH (UID " + QByteArray::number(uid) + " BODY[] {5}\r\nhello)\r\nt"
        + QByteArray::number(tag) + " OK fetched\r\n";
}

/// The bulk fetch of UIDs 1-500 of INBOX logs in, selects and puts its first
/// two batches on the wire (two in flight per connection); the server holds
/// their answers until the test has made its click.
ScriptedServer &bulkWithTwoBatchesOnTheWire(ScriptedServer &server, const QByteArray &capabilities)
{
    return server.send(kGreeting)
        .expect(kLoginLine)
        .send("t1 OK [CAPABILITY IMAP4rev1 " + capabilities + "] logged in\r\n")
        .expect("t2 SELECT INBOX\r\n")
        .send("* 500 EXISTS\r\n* OK [UIDVALIDITY 9] ok\r\n* OK [UIDNEXT 501] ok\r\nt2 OK [READ-WRITE] selected\r\n")
        .expect(batch(3, 1) + batch(4, 101))
        .hold();
}

/// Once the click is answered: the bulk's remaining batches, then the logout.
ScriptedServer &restOfTheBulk(ScriptedServer &server, int tag)
{
    return server.expect(batch(tag, 201) + batch(tag + 1, 301))
        .send(batchDone(tag, 201) + batchDone(tag + 1, 301))
        .expect(batch(tag + 2, 401))
        .send(batchDone(tag + 2, 401))
        .expect("t" + QByteArray::number(tag + 3) + " LOGOUT\r\n")
        .expectClosed(30000);
}

QList<quint32> uidsOneTo(quint32 last)
{
    QList<quint32> uids;
    for (quint32 uid = 1; uid <= last; ++uid)
        uids << uid;
    return uids;
}

} // namespace

class TestPoolLanes : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void s15_aFlagChangeFinishesBeforeTheBulksNextBatchOnTheMainConnection();
    void s15_noBulkBatchSlipsBetweenTheCommandsOfOneClick();
    void s15_bulkWorkYieldsUntilTheLastClickEnds();
    void s15_aYieldEndsWhenTheBulkIsCancelledOrWaitedLongEnough();
    void s15_bulkConnectionsAreHeldFromTheFirstClickToTheLast();
};

void TestPoolLanes::s15_aFlagChangeFinishesBeforeTheBulksNextBatchOnTheMainConnection()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    bulkWithTwoBatchesOnTheWire(server, "UIDPLUS")
        // The click is sent at once, beside the batches in flight, not behind
        // the bulk's next batch.
        .expect("t5 UID STORE 7 +FLAGS (\\Flagged)\r\n")
        .send(batchDone(3, 1))
        // The bulk could send its next batch now; it waits for the click.
        .expectQuiet(300)
        .send(batchDone(4, 101))
        .expectQuiet(300)
        .send("* 7 FETCH (UID 7 FLAGS (\\Flagged))\r\nt5 OK stored\r\n");
    restOfTheBulk(server, 6);
    server.start();
    auto client = clientFor(server);

    QFuture<FetchedMessage> bulk = client->fetchMessagesAsync(QStringLiteral("INBOX"), uidsOneTo(500));
    QTRY_VERIFY_WITH_TIMEOUT(server.received().contains(batch(4, 101)), 30000);
    QFuture<void> flag = client->addFlagsAsync(QStringLiteral("INBOX"), {7}, {QByteArrayLiteral("\\Flagged")});
    server.release();

    const Error flagged = outcome(flag);
    QVERIFY2(!flagged.isError(), qPrintable(flagged.toString() + QLatin1Char('\n') + server.failureText()));
    const Error fetched = outcome(bulk);
    QVERIFY2(!fetched.isError(), qPrintable(fetched.toString() + QLatin1Char('\n') + server.failureText()));
    QCOMPARE(bulk.results().size(), 5); // one message per batch in this script
    client.reset();
    QVERIFY2(server.waitDone(30000), qPrintable(server.failureText()));
}

void TestPoolLanes::s15_noBulkBatchSlipsBetweenTheCommandsOfOneClick()
{
    // A move without MOVE is three commands, each sent when the one before
    // was answered; the bulk's held batch must not go out in between.
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    bulkWithTwoBatchesOnTheWire(server, "UIDPLUS")
        .expect("t5 UID COPY 7 Archive\r\n")
        .send(batchDone(3, 1) + batchDone(4, 101))
        .expectQuiet(300)
        .send("t5 OK [COPYUID 9 7 20] copied\r\n")
        .expect("t6 UID STORE 7 +FLAGS (\\Deleted)\r\n")
        .send("* 7 FETCH (UID 7 FLAGS (\\Deleted))\r\nt6 OK stored\r\n")
        .expect("t7 UID EXPUNGE 7\r\n")
        .send("* 7 EXPUNGE\r\nt7 OK expunged\r\n");
    restOfTheBulk(server, 8);
    server.start();
    auto client = clientFor(server);

    QFuture<FetchedMessage> bulk = client->fetchMessagesAsync(QStringLiteral("INBOX"), uidsOneTo(500));
    QTRY_VERIFY_WITH_TIMEOUT(server.received().contains(batch(4, 101)), 30000);
    QFuture<QMap<quint32, quint32>> moved = client->moveMessagesAsync(QStringLiteral("INBOX"), {7},
                                                                      QStringLiteral("Archive"));
    server.release();

    const Error move = outcome(moved);
    QVERIFY2(!move.isError(), qPrintable(move.toString() + QLatin1Char('\n') + server.failureText()));
    QCOMPARE(moved.result(), (QMap<quint32, quint32>{{7, 20}}));
    const Error fetched = outcome(bulk);
    QVERIFY2(!fetched.isError(), qPrintable(fetched.toString() + QLatin1Char('\n') + server.failureText()));
    QCOMPARE(bulk.results().size(), 5);
    client.reset();
    QVERIFY2(server.waitDone(30000), qPrintable(server.failureText()));
}

void TestPoolLanes::s15_bulkWorkYieldsUntilTheLastClickEnds()
{
    client::InteractiveWork clicks;
    clicks.yieldTo(std::chrono::hours(1)); // none running: returns at once

    clicks.begins();
    clicks.begins();
    std::atomic<bool> allEnded{false};
    auto yielded = std::async(std::launch::async, [&] {
        clicks.yieldTo(std::chrono::hours(1));
        return allEnded.load(); // it may only return once both clicks ended
    });
    clicks.ends();
    allEnded = true;
    clicks.ends();
    QVERIFY(yielded.get());
    QVERIFY(!clicks.running());
}

void TestPoolLanes::s15_aYieldEndsWhenTheBulkIsCancelledOrWaitedLongEnough()
{
    client::InteractiveWork clicks;
    clicks.begins(); // a click that never ends
    std::atomic<bool> cancelled{false};
    auto yielded = std::async(std::launch::async,
                              [&] { clicks.yieldTo(std::chrono::hours(1), [&] { return cancelled.load(); }); });
    cancelled = true;
    yielded.get(); // returns: the bulk was cancelled

    clicks.yieldTo(std::chrono::milliseconds(1)); // returns: bounded, though the click still runs
    QVERIFY(clicks.running());
}

void TestPoolLanes::s15_bulkConnectionsAreHeldFromTheFirstClickToTheLast()
{
    // What the engine does with it: a bulk task's own connection stops
    // reading (true) while any click runs and reads again (false) after the
    // last one, or when the task gives the connection back during a click.
    client::InteractiveWork clicks;
    QList<bool> first, second;
    const int a = clicks.observe([&](bool held) { first << held; });
    QCOMPARE(first, QList<bool>{}); // nothing runs: nothing to hold
    clicks.begins();
    clicks.begins();
    clicks.ends();
    QCOMPARE(first, QList<bool>{true}); // one click still runs
    const int b = clicks.observe([&](bool held) { second << held; });
    QCOMPARE(second, QList<bool>{true}); // joins a click already running
    clicks.forget(b);
    QCOMPARE(second, (QList<bool>{true, false})); // given back mid-click: reads again
    clicks.ends();
    QCOMPARE(first, (QList<bool>{true, false}));
    clicks.forget(a);
    clicks.begins();
    clicks.ends();
    QCOMPARE(first, (QList<bool>{true, false})); // forgotten: told nothing more
    QCOMPARE(second, (QList<bool>{true, false}));
}

QTEST_MAIN(TestPoolLanes)
#include "tst_pool_lanes.moc"
