// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// SmtpClient faults against the scripted fake server, where a drop must come at
// an exact moment (B06 in docs/POOL.md): a connection lost before the message's bytes
// went on the wire costs nothing, so the message goes again on a new
// connection; once DATA's payload was written it is never re-sent.
//
// Each client connects through TwoServers: its first connection goes to one
// scripted server, later ones to a second.

#include <QTest>

#include "mailcore/smtpclient/smtpclient.h"
#include "smtpconnection/smtptestutil.h"
#include "support/datatable.h"
#include "support/twoservers.h"
#include "support/verify.h"

using namespace mailcore;
using namespace tandem::test::smtp;
using tandem::test::TwoServers;

namespace {

const QByteArray kMessage = "Subject: hi\r\n\r\n.dot line\r\nHello\r\n";
const QByteArray kPayload = "Subject: hi\r\n\r\n..dot line\r\nHello\r\n.\r\n";
const QByteArray kTransaction = "MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.org>\r\nDATA\r\n";

std::unique_ptr<SmtpClient> clientFor(TwoServers &servers)
{
    // No user: no AUTH, so the scripts stay short (a relay that trusts the network).
    return std::make_unique<SmtpClient>(servers.endpoint(), QString(), QString(), nullptr, servers.factory());
}

SmtpMessage message()
{
    SmtpMessage m;
    m.from = QStringLiteral("alice@example.org");
    m.recipients = {QStringLiteral("bob@example.org")};
    m.data = kMessage;
    return m;
}

/// Greeting and EHLO with PIPELINING: the transaction goes in one write.
ScriptedServer &ready(ScriptedServer &server)
{
    return server.send(kGreeting).expect(kEhlo).send(ehloReply({"PIPELINING"}));
}

} // namespace

class TestSmtpClientFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void b06_dropBeforeDataIsSentAgainOnANewConnection_data();
    void b06_dropBeforeDataIsSentAgainOnANewConnection();
    void b06_dropDuringDataIsNotResent_data();
    void b06_dropDuringDataIsNotResent();
    void b06_batchResendsOnlyWhatNeverReachedTheWire();
    void cancelledBeforeItIsHandedOverIsNeverSent();
};

void TestSmtpClientFaults::b06_dropBeforeDataIsSentAgainOnANewConnection_data()
{
    tandem::test::column<bool>("async", {{"sync", false}, {"async", true}});
}

void TestSmtpClientFaults::b06_dropBeforeDataIsSentAgainOnANewConnection()
{
    QFETCH(bool, async);
    ScriptedServer first;
    ready(first).expect(kTransaction).close(); // no reply: nothing was delivered
    ScriptedServer second;
    ready(second)
        .expect(kTransaction)
        .send("250 ok\r\n250 ok\r\n354 go\r\n")
        .expect(kPayload)
        .send("250 2.0.0 queued as 42\r\n")
        .expect("QUIT\r\n")
        .expectClosed();
    first.start();
    second.start();
    TwoServers servers(first, &second);
    auto client = clientFor(servers);
    SmtpSendResult result;
    if (async) {
        QFuture<SmtpSendResult> future = client->sendMessageAsync(message());
        const Error error = outcome(future);
        QVERIFY2(!error.isError(), qPrintable(error.toString()));
        result = future.result();
    } else {
        const Result<SmtpSendResult> sent = client->sendMessage(message());
        QVERIFY2(sent, qPrintable(sent.error().toString()));
        result = sent.value();
    }
    QCOMPARE(result.code, 250);
    QCOMPARE(result.recipients.size(), 1);
    QVERIFY(result.recipients.first().accepted);
    QCOMPARE(servers.opened(), 2);
    client.reset(); // QUIT: the second connection is between transactions
    QVERIFY2(servers.waitDone(), qPrintable(servers.failureText()));
}

void TestSmtpClientFaults::b06_dropDuringDataIsNotResent_data()
{
    tandem::test::column<bool>("async", {{"sync", false}, {"async", true}});
}

void TestSmtpClientFaults::b06_dropDuringDataIsNotResent()
{
    QFETCH(bool, async);
    ScriptedServer first;
    // The whole message arrives, then the server vanishes before its reply:
    // it may have delivered the message.
    ready(first).expect(kTransaction).send("250 ok\r\n250 ok\r\n354 go\r\n").expect(kPayload).close();
    first.start();
    TwoServers servers(first);
    auto client = clientFor(servers);
    const Error error = async ? outcome(client->sendMessageAsync(message())) : client->sendMessage(message()).error();
    QCOMPARE(error.code(), ErrorCode::Network);
    QVERIFY2(error.message().contains(QLatin1String("may have been delivered and is not re-sent")),
             qPrintable(error.message()));
    QVERIFY(error.mayHaveBeenDelivered()); // what an outbox decides on, not the words
    QCOMPARE(servers.opened(), 1);         // no second connection, no second copy
    QVERIFY2(first.waitDone(), qPrintable(first.failureText()));
}

void TestSmtpClientFaults::b06_batchResendsOnlyWhatNeverReachedTheWire()
{
    // Message 0 is delivered, message 1 is lost after its payload (unknown:
    // reported, not re-sent), message 2 was only queued: sent on a new connection.
    SmtpMessage m0 = message();
    SmtpMessage m1 = message();
    m1.recipients = {QStringLiteral("carol@example.org")};
    SmtpMessage m2 = message();
    m2.recipients = {QStringLiteral("dave@example.org")};
    const QByteArray t1 = "MAIL FROM:<alice@example.org>\r\nRCPT TO:<carol@example.org>\r\nDATA\r\n";
    const QByteArray t2 = "MAIL FROM:<alice@example.org>\r\nRCPT TO:<dave@example.org>\r\nDATA\r\n";
    ScriptedServer first;
    ready(first)
        .expect(kTransaction)
        .send("250 ok\r\n250 ok\r\n354 go\r\n")
        .expect(kPayload)
        .send("250 ok\r\n")
        .expect(t1)
        .send("250 ok\r\n250 ok\r\n354 go\r\n")
        .expect(kPayload)
        .close();
    ScriptedServer second;
    ready(second)
        .expect(t2)
        .send("250 ok\r\n250 ok\r\n354 go\r\n")
        .expect(kPayload)
        .send("250 ok\r\n")
        .expect("QUIT\r\n")
        .expectClosed();
    first.start();
    second.start();
    TwoServers servers(first, &second);
    auto client = clientFor(servers);
    const Result<QList<SmtpBatchItem>> items = client->sendMessages({m0, m1, m2});
    QVERIFY2(items, qPrintable(items.error().toString()));
    QCOMPARE(items.value().size(), 3);
    QMap<int, SmtpBatchItem> byIndex;
    for (const SmtpBatchItem &item : items.value())
        byIndex.insert(item.index, item);
    QCOMPARE(byIndex.size(), 3);
    QVERIFY(!byIndex[0].error.isError());
    QCOMPARE(byIndex[1].error.code(), ErrorCode::Network);
    QVERIFY(byIndex[1].error.message().contains(QLatin1String("not re-sent")));
    QVERIFY2(!byIndex[2].error.isError(), qPrintable(byIndex[2].error.toString()));
    QCOMPARE(byIndex[2].result.recipients.first().address, QStringLiteral("dave@example.org"));
    QCOMPARE(servers.opened(), 2);
    client.reset();
    QVERIFY2(servers.waitDone(), qPrintable(servers.failureText()));
}

void TestSmtpClientFaults::cancelledBeforeItIsHandedOverIsNeverSent()
{
    // One connection (so one task at a time); the greeting, held back, keeps the first
    // send's task busy; the second, cancelled meanwhile, must never be sent:
    // after the first transaction the server wants QUIT, not another MAIL.
    ScriptedServer server;
    server.hold(); // no greeting before the second call is cancelled
    ready(server)
        .expect(kTransaction)
        .send("250 ok\r\n250 ok\r\n354 go\r\n")
        .expect(kPayload)
        .send("250 ok\r\n")
        .expect("QUIT\r\n")
        .expectClosed();
    server.start();
    TwoServers servers(server);
    auto client = clientFor(servers);
    QVERIFY(!client->setMaxConnectionsPerServer(1).isError());
    SmtpMessage other = message();
    other.recipients = {QStringLiteral("carol@example.org")};
    QFuture<SmtpSendResult> first = client->sendMessageAsync(message());
    QFuture<SmtpSendResult> second = client->sendMessageAsync(other);
    second.cancel();
    server.release();
    QCOMPARE(outcome(second).code(), ErrorCode::Cancelled);
    VERIFY_OK(first);
    client.reset();
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

QTEST_GUILESS_MAIN(TestSmtpClientFaults)
#include "tst_smtp_client_faults.moc"
