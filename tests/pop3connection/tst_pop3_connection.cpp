// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Byte-exact tests of the POP3 connection against the scripted fake server:
// login paths, every STLS rule, every command, UIDL addressing, pipelining.
// Faults (drops, stalls, garbage, limits) are in tst_pop3_connection_faults.cpp.

#include <QBuffer>
#include <QTest>

#include "pop3connection/pop3scripts.h"
#include "support/datatable.h"
#include "support/logcapture.h"
#include "support/verify.h"

using namespace mailcore;
using namespace mailcore::pop3;
using namespace pop3test;

class TestPop3Connection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void logsInOverPop3sWithAuthPlain();
    void fallsBackToUserPass();
    void serverWithoutCapaGetsUserPass();
    void longCredentialsGoAfterTheSaslContinuation();
    void stlsUpgradesAndRereadsCapa();
    void stlsMissingNeverSendsCredentials();
    void stlsRefusedNeverSendsCredentials();
    void capaRefusedWithStlsRequiredIsATlsError();
    void bytesInjectedAfterStlsOkAreDiscarded();
    void plainOnlyWhenChosen();
    void refusedLogins_data();
    void refusedLogins();
    void everyCommandByteExact();
    void uidsAreTranslatedToSessionNumbers();
    void unknownUidIsNotFoundAndNothingIsSent();
    void retrieveToStreamsIntoADevice();
    void failedDeviceWriteIsAnIoErrorAndTheConnectionGoesOn();
    void pipelinesWhenOffered();
    void pipelineWindowIsBounded();
    void oneAtATimeWithoutPipelining();
    void quitIsABarrier();
    void passwordNeverAppearsInLogs_data();
    void passwordNeverAppearsInLogs();
};

void TestPop3Connection::logsInOverPop3sWithAuthPlain()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server).expect("NOOP\r\n").send("+OK\r\n").hold();
    Pop3Connection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    QCOMPARE(connection.state(), SessionState::Transaction);
    QVERIFY(connection.capabilities().top);
    QVERIFY(!connection.capabilities().pipelining);
    VERIFY_OK(connection.noop());
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3Connection::fallsBackToUserPass()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting)
        .expect("CAPA\r\n")
        .send("+OK\r\nUIDL\r\nUSER\r\nSASL LOGIN\r\n.\r\n")
        .expect("USER alice\r\n")
        .send("+OK\r\n")
        .expect("PASS " + kPassword + "\r\n")
        .send("+OK maildrop locked and ready\r\n")
        .expect("UIDL\r\n")
        .send(kUidl)
        .hold();
    Pop3Connection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3Connection::serverWithoutCapaGetsUserPass()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting)
        .expect("CAPA\r\n")
        .send("-ERR unknown command\r\n")
        .expect("USER alice\r\n")
        .send("+OK\r\n")
        .expect("PASS " + kPassword + "\r\n")
        .send("+OK\r\n")
        .expect("UIDL\r\n")
        .send(kUidl)
        .hold();
    Pop3Connection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3Connection::longCredentialsGoAfterTheSaslContinuation()
{
    // RFC 5034: a response that would make the line longer than 255 octets is
    // sent after the server's "+".
    const QString longPassword(240, QLatin1Char('p'));
    const QByteArray response = QByteArray("\0alice\0", 7) + longPassword.toLatin1();
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting)
        .expect("CAPA\r\n")
        .send(kCapa)
        .expect("AUTH PLAIN\r\n")
        .send("+ \r\n")
        .expect(response.toBase64() + "\r\n")
        .send("+OK\r\n")
        .expect("UIDL\r\n")
        .send(kUidl)
        .hold();
    SessionSettings settings = startScript(server, Security::ImplicitTls);
    settings.password = longPassword;
    Pop3Connection connection(settings);
    VERIFY_OK(connection.open());
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3Connection::stlsUpgradesAndRereadsCapa()
{
    // Before TLS the server hides SASL; only the CAPA read over TLS offers it,
    // so AUTH PLAIN proves that CAPA was read again.
    ScriptedServer server;
    server.send(kGreeting)
        .expect("CAPA\r\n")
        .send("+OK\r\nSTLS\r\nUSER\r\nUIDL\r\n.\r\n")
        .expect("STLS\r\n")
        .send("+OK Begin TLS negotiation\r\n")
        .startTls()
        .expect("CAPA\r\n")
        .send(kCapa)
        .expect(kAuthLine)
        .send("+OK\r\n")
        .expect("UIDL\r\n")
        .send(kUidl)
        .hold();
    Pop3Connection connection(startScript(server, Security::StartTls));
    VERIFY_OK(connection.open());
    QVERIFY(!connection.capabilities().stls);
    QVERIFY(connection.capabilities().hasSasl("PLAIN"));
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3Connection::stlsMissingNeverSendsCredentials()
{
    ScriptedServer server;
    server.send(kGreeting).expect("CAPA\r\n").send(kCapa).expectClosed();
    Pop3Connection connection(startScript(server, Security::StartTls));
    const Error error = outcome(connection.open());
    VERIFY_ERROR(error, ErrorCode::Tls, "STLS");
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
    QCOMPARE(server.received(), QByteArray("CAPA\r\n"));
    QTRY_COMPARE(connection.state(), SessionState::Closed);
}

void TestPop3Connection::stlsRefusedNeverSendsCredentials()
{
    ScriptedServer server;
    server.send(kGreeting)
        .expect("CAPA\r\n")
        .send("+OK\r\nSTLS\r\nSASL PLAIN\r\n.\r\n")
        .expect("STLS\r\n")
        .send("-ERR [SYS/TEMP] TLS is not available now\r\n")
        .expectClosed();
    Pop3Connection connection(startScript(server, Security::StartTls));
    QCOMPARE(outcome(connection.open()).code(), ErrorCode::Tls);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
    QCOMPARE(server.received(), QByteArray("CAPA\r\nSTLS\r\n"));
}

void TestPop3Connection::capaRefusedWithStlsRequiredIsATlsError()
{
    ScriptedServer server;
    server.send(kGreeting).expect("CAPA\r\n").send("-ERR what?\r\n").expectClosed();
    Pop3Connection connection(startScript(server, Security::StartTls));
    QCOMPARE(outcome(connection.open()).code(), ErrorCode::Tls);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
    QCOMPARE(server.received(), QByteArray("CAPA\r\n"));
}

void TestPop3Connection::bytesInjectedAfterStlsOkAreDiscarded()
{
    // A man in the middle appends a forged CAPA reply offering SASL PLAIN, in
    // the same segment as the +OK. Had it been parsed after the handshake, it
    // would answer the second CAPA and the client would send AUTH PLAIN.
    ScriptedServer server;
    server.send(kGreeting)
        .expect("CAPA\r\n")
        .send("+OK\r\nSTLS\r\nUSER\r\n.\r\n")
        .expect("STLS\r\n")
        .send("+OK go ahead\r\n+OK\r\nSASL PLAIN\r\n.\r\n+OK forged login\r\n")
        .startTls()
        .expect("CAPA\r\n")
        .send("+OK\r\nUSER\r\nUIDL\r\n.\r\n")
        .expect("USER alice\r\n")
        .send("+OK\r\n")
        .expect("PASS " + kPassword + "\r\n")
        .send("-ERR [AUTH] Authentication failed.\r\n")
        .expectClosed();
    Pop3Connection connection(startScript(server, Security::StartTls));
    QCOMPARE(outcome(connection.open()).code(), ErrorCode::Auth);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3Connection::plainOnlyWhenChosen()
{
    // Security::Plain: STLS offered but not used, because the user chose so.
    ScriptedServer server;
    server.send(kGreeting)
        .expect("CAPA\r\n")
        .send("+OK\r\nSTLS\r\nUSER\r\nUIDL\r\n.\r\n")
        .expect("USER alice\r\n")
        .send("+OK\r\n")
        .expect("PASS " + kPassword + "\r\n")
        .send("+OK\r\n")
        .expect("UIDL\r\n")
        .send(kUidl)
        .hold();
    Pop3Connection connection(startScript(server, Security::Plain));
    VERIFY_OK(connection.open());
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3Connection::refusedLogins_data()
{
    QTest::addColumn<QByteArray>("reply");
    QTest::addColumn<ErrorCode>("code");
    QTest::newRow("auth") << QByteArray("-ERR [AUTH] Authentication failed.") << ErrorCode::Auth;
    QTest::newRow("no code") << QByteArray("-ERR invalid password") << ErrorCode::Auth;
    QTest::newRow("in-use") << QByteArray("-ERR [IN-USE] Mailbox is locked by another session") << ErrorCode::Limit;
    QTest::newRow("login-delay") << QByteArray("-ERR [LOGIN-DELAY] Wait 300 s") << ErrorCode::Limit;
    QTest::newRow("sys/temp") << QByteArray("-ERR [SYS/TEMP] Try again later") << ErrorCode::ServerRefused;
}

void TestPop3Connection::refusedLogins()
{
    QFETCH(QByteArray, reply);
    QFETCH(ErrorCode, code);
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting).expect("CAPA\r\n").send(kCapa).expect(kAuthLine).send(reply + "\r\n").expectClosed();
    Pop3Connection connection(startScript(server, Security::ImplicitTls));
    const Error error = outcome(connection.open());
    QCOMPARE(error.code(), code);
    // The server's text, with its code, so a pool can tell IN-USE from LOGIN-DELAY.
    QVERIFY2(error.message().contains(QString::fromLatin1(reply.mid(5))), qPrintable(error.message()));
    QVERIFY(!error.message().contains(QString::fromLatin1(kPassword)));
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
    QTRY_COMPARE(connection.state(), SessionState::Closed);
    QCOMPARE(outcome(connection.noop()).code(), code); // later commands fail at once, alike
}

void TestPop3Connection::everyCommandByteExact()
{
    // No PIPELINING: each command waits for the previous reply.
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server)
        .expect("STAT\r\n")
        .send("+OK 3 600\r\n")
        .expect("LIST\r\n")
        .send("+OK 3 messages\r\n1 100\r\n2 200\r\n3 300\r\n.\r\n")
        .expect("TOP 2 0\r\n")
        .send("+OK\r\nSubject: b\r\n\r\n.\r\n")
        .expect("RETR 3\r\n")
        .send("+OK 300 octets\r\nSubject: c\r\n\r\n..dot-stuffed\r\nend\r\n.\r\n")
        .expect("DELE 1\r\n")
        .send("+OK message 1 deleted\r\n")
        .expect("UIDL\r\n")
        .send("+OK\r\n2 uid-b\r\n3 uid-c\r\n.\r\n")
        .expect("RSET\r\n")
        .send("+OK\r\n")
        .expect("LIST\r\n")
        .send("+OK\r\n1 100\r\n2 200\r\n3 300\r\n.\r\n")
        .expect("NOOP\r\n")
        .send("+OK\r\n")
        .expect("QUIT\r\n")
        .send("+OK bye\r\n")
        .expectClosed();
    Pop3Connection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    // All submitted at once, from the test thread; they run in this order.
    auto stat = connection.stat();
    auto list = connection.list();
    auto top = connection.top("uid-b", 0);
    auto message = connection.retrieve("uid-c");
    auto dele = connection.dele("uid-a");
    auto uidl = connection.uidl();
    auto rset = connection.rset();
    auto listAgain = connection.list();
    auto noop = connection.noop();
    auto quit = connection.quit();
    VERIFY_OK(quit);
    QCOMPARE(stat.result().count, 3);
    QCOMPARE(stat.result().size, 600);
    const QList<MessageInfo> expected{{"uid-a", 100}, {"uid-b", 200}, {"uid-c", 300}};
    QCOMPARE(list.result(), expected);
    QCOMPARE(top.result(), QByteArray("Subject: b\r\n\r\n"));
    QCOMPARE(message.result(), QByteArray("Subject: c\r\n\r\n.dot-stuffed\r\nend\r\n"));
    VERIFY_OK(dele);
    QCOMPARE(uidl.result(), (QList<QByteArray>{"uid-b", "uid-c"}));
    VERIFY_OK(rset);
    // The refreshed map still knows uid-a: UIDL omits deleted messages, RSET brings them back.
    QCOMPARE(listAgain.result(), expected);
    VERIFY_OK(noop);
    QTRY_COMPARE(connection.state(), SessionState::Closed);
    QCOMPARE(outcome(connection.noop()).code(), ErrorCode::Cancelled);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3Connection::uidsAreTranslatedToSessionNumbers()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server, kCapa, "+OK\r\n1 zz-first\r\n2 aa-second\r\n7 mm-seventh\r\n.\r\n")
        .expect("RETR 7\r\n")
        .send("+OK\r\nseven\r\n.\r\n")
        .expect("DELE 2\r\n")
        .send("+OK\r\n")
        .expect("TOP 1 5\r\n")
        .send("+OK\r\none\r\n.\r\n")
        .hold();
    Pop3Connection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    auto seventh = connection.retrieve("mm-seventh");
    auto dele = connection.dele("aa-second");
    auto top = connection.top("zz-first", 5);
    VERIFY_OK(top);
    QCOMPARE(seventh.result(), QByteArray("seven\r\n"));
    VERIFY_OK(dele);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3Connection::unknownUidIsNotFoundAndNothingIsSent()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server).expect("NOOP\r\n").send("+OK\r\n").hold();
    Pop3Connection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    QCOMPARE(outcome(connection.retrieve("no-such-uid")).code(), ErrorCode::NotFound);
    QCOMPARE(outcome(connection.dele("no-such-uid")).code(), ErrorCode::NotFound);
    QBuffer sink;
    sink.open(QIODevice::WriteOnly);
    QCOMPARE(outcome(connection.retrieveTo("no-such-uid", &sink)).code(), ErrorCode::NotFound);
    QCOMPARE(outcome(connection.top("uid-a", -1)).code(), ErrorCode::BadArgument);
    // The connection goes on: only NOOP reaches the server.
    VERIFY_OK(connection.noop());
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
    QVERIFY(!server.received().contains("RETR"));
}

void TestPop3Connection::retrieveToStreamsIntoADevice()
{
    // A message in several segments, with a line that needs unstuffing across
    // a segment border; it is written to the device as it arrives.
    QByteArray body;
    for (int i = 0; i < 2000; ++i)
        body += "line " + QByteArray::number(i) + " of a long message\r\n";
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server)
        .expect("RETR 2\r\n")
        .send("+OK\r\n" + body.left(20000))
        .pause(100)
        .send(body.mid(20000) + "\r")
        .pause(100)
        .send("\n..x\r\n.\r\n")
        .expect("NOOP\r\n")
        .send("+OK\r\n")
        .hold();
    Pop3Connection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    QBuffer device;
    device.open(QIODevice::WriteOnly);
    auto written = connection.retrieveTo("uid-b", &device);
    VERIFY_OK(written);
    const QByteArray expected = body + "\r\n.x\r\n";
    QCOMPARE(written.result(), qint64(expected.size()));
    QCOMPARE(device.data(), expected);
    VERIFY_OK(connection.noop());
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3Connection::failedDeviceWriteIsAnIoErrorAndTheConnectionGoesOn()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server)
        .expect("RETR 1\r\n")
        .send("+OK\r\nSubject: a\r\n\r\nbody\r\n.\r\n")
        .expect("NOOP\r\n")
        .send("+OK\r\n")
        .hold();
    Pop3Connection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    QBuffer readOnly;
    readOnly.open(QIODevice::ReadOnly);
    QCOMPARE(outcome(connection.retrieveTo("uid-a", &readOnly)).code(), ErrorCode::Io);
    VERIFY_OK(connection.noop());
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3Connection::pipelinesWhenOffered()
{
    // All four commands are on the wire before the server answers any.
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server, kCapaPipelining)
        .expect("RETR 1\r\nRETR 2\r\nRETR 3\r\nSTAT\r\n")
        .send("+OK\r\none\r\n.\r\n+OK\r\ntwo\r\n.\r\n-ERR [SYS/PERM] gone\r\n+OK 3 30\r\n")
        .hold();
    Pop3Connection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    auto one = connection.retrieve("uid-a");
    QBuffer device;
    device.open(QIODevice::WriteOnly);
    auto two = connection.retrieveTo("uid-b", &device);
    auto three = connection.retrieve("uid-c");
    auto stat = connection.stat();
    VERIFY_OK(stat);
    QCOMPARE(one.result(), QByteArray("one\r\n"));
    VERIFY_OK(two);
    QCOMPARE(device.data(), QByteArray("two\r\n"));
    const Error gone = outcome(three);
    VERIFY_ERROR(gone, ErrorCode::ServerRefused, "gone");
    QCOMPARE(stat.result().count, 3);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3Connection::pipelineWindowIsBounded()
{
    // Window 2: the third NOOP must not be sent while two are unanswered. The
    // server never answers; had the client sent it, expectClosed would see it.
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server, kCapaPipelining).expect("NOOP\r\nNOOP\r\n").expectClosed(3000);
    SessionSettings settings = startScript(server, Security::ImplicitTls);
    settings.pipelineWindow = 2;
    settings.endpoint.timeouts.command = std::chrono::milliseconds(800);
    Pop3Connection connection(settings);
    VERIFY_OK(connection.open());
    auto first = connection.noop();
    auto second = connection.noop();
    auto third = connection.noop();
    QCOMPARE(outcome(first).code(), ErrorCode::Timeout);
    QCOMPARE(outcome(second).code(), ErrorCode::Timeout);
    QCOMPARE(outcome(third).code(), ErrorCode::Timeout);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3Connection::oneAtATimeWithoutPipelining()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server).expect("RETR 1\r\n").expectClosed(3000);
    SessionSettings settings = startScript(server, Security::ImplicitTls);
    settings.endpoint.timeouts.command = std::chrono::milliseconds(800);
    Pop3Connection connection(settings);
    VERIFY_OK(connection.open());
    auto first = connection.retrieve("uid-a");
    auto second = connection.retrieve("uid-b");
    QCOMPARE(outcome(first).code(), ErrorCode::Timeout);
    QCOMPARE(outcome(second).code(), ErrorCode::Timeout);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3Connection::quitIsABarrier()
{
    // With PIPELINING, QUIT still waits for the NOOP before it. The server never
    // answers; had the client sent QUIT anyway, expectClosed would see it.
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loggedIn(server, kCapaPipelining).expect("NOOP\r\n").expectClosed(3000);
    SessionSettings settings = startScript(server, Security::ImplicitTls);
    settings.endpoint.timeouts.command = std::chrono::milliseconds(800);
    Pop3Connection connection(settings);
    VERIFY_OK(connection.open());
    auto noop = connection.noop();
    auto quit = connection.quit();
    QCOMPARE(outcome(noop).code(), ErrorCode::Timeout);
    QCOMPARE(outcome(quit).code(), ErrorCode::Timeout);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestPop3Connection::passwordNeverAppearsInLogs_data()
{
    tandem::test::column<bool>("sasl", {{"AUTH PLAIN", true}, {"USER/PASS", false}});
}

void TestPop3Connection::passwordNeverAppearsInLogs()
{
    QFETCH(bool, sasl);
    tandem::test::LogCapture log;
    Error error;
    {
        // A stall after the password too: the timeout's message names the command.
        ScriptedServer server(ScriptedServer::Tls::Implicit);
        server.send(kGreeting).expect("CAPA\r\n").send(sasl ? kCapa : QByteArray("+OK\r\nUSER\r\n.\r\n"));
        if (sasl)
            server.expect(kAuthLine).expectClosed(3000);
        else
            server.expect("USER alice\r\n").send("+OK\r\n").expect("PASS " + kPassword + "\r\n").expectClosed(3000);
        SessionSettings settings = startScript(server, Security::ImplicitTls);
        settings.endpoint.timeouts.command = std::chrono::milliseconds(500);
        Pop3Connection connection(settings);
        error = outcome(connection.open());
        QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
    }
    QCOMPARE(error.code(), ErrorCode::Timeout);
    QVERIFY2(!error.message().contains(QString::fromLatin1(kPassword)), qPrintable(error.message()));
    QVERIFY2(log.text().contains(sasl ? QLatin1String("AUTH PLAIN ***") : QLatin1String("PASS ***")),
             "the redacted command is logged at debug level");
    const QString leak = log.lineContainingAny(
        {QString::fromLatin1(kPassword), QString::fromLatin1(kPassword.toBase64()), QString::fromLatin1(kSaslPlain)});
    QVERIFY2(leak.isEmpty(), qPrintable(leak));
}

QTEST_GUILESS_MAIN(TestPop3Connection)
#include "tst_pop3_connection.moc"
