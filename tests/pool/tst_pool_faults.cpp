// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Pool spec B06 (a dropped connection is replaced; reads are retried, changes
// are not repeated blindly) and B07 (cancellation closes what it must), against
// the kit's real Dovecot behind a FaultProxy that cuts connections on demand.

#include <QElapsedTimer>
#include <QTest>

#include "mailcore/imap/connection.h"
#include "mailcore/imap/requests.h"
#include "mailcore/imapclient/imapclient.h"
#include "pool/poolhelpers.h"
#include "support/faultproxy.h"
#include "support/outcome.h"

using namespace mailcore;
using tandem::test::FaultProxy;
using tandem::test::KitCorpus;
using tandem::test::outcome;
using tandem::test::sha256;

class TestPoolFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void b06_aReadCutMidReplyIsRetriedOnANewConnection();
    void b06_pipelinedReadsOnADroppedConnectionAllArrive();
    void b06_anAppendCutMidRequestFailsAndIsNotRepeated();
    void b06_aBulkFetchCutMidwayDeliversEveryMessageOnce();
    void b07_cancellingABulkFetchClosesItsConnectionsAndOthersGoOn();

private:
    std::unique_ptr<ImapClient> client(int limit);
    void createFolder(const QString &folder);
    QByteArray expectedSha256(const QString &folder, quint32 uid) const { return m_kit.expectedSha256(folder, uid); }

    KitCorpus m_kit;
    std::unique_ptr<FaultProxy> m_proxy;
};

void TestPoolFaults::initTestCase()
{
    m_kit = KitCorpus::load();
    if (!m_kit.error.isEmpty())
        QFAIL(qPrintable(m_kit.error));
    QVERIFY(m_kit.folderSize(QStringLiteral("INBOX")) >= 100);
}

void TestPoolFaults::init()
{
    m_proxy = std::make_unique<FaultProxy>(m_kit.env.port(QStringLiteral("TANDEM_KIT_IMAPS_PORT")));
    m_proxy->start();
}

void TestPoolFaults::cleanup() { m_proxy.reset(); }

std::unique_ptr<ImapClient> TestPoolFaults::client(int limit)
{
    const Endpoint endpoint = m_kit.env.endpoint(QStringLiteral("TANDEM_KIT_IMAPS_PORT"), m_proxy->port());
    auto c = std::make_unique<ImapClient>(endpoint, m_kit.env.user(), m_kit.env.password());
    c->setMaxConnectionsPerServer(limit);
    return c;
}

void TestPoolFaults::createFolder(const QString &folder)
{
    // Straight to the server, not through the proxy; NO when it exists is fine.
    const Endpoint endpoint = m_kit.env.endpoint(QStringLiteral("TANDEM_KIT_IMAPS_PORT"));
    imap::ImapConnection connection(imap::SessionSettings{endpoint, m_kit.env.user(), m_kit.env.password()});
    QVERIFY(!outcome(connection.open()).isError());
    const Error created = outcome(connection.execute(imap::requests::create(folder)));
    QVERIFY2(!created.isError() || created.code() == ErrorCode::ServerRefused, qPrintable(created.toString()));
}

void TestPoolFaults::b06_aReadCutMidReplyIsRetriedOnANewConnection()
{
    auto c = client(1);
    QVERIFY(!c->noop().isError());
    QCOMPARE(m_proxy->accepted(), 1);

    // The next reply is cut after 2 KiB: in the middle of the message's literal.
    m_proxy->dropAfterServerBytes(2048);
    const Result<QByteArray> message = c->fetchMessage(QStringLiteral("INBOX"), 7);
    QVERIFY2(message, qPrintable(message ? QString() : message.error().toString()));
    QCOMPARE(sha256(message.value()), expectedSha256(QStringLiteral("INBOX"), 7));
    QCOMPARE(m_proxy->dropped(), 1);
    QCOMPARE(m_proxy->accepted(), 2); // replaced once, and the read ran again there
    QCOMPARE(c->poolSnapshot().connectionCount, 1);
}

void TestPoolFaults::b06_pipelinedReadsOnADroppedConnectionAllArrive()
{
    auto c = client(2); // main + one extra that carries every pipelined fetch
    QList<QFuture<QByteArray>> fetches;
    for (quint32 uid = 1; uid <= 40; ++uid)
        fetches << c->fetchMessageAsync(QStringLiteral("INBOX"), uid);
    // Cut whatever is open once 30 KiB more came back: some fetches are
    // answered, some are on the wire, some still wait in the queue.
    QVERIFY(QTest::qWaitFor([&] { return m_proxy->open() >= 1; }, 10000));
    m_proxy->dropAfterServerBytes(30 * 1024);
    for (quint32 uid = 1; uid <= 40; ++uid) {
        const Error error = outcome(fetches[int(uid) - 1]);
        QVERIFY2(!error.isError(), qPrintable(QStringLiteral("UID %1: %2").arg(uid).arg(error.toString())));
        QCOMPARE(sha256(fetches[int(uid) - 1].result()), expectedSha256(QStringLiteral("INBOX"), uid));
    }
    QVERIFY2(m_proxy->dropped() >= 1, "the proxy cut a connection under the fetches");
    QVERIFY(m_proxy->accepted() > 2);
}

void TestPoolFaults::b06_anAppendCutMidRequestFailsAndIsNotRepeated()
{
    auto c = client(2);
    const QString folder = QStringLiteral("b06-append");
    QVERIFY(!c->noop().isError());
    const QByteArray id = "<b06-" + QByteArray::number(QDateTime::currentMSecsSinceEpoch()) + "@tandem.test>";
    QByteArray message = "From: a@example.org\r\nTo: b@example.org\r\nSubject: b06\r\nMessage-ID: " + id + "\r\n\r\n";
    message += QByteArray(64 * 1024, 'x') + "\r\n";
    createFolder(folder);

    // Cut once the client has sent 8 KiB more: in the middle of the APPEND literal.
    m_proxy->dropAfterClientBytes(8 * 1024);
    const Error error = outcome(c->appendMessageAsync(folder, message));
    QVERIFY2(error.isError(), "an APPEND cut in the middle fails");
    QVERIFY2(error.code() == ErrorCode::Network || error.code() == ErrorCode::Cancelled, qPrintable(error.toString()));
    QVERIFY(!error.message().isEmpty());

    // The message is not there twice (and a retry would have stored it once more).
    const Result<QList<quint32>> hits = c->searchText(folder, QString::fromLatin1(id));
    QVERIFY2(hits, qPrintable(hits ? QString() : hits.error().toString()));
    QVERIFY2(hits.value().size() <= 1, "the APPEND was not repeated blindly");
    QCOMPARE(m_proxy->dropped(), 1);
}

void TestPoolFaults::b06_aBulkFetchCutMidwayDeliversEveryMessageOnce()
{
    auto c = client(3);
    const QList<quint32> uids = tandem::test::uidsUpTo(100);
    QFuture<FetchedMessage> bulk = c->fetchMessagesAsync(QStringLiteral("INBOX"), uids);
    QVERIFY(QTest::qWaitFor([&] { return m_proxy->open() >= 1; }, 10000));
    m_proxy->dropAfterServerBytes(100 * 1024);
    const Error error = outcome(bulk);
    QVERIFY2(!error.isError(), qPrintable(error.toString()));
    QSet<quint32> seen;
    for (const FetchedMessage &m : bulk.results()) {
        QVERIFY2(!seen.contains(m.uid), qPrintable(QStringLiteral("UID %1 came twice").arg(m.uid)));
        seen.insert(m.uid);
        QCOMPARE(sha256(m.data), expectedSha256(QStringLiteral("INBOX"), m.uid));
    }
    QCOMPARE(seen.size(), uids.size());
    QVERIFY(m_proxy->dropped() >= 1);
}

void TestPoolFaults::b07_cancellingABulkFetchClosesItsConnectionsAndOthersGoOn()
{
    auto c = client(2);            // main + the one extra the download gets
    QVERIFY(!c->noop().isError()); // the main connection first: the download then gets the extra
    const QList<quint32> uids = tandem::test::uidsUpTo(120);
    // A first download opens the extra (kept for reuse, B04).
    QVERIFY(!outcome(c->fetchMessagesAsync(QStringLiteral("INBOX"), uids)).isError());
    QCOMPARE(c->poolSnapshot().connectionCount, 2);
    const int openBefore = m_proxy->open();

    // The server goes quiet (a slow link) under the second download: its
    // commands are on the wire, unanswered.
    m_proxy->stallServer(true);
    QFuture<FetchedMessage> bulk = c->fetchMessagesAsync(QStringLiteral("INBOX"), uids);
    QVERIFY(QTest::qWaitFor(
        [&] {
            const PoolSnapshot s = c->poolSnapshot();
            return std::count_if(s.connections.cbegin(), s.connections.cend(),
                                 [](const PoolConnectionInfo &i) { return i.activity.queueDepth > 0; })
                >= 1;
        },
        30000));

    // The server stays silent until the end of the check: the fetch cannot
    // end by draining what is on the wire, only by cancel() stopping it, so
    // it is waited for, with no bound tied to the machine's speed.
    QElapsedTimer sinceCancel;
    sinceCancel.start();
    bulk.cancel();
    QCOMPARE(outcome(bulk).code(), ErrorCode::Cancelled);
    // Its connection had replies on the wire: it was closed, not left to finish.
    // (What is open when it fails says which: the fetch's extra left open, or
    // closed and another opened meanwhile. It failed once in CI, in 30 s.)
    QVERIFY2(QTest::qWaitFor([&] { return m_proxy->open() <= openBefore - 1; }, 30000),
             qPrintable(QStringLiteral("the fetch's connection was not closed: %1 open through the proxy (%2 before); "
                                       "the pool: %3")
                            .arg(m_proxy->open())
                            .arg(openBefore)
                            .arg(tandem::test::describe(c->poolSnapshot()))));
    qInfo() << "cancelled bulk fetch ended after" << sinceCancel.elapsed() << "ms";

    m_proxy->stallServer(false);
    // Other operations go on, and the pool replaces what it closed.
    QVERIFY(!c->noop().isError());
    QFuture<QByteArray> message = c->fetchMessageAsync(QStringLiteral("INBOX"), 3);
    const Error error = outcome(message);
    QVERIFY2(!error.isError(), qPrintable(error.toString()));
    QCOMPARE(sha256(message.result()), expectedSha256(QStringLiteral("INBOX"), 3));
}

QTEST_GUILESS_MAIN(TestPoolFaults)
#include "tst_pool_faults.moc"
