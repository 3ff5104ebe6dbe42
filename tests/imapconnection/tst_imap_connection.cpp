// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Byte-exact tests of the IMAP connection against the scripted fake server:
// the handshake, every STARTTLS rule, pipelining, routing by tag, faults.

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <atomic>

#include "mailcore/base/tlsfailure.h"
#include "mailcore/imap/connection.h"
#include "mailcore/imap/requests.h"
#include "mailcore/imap/serializer.h"
#include "mailcore/net/sessionhost.h"
#include "support/logcapture.h"
#include "support/outcome.h"
#include "support/queuedcallcounter.h"
#include "support/scriptedsession.h"
#include "support/verify.h"

using namespace mailcore;
using namespace mailcore::imap;
using tandem::test::kPassword;
using tandem::test::ScriptedServer;

namespace {

SessionSettings settingsFor(const ScriptedServer &server, Security security)
{
    return tandem::test::scriptedSettings<SessionSettings>(server, security);
}

/// Starts the server's script; the settings of a connection to it.
SessionSettings startScript(ScriptedServer &server, Security security)
{
    server.start();
    return settingsFor(server, security);
}

using tandem::test::outcome;
using tandem::test::QueuedCallCounter;

Request fetchFlags(quint32 uid)
{
    Request request;
    request.uids = SequenceSet::fromRange(uid, uid);
    request.build = [uid](const CommandBuilder &b, const QByteArray &tag) {
        FetchItems items;
        items.flags = true;
        return b.uidFetch(tag, SequenceSet::fromRange(uid, uid), items);
    };
    return request;
}

const QByteArray kGreetingWithCaps = "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready\r\n";
const QByteArray kLoginLine = "t1 AUTHENTICATE PLAIN " + tandem::test::kSaslPlain + "\r\n";
const QByteArray kLoginOk = "t1 OK [CAPABILITY IMAP4rev1 LITERAL+ IDLE UIDPLUS] done\r\n";

} // namespace

class TestImapConnection : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void logsInOverImplicitTls();
    void asksForCapabilitiesWhenTheGreetingHasNone();
    void starttlsUpgradesAndRereadsCapabilities();
    void starttlsMissingNeverSendsCredentials();
    void starttlsRefusedNeverSendsCredentials();
    void bytesInjectedAfterStarttlsGoAheadAreDiscarded();
    void preauthWithStarttlsRequiredIsRefused();
    void refusedLoginIsAnAuthError();
    void b02_pipelinesIndependentCommands();
    void barrierWaitsForCommandsInFlight();
    void heldReadsLeaveTheReplyUnreadUntilTheHoldEnds();
    void taggedReplyForUnknownTagClosesTheConnection();
    void droppedMidLiteralFailsEveryPendingCommand();
    void stalledServerTimesOut();
    void garbageLineIsAProtocolError();
    void hugeLiteralIsRefusedWithoutAllocating();
    void byeFailsPendingCommands();
    void passwordNeverAppearsInLogs();
    void untrustedCertificateIsATlsErrorWithDetails();
    void appendWaitsForTheContinuationWithoutLiteralPlus();
    void appendUsesLiteralPlusWhenOffered();
    void idleReportsChangesUntilDone();
    void serverEventsAreQueuedOnlyWhileSomeoneListens();
    void aQueuedCommandEndsIdle();
    void enablesQResyncAtLoginAndReportsVanishedAsAMailboxEvent();
    void enablesOnlyWhatTheServerOffersAndRemembersOnlyWhatItEnabled();
    void moveFallsBackToCopyStoreExpunge();
    void moveFallbackNeverDeletesAfterAFailedCopy();
    void closeLeavesNoMailboxSelected();
    void connectTimeoutCoversTheTlsHandshake();
    void greetingTimeout();
    void idleConnectionIsClosedAfterTheIdleTimeout();
    void idleTimeoutRenewsIdleWithDone();
    void s16_commandsNamingAMailboxSelectItFirstAtomically();
    void s16_failedImplicitSelectFailsOnlyThatCommand();
    void aCommandForAnotherUidValiditySelectsAfreshAndFailsIfTheMailboxWasMadeAnew();
    void pipelinedFetchesOfTheSameUidEachGetTheirReply();
    void untaggedRepliesGoToTheCommandThatAskedWhileOthersAreInFlight();
    void twoSearchesAreNeverInFlightTogether();
    void sortRepliesGoToTheirSortAndTwoSortsNeverOverlap();
    void listReturningStatusKeepsItsStatusReplies();
    void fetchRepliesGoToTheCommandThatAskedForWhatTheyCarry();
    void fetchRepliesGoByTheSectionTheyCarry();
    void everyOtherCommandByteForByte();
    void badReplyFailsOnlyThatCommand();
};

void TestImapConnection::logsInOverImplicitTls()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 NOOP\r\n")
        .send("t2 OK nothing\r\n")
        .hold();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    const Request noop = requests::noop();
    VERIFY_OK(connection.execute(noop));
    QCOMPARE(connection.state(), SessionState::Authenticated);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::asksForCapabilitiesWhenTheGreetingHasNone()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send("* OK hi\r\n")
        .expect("t1 CAPABILITY\r\n")
        .send("* CAPABILITY IMAP4rev1\r\nt1 OK\r\n")
        .expect("t2 LOGIN alice \"" + kPassword + "\"\r\n")
        .send("t2 OK\r\n")
        .expect("t3 CAPABILITY\r\n")
        .send("* CAPABILITY IMAP4rev1 IDLE\r\nt3 OK\r\n");
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::starttlsUpgradesAndRereadsCapabilities()
{
    ScriptedServer server;
    server.send("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] hi\r\n")
        .expect("t1 STARTTLS\r\n")
        .send("t1 OK begin\r\n")
        .startTls()
        .expect("t2 CAPABILITY\r\n")
        .send("* CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR\r\nt2 OK\r\n")
        .expect(QByteArray(kLoginLine).replace("t1 ", "t3 "))
        .send("t3 OK\r\n")
        .expect("t4 CAPABILITY\r\n")
        .send("* CAPABILITY IMAP4rev1\r\nt4 OK\r\n");
    ImapConnection connection(startScript(server, Security::StartTls));
    VERIFY_OK(connection.open());
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::starttlsMissingNeverSendsCredentials()
{
    ScriptedServer server;
    server.send(kGreetingWithCaps).expectClosed();
    ImapConnection connection(startScript(server, Security::StartTls));
    const Error error = outcome(connection.open());
    VERIFY_ERROR(error, ErrorCode::Tls, "STARTTLS");
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
    QVERIFY(!server.received().contains(kPassword));
    QVERIFY(!server.received().contains(kPassword.toBase64()));
}

void TestImapConnection::starttlsRefusedNeverSendsCredentials()
{
    ScriptedServer server;
    server.send("* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] hi\r\n")
        .expect("t1 STARTTLS\r\n")
        .send("t1 NO [UNAVAILABLE] not today\r\n")
        .expectClosed();
    ImapConnection connection(startScript(server, Security::StartTls));
    QCOMPARE(outcome(connection.open()).code(), ErrorCode::Tls);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
    QVERIFY(server.received() == "t1 STARTTLS\r\n");
}

void TestImapConnection::bytesInjectedAfterStarttlsGoAheadAreDiscarded()
{
    // A man in the middle appends a fake tagged OK for the login that will follow.
    // It arrives in the same segment as the go-ahead and must never be parsed.
    ScriptedServer server;
    server.send("* OK [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n")
        .expect("t1 STARTTLS\r\n")
        .send("t1 OK begin\r\nt3 OK [CAPABILITY IMAP4rev1] injected\r\n")
        .startTls()
        .expect("t2 CAPABILITY\r\n")
        .send("* CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR\r\nt2 OK\r\n")
        .expect(QByteArray(kLoginLine).replace("t1 ", "t3 "))
        .send("t3 NO [AUTHENTICATIONFAILED] wrong\r\n")
        .expectClosed();
    ImapConnection connection(startScript(server, Security::StartTls));
    // Had the injected OK been parsed, the login would have "succeeded".
    QCOMPARE(outcome(connection.open()).code(), ErrorCode::Auth);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::preauthWithStarttlsRequiredIsRefused()
{
    ScriptedServer server;
    server.send("* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] welcome\r\n").expectClosed();
    ImapConnection connection(startScript(server, Security::StartTls));
    const Error error = outcome(connection.open());
    VERIFY_ERROR(error, ErrorCode::Tls, "PREAUTH");
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::refusedLoginIsAnAuthError()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send("t1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n")
        .expectClosed();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    const Error error = outcome(connection.open());
    QCOMPARE(error.code(), ErrorCode::Auth);
    QVERIFY(!error.message().contains(QString::fromLatin1(kPassword)));
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::b02_pipelinesIndependentCommands()
{
    // All three FETCHes must be on the wire before the server answers any of
    // them; the replies come back out of order and are routed by tag and UID.
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 UID FETCH 7 (UID FLAGS)\r\nt3 UID FETCH 8 (UID FLAGS)\r\nt4 UID FETCH 9 (UID FLAGS)\r\n")
        .send("* 3 FETCH (UID 9 FLAGS (\\Seen))\r\n* 1 FETCH (UID 7 FLAGS ())\r\nt4 OK\r\n"
              "* 2 FETCH (UID 8 FLAGS (\\Flagged))\r\nt2 OK\r\nt3 OK\r\n");
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    auto f7 = connection.execute(fetchFlags(7));
    auto f8 = connection.execute(fetchFlags(8));
    auto f9 = connection.execute(fetchFlags(9));
    VERIFY_OK(f9);
    VERIFY_OK(f7);
    VERIFY_OK(f8);
    QCOMPARE(f7.result().all<FetchData>().value(0).uid, std::optional<quint32>(7));
    QCOMPARE(f8.result().all<FetchData>().value(0).flags, std::optional<ByteList>(ByteList{"\\Flagged"}));
    QCOMPARE(f9.result().all<FetchData>().size(), 1);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::barrierWaitsForCommandsInFlight()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 UID FETCH 7 (UID FLAGS)\r\n")
        .expectQuiet(200) // SELECT waits until the FETCH in flight has ended
        .send("* 1 FETCH (UID 7 FLAGS ())\r\nt2 OK\r\n")
        .expect("t3 SELECT INBOX\r\n")
        .send("* 5 EXISTS\r\nt3 OK [READ-WRITE] selected\r\n")
        .hold();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    auto fetch = connection.execute(fetchFlags(7));
    auto selected = connection.execute(requests::select(QStringLiteral("INBOX")));
    VERIFY_OK(selected);
    VERIFY_OK(fetch);
    QCOMPARE(selected.result().all<NumberData>().value(0).number, 5u);
    QTRY_COMPARE(connection.state(), SessionState::Selected);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::heldReadsLeaveTheReplyUnreadUntilTheHoldEnds()
{
    // Bulk work's connection while a click runs elsewhere (issue 15): the
    // reply arrives at once but is read only when the hold ends by itself.
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 UID FETCH 7 (UID FLAGS)\r\n")
        .send("* 1 FETCH (UID 7 FLAGS (\\Seen))\r\nt2 OK\r\n")
        .expect("t3 UID FETCH 8 (UID FLAGS)\r\n")
        .send("* 2 FETCH (UID 8 FLAGS ())\r\nt3 OK\r\n")
        .hold();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    QElapsedTimer clock;
    clock.start();
    connection.holdReads(true);
    auto held = connection.execute(fetchFlags(7));
    VERIFY_OK(held);
    // The hold's end is a precise timer started after `clock`: no machine,
    // however slow, reads the reply sooner.
    QVERIFY2(clock.elapsed() >= net::HostedSession::kLongestReadHold.count(),
             qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(held.result().fetches().value(0).flags.value_or(ByteList{}), ByteList{QByteArrayLiteral("\\Seen")});
    // After the hold, replies are read as they come.
    VERIFY_OK(connection.execute(fetchFlags(8)));
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::taggedReplyForUnknownTagClosesTheConnection()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 NOOP\r\n")
        .send("t77 OK what?\r\n")
        .expectClosed();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    const Request noop = requests::noop();
    const Error onTheWire = outcome(connection.execute(noop));
    QCOMPARE(onTheWire.code(), ErrorCode::Protocol);
    QVERIFY(!onTheWire.notSent());
    QTRY_COMPARE(connection.state(), SessionState::Closed);
    // Later commands fail at once instead of hanging, with why the session
    // ended, and say they never left, so a pool may send them elsewhere (B06).
    const Error late = outcome(connection.execute(noop));
    QCOMPARE(late.code(), ErrorCode::Protocol);
    QVERIFY(late.notSent());
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::droppedMidLiteralFailsEveryPendingCommand()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 UID FETCH 7 (UID FLAGS)\r\nt3 UID FETCH 8 (UID FLAGS)\r\n")
        .send("* 1 FETCH (UID 7 BODY[] {100}\r\nonly a part")
        .close();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    auto first = connection.execute(fetchFlags(7));
    auto second = connection.execute(fetchFlags(8));
    QCOMPARE(outcome(first).code(), ErrorCode::Network);
    QCOMPARE(outcome(second).code(), ErrorCode::Network);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::stalledServerTimesOut()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps).expect(kLoginLine).send(kLoginOk).expect("t2 NOOP\r\n").expectClosed(3000);
    SessionSettings settings = startScript(server, Security::ImplicitTls);
    settings.endpoint.timeouts.command = std::chrono::milliseconds(300);
    ImapConnection connection(settings);
    VERIFY_OK(connection.open());
    const Request noop = requests::noop();
    QCOMPARE(outcome(connection.execute(noop)).code(), ErrorCode::Timeout);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::garbageLineIsAProtocolError()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 NOOP\r\n")
        .send("\x01\x02 ((( garbage\r\n")
        .expectClosed();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    const Request noop = requests::noop();
    QCOMPARE(outcome(connection.execute(noop)).code(), ErrorCode::Protocol);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::hugeLiteralIsRefusedWithoutAllocating()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 UID FETCH 7 (UID FLAGS)\r\n")
        .send("* 1 FETCH (UID 7 BODY[] {4294967296}\r\n")
        .expectClosed();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    QCOMPARE(outcome(connection.execute(fetchFlags(7))).code(), ErrorCode::Protocol);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::byeFailsPendingCommands()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 NOOP\r\n")
        .send("* BYE server shutting down\r\n")
        .close();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    const Request noop = requests::noop();
    const Error error = outcome(connection.execute(noop));
    VERIFY_ERROR(error, ErrorCode::Network, "shutting down");
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::passwordNeverAppearsInLogs()
{
    tandem::test::LogCapture log;
    {
        ScriptedServer server(ScriptedServer::Tls::Implicit);
        server.send("* OK hi\r\n")
            .expect("t1 CAPABILITY\r\n")
            .send("* CAPABILITY IMAP4rev1\r\nt1 OK\r\n")
            .expect("t2 LOGIN alice \"" + kPassword + "\"\r\n")
            .send("t2 NO [AUTHENTICATIONFAILED] no\r\n")
            .expectClosed();
        ImapConnection connection(startScript(server, Security::ImplicitTls));
        QCOMPARE(outcome(connection.open()).code(), ErrorCode::Auth);
        QVERIFY(server.waitDone());
    }
    QVERIFY2(log.text().contains(QLatin1String("LOGIN alice ***")), "the redacted command is logged at debug level");
    const QString leak = log.lineContainingAny(
        {QString::fromLatin1(kPassword), QString::fromLatin1(kPassword.toBase64())});
    QVERIFY2(leak.isEmpty(), qPrintable(leak));
}

void TestImapConnection::untrustedCertificateIsATlsErrorWithDetails()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.expectClosed();
    SessionSettings settings = startScript(server, Security::ImplicitTls);
    settings.endpoint.tls.extraCaCertificatesPem.clear(); // the fake server's CA is not trusted now
    ImapConnection connection(settings);
    const Error error = outcome(connection.open());
    QCOMPARE(error.code(), ErrorCode::Tls);
    QVERIFY(error.tlsFailure());
    QVERIFY(!error.tlsFailure()->errors.isEmpty());
    // The message says why, not only that (the reason once went missing: the
    // failure was moved from while the message was built from it).
    for (const QString &reason : error.tlsFailure()->errors)
        QVERIFY2(error.message().contains(reason), qPrintable(error.message()));
    QVERIFY(!error.tlsFailure()->chain.isEmpty());
    QCOMPARE(error.tlsFailure()->chain.first().sha256.size(), 32);
    server.waitDone();

    // Trusting exactly that certificate's fingerprint lets the next attempt in.
    ScriptedServer pinnedServer(ScriptedServer::Tls::Implicit);
    pinnedServer.send(kGreetingWithCaps).expect(kLoginLine).send(kLoginOk);
    SessionSettings pinned = startScript(pinnedServer, Security::ImplicitTls);
    pinned.endpoint.tls.extraCaCertificatesPem.clear();
    pinned.endpoint.tls.pinnedSha256 = error.tlsFailure()->chain.first().sha256;
    ImapConnection pinnedConnection(pinned);
    VERIFY_OK(pinnedConnection.open());
    QVERIFY2(pinnedServer.waitDone(), qPrintable(pinnedServer.failureText()));

    // A different pin is no key to anything.
    ScriptedServer otherServer(ScriptedServer::Tls::Implicit);
    otherServer.expectClosed();
    SessionSettings wrongPin = startScript(otherServer, Security::ImplicitTls);
    wrongPin.endpoint.tls.extraCaCertificatesPem.clear();
    wrongPin.endpoint.tls.pinnedSha256 = QByteArray(32, '\x42');
    ImapConnection wrongPinConnection(wrongPin);
    QCOMPARE(outcome(wrongPinConnection.open()).code(), ErrorCode::Tls);
    otherServer.waitDone();
}

namespace {
const QByteArray kLoginOkNoLiteralPlus = "t1 OK [CAPABILITY IMAP4rev1 IDLE UIDPLUS] done\r\n";
}

void TestImapConnection::appendWaitsForTheContinuationWithoutLiteralPlus()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOkNoLiteralPlus)
        .expect("t2 APPEND Drafts (\\Draft) {7}\r\n")
        .expectQuiet(150) // the literal must not come before the "+"
        .send("+ go ahead\r\n")
        .expect("Hello\r\n\r\n")
        .send("t2 OK [APPENDUID 38505 3955] APPEND completed\r\n")
        .hold();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    auto appended = connection.execute(requests::append(QStringLiteral("Drafts"), "Hello\r\n", {"\\Draft"}));
    VERIFY_OK(appended);
    const ResponseCode code = appended.result().completion.code;
    QCOMPARE(code.kind, ResponseCode::Kind::AppendUid);
    QVERIFY(code.destSet.contains(3955));
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::appendUsesLiteralPlusWhenOffered()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 APPEND INBOX {7+}\r\nHello\r\n\r\n")
        .send("t2 OK APPEND completed\r\n")
        .hold();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    VERIFY_OK(connection.execute(requests::append(QStringLiteral("INBOX"), "Hello\r\n")));
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::idleReportsChangesUntilDone()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 SELECT INBOX\r\n")
        .send("* 3 EXISTS\r\nt2 OK [READ-WRITE] done\r\n")
        .expect("t3 IDLE\r\n")
        .send("+ idling\r\n")
        .pause(100)
        .send("* 4 EXISTS\r\n")
        .expect("DONE\r\n")
        .send("t3 OK IDLE terminated\r\n")
        .hold();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    QSignalSpy events(&connection, &ImapConnection::unsolicited);
    VERIFY_OK(connection.open());
    VERIFY_OK(connection.execute(requests::select(QStringLiteral("INBOX"))));
    auto idling = connection.idle();
    QTRY_COMPARE(connection.state(), SessionState::Idling);
    QTRY_VERIFY(std::any_of(events.cbegin(), events.cend(), [](const QList<QVariant> &args) {
        const Response response = args.value(0).value<Response>(); // keep it: get() points into it
        const auto *n = response.get<NumberData>();
        return n && n->kind == NumberData::Kind::Exists && n->number == 4;
    }));
    connection.done();
    VERIFY_OK(idling);
    QTRY_COMPARE(connection.state(), SessionState::Selected); // IDLE ends where it began
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

// A pooled connection belongs to a thread that runs no event loop: a queued
// signal nobody receives would stay in that queue as long as the connection
// lives (every EXISTS and FLAGS of every SELECT, for hours).
void TestImapConnection::serverEventsAreQueuedOnlyWhileSomeoneListens()
{
    const QByteArray selectReply = "* FLAGS (\\Seen \\Flagged)\r\n* 3 EXISTS\r\n* 0 RECENT\r\n";
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 SELECT INBOX\r\n")
        .send(selectReply + "t2 OK [READ-WRITE] done\r\n")
        .expect("t3 SELECT INBOX\r\n")
        .send(selectReply + "t3 OK [READ-WRITE] done\r\n")
        .hold();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    QueuedCallCounter counter;
    connection.installEventFilter(&counter);

    VERIFY_OK(connection.open());
    VERIFY_OK(connection.execute(requests::select(QStringLiteral("INBOX"))));
    QCoreApplication::sendPostedEvents(&connection); // whatever was queued for it
    QCOMPARE(counter.count, 0);

    // Someone listens: the same events arrive, as queued signals.
    QSignalSpy events(&connection, &ImapConnection::unsolicited);
    VERIFY_OK(connection.execute(requests::select(QStringLiteral("INBOX"))));
    QTRY_COMPARE(events.size(), 3);
    QVERIFY(counter.count >= 3);
    const Response exists = events.at(1).value(0).value<Response>(); // keep it: get() points into it
    QVERIFY(exists.get<NumberData>() && exists.get<NumberData>()->number == 3);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::aQueuedCommandEndsIdle()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 IDLE\r\n")
        .send("+ idling\r\n")
        .expect("DONE\r\n")
        .send("t2 OK IDLE terminated\r\n")
        .expect("t3 NOOP\r\n")
        .send("t3 OK\r\n")
        .hold();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    auto idling = connection.idle();
    QTRY_COMPARE(connection.state(), SessionState::Idling);
    VERIFY_OK(connection.execute(requests::noop()));
    VERIFY_OK(idling);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::enablesQResyncAtLoginAndReportsVanishedAsAMailboxEvent()
{
    // ENABLE right after login, before the owner's first command (RFC 5161:
    // not once a mailbox was selected). Then the server reports expunges as
    // VANISHED: while idling, one must reach the listeners as EXPUNGE does.
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send("t1 OK [CAPABILITY IMAP4rev1 ENABLE IDLE CONDSTORE QRESYNC] done\r\n")
        .expect("t2 ENABLE QRESYNC\r\n")
        .send("* ENABLED QRESYNC\r\nt2 OK enabled\r\n")
        .expect("t3 SELECT INBOX\r\n")
        .send("* 4 EXISTS\r\nt3 OK [READ-WRITE] done\r\n")
        .expect("t4 IDLE\r\n")
        .send("+ idling\r\n")
        .pause(100)
        .send("* VANISHED 3:4\r\n")
        .expect("DONE\r\n")
        .send("t4 OK IDLE terminated\r\n")
        .hold();
    SessionSettings settings = startScript(server, Security::ImplicitTls);
    settings.enable = {"QRESYNC"};
    ImapConnection connection(settings);
    QSignalSpy events(&connection, &ImapConnection::unsolicited);
    std::atomic<int> heard{0}; // what a pooled owner (a folder watch) hears, in the I/O thread
    connection.setEventListener([&heard](const Response &response) {
        const auto *vanished = response.get<VanishedData>();
        if (vanished && !vanished->earlier && vanished->uids == SequenceSet::fromRange(3, 4))
            ++heard;
    });
    VERIFY_OK(connection.open());
    QVERIFY(connection.enabled().has("QRESYNC"));
    VERIFY_OK(connection.execute(requests::select(QStringLiteral("INBOX"))));
    auto idling = connection.idle();
    QTRY_COMPARE(connection.state(), SessionState::Idling);
    QTRY_COMPARE(heard.load(), 1);
    QTRY_VERIFY(std::any_of(events.cbegin(), events.cend(), [](const QList<QVariant> &args) {
        const Response response = args.value(0).value<Response>(); // keep it: get() points into it
        return response.get<VanishedData>() != nullptr;
    }));
    connection.done();
    VERIFY_OK(idling);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::enablesOnlyWhatTheServerOffersAndRemembersOnlyWhatItEnabled()
{
    // Asked for QRESYNC and X-NONE; the server offers only QRESYNC, and its
    // answer enables nothing: the connection does not think it enabled.
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send("t1 OK [CAPABILITY IMAP4rev1 ENABLE QRESYNC] done\r\n")
        .expect("t2 ENABLE QRESYNC\r\n")
        .send("t2 OK nothing enabled\r\n")
        .expect("t3 NOOP\r\n")
        .send("t3 OK\r\n")
        .hold();
    SessionSettings settings = startScript(server, Security::ImplicitTls);
    settings.enable = {"QRESYNC", "X-NONE"};
    ImapConnection connection(settings);
    VERIFY_OK(connection.open());
    VERIFY_OK(connection.execute(requests::noop()));
    QVERIFY(connection.enabled().capabilities.isEmpty());
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));

    // Without ENABLE offered, nothing is sent for it.
    ScriptedServer plain(ScriptedServer::Tls::Implicit);
    plain.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send("t1 OK [CAPABILITY IMAP4rev1 QRESYNC] done\r\n")
        .expect("t2 NOOP\r\n")
        .send("t2 OK\r\n")
        .hold();
    SessionSettings plainSettings = startScript(plain, Security::ImplicitTls);
    plainSettings.enable = {"QRESYNC"};
    ImapConnection withoutEnable(plainSettings);
    VERIFY_OK(withoutEnable.open());
    VERIFY_OK(withoutEnable.execute(requests::noop()));
    QVERIFY(withoutEnable.enabled().capabilities.isEmpty());
    QVERIFY2(plain.waitDone(), qPrintable(plain.failureText()));
}

void TestImapConnection::moveFallsBackToCopyStoreExpunge()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOkNoLiteralPlus)
        .expect("t2 UID COPY 3:4 Archive\r\n")
        .send("t2 OK [COPYUID 9 3:4 20:21] done\r\n")
        .expect("t3 UID STORE 3:4 +FLAGS (\\Deleted)\r\n")
        .send("* 1 FETCH (UID 3 FLAGS (\\Deleted))\r\n* 2 FETCH (UID 4 FLAGS (\\Deleted))\r\nt3 OK\r\n")
        .expect("t4 UID EXPUNGE 3:4\r\n")
        .send("* 2 EXPUNGE\r\n* 1 EXPUNGE\r\nt4 OK\r\n")
        .hold();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    QVERIFY(!connection.capabilities().has("MOVE"));
    VERIFY_OK(moveMessages(connection, SequenceSet::fromRange(3, 4), QStringLiteral("Archive")));
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::moveFallbackNeverDeletesAfterAFailedCopy()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOkNoLiteralPlus)
        .expect("t2 UID COPY 3 Archive\r\n")
        .send("t2 NO [OVERQUOTA] quota exceeded\r\n")
        .hold(); // anything the client sends now is a trailing-bytes failure
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    const Error error = outcome(moveMessages(connection, SequenceSet::fromRange(3, 3), QStringLiteral("Archive")));
    VERIFY_ERROR(error, ErrorCode::ServerRefused, "quota");
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::closeLeavesNoMailboxSelected()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 EXAMINE Lists\r\n")
        .send("t2 OK [READ-ONLY] done\r\n")
        .expect("t3 CLOSE\r\n")
        .send("t3 OK\r\n")
        .hold();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    SelectOptions readOnly;
    readOnly.readOnly = true;
    VERIFY_OK(connection.execute(requests::select(QStringLiteral("Lists"), readOnly)));
    QTRY_COMPARE(connection.state(), SessionState::Selected);
    VERIFY_OK(connection.execute(requests::close()));
    QTRY_COMPARE(connection.state(), SessionState::Authenticated);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::connectTimeoutCoversTheTlsHandshake()
{
    // A plain server that never answers the client's TLS hello.
    ScriptedServer server;
    server.hold();
    SessionSettings settings = startScript(server, Security::ImplicitTls);
    settings.endpoint.timeouts.connect = std::chrono::milliseconds(300);
    ImapConnection connection(settings);
    const Error error = outcome(connection.open());
    VERIFY_ERROR(error, ErrorCode::Timeout, "connect");
    server.waitDone();
}

void TestImapConnection::greetingTimeout()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.hold();
    SessionSettings settings = startScript(server, Security::ImplicitTls);
    settings.endpoint.timeouts.greeting = std::chrono::milliseconds(300);
    ImapConnection connection(settings);
    const Error error = outcome(connection.open());
    VERIFY_ERROR(error, ErrorCode::Timeout, "greeting");
    server.waitDone();
}

void TestImapConnection::idleConnectionIsClosedAfterTheIdleTimeout()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps).expect(kLoginLine).send(kLoginOk).expectClosed(3000);
    SessionSettings settings = startScript(server, Security::ImplicitTls);
    settings.endpoint.timeouts.idle = std::chrono::milliseconds(300);
    ImapConnection connection(settings);
    QSignalSpy closed(&connection, &ImapConnection::closed);
    VERIFY_OK(connection.open());
    QTRY_COMPARE(closed.size(), 1);
    QCOMPARE(closed.first().first().value<Error>().code(), ErrorCode::Timeout);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::idleTimeoutRenewsIdleWithDone()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 IDLE\r\n")
        .send("+ idling\r\n")
        .expect("DONE\r\n")
        .send("t2 OK IDLE terminated\r\n")
        .hold();
    SessionSettings settings = startScript(server, Security::ImplicitTls);
    settings.endpoint.timeouts.idle = std::chrono::milliseconds(400);
    ImapConnection connection(settings);
    VERIFY_OK(connection.open());
    // IDLE outlives no idle timeout: the session ends it itself in time.
    VERIFY_OK(connection.idle());
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

namespace {
Request fetchFlagsIn(const QString &mailbox, quint32 uid)
{
    Request request = fetchFlags(uid);
    request.inMailbox = mailbox;
    return request;
}
} // namespace

void TestImapConnection::s16_commandsNamingAMailboxSelectItFirstAtomically()
{
    // Two callers interleave commands for two mailboxes on one connection: the
    // session selects each mailbox right before the commands that need it, lets
    // the wire drain before switching, and pipelines commands of one mailbox.
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 SELECT INBOX\r\n")
        .send("* 9 EXISTS\r\nt2 OK [READ-WRITE] done\r\n")
        .expect("t3 UID FETCH 1 (UID FLAGS)\r\nt4 UID FETCH 2 (UID FLAGS)\r\n")
        .send("* 1 FETCH (UID 1 FLAGS ())\r\n* 2 FETCH (UID 2 FLAGS ())\r\nt3 OK\r\nt4 OK\r\n")
        .expect("t5 SELECT Archive\r\n")
        .send("t5 OK [READ-WRITE] done\r\n")
        .expect("t6 UID FETCH 7 (UID FLAGS)\r\n")
        .send("* 1 FETCH (UID 7 FLAGS ())\r\nt6 OK\r\n")
        .expect("t7 SELECT INBOX\r\n")
        .send("t7 OK [READ-WRITE] done\r\n")
        .expect("t8 UID FETCH 3 (UID FLAGS)\r\n")
        .send("* 3 FETCH (UID 3 FLAGS ())\r\nt8 OK\r\n")
        .hold();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    const QString inbox = QStringLiteral("INBOX"), archive = QStringLiteral("Archive");
    auto f1 = connection.execute(fetchFlagsIn(inbox, 1));
    auto f2 = connection.execute(fetchFlagsIn(inbox, 2));
    auto f7 = connection.execute(fetchFlagsIn(archive, 7));
    auto f3 = connection.execute(fetchFlagsIn(inbox, 3));
    for (auto *f : {&f1, &f2, &f7, &f3})
        VERIFY_OK(*f);
    QCOMPARE(f7.result().all<FetchData>().value(0).uid, std::optional<quint32>(7));
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::s16_failedImplicitSelectFailsOnlyThatCommand()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 SELECT Gone\r\n")
        .send("t2 NO [NONEXISTENT] Mailbox doesn't exist\r\n")
        .expect("t3 NOOP\r\n")
        .send("t3 OK\r\n")
        .hold();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    auto fetch = connection.execute(fetchFlagsIn(QStringLiteral("Gone"), 1));
    auto noop = connection.execute(requests::noop());
    const Error error = outcome(fetch);
    VERIFY_ERROR(error, ErrorCode::ServerRefused, "Gone");
    VERIFY_OK(noop);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

// A server may keep showing a session the mailbox it selected after another
// client deleted and made it again (Dovecot does): UIDs of the new one must
// not be read from the old view, nor old UIDs from the new one.
void TestImapConnection::aCommandForAnotherUidValiditySelectsAfreshAndFailsIfTheMailboxWasMadeAnew()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 SELECT INBOX\r\n")
        .send("* 3 EXISTS\r\n* OK [UIDVALIDITY 100] old\r\nt2 OK [READ-WRITE] done\r\n")
        // Asked under UIDVALIDITY 200: the view says 100, so SELECT again.
        .expect("t3 SELECT INBOX\r\n")
        .send("* 1 EXISTS\r\n* OK [UIDVALIDITY 200] new\r\nt3 OK [READ-WRITE] done\r\n")
        .expect("t4 UID FETCH 1 (UID FLAGS)\r\n")
        .send("* 1 FETCH (UID 1 FLAGS ())\r\nt4 OK done\r\n")
        // Asked under 100 now: SELECT again says 200, so the command is not sent.
        .expect("t5 SELECT INBOX\r\n")
        .send("* 1 EXISTS\r\n* OK [UIDVALIDITY 200] new\r\n* OK [UIDNEXT 2] next\r\nt5 OK [READ-WRITE] done\r\n")
        // Asked under 200, as the view is: no SELECT.
        .expect("t6 UID FETCH 1 (UID FLAGS)\r\n")
        .send("* 1 FETCH (UID 1 FLAGS (\\Seen))\r\nt6 OK done\r\n")
        .hold();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    VERIFY_OK(connection.execute(requests::select(QStringLiteral("INBOX"))));
    FetchItems flags;
    flags.flags = true;
    const auto fetchUnder = [&](quint32 uidValidity) {
        Request request = requests::uidFetch(SequenceSet::fromRange(1, 1), flags);
        request.inMailbox = QStringLiteral("INBOX");
        request.inUidValidity = uidValidity;
        return connection.execute(request);
    };
    VERIFY_OK(fetchUnder(200));
    const Error madeAnew = outcome(fetchUnder(100));
    QCOMPARE(madeAnew.code(), ErrorCode::NotFound);
    QVERIFY2(madeAnew.message().contains(QStringLiteral("UIDVALIDITY is 200, not 100")),
             qPrintable(madeAnew.message()));
    VERIFY_OK(fetchUnder(200));
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::pipelinedFetchesOfTheSameUidEachGetTheirReply()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 UID FETCH 5 (UID FLAGS)\r\nt3 UID FETCH 5 (UID FLAGS)\r\n")
        .send("* 1 FETCH (UID 5 FLAGS ())\r\nt2 OK\r\n* 1 FETCH (UID 5 FLAGS (\\Seen))\r\nt3 OK\r\n")
        .hold();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    auto first = connection.execute(fetchFlags(5));
    auto second = connection.execute(fetchFlags(5));
    VERIFY_OK(first);
    VERIFY_OK(second);
    QCOMPARE(first.result().all<FetchData>().size(), 1);
    QCOMPARE(second.result().all<FetchData>().size(), 1);
    QCOMPARE(second.result().all<FetchData>().first().flags, std::optional<ByteList>(ByteList{"\\Seen"}));
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::untaggedRepliesGoToTheCommandThatAskedWhileOthersAreInFlight()
{
    // A server may work on pipelined commands at once (RFC 3501 5.5): the STATUS
    // and LIST replies come while the NOOP before them is still in flight, and
    // the two STATUS replies in the other order. Found by the pool's stress
    // test against Dovecot (listFolders() empty, "no STATUS for Work").
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 NOOP\r\nt3 STATUS INBOX (MESSAGES)\r\nt4 STATUS Work (MESSAGES)\r\nt5 LIST \"\" \"*\"\r\n")
        .send("* STATUS Work (MESSAGES 7)\r\n* LIST () \"/\" Work\r\n* STATUS INBOX (MESSAGES 3)\r\n"
              "* LIST () \"/\" INBOX\r\nt3 OK\r\nt4 OK\r\nt5 OK\r\nt2 OK\r\n")
        .hold();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    auto noop = connection.execute(requests::noop());
    auto inbox = connection.execute(requests::status(QStringLiteral("INBOX"), {"MESSAGES"}));
    auto work = connection.execute(requests::status(QStringLiteral("Work"), {"MESSAGES"}));
    auto list = connection.execute(requests::list(QString(), QStringLiteral("*")));
    VERIFY_OK(noop);
    VERIFY_OK(inbox);
    VERIFY_OK(work);
    VERIFY_OK(list);
    QVERIFY(noop.result().untagged.isEmpty());
    QCOMPARE(inbox.result().all<MailboxStatusData>().size(), 1);
    QCOMPARE(inbox.result().all<MailboxStatusData>().first().value("MESSAGES"), std::optional<quint64>(3));
    QCOMPARE(work.result().all<MailboxStatusData>().size(), 1);
    QCOMPARE(work.result().all<MailboxStatusData>().first().value("MESSAGES"), std::optional<quint64>(7));
    QCOMPARE(list.result().all<ListData>().size(), 2);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::twoSearchesAreNeverInFlightTogether()
{
    // "* SEARCH" says nothing about which SEARCH it answers, and Dovecot
    // interleaves the replies of pipelined SEARCHes (found by the pool's stress
    // test: one search got both results, the other none). The second waits.
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 UID SEARCH FROM \"bob\"\r\nt3 NOOP\r\n")
        .expectQuiet(200) // the second SEARCH waits for the first
        .send("* SEARCH 2 3\r\nt2 OK\r\nt3 OK\r\n")
        .expect("t4 UID SEARCH FROM \"carol\"\r\n")
        .send("* SEARCH 9\r\nt4 OK\r\n")
        .hold();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    auto bob = connection.execute(requests::uidSearch(SearchKey::from(QStringLiteral("bob"))));
    auto noop = connection.execute(requests::noop());
    auto carol = connection.execute(requests::uidSearch(SearchKey::from(QStringLiteral("carol"))));
    VERIFY_OK(bob);
    VERIFY_OK(noop);
    VERIFY_OK(carol);
    QCOMPARE(bob.result().all<SearchData>().value(0).numbers, (QList<quint32>{2, 3}));
    QCOMPARE(carol.result().all<SearchData>().value(0).numbers, QList<quint32>{9});
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::sortRepliesGoToTheirSortAndTwoSortsNeverOverlap()
{
    // "* SORT" carries no tag either: it belongs to the SORT in flight even
    // when an older SEARCH is still waiting (a SEARCH beside it is fine), and a
    // second SORT waits for the first.
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 UID SEARCH FROM \"bob\"\r\nt3 UID SORT (DATE) UTF-8 ALL\r\n")
        .expectQuiet(200) // the second SORT waits for the first
        .send("* SORT 5 1 3\r\n* SEARCH 2\r\nt2 OK\r\nt3 OK\r\n")
        .expect("t4 UID SORT (REVERSE SIZE) UTF-8 ALL\r\n")
        .send("* SORT 3 1 5\r\nt4 OK\r\n")
        .hold();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    auto bob = connection.execute(requests::uidSearch(SearchKey::from(QStringLiteral("bob"))));
    auto byDate = connection.execute(requests::uidSort({"DATE"}, SearchKey::all()));
    auto bySize = connection.execute(requests::uidSort({"REVERSE", "SIZE"}, SearchKey::all()));
    VERIFY_OK(bob);
    VERIFY_OK(byDate);
    VERIFY_OK(bySize);
    QCOMPARE(bob.result().all<SearchData>().value(0).numbers, QList<quint32>{2});
    QVERIFY(bob.result().all<SortData>().isEmpty());
    QCOMPARE(byDate.result().all<SortData>().value(0).numbers, (QList<quint32>{5, 1, 3}));
    QVERIFY(byDate.result().all<SearchData>().isEmpty());
    QCOMPARE(bySize.result().all<SortData>().value(0).numbers, (QList<quint32>{3, 1, 5}));
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::listReturningStatusKeepsItsStatusReplies()
{
    // A LIST that returns STATUS (RFC 5819) gets STATUS replies for any
    // mailbox, which a STATUS command for the same mailbox would take: the
    // STATUS command waits until the LIST has ended (found by the stress test:
    // folderStatus() got the LIST's STATUS without UIDVALIDITY).
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 LIST \"\" \"*\" RETURN (STATUS (MESSAGES))\r\n")
        .expectQuiet(200) // the STATUS waits for the LIST
        .send("* LIST () \"/\" Work\r\n* STATUS Work (MESSAGES 7)\r\nt2 OK\r\n")
        .expect("t3 STATUS Work (MESSAGES UIDVALIDITY)\r\n")
        .send("* STATUS Work (MESSAGES 7 UIDVALIDITY 42)\r\nt3 OK\r\n")
        .hold();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    ListReturnOptions options;
    options.statusItems = {"MESSAGES"};
    auto list = connection.execute(requests::list(QString(), QStringLiteral("*"), options));
    auto status = connection.execute(requests::status(QStringLiteral("Work"), {"MESSAGES", "UIDVALIDITY"}));
    VERIFY_OK(list);
    VERIFY_OK(status);
    QCOMPARE(list.result().all<MailboxStatusData>().size(), 1);
    QCOMPARE(status.result().all<MailboxStatusData>().size(), 1);
    QCOMPARE(status.result().all<MailboxStatusData>().first().value("UIDVALIDITY"), std::optional<quint64>(42));
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::fetchRepliesGoToTheCommandThatAskedForWhatTheyCarry()
{
    // Two pipelined FETCHes of UID 5, one for the body, one for the size; the
    // server answers the second first (Dovecot does, found by the pool stress
    // test: a bulk fetch got a summary instead of a body, the summary list a body).
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 UID FETCH 5 (UID BODY.PEEK[])\r\nt3 UID FETCH 5 (UID RFC822.SIZE)\r\n")
        .send("* 1 FETCH (UID 5 RFC822.SIZE 4)\r\nt3 OK\r\n* 1 FETCH (UID 5 BODY[] {4}\r\nab\r\n)\r\nt2 OK\r\n")
        .hold();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    FetchItems body;
    body.sections = {FetchSection{}};
    FetchItems size;
    size.size = true;
    auto bodyFetch = connection.execute(requests::uidFetch(SequenceSet::fromRange(5, 5), body));
    auto sizeFetch = connection.execute(requests::uidFetch(SequenceSet::fromRange(5, 5), size));
    VERIFY_OK(bodyFetch);
    VERIFY_OK(sizeFetch);
    QCOMPARE(bodyFetch.result().all<FetchData>().size(), 1);
    QVERIFY(bodyFetch.result().all<FetchData>().first().section("BODY", ""));
    QCOMPARE(sizeFetch.result().all<FetchData>().size(), 1);
    QCOMPARE(sizeFetch.result().all<FetchData>().first().size, std::optional<quint64>(4));
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::fetchRepliesGoByTheSectionTheyCarry()
{
    // A summary (header fields) and a body of UID 5, pipelined; both asked for a
    // section, and the server answers the body first. Each reply must reach the
    // command whose section it carries (found by the pool soak: a page of
    // summaries got a body, and listed the message with size 0).
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 UID FETCH 5 (UID RFC822.SIZE BODY.PEEK[HEADER.FIELDS (SUBJECT)])\r\n"
                "t3 UID FETCH 5 (UID BODY.PEEK[])\r\n")
        .send("* 1 FETCH (UID 5 BODY[] {4}\r\nab\r\n)\r\nt3 OK\r\n"
              "* 1 FETCH (UID 5 RFC822.SIZE 4 BODY[HEADER.FIELDS (\"SUBJECT\")] {2}\r\n\r\n)\r\nt2 OK\r\n")
        .hold();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    FetchItems summary;
    summary.size = true;
    FetchSection headers;
    headers.section = "HEADER.FIELDS (SUBJECT)";
    summary.sections = {headers};
    FetchItems body;
    body.sections = {FetchSection{}};
    auto summaryFetch = connection.execute(requests::uidFetch(SequenceSet::fromRange(5, 5), summary));
    auto bodyFetch = connection.execute(requests::uidFetch(SequenceSet::fromRange(5, 5), body));
    VERIFY_OK(summaryFetch);
    VERIFY_OK(bodyFetch);
    QCOMPARE(summaryFetch.result().all<FetchData>().size(), 1);
    QCOMPARE(summaryFetch.result().all<FetchData>().first().size, std::optional<quint64>(4));
    QCOMPARE(bodyFetch.result().all<FetchData>().size(), 1);
    QVERIFY(bodyFetch.result().all<FetchData>().first().section("BODY", ""));
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::everyOtherCommandByteForByte()
{
    // The commands not walked through above, each with its exact bytes on the
    // wire and its untagged data routed back to it.
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 ENABLE CONDSTORE\r\n")
        .send("* ENABLED CONDSTORE\r\nt2 OK\r\n")
        .expect("t3 ID (\"name\" \"Tandem\")\r\n")
        .send("* ID (\"name\" \"Dovecot\")\r\nt3 OK\r\n")
        .expect("t4 NAMESPACE\r\n")
        .send("* NAMESPACE ((\"\" \"/\")) NIL NIL\r\nt4 OK\r\n")
        .expect("t5 LIST \"\" \"*\" RETURN (SPECIAL-USE)\r\n")
        .send("* LIST (\\HasNoChildren \\Sent) \"/\" Sent\r\n* LIST (\\HasNoChildren) \"/\" Entw&APw-rfe\r\nt5 OK\r\n")
        .expect("t6 LSUB \"\" \"%\"\r\n")
        .send("* LSUB () \"/\" Sent\r\nt6 OK\r\n")
        .expect("t7 CREATE Entw&APw-rfe/2026\r\n")
        .send("t7 OK\r\n")
        .expect("t8 SUBSCRIBE Entw&APw-rfe/2026\r\n")
        .send("t8 OK\r\n")
        .expect("t9 UNSUBSCRIBE Entw&APw-rfe/2026\r\n")
        .send("t9 OK\r\n")
        .expect("t10 RENAME Entw&APw-rfe/2026 Old\r\n")
        .send("t10 OK\r\n")
        .expect("t11 STATUS Old (MESSAGES UIDNEXT)\r\n")
        .send("* STATUS Old (MESSAGES 0 UIDNEXT 1)\r\nt11 OK\r\n")
        .expect("t12 DELETE Old\r\n")
        .send("t12 OK\r\n")
        .expect("t13 SELECT INBOX\r\n")
        .send("* 3 EXISTS\r\nt13 OK [READ-WRITE]\r\n")
        .expect("t14 UID SEARCH FROM \"bob\"\r\n")
        .send("* SEARCH 2 3\r\nt14 OK\r\n")
        .expect("t15 UID MOVE 2 Sent\r\n")
        .send("* OK [COPYUID 7 2 9] moved\r\n* 1 EXPUNGE\r\nt15 OK\r\n")
        .expect("t16 EXPUNGE\r\n")
        .send("t16 OK\r\n")
        .expect("t17 UNSELECT\r\n")
        .send("t17 OK\r\n")
        .expect("t18 LOGOUT\r\n")
        .send("* BYE bye\r\nt18 OK\r\n")
        .expectClosed();
    ImapConnection c(startScript(server, Security::ImplicitTls));
    VERIFY_OK(c.open());
    auto enabled = c.execute(requests::enable({"CONDSTORE"}));
    auto id = c.execute(requests::id({{QStringLiteral("name"), QStringLiteral("Tandem")}}));
    auto ns = c.execute(requests::namespaces());
    ListReturnOptions specialUse;
    specialUse.specialUse = true;
    auto list = c.execute(requests::list(QString(), QStringLiteral("*"), specialUse));
    auto lsub = c.execute(requests::lsub(QString(), QStringLiteral("%")));
    const QString drafts2026 = QStringLiteral("Entwürfe/2026");
    auto created = c.execute(requests::create(drafts2026));
    auto subscribed = c.execute(requests::subscribe(drafts2026));
    auto unsubscribed = c.execute(requests::unsubscribe(drafts2026));
    auto renamed = c.execute(requests::rename(drafts2026, QStringLiteral("Old")));
    auto status = c.execute(requests::status(QStringLiteral("Old"), {"MESSAGES", "UIDNEXT"}));
    auto deleted = c.execute(requests::deleteMailbox(QStringLiteral("Old")));
    auto selected = c.execute(requests::select(QStringLiteral("INBOX")));
    auto search = c.execute(requests::uidSearch(SearchKey::from(QStringLiteral("bob"))));
    auto moved = c.execute(requests::uidMove(SequenceSet::fromRange(2, 2), QStringLiteral("Sent")));
    auto expunged = c.execute(requests::expunge());
    auto unselected = c.execute(requests::unselect());
    auto loggedOut = c.logout();
    for (auto *f : {&enabled, &id, &ns, &list, &lsub, &created, &subscribed, &unsubscribed, &renamed, &status, &deleted,
                    &selected, &search, &moved, &expunged, &unselected}) {
        const Error e = outcome(*f);
        QVERIFY2(!e.isError(), qPrintable(e.toString() + QLatin1Char(' ') + server.failureText()));
    }
    VERIFY_OK(loggedOut);
    QCOMPARE(enabled.result().all<EnabledData>().size(), 1);
    QCOMPARE(id.result().all<IdData>().size(), 1);
    QCOMPARE(ns.result().all<NamespaceData>().size(), 1);
    const QList<ListData> folders = list.result().all<ListData>();
    QCOMPARE(folders.size(), 2);
    QCOMPARE(folders.at(0).specialUse(), SpecialUse::Sent);
    QCOMPARE(folders.at(1).name, QStringLiteral("Entwürfe"));
    QCOMPARE(lsub.result().all<ListData>().size(), 1);
    QCOMPARE(status.result().all<MailboxStatusData>().value(0).value("UIDNEXT"), std::optional<quint64>(1));
    QCOMPARE(search.result().all<SearchData>().value(0).numbers, (QList<quint32>{2, 3}));
    QVERIFY(!moved.result().all<NumberData>().isEmpty()); // the EXPUNGE came with the MOVE
    QTRY_COMPARE(c.state(), SessionState::Closed);
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

void TestImapConnection::badReplyFailsOnlyThatCommand()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreetingWithCaps)
        .expect(kLoginLine)
        .send(kLoginOk)
        .expect("t2 NOOP\r\n")
        .send("t2 BAD [CLIENTBUG] Unknown command\r\n")
        .expect("t3 NOOP\r\n")
        .send("t3 OK\r\n")
        .hold();
    ImapConnection connection(startScript(server, Security::ImplicitTls));
    VERIFY_OK(connection.open());
    const Error error = outcome(connection.execute(requests::noop()));
    VERIFY_ERROR(error, ErrorCode::ServerRefused, "Unknown command");
    VERIFY_OK(connection.execute(requests::noop()));
    QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
}

QTEST_GUILESS_MAIN(TestImapConnection)
#include "tst_imap_connection.moc"
