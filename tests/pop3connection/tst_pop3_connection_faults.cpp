// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Faults injected by the scripted fake server: every one must end in a clean
// error and a closed connection (never a crash or a hang), and every later
// command must fail at once with the same error.

#include <QBuffer>
#include <QTest>

#include "pop3connection/pop3scripts.h"
#include "support/verify.h"

using namespace mailcore;
using namespace mailcore::pop3;
using namespace pop3test;

class TestPop3ConnectionFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void droppedMidRetrFailsEveryPendingCommand();
    void droppedMidStreamedRetr();
    void stalledServerTimesOut();
    void stalledGreetingTimesOut();
    void trickleOfBytesKeepsTheCommandAlive();
    void garbageLineIsAProtocolError();
    void unsolicitedDataWhileIdleIsAProtocolError();
    void malformedStatIsAProtocolError();
    void errReplyIsRefusedAndTheConnectionGoesOn();
    void greetingErrIsRefused();
    void uidlRefusedFailsTheLogin();
    void duplicateUidsFailTheLogin();
    void neverEndingMultiLineReplyHitsTheLimit();
    void neverEndingStreamedMessageHitsTheLimit();
    void overlongListLineHitsTheLimit();
    void closedSignalCarriesTheReason();
};

namespace {

// The connection is closed for good: state, and a later command failing at
// once, marked never sent (B06: a pool may send it on another connection).
void verifyClosedWith(Pop3Connection &connection, ErrorCode code)
{
    QTRY_COMPARE(connection.state(), SessionState::Closed);
    const Error late = outcome(connection.noop(), 2000);
    QCOMPARE(late.code(), code);
    QVERIFY(late.notSent());
}

} // namespace

void TestPop3ConnectionFaults::droppedMidRetrFailsEveryPendingCommand()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server, kCapaPipelining)
        .expect("RETR 1\r\nRETR 2\r\n")
        .send("+OK 5000 octets\r\nSubject: cut short\r\n\r\nonly a par")
        .close();
    Pop3Connection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    auto first = connection.retrieve("uid-a");
    auto second = connection.retrieve("uid-b");
    QCOMPARE(outcome(first).code(), ErrorCode::Network);
    QCOMPARE(outcome(second).code(), ErrorCode::Network);
    verifyClosedWith(connection, ErrorCode::Network);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3ConnectionFaults::droppedMidStreamedRetr()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server).expect("RETR 3\r\n").send("+OK\r\nSubject: x\r\n\r\nhalf").close();
    Pop3Connection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    QBuffer device;
    device.open(QIODevice::WriteOnly);
    QCOMPARE(outcome(connection.retrieveTo("uid-c", &device)).code(), ErrorCode::Network);
    verifyClosedWith(connection, ErrorCode::Network);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3ConnectionFaults::stalledServerTimesOut()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server).expect("RETR 1\r\n").send("+OK\r\nSubject: slow\r\n").expectClosed(3000);
    SessionSettings settings = startScript(server, Security::ImplicitTls);
    settings.endpoint.timeouts.command = std::chrono::milliseconds(300);
    Pop3Connection connection(settings);
    VERIFY_OK(connection.open());
    const Error error = outcome(connection.retrieve("uid-a"));
    VERIFY_ERROR(error, ErrorCode::Timeout, "RETR 1");
    verifyClosedWith(connection, ErrorCode::Timeout);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3ConnectionFaults::stalledGreetingTimesOut()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.expectClosed(3000);
    SessionSettings settings = startScript(server, Security::ImplicitTls);
    settings.endpoint.timeouts.greeting = std::chrono::milliseconds(300);
    Pop3Connection connection(settings);
    QCOMPARE(outcome(connection.open()).code(), ErrorCode::Timeout);
    verifyClosedWith(connection, ErrorCode::Timeout);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3ConnectionFaults::trickleOfBytesKeepsTheCommandAlive()
{
    // The command timeout measures silence, not the whole reply: the reply
    // takes twice the timeout, each silence in it a third (the margins
    // leave room for a loaded machine).
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server).expect("RETR 1\r\n").send("+OK\r\n");
    for (int i = 0; i < 6; ++i)
        server.pause(400).send("line\r\n");
    server.send(".\r\n").hold();
    SessionSettings settings = startScript(server, Security::ImplicitTls);
    settings.endpoint.timeouts.command = std::chrono::milliseconds(1200);
    Pop3Connection connection(settings);
    VERIFY_OK(connection.open());
    auto message = connection.retrieve("uid-a");
    VERIFY_OK(message);
    QCOMPARE(message.result(), QByteArray("line\r\n").repeated(6));
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3ConnectionFaults::garbageLineIsAProtocolError()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server).expect("NOOP\r\n").send("\x01\x02 hello there\r\n").expectClosed();
    Pop3Connection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    QCOMPARE(outcome(connection.noop()).code(), ErrorCode::Protocol);
    verifyClosedWith(connection, ErrorCode::Protocol);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3ConnectionFaults::unsolicitedDataWhileIdleIsAProtocolError()
{
    // POP3 has no tags: a reply nobody asked for would answer the next command.
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server).send("+OK forged answer\r\n").expectClosed();
    Pop3Connection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    verifyClosedWith(connection, ErrorCode::Protocol);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3ConnectionFaults::malformedStatIsAProtocolError()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server).expect("STAT\r\n").send("+OK lots\r\n").expectClosed();
    Pop3Connection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    QCOMPARE(outcome(connection.stat()).code(), ErrorCode::Protocol);
    verifyClosedWith(connection, ErrorCode::Protocol);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3ConnectionFaults::errReplyIsRefusedAndTheConnectionGoesOn()
{
    // A well-formed -ERR is the server's answer, not a broken stream: the
    // command fails with the server's text and the session stays usable.
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server)
        .expect("RETR 2\r\n")
        .send("-ERR no such message\r\n")
        .expect("DELE 1\r\n")
        .send("-ERR [SYS/PERM] read-only maildrop\r\n")
        .expect("NOOP\r\n")
        .send("+OK\r\n")
        .hold();
    Pop3Connection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    const Error retr = outcome(connection.retrieve("uid-b"));
    VERIFY_ERROR(retr, ErrorCode::ServerRefused, "no such message");
    const Error dele = outcome(connection.dele("uid-a"));
    VERIFY_ERROR(dele, ErrorCode::ServerRefused, "[SYS/PERM]");
    VERIFY_OK(connection.noop());
    QCOMPARE(connection.state(), SessionState::Transaction);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3ConnectionFaults::greetingErrIsRefused()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send("-ERR too many connections\r\n").expectClosed();
    Pop3Connection connection(startScript(server, Security::ImplicitTls));
    const Error error = outcome(connection.open());
    VERIFY_ERROR(error, ErrorCode::ServerRefused, "too many");
    verifyClosedWith(connection, ErrorCode::ServerRefused);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3ConnectionFaults::uidlRefusedFailsTheLogin()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting)
        .expect("CAPA\r\n")
        .send(kCapa)
        .expect(kAuthLine)
        .send("+OK\r\n")
        .expect("UIDL\r\n")
        .send("-ERR not supported\r\n")
        .expectClosed();
    Pop3Connection connection(startScript(server, Security::ImplicitTls));
    QCOMPARE(outcome(connection.open()).code(), ErrorCode::ServerRefused);
    verifyClosedWith(connection, ErrorCode::ServerRefused);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3ConnectionFaults::duplicateUidsFailTheLogin()
{
    // Two messages with one id would make the sync merge them: refused.
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server, kCapa, "+OK\r\n1 same\r\n2 same\r\n.\r\n").expectClosed();
    Pop3Connection connection(startScript(server, Security::ImplicitTls));
    QCOMPARE(outcome(connection.open()).code(), ErrorCode::Protocol);
    verifyClosedWith(connection, ErrorCode::Protocol);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3ConnectionFaults::neverEndingMultiLineReplyHitsTheLimit()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server)
        .expect("RETR 1\r\n")
        .send("+OK\r\n" + QByteArray("endless line of data\r\n").repeated(1000))
        .expectClosed();
    SessionSettings settings = startScript(server, Security::ImplicitTls);
    settings.limits.maxReplySize = 8192;
    Pop3Connection connection(settings);
    VERIFY_OK(connection.open());
    QCOMPARE(outcome(connection.retrieve("uid-a")).code(), ErrorCode::Limit);
    verifyClosedWith(connection, ErrorCode::Limit);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3ConnectionFaults::neverEndingStreamedMessageHitsTheLimit()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server)
        .expect("RETR 1\r\n")
        .send("+OK\r\n" + QByteArray("endless line of data\r\n").repeated(1000))
        .expectClosed();
    SessionSettings settings = startScript(server, Security::ImplicitTls);
    settings.limits.maxStreamedSize = 8192;
    Pop3Connection connection(settings);
    VERIFY_OK(connection.open());
    qint64 received = 0;
    auto future = connection.retrieveTo("uid-a", [&received](const QByteArray &chunk) {
        received += chunk.size(); // I/O thread; read only after the future ended
        return Error();
    });
    QCOMPARE(outcome(future).code(), ErrorCode::Limit);
    QVERIFY(received <= 8192);
    verifyClosedWith(connection, ErrorCode::Limit);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3ConnectionFaults::overlongListLineHitsTheLimit()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server).expect("LIST\r\n").send("+OK\r\n1 " + QByteArray(20000, '9')).expectClosed();
    Pop3Connection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    QCOMPARE(outcome(connection.list()).code(), ErrorCode::Limit);
    verifyClosedWith(connection, ErrorCode::Limit);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3ConnectionFaults::closedSignalCarriesTheReason()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server).hold().close();
    Pop3Connection connection(startScript(server, Security::ImplicitTls));
    Error reason;
    connect(&connection, &Pop3Connection::closed, this, [&reason](const Error &error) { reason = error; });
    VERIFY_OK(connection.open());
    server.release(); // the drop, once the session is open
    QTRY_COMPARE(reason.code(), ErrorCode::Network);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

QTEST_GUILESS_MAIN(TestPop3ConnectionFaults)
#include "tst_pop3_connection_faults.moc"
