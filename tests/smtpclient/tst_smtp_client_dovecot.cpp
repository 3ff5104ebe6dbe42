// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// SmtpClient against the kit's real servers: aiosmtpd (STARTTLS with AUTH,
// stores every accepted message byte for byte) and Dovecot submission (relays
// to the same store, adding one Received: field). Every message must land in
// the store exactly once, dot-unstuffed and byte-identical; "reject..."
// addresses are refused by the kit and must be reported per recipient.

#include <QElapsedTimer>
#include <QTest>
#include <QUuid>

#include <atomic>
#include <thread>

#include "mailcore/smtpclient/smtpclient.h"
#include "support/kitenv.h"
#include "support/outcome.h"
#include "support/poolsnapshots.h"
#include "support/smtpstore.h"
#include "support/verify.h"

using namespace mailcore;
using tandem::test::KitEnv;
using tandem::test::outcome;
using tandem::test::SmtpStore;
using tandem::test::withoutOneReceivedField;

namespace {

QString uniqueId() { return QUuid::createUuid().toString(QUuid::WithoutBraces) + QStringLiteral("@smtp-client.test"); }

/// A message with lines the wire must dot-stuff, and 8-bit text.
SmtpMessage makeMessage(const QString &id, const QStringList &to)
{
    SmtpMessage m;
    m.from = QStringLiteral("alice@localhost");
    m.recipients = to;
    m.data = "From: alice@localhost\r\nTo: " + to.first().toUtf8() + "\r\nSubject: smtp client\r\nMessage-ID: <"
        + id.toUtf8() + ">\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + ".\r\n..\r\n.leading\r\nGr\xc3\xbc\xc3\x9f"
          "e\r\nend.\r\n";
    return m;
}

/// `count` such messages, each with a fresh Message-ID (appended to `ids`).
QList<SmtpMessage> makeMessages(int count, const QStringList &to, QStringList *ids)
{
    QList<SmtpMessage> messages;
    for (int i = 0; i < count; ++i) {
        *ids << uniqueId();
        messages << makeMessage(ids->last(), to);
    }
    return messages;
}

} // namespace

class TestSmtpClientDovecot : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void sendMessageSyncAndAsync_data();
    void sendMessageSyncAndAsync();
    void everyRecipientRefusedFails();
    void s10_sendMessagesSyncQueuesOnOneConnection();
    void b03_sendMessagesAsyncSplitsOverConnections();
    void b03_sendManyTimesForOneAndFourConnections();
    void s05_threadsSendAtOnceWithoutBusy();
    void b08_activityIsReported();
    void s14_disposeWhileSendingManyEndsEveryMessage();

private:
    std::unique_ptr<SmtpClient> client(const QString &portKey = QStringLiteral("TANDEM_KIT_SMTP_PORT"),
                                       Security security = Security::StartTls) const;
    /// The message arrived once, byte for byte.
    bool arrivedOnce(const SmtpMessage &message, const QString &id, bool relayed = false) const;

    KitEnv m_env;
};

void TestSmtpClientDovecot::initTestCase()
{
    m_env = KitEnv::load();
    QVERIFY2(m_env.isValid(), qPrintable(m_env.error()));
}

std::unique_ptr<SmtpClient> TestSmtpClientDovecot::client(const QString &portKey, Security security) const
{
    Endpoint endpoint = m_env.endpoint(portKey);
    endpoint.security = security;
    return std::make_unique<SmtpClient>(endpoint, m_env.user(), m_env.password());
}

bool TestSmtpClientDovecot::arrivedOnce(const SmtpMessage &message, const QString &id, bool relayed) const
{
    const QList<SmtpStore::Message> copies = SmtpStore(m_env).waitForMessageId(id);
    if (copies.size() != 1) {
        qWarning() << id << "stored" << copies.size() << "times";
        return false;
    }
    const QByteArray bytes = relayed ? withoutOneReceivedField(copies.first().bytes) : copies.first().bytes;
    if (bytes != message.data) {
        qWarning() << id << "differs:" << bytes.left(300);
        return false;
    }
    return true;
}

void TestSmtpClientDovecot::sendMessageSyncAndAsync_data()
{
    QTest::addColumn<QString>("portKey");
    QTest::addColumn<Security>("security");
    QTest::addColumn<bool>("relayed");
    QTest::newRow("aiosmtpd starttls") << QStringLiteral("TANDEM_KIT_SMTP_PORT") << Security::StartTls << false;
    QTest::newRow("dovecot submissions") << QStringLiteral("TANDEM_KIT_SUBMISSIONS_PORT") << Security::ImplicitTls
                                         << true;
}

void TestSmtpClientDovecot::sendMessageSyncAndAsync()
{
    QFETCH(QString, portKey);
    QFETCH(Security, security);
    QFETCH(bool, relayed);
    auto smtp = client(portKey, security);
    const QStringList to = {QStringLiteral("bob@localhost"), QStringLiteral("reject-me@localhost"),
                            QStringLiteral("carol@localhost")};
    const QString syncId = uniqueId();
    const SmtpMessage syncMessage = makeMessage(syncId, to);
    const Result<SmtpSendResult> sent = smtp->sendMessage(syncMessage);
    QVERIFY2(sent, qPrintable(sent.error().toString()));
    QCOMPARE(sent.value().code, 250);
    QCOMPARE(sent.value().recipients.size(), 3);
    QVERIFY(sent.value().recipients.at(0).accepted);
    QVERIFY(sent.value().recipients.at(2).accepted);
    const QList<SmtpRecipientResult> refused = sent.value().refused();
    QCOMPARE(refused.size(), 1);
    QCOMPARE(refused.first().address, QStringLiteral("reject-me@localhost"));
    QCOMPARE(refused.first().code, 550);
    QCOMPARE(refused.first().error.code(), ErrorCode::ServerRefused);
    QVERIFY(arrivedOnce(syncMessage, syncId, relayed));

    const QString asyncId = uniqueId();
    const SmtpMessage asyncMessage = makeMessage(asyncId, {QStringLiteral("bob@localhost")});
    QFuture<SmtpSendResult> future = smtp->sendMessageAsync(asyncMessage);
    VERIFY_OK(future);
    QVERIFY(future.result().refused().isEmpty());
    QVERIFY(arrivedOnce(asyncMessage, asyncId, relayed));
}

void TestSmtpClientDovecot::everyRecipientRefusedFails()
{
    auto smtp = client();
    const QString id = uniqueId();
    const Result<SmtpSendResult> sent = smtp->sendMessage(
        makeMessage(id, {QStringLiteral("reject-1@localhost"), QStringLiteral("reject-2@localhost")}));
    QVERIFY(!sent);
    QCOMPARE(sent.error().code(), ErrorCode::ServerRefused);
    QVERIFY(sent.error().message().contains(QLatin1String("reject-2@localhost")));
    QCOMPARE(outcome(smtp->sendMessageAsync(makeMessage(id, {QStringLiteral("reject-3@localhost")}))).code(),
             ErrorCode::ServerRefused);
    // The connection stays usable after a refused transaction.
    const QString next = uniqueId();
    QVERIFY(smtp->sendMessage(makeMessage(next, {QStringLiteral("bob@localhost")})));
    const SmtpStore store(m_env);
    QVERIFY(!store.waitForMessageId(next).isEmpty());
    QVERIFY(store.withMessageId(id).isEmpty()); // had it been stored, it would be there before the next one
}

void TestSmtpClientDovecot::s10_sendMessagesSyncQueuesOnOneConnection()
{
    auto smtp = client();
    QStringList ids;
    QList<SmtpMessage> messages = makeMessages(6, {QStringLiteral("bob@localhost")}, &ids);
    messages[3].recipients = {QStringLiteral("reject-all@localhost")}; // fails on its own
    const Result<QList<SmtpBatchItem>> items = smtp->sendMessages(messages);
    QVERIFY2(items, qPrintable(items.error().toString()));
    QCOMPARE(items.value().size(), messages.size());
    for (const SmtpBatchItem &item : items.value()) {
        if (item.index == 3) {
            QCOMPARE(item.error.code(), ErrorCode::ServerRefused);
            continue;
        }
        QVERIFY2(!item.error.isError(), qPrintable(item.error.toString()));
        QVERIFY(arrivedOnce(messages.at(item.index), ids.at(item.index)));
    }
    QCOMPARE(smtp->poolSnapshot().connectionCount, 1);
}

void TestSmtpClientDovecot::b03_sendMessagesAsyncSplitsOverConnections()
{
    auto smtp = client();
    QVERIFY(!smtp->setMaxConnectionsPerServer(4).isError());
    QStringList ids;
    const QList<SmtpMessage> messages = makeMessages(
        30, {QStringLiteral("bob@localhost"), QStringLiteral("reject-x@localhost")}, &ids);
    int mostConnections = 0;
    connect(smtp.get(), &CredentialsByHostClient::poolChanged, this,
            [&](const PoolSnapshot &s) { mostConnections = std::max(mostConnections, s.connectionCount); });
    smtp->setMonitorInterval(std::chrono::milliseconds(1));
    QFuture<SmtpBatchItem> future = smtp->sendMessagesAsync(messages);
    const Error error = outcome(future, 60000);
    QVERIFY2(!error.isError(), qPrintable(error.toString()));
    const QList<SmtpBatchItem> items = future.results();
    QCOMPARE(items.size(), messages.size());
    QSet<int> indices;
    for (const SmtpBatchItem &item : items) {
        QVERIFY2(!item.error.isError(), qPrintable(item.error.toString()));
        QCOMPARE(item.result.refused().size(), 1);
        indices.insert(item.index);
    }
    QCOMPARE(indices.size(), messages.size()); // each once
    for (int i = 0; i < messages.size(); ++i)
        QVERIFY(arrivedOnce(messages.at(i), ids.at(i)));
    // Three chunks of ten, each on a connection of its own (main included: the first task opens it).
    QTRY_VERIFY(mostConnections >= 3);
    QVERIFY(smtp->poolSnapshot().connectionCount <= 4);
}

void TestSmtpClientDovecot::b03_sendManyTimesForOneAndFourConnections()
{
    // Logged, not asserted: how long 60 messages take with one connection and
    // with four (three chunks on three connections).
    for (const int limit : {1, 4}) {
        auto smtp = client();
        QVERIFY(!smtp->setMaxConnectionsPerServer(limit).isError());
        QVERIFY(smtp->sendMessage(makeMessage(uniqueId(), {QStringLiteral("bob@localhost")}))); // logged in
        QList<SmtpMessage> messages;
        for (int i = 0; i < 60; ++i)
            messages << makeMessage(uniqueId(), {QStringLiteral("bob@localhost")});
        QElapsedTimer timer;
        timer.start();
        QFuture<SmtpBatchItem> future = smtp->sendMessagesAsync(messages);
        future.waitForFinished();
        const qint64 ms = timer.elapsed();
        VERIFY_OK(future);
        int delivered = 0;
        for (const SmtpBatchItem &item : future.results())
            delivered += item.error.isError() ? 0 : 1;
        QCOMPARE(delivered, messages.size());
        qInfo("60 messages, limit %d: %lld ms", limit, ms);
    }
}

void TestSmtpClientDovecot::s05_threadsSendAtOnceWithoutBusy()
{
    auto smtp = client();
    constexpr int kThreads = 8;
    constexpr int kEach = 3;
    QStringList ids;
    const QList<SmtpMessage> messages = makeMessages(kThreads * kEach, {QStringLiteral("bob@localhost")}, &ids);
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i) {
                if (!smtp->sendMessage(messages.at(t * kEach + i)))
                    ++failures;
            }
        });
    }
    for (std::thread &t : threads)
        t.join();
    QCOMPARE(failures.load(), 0);
    for (int i = 0; i < messages.size(); ++i)
        QVERIFY(arrivedOnce(messages.at(i), ids.at(i)));
    QCOMPARE(smtp->poolSnapshot().connectionCount, 1); // S10: all on the main connection's queue
}

void TestSmtpClientDovecot::b08_activityIsReported()
{
    auto smtp = client();
    const SmtpMessage message = makeMessage(uniqueId(), {QStringLiteral("bob@localhost")});
    QVERIFY(smtp->sendMessage(message));
    const PoolSnapshot snapshot = tandem::test::restingOnOneConnection(*smtp);
    QCOMPARE(snapshot.connections.size(), 1);
    const ConnectionActivity a = snapshot.connections.first().activity;
    QVERIFY(a.bytesOut > quint64(message.data.size()));
    QVERIFY(a.bytesIn > 0);
    QVERIFY(a.lastActivityMs > 0);
    QCOMPARE(a.queueDepth, 0);
    QVERIFY(a.command.isEmpty());
}

void TestSmtpClientDovecot::s14_disposeWhileSendingManyEndsEveryMessage()
{
    auto smtp = client();
    QVERIFY(!smtp->setMaxConnectionsPerServer(3).isError());
    QStringList ids;
    const QList<SmtpMessage> messages = makeMessages(120, {QStringLiteral("bob@localhost")}, &ids);
    QFuture<SmtpBatchItem> future = smtp->sendMessagesAsync(messages);
    // Some are delivered, most are still to go.
    QVERIFY(QTest::qWaitFor([&] { return future.resultCount() > 0; }, 10000));
    smtp->dispose();
    // Nothing hangs: the future ends, and every message has exactly one item.
    QVERIFY(QTest::qWaitFor([&] { return future.isFinished(); }, 10000));
    const QList<SmtpBatchItem> items = future.results();
    QCOMPARE(items.size(), messages.size());
    QSet<int> indices;
    int delivered = 0;
    for (const SmtpBatchItem &item : items) {
        indices.insert(item.index);
        if (!item.error.isError())
            ++delivered;
    }
    QCOMPARE(indices.size(), messages.size());
    QVERIFY2(delivered < messages.size(), "dispose() came too late to cancel anything");
    // What was reported delivered is in the store, once; the rest at most once
    // (one may have been cut off after its data: "may have been delivered").
    const SmtpStore store(m_env);
    for (const SmtpBatchItem &item : items) {
        if (!item.error.isError()) // the store writes each file after its reply
            QVERIFY(!store.waitForMessageId(ids.at(item.index)).isEmpty());
    }
    QHash<QString, int> copies;
    const QList<SmtpStore::Message> all = store.messages();
    for (const SmtpStore::Message &message : all) {
        const qsizetype at = message.bytes.indexOf("Message-ID: <");
        if (at >= 0)
            ++copies[QString::fromUtf8(message.bytes.mid(at + 13, message.bytes.indexOf('>', at) - at - 13))];
    }
    for (const SmtpBatchItem &item : items) {
        const int count = copies.value(ids.at(item.index));
        if (!item.error.isError())
            QCOMPARE(count, 1);
        else
            QVERIFY2(count <= 1, qPrintable(item.error.toString()));
    }
    QCOMPARE(smtp->sendMessage(messages.first()).error().code(), ErrorCode::Cancelled);
}

QTEST_GUILESS_MAIN(TestSmtpClientDovecot)
#include "tst_smtp_client_dovecot.moc"
