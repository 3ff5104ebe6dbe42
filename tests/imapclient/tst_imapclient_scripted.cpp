// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// ImapClient against the scripted fake server, where the exact bytes matter:
// what a server without MOVE, UIDPLUS or LIST-STATUS is sent, how a NO
// reaches the caller, and a folder's changes by QRESYNC.

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <mutex>

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

/// The login answer announcing `capabilities` (what the client then relies on).
QByteArray loginOk(const QByteArray &capabilities)
{
    return "t1 OK [CAPABILITY IMAP4rev1" + (capabilities.isEmpty() ? QByteArray() : ' ' + capabilities)
        + "] logged in\r\n";
}

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
    return std::make_unique<ImapClient>(endpoint, QStringLiteral("alice"), QString::fromLatin1(kPassword));
}

/// How every script ends: once the test has what it asked for, it disposes
/// of the client, which logs out (tag `tag`) and closes; the server waits for
/// that instead of a fixed time before it hangs up (hanging up earlier could
/// cut the last answer before the client read it).
ScriptedServer &endsWithLogout(ScriptedServer &server, int tag)
{
    return server.expect("t" + QByteArray::number(tag) + " LOGOUT\r\n").expectClosed(30000);
}

/// Disposes of `client` (it logs out) and waits for the script's end.
bool finish(std::unique_ptr<ImapClient> &client, ScriptedServer &server)
{
    client.reset();
    return server.waitDone(30000);
}

/// A login to a server offering QRESYNC: the client enables it (t2) before anything else.
ScriptedServer &loginEnablingQResync(ScriptedServer &server)
{
    return server.send(kGreeting)
        .expect(kLoginLine)
        .send(loginOk("ENABLE CONDSTORE QRESYNC"))
        .expect("t2 ENABLE QRESYNC\r\n")
        .send("* ENABLED QRESYNC\r\nt2 OK enabled\r\n");
}

const QByteArray kSelectInbox = "t2 SELECT INBOX\r\n";
const QByteArray kInboxSelected =
    "* 4 EXISTS\r\n* OK [UIDVALIDITY 9] ok\r\n* OK [UIDNEXT 10] next\r\nt2 OK [READ-WRITE] selected\r\n";

/// A summary as the client asks for it (summaryItems()).
QByteArray summaryReply(int seq, int uid, const QByteArray &subject)
{
    const QByteArray header = "Subject: " + subject + "\r\n\r\n";
    return "* " + QByteArray::number(seq) + " FETCH (UID " + QByteArray::number(uid)
        + " FLAGS () INTERNALDATE \"04-Mar-2024 10:00:00 +0000\" RFC822.SIZE 300 BODYSTRUCTURE (\"TEXT\" "
          "\"PLAIN\" NIL NIL NIL \"7BIT\" 5 1) BODY[HEADER.FIELDS (DATE SUBJECT FROM TO CC MESSAGE-ID "
          "IN-REPLY-TO REFERENCES)] {"
        + QByteArray::number(header.size()) + "}\r\n" + header + ")\r\n";
}

const QByteArray kSummaryFetchItems = "(UID FLAGS INTERNALDATE RFC822.SIZE BODYSTRUCTURE BODY.PEEK[HEADER.FIELDS (DATE "
                                      "SUBJECT FROM TO CC MESSAGE-ID IN-REPLY-TO REFERENCES)])";

/// A login to a server announcing `capabilities`, then INBOX selected (t2):
/// how most scripts begin.
ScriptedServer &inboxSelected(ScriptedServer &server, const QByteArray &capabilities)
{
    return server.send(kGreeting)
        .expect(kLoginLine)
        .send(loginOk(capabilities))
        .expect(kSelectInbox)
        .send(kInboxSelected);
}

} // namespace

class TestImapClientScripted : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void moveWithoutMoveIsCopyThenDeletedThenUidExpunge();
    void moveWithoutUidplusFallsBackToExpunge();
    void aFailedCopyNeverDeletesTheOriginals();
    void aNoAnswerIsServerRefusedWithTheServersText();
    void aBadAnswerIsServerRefusedToo();
    void foldersWithoutListStatusGetOneStatusEach();
    void expungeWithoutUidplusKeepsTheOtherDeletedMessages();
    void aFolderRefusingStatusOnlyLosesItsCounts();
    void appendManyStopsSendingAfterAFailure();
    void sortWithoutSortCapabilitySortsInTheClient();
    void sortSendsUidSortReverseAndKeepsTheServersOrder();
    void folderChangesWithQResyncAreOneSelect();
    void folderChangesWithQResyncAskForNewUidsOnlyWhenUidNextMoved();
    void folderChangesWithQResyncFallBackToTheUidListOnANewUidValidity();
    void folderChangesReadTheUidListWhenTheServerDidNotEnableQResync();
    void aWatchedFolderReportsVanishedMessagesWithQResync();
    void aFlagChangeAmidABulkFetchIsNotTakenForTheMessage();
    void aBackgroundDownloadSendsOneSmallBatchAtATime();
    void aFlagChangeAmidASummaryFetchIsNotTakenForTheSummary();
    void aFlagChangeAfterTheSizeDoesNotLoseItForADownloadToAFile();
};

void TestImapClientScripted::moveWithoutMoveIsCopyThenDeletedThenUidExpunge()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    inboxSelected(server, "UIDPLUS LITERAL+")
        .expect("t3 UID COPY 3:4 Archive\r\n")
        .send("t3 OK [COPYUID 9 3:4 20:21] copied\r\n")
        .expect("t4 UID STORE 3:4 +FLAGS (\\Deleted)\r\n")
        .send("* 3 FETCH (UID 3 FLAGS (\\Deleted))\r\n* 4 FETCH (UID 4 FLAGS (\\Deleted))\r\nt4 OK stored\r\n")
        .expect("t5 UID EXPUNGE 3:4\r\n")
        .send("* 4 EXPUNGE\r\n* 3 EXPUNGE\r\nt5 OK expunged\r\n");
    endsWithLogout(server, 6);
    server.start();
    auto client = clientFor(server);
    Result<QMap<quint32, quint32>> moved = client->moveMessages(QStringLiteral("INBOX"), {4, 3},
                                                                QStringLiteral("Archive"));
    QVERIFY2(moved, qPrintable(moved.error().toString()));
    QCOMPARE(moved.value(), (QMap<quint32, quint32>{{3, 20}, {4, 21}}));
    QVERIFY2(finish(client, server), qPrintable(server.failureText()));
}

void TestImapClientScripted::moveWithoutUidplusFallsBackToExpunge()
{
    // No COPYUID: the copy's UID is found in the target afterwards, among
    // those from its UIDNEXT before the COPY on (GNU Mailutils' imap4d).
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting)
        .expect(kLoginLine)
        .send(loginOk("LITERAL+"))
        .expect("t2 STATUS Archive (UIDNEXT)\r\n")
        .send("* STATUS Archive (UIDNEXT 7)\r\nt2 OK status\r\n")
        .expect(QByteArray(kSelectInbox).replace("t2", "t3"))
        .send(QByteArray(kInboxSelected).replace("t2", "t3"))
        .expect("t4 UID FETCH 2 (UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])\r\n")
        .send("* 2 FETCH (UID 2 BODY[HEADER.FIELDS (MESSAGE-ID)] {19}\r\nMessage-ID: <m@x>\r\n)\r\nt4 OK fetched\r\n")
        .expect("t5 UID COPY 2 Archive\r\n")
        .send("t5 OK copied\r\n")
        .expect("t6 SELECT Archive\r\n")
        .send("* 2 EXISTS\r\n* OK [UIDVALIDITY 5] ok\r\nt6 OK [READ-WRITE] selected\r\n")
        .expect("t7 NOOP\r\n")
        .send("t7 OK nothing\r\n")
        .expect("t8 UID SEARCH ALL\r\n")
        .send("* SEARCH 3 7\r\nt8 OK searched\r\n")
        .expect(QByteArray(kSelectInbox).replace("t2", "t9"))
        .send(QByteArray(kInboxSelected).replace("t2", "t9"))
        .expect("t10 UID STORE 2 +FLAGS (\\Deleted)\r\n")
        .send("* 2 FETCH (UID 2 FLAGS (\\Deleted))\r\nt10 OK stored\r\n")
        .expect("t11 NOOP\r\n")
        .send("t11 OK nothing\r\n")
        .expect("t12 UID SEARCH DELETED\r\n")
        .send("* SEARCH 2\r\nt12 OK searched\r\n")
        .expect("t13 EXPUNGE\r\n")
        .send("* 2 EXPUNGE\r\nt13 OK expunged\r\n");
    endsWithLogout(server, 14);
    server.start();
    auto client = clientFor(server);
    QFuture<QMap<quint32, quint32>> moved = client->moveMessagesAsync(QStringLiteral("INBOX"), {2},
                                                                      QStringLiteral("Archive"));
    QCOMPARE(outcome(moved).code(), ErrorCode::None);
    QCOMPARE(moved.result(), (QMap<quint32, quint32>{{2, 7}})); // the one UID from UIDNEXT on
    QVERIFY2(finish(client, server), qPrintable(server.failureText()));
}

void TestImapClientScripted::aFailedCopyNeverDeletesTheOriginals()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    inboxSelected(server, "UIDPLUS")
        .expect("t3 UID COPY 2 Nowhere\r\n")
        .send("t3 NO [TRYCREATE] Mailbox doesn't exist: Nowhere\r\n")
        .expect("t4 NOOP\r\n")
        .send("t4 OK nothing\r\n");
    endsWithLogout(server, 5);
    server.start();
    auto client = clientFor(server);
    const Error error = client->moveMessages(QStringLiteral("INBOX"), {2}, QStringLiteral("Nowhere")).error();
    QCOMPARE(error.code(), ErrorCode::ServerRefused);
    QVERIFY2(error.message().contains(QLatin1String("Mailbox doesn't exist: Nowhere")), qPrintable(error.message()));
    QCOMPARE(client->noop().code(), ErrorCode::None); // the next command follows the NO: no STORE in between
    QVERIFY2(finish(client, server), qPrintable(server.failureText()));
    QVERIFY(!server.received().contains("STORE"));
}

void TestImapClientScripted::aNoAnswerIsServerRefusedWithTheServersText()
{
    const QByteArray message = "Subject: hi\r\n\r\nhello\r\n";
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting)
        .expect(kLoginLine)
        .send(loginOk("UIDPLUS LITERAL+"))
        .expect("t2 APPEND Drafts (\\Seen) {" + QByteArray::number(message.size()) + "+}\r\n" + message + "\r\n")
        .send("t2 NO [OVERQUOTA] Quota exceeded (mailbox for user is full)\r\n");
    endsWithLogout(server, 3);
    server.start();
    auto client = clientFor(server);
    const Error error = outcome(client->appendMessageAsync(QStringLiteral("Drafts"), message, {"\\Seen"}));
    QCOMPARE(error.code(), ErrorCode::ServerRefused);
    QVERIFY2(error.message().contains(QLatin1String("Quota exceeded (mailbox for user is full)")),
             qPrintable(error.message()));
    QVERIFY2(finish(client, server), qPrintable(server.failureText()));
}

void TestImapClientScripted::aBadAnswerIsServerRefusedToo()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting)
        .expect(kLoginLine)
        .send(loginOk("UIDPLUS"))
        .expect("t2 CREATE Projects\r\n")
        .send("t2 BAD Error in IMAP command CREATE: Invalid arguments.\r\n");
    endsWithLogout(server, 3);
    server.start();
    auto client = clientFor(server);
    const Error error = client->createFolder(QStringLiteral("Projects"));
    QCOMPARE(error.code(), ErrorCode::ServerRefused);
    QVERIFY2(error.message().contains(QLatin1String("Invalid arguments.")), qPrintable(error.message()));
    QVERIFY2(finish(client, server), qPrintable(server.failureText()));
}

void TestImapClientScripted::foldersWithoutListStatusGetOneStatusEach()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting)
        .expect(kLoginLine)
        .send(loginOk("SPECIAL-USE"))
        // LIST and LSUB pipelined; then the STATUS of each selectable folder, pipelined.
        .expect("t2 LIST \"\" \"*\"\r\nt3 LSUB \"\" \"*\"\r\n")
        .send("* LIST (\\HasNoChildren) \"/\" INBOX\r\n"
              "* LIST (\\HasChildren \\Noselect) \"/\" Work\r\n"
              "* LIST (\\HasNoChildren \\Sent) \"/\" Work/Sent\r\n"
              "t2 OK listed\r\n"
              "* LSUB () \"/\" Work/Sent\r\n"
              "t3 OK subscribed\r\n")
        .expect("t4 STATUS INBOX (MESSAGES UNSEEN)\r\nt5 STATUS Work/Sent (MESSAGES UNSEEN)\r\n")
        .send(
            "* STATUS INBOX (MESSAGES 12 UNSEEN 3)\r\nt4 OK\r\n* STATUS Work/Sent (MESSAGES 5 UNSEEN 0)\r\nt5 OK\r\n");
    endsWithLogout(server, 6);
    server.start();
    auto client = clientFor(server);
    Result<QList<FolderInfo>> folders = client->listFolders();
    QVERIFY2(folders, qPrintable(folders.error().toString() + server.failureText()));
    QCOMPARE(folders->size(), 3);
    const FolderInfo &inbox = folders->at(0), &work = folders->at(1), &sent = folders->at(2);
    QCOMPARE(inbox.role, FolderRole::Inbox);
    QCOMPARE(inbox.messages, std::optional<quint32>(12));
    QCOMPARE(inbox.unseen, std::optional<quint32>(3));
    QCOMPARE(inbox.subscribed, false);
    QCOMPARE(work.selectable, false);
    QCOMPARE(work.messages, std::optional<quint32>());
    QCOMPARE(sent.name, QStringLiteral("Work/Sent"));
    QCOMPARE(sent.delimiter, QLatin1Char('/'));
    QCOMPARE(sent.role, FolderRole::Sent);
    QCOMPARE(sent.subscribed, true);
    QCOMPARE(sent.messages, std::optional<quint32>(5));
    QCOMPARE(sent.unseen, std::optional<quint32>(0));
    QVERIFY2(finish(client, server), qPrintable(server.failureText()));
}

void TestImapClientScripted::expungeWithoutUidplusKeepsTheOtherDeletedMessages()
{
    // Without UID EXPUNGE, the other messages flagged \Deleted (5 and 9) lose
    // the flag around a plain EXPUNGE and get it back after.
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    inboxSelected(server, "LITERAL+")
        .expect("t3 NOOP\r\n")
        .send("t3 OK nothing\r\n")
        .expect("t4 UID SEARCH DELETED\r\n")
        .send("* SEARCH 5 7 9\r\nt4 OK searched\r\n")
        .expect("t5 UID STORE 5,9 -FLAGS (\\Deleted)\r\n")
        .send("* 1 FETCH (UID 5 FLAGS ())\r\n* 4 FETCH (UID 9 FLAGS ())\r\nt5 OK stored\r\n")
        .expect("t6 EXPUNGE\r\n")
        .send("* 3 EXPUNGE\r\nt6 OK expunged\r\n")
        .expect("t7 UID STORE 5,9 +FLAGS (\\Deleted)\r\n")
        .send("t7 OK stored\r\n");
    endsWithLogout(server, 8);
    server.start();
    auto client = clientFor(server);
    QCOMPARE(outcome(client->expungeAsync(QStringLiteral("INBOX"), {7})).code(), ErrorCode::None);
    QVERIFY2(finish(client, server), qPrintable(server.failureText()));
}

void TestImapClientScripted::aFolderRefusingStatusOnlyLosesItsCounts()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting)
        .expect(kLoginLine)
        .send(loginOk(""))
        .expect("t2 LIST \"\" \"*\"\r\nt3 LSUB \"\" \"*\"\r\n")
        .send("* LIST () \"/\" INBOX\r\n* LIST () \"/\" Gone\r\nt2 OK listed\r\nt3 OK none\r\n")
        .expect("t4 STATUS INBOX (MESSAGES UNSEEN)\r\nt5 STATUS Gone (MESSAGES UNSEEN)\r\n")
        .send("* STATUS INBOX (MESSAGES 1 UNSEEN 1)\r\nt4 OK\r\nt5 NO [NONEXISTENT] Mailbox doesn't exist: Gone\r\n");
    endsWithLogout(server, 6);
    server.start();
    auto client = clientFor(server);
    Result<QList<FolderInfo>> folders = client->listFolders();
    QVERIFY2(folders, qPrintable(folders.error().toString() + server.failureText()));
    QCOMPARE(folders->size(), 2);
    QCOMPARE(folders->at(0).messages, std::optional<quint32>(1));
    QCOMPARE(folders->at(1).name, QStringLiteral("Gone"));
    QCOMPARE(folders->at(1).messages, std::optional<quint32>());
    QVERIFY2(finish(client, server), qPrintable(server.failureText()));
}

void TestImapClientScripted::appendManyStopsSendingAfterAFailure()
{
    // Ten messages, eight in flight at most: the first is refused, so the
    // seven behind it are waited for and the last two never sent.
    QList<NewMessage> messages;
    QByteArray commands, answers;
    for (int i = 0; i < 10; ++i) {
        const QByteArray data = "Subject: " + QByteArray::number(i) + "\r\n\r\nbody\r\n";
        messages << NewMessage{data, {}, {}};
        if (i < 8)
            commands += "t" + QByteArray::number(i + 2) + " APPEND Box {" + QByteArray::number(data.size()) + "+}\r\n"
                + data + "\r\n";
    }
    answers += "t2 NO [OVERQUOTA] Quota exceeded\r\n";
    for (int i = 1; i < 8; ++i)
        answers += "t" + QByteArray::number(i + 2) + " OK [APPENDUID 7 " + QByteArray::number(100 + i)
            + "] appended\r\n";
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting)
        .expect(kLoginLine)
        .send(loginOk("UIDPLUS LITERAL+"))
        .expect(commands)
        .send(answers)
        .expect("t10 NOOP\r\n")
        .send("t10 OK\r\n");
    endsWithLogout(server, 11);
    server.start();
    auto client = clientFor(server);
    const Error error = client->appendMessages(QStringLiteral("Box"), messages).error();
    QCOMPARE(error.code(), ErrorCode::ServerRefused);
    QVERIFY2(error.message().contains(QLatin1String("Quota exceeded")), qPrintable(error.message()));
    QCOMPARE(client->noop().code(), ErrorCode::None); // t10: nothing was sent in between
    QVERIFY2(finish(client, server), qPrintable(server.failureText()));
}

void TestImapClientScripted::sortWithoutSortCapabilitySortsInTheClient()
{
    // No SORT: the summaries are fetched and sorted here, by RFC 5256's base
    // subject ("Re: alpha" before "beta"); no SORT command is sent.
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    inboxSelected(server, "UIDPLUS ESEARCH")
        .expect("t3 UID FETCH 1:* " + kSummaryFetchItems + "\r\n")
        .send(summaryReply(1, 7, "beta") + summaryReply(2, 9, "Re: alpha") + "t3 OK fetched\r\n");
    endsWithLogout(server, 4);
    server.start();
    auto client = clientFor(server);
    const auto sorted = client->sortedUids(QStringLiteral("INBOX"), SortKey::Subject, Qt::AscendingOrder);
    QVERIFY2(sorted, qPrintable(sorted.error().toString() + QLatin1Char(' ') + server.failureText()));
    QCOMPARE(sorted.value(), (QList<quint32>{9, 7}));
    QVERIFY2(finish(client, server), qPrintable(server.failureText()));
    QVERIFY(!server.received().contains("SORT"));
}

void TestImapClientScripted::sortSendsUidSortReverseAndKeepsTheServersOrder()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    inboxSelected(server, "UIDPLUS SORT")
        .expect("t3 NOOP\r\n")
        .send("t3 OK nothing\r\n")
        .expect("t4 UID SORT (REVERSE DATE) UTF-8 ALL\r\n")
        .send("* SORT 7 2 9 4\r\nt4 OK sorted\r\n");
    endsWithLogout(server, 5);
    server.start();
    auto client = clientFor(server);
    Result<QList<quint32>> sorted = client->sortedUids(QStringLiteral("INBOX"), SortKey::Date, Qt::DescendingOrder);
    QVERIFY2(sorted, qPrintable(sorted.error().toString()));
    QCOMPARE(sorted.value(), (QList<quint32>{7, 2, 9, 4})); // not re-sorted by UID
    QVERIFY2(finish(client, server), qPrintable(server.failureText()));
}

void TestImapClientScripted::folderChangesWithQResyncAreOneSelect()
{
    // The known UIDVALIDITY, HIGHESTMODSEQ and UIDs in the SELECT; the answer
    // names the known UIDs expunged since and the flags changed since. UIDNEXT
    // did not move, so nothing else is asked: the script ends with the LOGOUT.
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loginEnablingQResync(server)
        .expect("t3 SELECT Box (QRESYNC (7 100 1:5))\r\n")
        .send("* 3 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n* OK [UIDNEXT 6] ok\r\n* OK [HIGHESTMODSEQ 120] ok\r\n"
              "* VANISHED (EARLIER) 2,4\r\n* 2 FETCH (UID 3 FLAGS (\\Seen \\Recent) MODSEQ (110))\r\n"
              "t3 OK [READ-WRITE] selected\r\n");
    endsWithLogout(server, 4);
    server.start();
    auto client = clientFor(server);
    const Result<FolderChanges> changes = client->folderChanges(QStringLiteral("Box"),
                                                                SyncState{7, 100, {5, 1, 2, 3, 4}, 6});
    QVERIFY2(changes, qPrintable(changes.error().toString()));
    FolderChanges expected;
    expected.method = FolderChanges::Method::QResync;
    expected.uidValidity = 7;
    expected.uidNext = 6;
    expected.highestModSeq = 120;
    expected.messages = 3;
    expected.vanished = {2, 4};
    expected.flags = {FlagUpdate{3, {"\\Seen"}, 110}};
    QCOMPARE(changes.value(), expected);
    QVERIFY2(finish(client, server), qPrintable(server.failureText()));
}

void TestImapClientScripted::folderChangesWithQResyncAskForNewUidsOnlyWhenUidNextMoved()
{
    // UIDNEXT moved from 4 to 8: the UIDs from 4 on are asked for, with no
    // NOOP (the folder was selected a moment ago). What came before OK
    // [CLOSED] was about the mailbox selected before (RFC 7162 3.2.11), and a
    // FETCH of a message the copy does not know is no flag change.
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loginEnablingQResync(server)
        .expect("t3 SELECT Box (QRESYNC (7 100 1:3))\r\n")
        .send("* 2 FETCH (UID 2 FLAGS (\\Flagged) MODSEQ (90))\r\n* VANISHED 1\r\n"
              "* OK [CLOSED] previous mailbox closed\r\n"
              "* 5 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\n* OK [UIDNEXT 8] ok\r\n* OK [HIGHESTMODSEQ 130] ok\r\n"
              "* 3 FETCH (UID 3 FLAGS () MODSEQ (125))\r\n* 4 FETCH (UID 5 FLAGS (\\Seen) MODSEQ (126))\r\n"
              "t3 OK [READ-WRITE] selected\r\n")
        .expect("t4 UID SEARCH UID 4:*\r\n")
        .send("* SEARCH 5 7\r\nt4 OK searched\r\n");
    endsWithLogout(server, 5);
    server.start();
    auto client = clientFor(server);
    const Result<FolderChanges> changes = client->folderChanges(QStringLiteral("Box"), SyncState{7, 100, {1, 2, 3}, 4});
    QVERIFY2(changes, qPrintable(changes.error().toString()));
    FolderChanges expected;
    expected.method = FolderChanges::Method::QResync;
    expected.uidValidity = 7;
    expected.uidNext = 8;
    expected.highestModSeq = 130;
    expected.messages = 5;
    expected.newUids = {5, 7};
    expected.flags = {FlagUpdate{3, {}, 125}};
    QCOMPARE(changes.value(), expected);
    QVERIFY2(finish(client, server), qPrintable(server.failureText()));
}

void TestImapClientScripted::folderChangesWithQResyncFallBackToTheUidListOnANewUidValidity()
{
    // The folder was made anew: the server ignores the QRESYNC parameters, and
    // the client compares the whole UID list instead (every known UID is void).
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    loginEnablingQResync(server)
        .expect("t3 SELECT Box (QRESYNC (7 100 1:2))\r\n")
        .send("* 1 EXISTS\r\n* OK [UIDVALIDITY 8] ok\r\n* OK [UIDNEXT 2] ok\r\n* OK [HIGHESTMODSEQ 4] ok\r\n"
              "t3 OK [READ-WRITE] selected\r\n")
        .expect("t4 SELECT Box\r\n")
        .send("* 1 EXISTS\r\n* OK [UIDVALIDITY 8] ok\r\nt4 OK [READ-WRITE] selected\r\n")
        .expect("t5 STATUS Box (MESSAGES UIDNEXT UIDVALIDITY HIGHESTMODSEQ)\r\n")
        .send("* STATUS Box (MESSAGES 1 UIDNEXT 2 UIDVALIDITY 8 HIGHESTMODSEQ 4)\r\nt5 OK status\r\n")
        .expect("t6 NOOP\r\n")
        .send("t6 OK nothing\r\n")
        .expect("t7 UID SEARCH ALL\r\n")
        .send("* SEARCH 1\r\nt7 OK searched\r\n");
    endsWithLogout(server, 8);
    server.start();
    auto client = clientFor(server);
    const Result<FolderChanges> changes = client->folderChanges(QStringLiteral("Box"), SyncState{7, 100, {1, 2}, 3});
    QVERIFY2(changes, qPrintable(changes.error().toString()));
    QVERIFY(changes->uidValidityChanged);
    QCOMPARE(changes->uidValidity, 8u);
    QCOMPARE(changes->vanished, (QList<quint32>{1, 2}));
    QCOMPARE(changes->newUids, QList<quint32>{1});
    QVERIFY(changes->method != FolderChanges::Method::QResync);
    QVERIFY2(finish(client, server), qPrintable(server.failureText()));
}

void TestImapClientScripted::folderChangesReadTheUidListWhenTheServerDidNotEnableQResync()
{
    // QRESYNC offered, but the ENABLE's answer does not name it: the
    // connection goes by what the server enabled, not by what it offered.
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting)
        .expect(kLoginLine)
        .send(loginOk("ENABLE CONDSTORE QRESYNC"))
        .expect("t2 ENABLE QRESYNC\r\n")
        .send("t2 OK nothing enabled\r\n")
        .expect("t3 SELECT Box\r\n")
        .send("* 2 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\nt3 OK [READ-WRITE] selected\r\n")
        .expect("t4 STATUS Box (MESSAGES UIDNEXT UIDVALIDITY HIGHESTMODSEQ)\r\n")
        .send("* STATUS Box (MESSAGES 2 UIDNEXT 3 UIDVALIDITY 7 HIGHESTMODSEQ 100)\r\nt4 OK status\r\n")
        .expect("t5 NOOP\r\n")
        .send("t5 OK nothing\r\n")
        .expect("t6 UID SEARCH ALL\r\n")
        .send("* SEARCH 1 2\r\nt6 OK searched\r\n");
    endsWithLogout(server, 7);
    server.start();
    auto client = clientFor(server);
    const Result<FolderChanges> changes = client->folderChanges(QStringLiteral("Box"), SyncState{7, 100, {1, 2}, 3});
    QVERIFY2(changes, qPrintable(changes.error().toString()));
    QCOMPARE(changes->method, FolderChanges::Method::CondStore); // HIGHESTMODSEQ did not move: no flags read
    QVERIFY(changes->vanished.isEmpty() && changes->newUids.isEmpty() && changes->flags.isEmpty());
    QVERIFY2(finish(client, server), qPrintable(server.failureText()));
}

void TestImapClientScripted::aWatchedFolderReportsVanishedMessagesWithQResync()
{
    // B10: the watch's connection (the only one: it is opened first) has
    // QRESYNC enabled, so an expunge behind its back comes as VANISHED, not
    // EXPUNGE, while it idles: that is a change of the folder too.
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting)
        .expect(kLoginLine)
        .send(loginOk("ENABLE IDLE CONDSTORE QRESYNC"))
        .expect("t2 ENABLE QRESYNC\r\n")
        .send("* ENABLED QRESYNC\r\nt2 OK enabled\r\n")
        .expect("t3 SELECT Box\r\n")
        .send("* 2 EXISTS\r\n* OK [UIDVALIDITY 7] ok\r\nt3 OK [READ-WRITE] selected\r\n")
        .expect("t4 NOOP\r\n")
        .send("t4 OK nothing\r\n")
        .expect("t5 IDLE\r\n")
        .send("+ idling\r\n")
        .pause(100)
        .send("* VANISHED 2\r\n")
        .hold()
        .expect("DONE\r\nt6 LOGOUT\r\n")
        .expectClosed(30000);
    server.start();
    auto client = clientFor(server);
    QVERIFY(!client->setMaxConnectionsPerServer(4).isError()); // room for a push connection
    QSignalSpy changed(client.get(), &ImapClient::folderChanged);
    client->startMonitoring(QStringLiteral("Box"));
    QTRY_COMPARE_WITH_TIMEOUT(changed.size(), 1, 10000);
    QCOMPARE(changed.first().first().toString(), QStringLiteral("Box"));
    QCOMPARE(client->watchMode(QStringLiteral("Box")), ImapClient::WatchMode::Push);
    QVERIFY2(finish(client, server), qPrintable(server.failureText()));
}

namespace {

/// What Dovecot sends a session amid the answer to its UID FETCH when another
/// session flags one of the messages asked for: a FETCH naming the UID, with
/// the flags only (the imap bench's bulk fetch lost that message so).
QByteArray flagChangeOf(int seq, int uid)
{
    return "* " + QByteArray::number(seq) + " FETCH (UID " + QByteArray::number(uid) + " FLAGS (\\Flagged))\r\n";
}

} // namespace

void TestImapClientScripted::aFlagChangeAmidABulkFetchIsNotTakenForTheMessage()
{
    // Once for the future that keeps the messages, once for the sink.
    for (const bool intoSink : {false, true}) {
        ScriptedServer server(ScriptedServer::Tls::Implicit);
        inboxSelected(server, "UIDPLUS")
            .expect("t3 UID FETCH 3:4 (UID BODY.PEEK[])\r\n")
            .send(flagChangeOf(1, 3) + "* 1 FETCH (UID 3 BODY[] {5}\r\nthree)\r\n" + flagChangeOf(2, 4)
                  + "* 2 FETCH (UID 4 BODY[] {4}\r\nfour)\r\nt3 OK fetched\r\n");
        endsWithLogout(server, 4);
        server.start();
        auto client = clientFor(server);
        client->setMaxConnectionsPerServer(1); // the bulk on the one connection of the script
        QMap<quint32, QList<QByteArray>> got;
        if (intoSink) {
            std::mutex mutex;
            auto download = client->downloadMessagesAsync(QStringLiteral("INBOX"), {3, 4}, [&](FetchedMessage &&m) {
                std::lock_guard lock(mutex);
                got[m.uid] << m.data;
            });
            QCOMPARE(outcome(download).code(), ErrorCode::None);
            QCOMPARE(download.result().delivered, 2);
        } else {
            auto fetched = client->fetchMessagesAsync(QStringLiteral("INBOX"), {3, 4});
            QCOMPARE(outcome(fetched).code(), ErrorCode::None);
            for (const FetchedMessage &m : fetched.results())
                got[m.uid] << m.data;
        }
        QCOMPARE(got, (QMap<quint32, QList<QByteArray>>{{3, {"three"}}, {4, {"four"}}}));
        QVERIFY2(finish(client, server), qPrintable(server.failureText()));
    }
}

void TestImapClientScripted::aBackgroundDownloadSendsOneSmallBatchAtATime()
{
    // Twelve UIDs: batches of five, five and two; each is sent only once the
    // one before has come back (a download at full pace asks for all twelve
    // in one command).
    const auto bodies = [](int from, int to) {
        QByteArray reply;
        for (int uid = from; uid <= to; ++uid)
            reply += "* " + QByteArray::number(uid) + " FETCH (UID " + QByteArray::number(uid) + " BODY[] {1}\r\n"
                + QByteArray::number(uid % 10) + ")\r\n";
        return reply;
    };
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    server.send(kGreeting)
        .expect(kLoginLine)
        .send(loginOk("UIDPLUS"))
        .expect(kSelectInbox)
        .send("* 12 EXISTS\r\n* OK [UIDVALIDITY 9] ok\r\n* OK [UIDNEXT 13] next\r\nt2 OK [READ-WRITE] selected\r\n")
        .expect("t3 UID FETCH 1:5 (UID BODY.PEEK[])\r\n")
        .expectQuiet(200)
        .send(bodies(1, 5) + "t3 OK fetched\r\n")
        .expect("t4 UID FETCH 6:10 (UID BODY.PEEK[])\r\n")
        .expectQuiet(200)
        .send(bodies(6, 10) + "t4 OK fetched\r\n")
        .expect("t5 UID FETCH 11:12 (UID BODY.PEEK[])\r\n")
        .send(bodies(11, 12) + "t5 OK fetched\r\n");
    endsWithLogout(server, 6);
    server.start();
    auto client = clientFor(server);
    client->setMaxConnectionsPerServer(1);
    QList<quint32> uids;
    for (quint32 uid = 1; uid <= 12; ++uid)
        uids << uid;
    std::mutex mutex;
    QList<quint32> got;
    auto download = client->downloadMessagesAsync(
        QStringLiteral("INBOX"), uids,
        [&](FetchedMessage &&m) {
            std::lock_guard lock(mutex);
            got << m.uid;
        },
        DownloadPace::Background);
    QVERIFY2(outcome(download).code() == ErrorCode::None, qPrintable(server.failureText()));
    QCOMPARE(download.result().delivered, 12);
    std::sort(got.begin(), got.end());
    QCOMPARE(got, uids);
    QVERIFY2(finish(client, server), qPrintable(server.failureText()));
}

void TestImapClientScripted::aFlagChangeAmidASummaryFetchIsNotTakenForTheSummary()
{
    // A list by UIDs (a page of the message list) and a first sync's download
    // of summaries: each message once, with its subject and the newest flags.
    for (const bool download : {false, true}) {
        ScriptedServer server(ScriptedServer::Tls::Implicit);
        inboxSelected(server, "UIDPLUS")
            .expect("t3 UID FETCH 7,9 " + kSummaryFetchItems + "\r\n")
            .send(flagChangeOf(1, 7) + summaryReply(1, 7, "seven") + summaryReply(2, 9, "nine") + flagChangeOf(2, 9)
                  + "t3 OK fetched\r\n");
        endsWithLogout(server, 4);
        server.start();
        auto client = clientFor(server);
        client->setMaxConnectionsPerServer(1);
        QList<MessageSummary> summaries;
        if (download) {
            std::mutex mutex;
            auto downloaded = client->downloadSummariesAsync(QStringLiteral("INBOX"), {7, 9}, [&](MessageSummary &&m) {
                std::lock_guard lock(mutex);
                summaries << m;
            });
            QCOMPARE(outcome(downloaded).code(), ErrorCode::None);
        } else {
            Result<QList<MessageSummary>> listed = client->listMessages(QStringLiteral("INBOX"), {7, 9});
            QVERIFY2(listed, qPrintable(listed.error().toString() + QLatin1Char(' ') + server.failureText()));
            summaries = listed.value();
        }
        std::sort(summaries.begin(), summaries.end(), [](auto &a, auto &b) { return a.uid < b.uid; });
        QCOMPARE(summaries.size(), 2);
        QCOMPARE(summaries[0].uid, 7u);
        QCOMPARE(summaries[0].subject, QStringLiteral("seven"));
        QCOMPARE(summaries[0].size, 300u);
        QCOMPARE(summaries[1].subject, QStringLiteral("nine"));
        QCOMPARE(summaries[1].flags, QList<QByteArray>{"\\Flagged"}); // the later reply's flags
        QVERIFY2(finish(client, server), qPrintable(server.failureText()));
    }
}

void TestImapClientScripted::aFlagChangeAfterTheSizeDoesNotLoseItForADownloadToAFile()
{
    ScriptedServer server(ScriptedServer::Tls::Implicit);
    inboxSelected(server, "UIDPLUS")
        .expect("t3 UID FETCH 5 (UID RFC822.SIZE)\r\n")
        .send("* 1 FETCH (UID 5 RFC822.SIZE 5)\r\n" + flagChangeOf(1, 5) + "t3 OK fetched\r\n")
        .expect("t4 UID FETCH 5 (UID BODY.PEEK[]<0.1048576>)\r\n")
        .send("* 1 FETCH (UID 5 BODY[]<0> {5}\r\nhello)\r\nt4 OK fetched\r\n");
    endsWithLogout(server, 5);
    server.start();
    auto client = clientFor(server);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("5.eml"));
    const Result<quint64> written = client->fetchMessageToFile(QStringLiteral("INBOX"), 5, path);
    QVERIFY2(written, qPrintable(written.error().toString() + QLatin1Char(' ') + server.failureText()));
    QCOMPARE(written.value(), 5u);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("hello"));
    QVERIFY2(finish(client, server), qPrintable(server.failureText()));
}

QTEST_MAIN(TestImapClientScripted)
#include "tst_imapclient_scripted.moc"
