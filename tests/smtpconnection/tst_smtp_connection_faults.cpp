// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Faults against the SMTP connection, with the scripted fake server: drops
// mid-DATA, stalls past each timeout, garbage, 4xx/5xx at every step. Each must
// end in a clean error (and a closed connection where the session cannot go
// on), never a crash, a hang, or a message sent twice.

#include <QTest>

#include <functional>

#include "mailcore/base/tlsfailure.h"
#include "smtptestutil.h"
#include "support/verify.h"

using namespace mailcore;
using namespace mailcore::smtp;
using namespace tandem::test::smtp;

namespace {

const QByteArray kMessage = "Subject: hi\r\n\r\nHello\r\n";
const QByteArray kMail = "MAIL FROM:<alice@example.org> SIZE=" + QByteArray::number(kMessage.size()) + "\r\n";
const QByteArray kRcpt = "RCPT TO:<bob@example.org>\r\n";
const QList<QByteArray> kCaps = {"SIZE 1000000", "AUTH PLAIN"};

Envelope toBob() { return envelope({QStringLiteral("bob@example.org")}, kMessage); }

ScriptedServer &loggedIn(ScriptedServer &server, const QList<QByteArray> &caps = kCaps)
{
    return server.send(kGreeting).expect(kEhlo).send(ehloReply(caps)).expect(kAuthPlain).send(kAuthOk);
}

// The second message's whole transaction, answered with success.
ScriptedServer &deliversNext(ScriptedServer &server)
{
    return server.expect(kMail)
        .send("250 Ok\r\n")
        .expect(kRcpt)
        .send("250 Ok\r\n")
        .expect("DATA\r\n")
        .send("354 go\r\n")
        .expect(kMessage + ".\r\n")
        .send("250 Ok\r\n")
        .hold();
}

} // namespace

class TestSmtpConnectionFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void droppedMidDataFailsEverythingAndIsNotResent();
    void droppedBeforeTheFinalReplySaysDeliveryIsUnknown();
    void refusedFinalReplyIsNotResent();
    void greetingTimeout();
    void commandTimeout();
    void dataTimeoutIsSeparateAndLonger();
    void garbageReplyIsAProtocolError();
    void replyToNoCommandIsAProtocolError();
    void failureAtEachStep();
    void destructionCancelsPendingSends();
    void untrustedCertificateIsATlsError();
};

void TestSmtpConnectionFaults::droppedMidDataFailsEverythingAndIsNotResent()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server)
        .expect(kMail)
        .send("250 Ok\r\n")
        .expect(kRcpt)
        .send("250 Ok\r\n")
        .expect("DATA\r\n")
        .send("354 go\r\n")
        .close();
    SmtpConnection connection(startScript(server, Security::ImplicitTls));
    auto first = connection.send(toBob());
    auto second = connection.send(toBob());
    QCOMPARE(outcome(first).code(), ErrorCode::Network);
    QCOMPARE(outcome(second).code(), ErrorCode::Network);
    QTRY_COMPARE(connection.state(), SessionState::Closed);
    // Later submissions fail at once; nothing reconnects to send it again.
    // They never left, and say so: a pool may send them on another connection (B06).
    const Error late = outcome(connection.send(toBob()), 2000);
    QCOMPARE(late.code(), ErrorCode::Network);
    QVERIFY(late.notSent());
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestSmtpConnectionFaults::droppedBeforeTheFinalReplySaysDeliveryIsUnknown()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server)
        .expect(kMail)
        .send("250 Ok\r\n")
        .expect(kRcpt)
        .send("250 Ok\r\n")
        .expect("DATA\r\n")
        .send("354 go\r\n")
        .expect(kMessage + ".\r\n")
        .close();
    SmtpConnection connection(startScript(server, Security::ImplicitTls));
    const Error error = outcome(connection.send(toBob()));
    VERIFY_ERROR(error, ErrorCode::Network, "not re-sent");
    QVERIFY(error.mayHaveBeenDelivered());
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestSmtpConnectionFaults::refusedFinalReplyIsNotResent()
{
    // The reply to "." ends the transaction: no RSET, and the next MAIL FROM
    // belongs to the next message, not to a retry of this one.
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server)
        .expect(kMail)
        .send("250 Ok\r\n")
        .expect(kRcpt)
        .send("250 Ok\r\n")
        .expect("DATA\r\n")
        .send("354 go\r\n")
        .expect(kMessage + ".\r\n")
        .send("451 4.3.0 Error: queue file write error\r\n");
    deliversNext(server);
    SmtpConnection connection(startScript(server, Security::ImplicitTls));
    auto refused = connection.send(toBob());
    auto next = connection.send(envelope({QStringLiteral("bob@example.org")}, kMessage));
    const Error error = outcome(refused);
    VERIFY_ERROR(error, ErrorCode::ServerRefused, "451 4.3.0 Error: queue file write error");
    VERIFY_OK(next);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
    QCOMPARE(server.received().count(kMessage), 2); // once each, never again
}

void TestSmtpConnectionFaults::greetingTimeout()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.expectClosed(3000);
    SessionSettings settings = startScript(server, Security::ImplicitTls);
    settings.endpoint.timeouts.greeting = std::chrono::milliseconds(300);
    SmtpConnection connection(settings);
    const Error error = outcome(connection.open());
    VERIFY_ERROR(error, ErrorCode::Timeout, "greeting");
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestSmtpConnectionFaults::commandTimeout()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server).expect(kMail).expectClosed(3000);
    SessionSettings settings = startScript(server, Security::ImplicitTls);
    settings.endpoint.timeouts.command = std::chrono::milliseconds(300);
    SmtpConnection connection(settings);
    VERIFY_OK(connection.open());
    const Error error = outcome(connection.send(toBob()));
    VERIFY_ERROR(error, ErrorCode::Timeout, "MAIL FROM");
    QCOMPARE(outcome(connection.send(toBob()), 2000).code(), ErrorCode::Timeout);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestSmtpConnectionFaults::dataTimeoutIsSeparateAndLonger()
{
    // The server thinks for 600 ms after "." – longer than a command may take
    // (300 ms), well within the end-of-data limit (3 s, room for a loaded
    // machine). Then it stalls for good.
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server)
        .expect(kMail)
        .send("250 Ok\r\n")
        .expect(kRcpt)
        .send("250 Ok\r\n")
        .expect("DATA\r\n")
        .send("354 go\r\n")
        .expect(kMessage + ".\r\n")
        .pause(600)
        .send("250 Ok\r\n")
        .expect(kMail)
        .send("250 Ok\r\n")
        .expect(kRcpt)
        .send("250 Ok\r\n")
        .expect("DATA\r\n")
        .send("354 go\r\n")
        .expect(kMessage + ".\r\n")
        .expectClosed(6000);
    SessionSettings settings = startScript(server, Security::ImplicitTls);
    settings.endpoint.timeouts.command = std::chrono::milliseconds(300);
    settings.dataTimeout = std::chrono::milliseconds(3000);
    SmtpConnection connection(settings);
    VERIFY_OK(connection.send(toBob()));
    const Error error = outcome(connection.send(toBob()));
    VERIFY_ERROR(error, ErrorCode::Timeout, "end of data");
    QVERIFY2(error.message().contains(QLatin1String("not re-sent")), qPrintable(error.message()));
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestSmtpConnectionFaults::garbageReplyIsAProtocolError()
{
    const QList<QByteArray> garbage = {"hello there\r\n", "2500 Ok\r\n", "250-more\r\n251 different code\r\n",
                                       QByteArray(5000, 'x') + "\r\n", "\x01\x02\x03\r\n"};
    for (const QByteArray &reply : garbage) {
        ScriptedServer server(ScriptedServer::Tls::Implicit);
        loggedIn(server).expect(kMail).send(reply).expectClosed();
        SmtpConnection connection(startScript(server, Security::ImplicitTls));
        const Error error = outcome(connection.send(toBob()));
        QVERIFY2(error.code() == ErrorCode::Protocol || error.code() == ErrorCode::Limit, qPrintable(error.toString()));
        QTRY_COMPARE(connection.state(), SessionState::Closed);
        QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
    }
}

void TestSmtpConnectionFaults::replyToNoCommandIsAProtocolError()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server).send("250 surprise\r\n").expectClosed();
    SmtpConnection connection(startScript(server, Security::ImplicitTls));
    // Listening before open(): the stray reply may end the session as soon as
    // it is open, before a later connect() would hear it (seen on a loaded machine).
    Error reason;
    connect(&connection, &SmtpConnection::closed, this, [&reason](const Error &error) { reason = error; });
    VERIFY_OK(connection.open());
    QTRY_COMPARE(connection.state(), SessionState::Closed);
    QTRY_COMPARE(reason.code(), ErrorCode::Protocol);
    QCOMPARE(outcome(connection.send(toBob()), 2000).code(), ErrorCode::Protocol);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestSmtpConnectionFaults::failureAtEachStep()
{
    struct Row {
        const char *name;
        std::function<void(ScriptedServer &)> script;
        ErrorCode code;
        bool closes; // else the connection goes on and delivers the next message
    };
    const QList<Row> rows = {
        {"greeting 554", [](ScriptedServer &s) { s.send("554 5.3.2 no service\r\n").expectClosed(); },
         ErrorCode::ServerRefused, true},
        {"greeting 421", [](ScriptedServer &s) { s.send("421 4.3.2 busy\r\n").expectClosed(); },
         ErrorCode::ServerRefused, true},
        {"greeting 354", [](ScriptedServer &s) { s.send("354 what\r\n").expectClosed(); }, ErrorCode::Protocol, true},
        {"EHLO 550",
         [](ScriptedServer &s) { s.send(kGreeting).expect(kEhlo).send("550 5.7.1 go away\r\n").expectClosed(); },
         ErrorCode::ServerRefused, true},
        {"HELO 501",
         [](ScriptedServer &s) {
             s.send(kGreeting)
                 .expect(kEhlo)
                 .send("500 unknown\r\n")
                 .expect("HELO [127.0.0.1]\r\n")
                 .send("501 bad\r\n")
                 .expectClosed();
         },
         ErrorCode::ServerRefused, true},
        {"AUTH 454",
         [](ScriptedServer &s) {
             s.send(kGreeting)
                 .expect(kEhlo)
                 .send(ehloReply(kCaps))
                 .expect(kAuthPlain)
                 .send("454 4.7.0 Temporary authentication failure\r\n")
                 .expectClosed();
         },
         ErrorCode::ServerRefused, true},
        {"AUTH none offered",
         [](ScriptedServer &s) { s.send(kGreeting).expect(kEhlo).send(ehloReply({"AUTH CRAM-MD5"})).expectClosed(); },
         ErrorCode::Auth, true},
        {"AUTH 334 after the password",
         [](ScriptedServer &s) {
             s.send(kGreeting).expect(kEhlo).send(ehloReply(kCaps)).expect(kAuthPlain).send("334 \r\n").expectClosed();
         },
         ErrorCode::Protocol, true},
        {"MAIL 553",
         [](ScriptedServer &s) {
             loggedIn(s).expect(kMail).send("553 5.7.1 sender not owned by user\r\n");
             deliversNext(s);
         },
         ErrorCode::ServerRefused, false},
        {"MAIL 421", [](ScriptedServer &s) { loggedIn(s).expect(kMail).send("421 4.4.2 timeout\r\n").expectClosed(); },
         ErrorCode::ServerRefused, true},
        {"MAIL 354", [](ScriptedServer &s) { loggedIn(s).expect(kMail).send("354 eh\r\n").expectClosed(); },
         ErrorCode::Protocol, true},
        {"RCPT 452",
         [](ScriptedServer &s) {
             loggedIn(s)
                 .expect(kMail)
                 .send("250 Ok\r\n")
                 .expect(kRcpt)
                 .send("452 4.5.3 too many\r\n")
                 .expect("RSET\r\n")
                 .send("250 Ok\r\n");
             deliversNext(s);
         },
         ErrorCode::ServerRefused, false},
        {"DATA 554",
         [](ScriptedServer &s) {
             loggedIn(s)
                 .expect(kMail)
                 .send("250 Ok\r\n")
                 .expect(kRcpt)
                 .send("250 Ok\r\n")
                 .expect("DATA\r\n")
                 .send("554 5.5.1 no\r\n")
                 .expect("RSET\r\n")
                 .send("250 Ok\r\n");
             deliversNext(s);
         },
         ErrorCode::ServerRefused, false},
        {"DATA 250",
         [](ScriptedServer &s) {
             loggedIn(s)
                 .expect(kMail)
                 .send("250 Ok\r\n")
                 .expect(kRcpt)
                 .send("250 Ok\r\n")
                 .expect("DATA\r\n")
                 .send("250 what\r\n")
                 .expectClosed();
         },
         ErrorCode::Protocol, true},
        {"end of data 552",
         [](ScriptedServer &s) {
             loggedIn(s)
                 .expect(kMail)
                 .send("250 Ok\r\n")
                 .expect(kRcpt)
                 .send("250 Ok\r\n")
                 .expect("DATA\r\n")
                 .send("354 go\r\n")
                 .expect(kMessage + ".\r\n")
                 .send("552 5.3.4 Message size exceeds fixed limit\r\n");
             deliversNext(s);
         },
         ErrorCode::Limit, false},
        {"RSET refused",
         [](ScriptedServer &s) {
             loggedIn(s)
                 .expect(kMail)
                 .send("250 Ok\r\n")
                 .expect(kRcpt)
                 .send("550 no\r\n")
                 .expect("RSET\r\n")
                 .send("500 what\r\n")
                 .expectClosed();
         },
         ErrorCode::ServerRefused, true},
    };
    for (const Row &row : rows) {
        ScriptedServer server(ScriptedServer::Tls::Implicit);
        row.script(server);
        SmtpConnection connection(startScript(server, Security::ImplicitTls));
        auto first = connection.send(toBob());
        auto second = connection.send(toBob());
        const Error error = outcome(first);
        QVERIFY2(error.code() == row.code,
                 qPrintable(QLatin1String(row.name) + QLatin1String(": ") + error.toString()));
        if (row.closes) {
            QVERIFY2(outcome(second).isError(), row.name);
            QTRY_COMPARE(connection.state(), SessionState::Closed);
        } else {
            const Error next = outcome(second);
            QVERIFY2(!next.isError(), qPrintable(QLatin1String(row.name) + QLatin1String(": ") + next.toString()));
        }
        QVERIFY2(server.waitDone(), qPrintable(QLatin1String(row.name) + QLatin1String(": ") + server.failureText()));
        QVERIFY2(!server.received().contains(kPassword), row.name);
    }
}

void TestSmtpConnectionFaults::destructionCancelsPendingSends()
{
    // The first line of a greeting that never ends: the client waits for the
    // rest. That line arriving also shows the server's side of the TLS
    // handshake is done; a client that closed before it would fail the
    // script's handshake instead (seen on a loaded machine).
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send("220-localhost is slow today\r\n").expectClosed(3000);
    server.start();
    QFuture<SendResult> pending;
    {
        SmtpConnection connection(settingsFor(server, Security::ImplicitTls));
        pending = connection.send(toBob());
        QTRY_VERIFY(connection.activity().bytesIn > 0);
        QCOMPARE(connection.state(), SessionState::AwaitingGreeting); // in flight
    }
    QVERIFY(pending.isFinished());
    QCOMPARE(outcome(pending).code(), ErrorCode::Cancelled);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestSmtpConnectionFaults::untrustedCertificateIsATlsError()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.expectClosed();
    SessionSettings settings = startScript(server, Security::ImplicitTls);
    settings.endpoint.tls.extraCaCertificatesPem.clear();
    SmtpConnection connection(settings);
    const Error error = outcome(connection.open());
    QCOMPARE(error.code(), ErrorCode::Tls);
    QVERIFY(error.tlsFailure());
    server.waitDone();
    QVERIFY(!server.received().contains(kPassword));
}

QTEST_GUILESS_MAIN(TestSmtpConnectionFaults)
#include "tst_smtp_connection_faults.moc"
