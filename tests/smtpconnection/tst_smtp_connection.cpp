// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Byte-exact tests of the SMTP connection against the scripted fake server:
// the handshake, every STARTTLS rule, AUTH, transactions with and without
// PIPELINING, refused recipients, the DATA encoding on the wire, SIZE, logs.

#include <QTest>

#include <mutex>
#include <thread>

#include "smtptestutil.h"
#include "support/datatable.h"
#include "support/logcapture.h"
#include "support/verify.h"

using namespace mailcore;
using namespace mailcore::smtp;
using namespace tandem::test::smtp;

namespace {

const QByteArray kMessage = "From: alice@example.org\r\nSubject: hi\r\n\r\nHello\r\n";
const QByteArray kSize = QByteArray::number(kMessage.size());
const QByteArray kMail = "MAIL FROM:<alice@example.org> SIZE=" + kSize + "\r\n";
const QList<QByteArray> kCapsPipelining = {"PIPELINING", "SIZE 1000000", "8BITMIME", "AUTH PLAIN LOGIN"};
const QList<QByteArray> kCapsPlain = {"SIZE 1000000", "8BITMIME", "AUTH PLAIN LOGIN"};

} // namespace

class TestSmtpConnection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void handshakeAndSendWithoutPipelining();
    void handshakeAndSendWithPipelining();
    void ehloRefusedFallsBackToHelo();
    void starttlsUpgradesAndSaysEhloAgain();
    void starttlsMissingNeverSendsCredentials();
    void starttlsRefusedNeverSendsCredentials();
    void bytesInjectedAfterStarttlsGoAheadAreDiscarded();
    void authLoginExactBytes();
    void refusedAuthIsAnAuthError();
    void oneRefusedRecipientAmongThree_data();
    void oneRefusedRecipientAmongThree();
    void allRecipientsRefused_data();
    void allRecipientsRefused();
    void dataAcceptedWithoutRecipientsSendsOnlyTheTerminator();
    void dotStuffingAndBareLfOnTheWire();
    void messageAboveSizeLimitIsRefusedBeforeSending();
    void eightBitMessageDeclaresBody8BitMime();
    void badAddressIsRefusedBeforeSending();
    void sendsFromSeveralThreadsAreQueued();
    void quitWaitsForQueuedMessages();
    void passwordNeverAppearsInLogs();
};

void TestSmtpConnection::handshakeAndSendWithoutPipelining()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting)
        .expect(kEhlo)
        .send(ehloReply(kCapsPlain))
        .expect(kAuthPlain)
        .send(kAuthOk)
        .expect(kMail)
        .send("250 2.1.0 Ok\r\n")
        .expect("RCPT TO:<bob@example.org>\r\n")
        .send("250 2.1.5 Ok\r\n")
        .expect("DATA\r\n")
        .send("354 End data with <CR><LF>.<CR><LF>\r\n")
        .expect(kMessage + ".\r\n")
        .send("250 2.0.0 Ok: queued as 1234\r\n")
        .expect("QUIT\r\n")
        .send("221 2.0.0 Bye\r\n")
        .expectClosed();
    SmtpConnection connection(startScript(server, Security::ImplicitTls));
    auto opened = connection.open();
    VERIFY_OK(opened);
    QCOMPARE(opened.result().maxSize, 1000000);
    QVERIFY(!opened.result().pipelining);
    QCOMPARE(connection.state(), SessionState::Ready);
    auto sent = connection.send(envelope({QStringLiteral("bob@example.org")}, kMessage));
    VERIFY_OK(sent);
    QVERIFY(sent.result().isDelivered());
    QCOMPARE(sent.result().recipients.size(), 1);
    QCOMPARE(sent.result().dataReply.code, 250);
    VERIFY_OK(connection.quit());
    QCOMPARE(connection.state(), SessionState::Closed);
    // After QUIT a send fails at once instead of hanging.
    QCOMPARE(outcome(connection.send(envelope({QStringLiteral("bob@example.org")}, kMessage)), 2000).code(),
             ErrorCode::Cancelled);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestSmtpConnection::handshakeAndSendWithPipelining()
{
    // MAIL, both RCPTs and DATA must all be on the wire before the server
    // answers any of them (RFC 2920); the payload only after 354.
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting)
        .expect(kEhlo)
        .send(ehloReply(kCapsPipelining))
        .expect(kAuthPlain)
        .send(kAuthOk)
        .expect(kMail + "RCPT TO:<bob@example.org>\r\nRCPT TO:<carol@example.org>\r\nDATA\r\n")
        .send("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n354 go ahead\r\n")
        .expect(kMessage + ".\r\n")
        .send("250 2.0.0 Ok: queued\r\n")
        .hold();
    SmtpConnection connection(startScript(server, Security::ImplicitTls));
    // send() opens the connection itself.
    auto sent = connection.send(
        envelope({QStringLiteral("bob@example.org"), QStringLiteral("carol@example.org")}, kMessage));
    VERIFY_OK(sent);
    QVERIFY(sent.result().isDelivered());
    QVERIFY(sent.result().refused().isEmpty());
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestSmtpConnection::ehloRefusedFallsBackToHelo()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting)
        .expect(kEhlo)
        .send("502 5.5.2 Error: command not recognized\r\n")
        .expect("HELO [127.0.0.1]\r\n")
        .send("250 mx.example.org\r\n")
        // No SIZE offered: MAIL FROM has no parameter.
        .expect("MAIL FROM:<alice@example.org>\r\n")
        .send("250 Ok\r\n")
        .expect("RCPT TO:<bob@example.org>\r\n")
        .send("250 Ok\r\n")
        .expect("DATA\r\n")
        .send("354 go ahead\r\n")
        .expect(kMessage + ".\r\n")
        .send("250 Ok\r\n")
        .hold();
    SessionSettings settings = startScript(server, Security::ImplicitTls);
    settings.user.clear(); // an old relay: no AUTH
    SmtpConnection connection(settings);
    auto opened = connection.open();
    VERIFY_OK(opened);
    QCOMPARE(opened.result().greeting, QByteArray("mx.example.org"));
    VERIFY_OK(connection.send(envelope({QStringLiteral("bob@example.org")}, kMessage)));
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestSmtpConnection::starttlsUpgradesAndSaysEhloAgain()
{
    ScriptedServer server;
    server.send(kGreeting)
        .expect(kEhlo)
        .send(ehloReply({"STARTTLS", "SIZE 1000"}))
        .expect("STARTTLS\r\n")
        .send("220 2.0.0 Ready to start TLS\r\n")
        .startTls()
        .expect(kEhlo)
        .send(ehloReply({"SIZE 2000", "AUTH PLAIN"}))
        .expect(kAuthPlain)
        .send(kAuthOk)
        .hold();
    SmtpConnection connection(startScript(server, Security::StartTls));
    auto opened = connection.open();
    VERIFY_OK(opened);
    // The capabilities are the ones said over TLS.
    QCOMPARE(opened.result().maxSize, 2000);
    QVERIFY(!opened.result().startTls);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestSmtpConnection::starttlsMissingNeverSendsCredentials()
{
    ScriptedServer server;
    server.send(kGreeting).expect(kEhlo).send(ehloReply({"AUTH PLAIN LOGIN"})).expectClosed();
    SmtpConnection connection(startScript(server, Security::StartTls));
    const Error error = outcome(connection.open());
    VERIFY_ERROR(error, ErrorCode::Tls, "STARTTLS");
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
    QCOMPARE(server.received(), kEhlo);
}

void TestSmtpConnection::starttlsRefusedNeverSendsCredentials()
{
    ScriptedServer server;
    server.send(kGreeting)
        .expect(kEhlo)
        .send(ehloReply({"STARTTLS", "AUTH PLAIN"}))
        .expect("STARTTLS\r\n")
        .send("454 4.7.0 TLS not available due to temporary reason\r\n")
        .expectClosed();
    SmtpConnection connection(startScript(server, Security::StartTls));
    auto sent = connection.send(envelope({QStringLiteral("bob@example.org")}, kMessage));
    const Error error = outcome(connection.open());
    VERIFY_ERROR(error, ErrorCode::Tls, "454");
    QCOMPARE(outcome(sent).code(), ErrorCode::Tls); // the queued message fails with the same reason
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
    QCOMPARE(server.received(), kEhlo + "STARTTLS\r\n");
}

void TestSmtpConnection::bytesInjectedAfterStarttlsGoAheadAreDiscarded()
{
    // A man in the middle appends a fake EHLO reply offering AUTH LOGIN to the
    // go-ahead, in the same segment. Parsed, it would answer the EHLO sent over
    // TLS and the client would choose LOGIN; the real reply offers only PLAIN.
    ScriptedServer server;
    server.send(kGreeting)
        .expect(kEhlo)
        .send(ehloReply({"STARTTLS"}))
        .expect("STARTTLS\r\n")
        .send("220 2.0.0 go ahead\r\n250-evil\r\n250 AUTH LOGIN\r\n")
        .startTls()
        .expect(kEhlo)
        .send(ehloReply({"AUTH PLAIN"}))
        .expect(kAuthPlain)
        .send(kAuthOk)
        .hold();
    SmtpConnection connection(startScript(server, Security::StartTls));
    auto opened = connection.open();
    VERIFY_OK(opened);
    QCOMPARE(opened.result().authMechanisms, QList<QByteArray>{"PLAIN"});
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestSmtpConnection::authLoginExactBytes()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting)
        .expect(kEhlo)
        .send(ehloReply({"AUTH LOGIN"}))
        .expect("AUTH LOGIN\r\n")
        .send("334 VXNlcm5hbWU6\r\n")
        .expect("YWxpY2U=\r\n")
        .send("334 UGFzc3dvcmQ6\r\n")
        .expect(kPassword.toBase64() + "\r\n")
        .send(kAuthOk)
        .hold();
    SmtpConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));

    // LOGIN chosen explicitly even where PLAIN is offered.
    ScriptedServer second(ScriptedServer::Tls::Implicit);
    second.send(kGreeting)
        .expect(kEhlo)
        .send(ehloReply({"AUTH PLAIN LOGIN"}))
        .expect("AUTH LOGIN\r\n")
        .send("334 VXNlcm5hbWU6\r\n")
        .expect("YWxpY2U=\r\n")
        .send("334 UGFzc3dvcmQ6\r\n")
        .expect(kPassword.toBase64() + "\r\n")
        .send(kAuthOk)
        .hold();
    SessionSettings settings = startScript(second, Security::ImplicitTls);
    settings.mechanism = AuthMechanism::Login;
    SmtpConnection loginConnection(settings);
    VERIFY_OK(loginConnection.open());
    QVERIFY2(second.waitDone(), qPrintable(second.failureText()));
}

void TestSmtpConnection::refusedAuthIsAnAuthError()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting)
        .expect(kEhlo)
        .send(ehloReply(kCapsPlain))
        .expect(kAuthPlain)
        .send("535 5.7.8 Authentication credentials invalid\r\n")
        .expectClosed();
    SmtpConnection connection(startScript(server, Security::ImplicitTls));
    auto sent = connection.send(envelope({QStringLiteral("bob@example.org")}, kMessage));
    const Error error = outcome(connection.open());
    VERIFY_ERROR(error, ErrorCode::Auth, "credentials invalid");
    QVERIFY(!error.message().contains(QString::fromLatin1(kPassword)));
    QCOMPARE(outcome(sent).code(), ErrorCode::Auth);
    QTRY_COMPARE(connection.state(), SessionState::Closed);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestSmtpConnection::oneRefusedRecipientAmongThree_data()
{
    tandem::test::column<bool>("pipelining", {{"pipelining", true}, {"one by one", false}});
}

void TestSmtpConnection::oneRefusedRecipientAmongThree()
{
    QFETCH(bool, pipelining);
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting)
        .expect(kEhlo)
        .send(ehloReply(pipelining ? kCapsPipelining : kCapsPlain))
        .expect(kAuthPlain)
        .send(kAuthOk);
    const QByteArray refusal = "550 5.1.1 <nobody@example.org>: Recipient address rejected\r\n";
    if (pipelining) {
        server
            .expect(kMail
                    + "RCPT TO:<bob@example.org>\r\nRCPT TO:<nobody@example.org>\r\n"
                      "RCPT TO:<carol@example.org>\r\nDATA\r\n")
            .send("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n" + refusal + "250 2.1.5 Ok\r\n354 go ahead\r\n");
    } else {
        server.expect(kMail)
            .send("250 2.1.0 Ok\r\n")
            .expect("RCPT TO:<bob@example.org>\r\n")
            .send("250 2.1.5 Ok\r\n")
            .expect("RCPT TO:<nobody@example.org>\r\n")
            .send(refusal)
            .expect("RCPT TO:<carol@example.org>\r\n")
            .send("250 2.1.5 Ok\r\n")
            .expect("DATA\r\n")
            .send("354 go ahead\r\n");
    }
    server.expect(kMessage + ".\r\n").send("250 2.0.0 Ok: queued\r\n").hold();
    SmtpConnection connection(startScript(server, Security::ImplicitTls));
    auto sent = connection.send(envelope(
        {QStringLiteral("bob@example.org"), QStringLiteral("nobody@example.org"), QStringLiteral("carol@example.org")},
        kMessage));
    VERIFY_OK(sent);
    const SendResult result = sent.result();
    QVERIFY(result.isDelivered());
    QCOMPARE(result.recipients.size(), 3);
    QVERIFY(result.recipients.at(0).isAccepted());
    QVERIFY(result.recipients.at(2).isAccepted());
    QCOMPARE(result.refused().size(), 1);
    const RecipientResult refused = result.refused().first();
    QCOMPARE(refused.address, QStringLiteral("nobody@example.org"));
    QCOMPARE(refused.reply.code, 550);
    QCOMPARE(refused.reply.enhancedText(), QByteArray("5.1.1"));
    QCOMPARE(refused.error().code(), ErrorCode::ServerRefused);
    QVERIFY(refused.error().message().contains(QLatin1String("Recipient address rejected")));
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestSmtpConnection::allRecipientsRefused_data()
{
    tandem::test::column<bool>("pipelining", {{"pipelining", true}, {"one by one", false}});
}

void TestSmtpConnection::allRecipientsRefused()
{
    // Nothing is sent, RSET clears the transaction, and the connection goes on:
    // the next message is delivered.
    QFETCH(bool, pipelining);
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting)
        .expect(kEhlo)
        .send(ehloReply(pipelining ? kCapsPipelining : kCapsPlain))
        .expect(kAuthPlain)
        .send(kAuthOk);
    if (pipelining) {
        server.expect(kMail + "RCPT TO:<x@example.org>\r\nRCPT TO:<y@example.org>\r\nDATA\r\n")
            .send("250 2.1.0 Ok\r\n550 5.1.1 no such user x\r\n450 4.2.0 y greylisted\r\n"
                  "554 5.5.1 Error: no valid recipients\r\n")
            .expect("RSET\r\n")
            .send("250 2.0.0 Ok\r\n")
            .expect(kMail + "RCPT TO:<bob@example.org>\r\nDATA\r\n")
            .send("250 Ok\r\n250 Ok\r\n354 go\r\n");
    } else {
        server.expect(kMail)
            .send("250 2.1.0 Ok\r\n")
            .expect("RCPT TO:<x@example.org>\r\n")
            .send("550 5.1.1 no such user x\r\n")
            .expect("RCPT TO:<y@example.org>\r\n")
            .send("450 4.2.0 y greylisted\r\n")
            .expect("RSET\r\n")
            .send("250 2.0.0 Ok\r\n")
            .expect(kMail)
            .send("250 Ok\r\n")
            .expect("RCPT TO:<bob@example.org>\r\n")
            .send("250 Ok\r\n")
            .expect("DATA\r\n")
            .send("354 go\r\n");
    }
    server.expect(kMessage + ".\r\n").send("250 2.0.0 Ok: queued\r\n").hold();
    SmtpConnection connection(startScript(server, Security::ImplicitTls));
    auto refused = connection.send(
        envelope({QStringLiteral("x@example.org"), QStringLiteral("y@example.org")}, kMessage));
    auto next = connection.send(envelope({QStringLiteral("bob@example.org")}, kMessage));
    const Error error = outcome(refused);
    VERIFY_ERROR(error, ErrorCode::ServerRefused, "x@example.org: 550 5.1.1 no such user x");
    QVERIFY2(error.message().contains(QLatin1String("y@example.org: 450 4.2.0 y greylisted")),
             qPrintable(error.message()));
    VERIFY_OK(next);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestSmtpConnection::dataAcceptedWithoutRecipientsSendsOnlyTheTerminator()
{
    // RFC 2920 §3.1: a server may say 354 to a pipelined DATA after refusing
    // every RCPT. The message must not follow: an empty one ends DATA, then RSET.
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting)
        .expect(kEhlo)
        .send(ehloReply(kCapsPipelining))
        .expect(kAuthPlain)
        .send(kAuthOk)
        .expect(kMail + "RCPT TO:<x@example.org>\r\nDATA\r\n")
        .send("250 Ok\r\n550 5.1.1 no such user\r\n354 go ahead\r\n")
        .expect(".\r\n")
        .send("554 5.5.1 no valid recipients\r\n")
        .expect("RSET\r\n")
        .send("250 Ok\r\n")
        .hold();
    SmtpConnection connection(startScript(server, Security::ImplicitTls));
    const Error error = outcome(connection.send(envelope({QStringLiteral("x@example.org")}, kMessage)));
    QCOMPARE(error.code(), ErrorCode::ServerRefused);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
    QVERIFY(!server.received().contains("Hello"));
}

void TestSmtpConnection::dotStuffingAndBareLfOnTheWire()
{
    const QByteArray message = "Subject: dots\n\n.leading dot\nplain\r\n..two dots\r\n.\nlast line without end";
    const QByteArray wire =
        "Subject: dots\r\n\r\n..leading dot\r\nplain\r\n...two dots\r\n..\r\nlast line without end\r\n.\r\n";
    // SIZE counts the CRLF-normalised message, without stuffed dots and final ".".
    const QByteArray normalised =
        "Subject: dots\r\n\r\n.leading dot\r\nplain\r\n..two dots\r\n.\r\nlast line without end\r\n";
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting)
        .expect(kEhlo)
        .send(ehloReply(kCapsPipelining))
        .expect(kAuthPlain)
        .send(kAuthOk)
        .expect("MAIL FROM:<alice@example.org> SIZE=" + QByteArray::number(normalised.size())
                + "\r\nRCPT TO:<bob@example.org>\r\nDATA\r\n")
        .send("250 Ok\r\n250 Ok\r\n354 go ahead\r\n")
        .expect(wire)
        .send("250 Ok\r\n")
        .hold();
    SmtpConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.send(envelope({QStringLiteral("bob@example.org")}, message)));
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestSmtpConnection::messageAboveSizeLimitIsRefusedBeforeSending()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting)
        .expect(kEhlo)
        .send(ehloReply({"SIZE 100", "AUTH PLAIN"}))
        .expect(kAuthPlain)
        .send(kAuthOk)
        // The large message leaves no trace; the small one after it goes through.
        .expect(kMail)
        .send("250 Ok\r\n")
        .expect("RCPT TO:<bob@example.org>\r\n")
        .send("250 Ok\r\n")
        .expect("DATA\r\n")
        .send("354 go\r\n")
        .expect(kMessage + ".\r\n")
        .send("250 Ok\r\n")
        .hold();
    SmtpConnection connection(startScript(server, Security::ImplicitTls));
    auto large = connection.send(envelope({QStringLiteral("bob@example.org")}, kMessage + QByteArray(200, 'x')));
    auto small = connection.send(envelope({QStringLiteral("bob@example.org")}, kMessage));
    const Error error = outcome(large);
    VERIFY_ERROR(error, ErrorCode::Limit, "100");
    VERIFY_OK(small);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestSmtpConnection::eightBitMessageDeclaresBody8BitMime()
{
    const QByteArray message = "Subject: caf\xc3\xa9\r\n\r\nd\xc3\xa9j\xc3\xa0 vu\r\n";
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting)
        .expect(kEhlo)
        .send(ehloReply(kCapsPlain))
        .expect(kAuthPlain)
        .send(kAuthOk)
        .expect("MAIL FROM:<alice@example.org> SIZE=" + QByteArray::number(message.size()) + " BODY=8BITMIME\r\n")
        .send("250 Ok\r\n")
        .expect("RCPT TO:<bob@example.org>\r\n")
        .send("250 Ok\r\n")
        .expect("DATA\r\n")
        .send("354 go\r\n")
        .expect(message + ".\r\n")
        .send("250 Ok\r\n")
        .hold();
    SmtpConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.send(envelope({QStringLiteral("bob@example.org")}, message)));
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestSmtpConnection::badAddressIsRefusedBeforeSending()
{
    // Refused in the caller's thread (each future has ended when send()
    // returns): nothing is queued, so the connection never even opens.
    ScriptedServer server(ScriptedServer::Tls::Implicit); // never started: nothing may connect
    SmtpConnection connection(settingsFor(server, Security::ImplicitTls));
    const auto refusedAtOnce = [&](const Envelope &bad) {
        const QFuture<SendResult> sent = connection.send(bad);
        return sent.isFinished() ? outcome(sent).code() : ErrorCode::None;
    };
    QCOMPARE(refusedAtOnce(envelope({QStringLiteral("bob@example.org>\r\nRCPT TO:<evil@example.org")}, kMessage)),
             ErrorCode::BadArgument);
    QCOMPARE(refusedAtOnce(envelope({}, kMessage)), ErrorCode::BadArgument);
    QCOMPARE(refusedAtOnce(envelope({QStringLiteral("bob@example.org")}, QByteArray("a\0b", 3))),
             ErrorCode::BadArgument);
    QCOMPARE(refusedAtOnce(envelope({QStringLiteral("bob@example.org")}, QByteArray(1200, 'x'))), ErrorCode::Limit);
    QCOMPARE(connection.state(), SessionState::Disconnected);
}

void TestSmtpConnection::sendsFromSeveralThreadsAreQueued()
{
    // Four threads send at once; the transactions reach the wire one after the other.
    constexpr int kThreads = 4;
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting).expect(kEhlo).send(ehloReply(kCapsPipelining)).expect(kAuthPlain).send(kAuthOk);
    for (int i = 0; i < kThreads; ++i) {
        server.expect(kMail + "RCPT TO:<bob@example.org>\r\nDATA\r\n")
            .send("250 Ok\r\n250 Ok\r\n354 go\r\n")
            .expect(kMessage + ".\r\n")
            .send("250 Ok\r\n");
    }
    server.hold();
    SmtpConnection connection(startScript(server, Security::ImplicitTls));
    std::mutex mutex;
    QList<QFuture<SendResult>> futures;
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&] {
            auto future = connection.send(envelope({QStringLiteral("bob@example.org")}, kMessage));
            std::lock_guard lock(mutex);
            futures << future;
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    QCOMPARE(futures.size(), kThreads);
    for (const auto &future : std::as_const(futures))
        VERIFY_OK(future);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestSmtpConnection::quitWaitsForQueuedMessages()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting).expect(kEhlo).send(ehloReply(kCapsPipelining)).expect(kAuthPlain).send(kAuthOk);
    for (int i = 0; i < 2; ++i) {
        server.expect(kMail + "RCPT TO:<bob@example.org>\r\nDATA\r\n")
            .send("250 Ok\r\n250 Ok\r\n354 go\r\n")
            .expect(kMessage + ".\r\n")
            .send("250 Ok\r\n");
    }
    server.expect("QUIT\r\n").send("221 Bye\r\n").expectClosed();
    SmtpConnection connection(startScript(server, Security::ImplicitTls));
    auto first = connection.send(envelope({QStringLiteral("bob@example.org")}, kMessage));
    auto second = connection.send(envelope({QStringLiteral("bob@example.org")}, kMessage));
    auto quit = connection.quit();
    VERIFY_OK(quit);
    QVERIFY(first.isFinished() && second.isFinished());
    VERIFY_OK(first);
    VERIFY_OK(second);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestSmtpConnection::passwordNeverAppearsInLogs()
{
    tandem::test::LogCapture log;
    {
        // PLAIN accepted, then a message; LOGIN refused.
        ScriptedServer plain(ScriptedServer::Tls::Implicit);
        plain.send(kGreeting)
            .expect(kEhlo)
            .send(ehloReply(kCapsPlain))
            .expect(kAuthPlain)
            .send(kAuthOk)
            .expect(kMail)
            .send("250 Ok\r\n")
            .expect("RCPT TO:<bob@example.org>\r\n")
            .send("250 Ok\r\n")
            .expect("DATA\r\n")
            .send("354 go\r\n")
            .expect(kMessage + ".\r\n")
            .send("250 Ok\r\n")
            .expect("QUIT\r\n")
            .send("221 Bye\r\n");
        SmtpConnection connection(startScript(plain, Security::ImplicitTls));
        VERIFY_OK(connection.send(envelope({QStringLiteral("bob@example.org")}, kMessage)));
        VERIFY_OK(connection.quit());
        QVERIFY(plain.waitDone());

        ScriptedServer login(ScriptedServer::Tls::Implicit);
        login.send(kGreeting)
            .expect(kEhlo)
            .send(ehloReply({"AUTH LOGIN"}))
            .expect("AUTH LOGIN\r\n")
            .send("334 VXNlcm5hbWU6\r\n")
            .expect("YWxpY2U=\r\n")
            .send("334 UGFzc3dvcmQ6\r\n")
            .expect(kPassword.toBase64() + "\r\n")
            .send("535 5.7.8 no\r\n")
            .expectClosed();
        SmtpConnection refused(startScript(login, Security::ImplicitTls));
        QCOMPARE(outcome(refused.open()).code(), ErrorCode::Auth);
        QVERIFY(login.waitDone());
    }
    const QString all = log.text();
    QVERIFY2(all.contains(QLatin1String("AUTH PLAIN ***")), "the redacted command is logged at debug level");
    QVERIFY2(all.contains(QLatin1String("AUTH LOGIN")), "the LOGIN exchange is logged at debug level");
    const QString leak = log.lineContainingAny(
        {QString::fromLatin1(kPassword), QString::fromLatin1(kPassword.toBase64()),
         QString::fromLatin1(tandem::test::kSaslPlain), QStringLiteral("Hello")}); // no message body either
    QVERIFY2(leak.isEmpty(), qPrintable(leak));
}

QTEST_GUILESS_MAIN(TestSmtpConnection)
#include "tst_smtp_connection.moc"
