// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The IMAP sync against the kit's real server: a first sync, then changes made
// behind its back by another client (new mail, flags, expunges, a rename, a
// folder recreated with a new UIDVALIDITY); each resync must find them all,
// and the store must then equal the server message by message. Registered
// once per kit profile, one per way of finding the changes: on `pooled` by
// QRESYNC (one SELECT), on `condstore` (QRESYNC hidden) by the UID list and
// CONDSTORE, on `trimmed` (both hidden) by the UID list and every flag.

#include <QCoreApplication>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "mailcore/imapclient/imapclient.h"
#include "mailcore/store/committed.h"
#include "mailcore/store/imapsync.h"
#include "mailcore/store/mailstore.h"
#include "support/faultproxy.h"
#include "support/kitenv.h"
#include "support/logcapture.h"
#include "support/outcome.h"

using namespace mailcore;
using namespace mailcore::store;
using tandem::test::FaultProxy;
using tandem::test::KitEnv;
using tandem::test::LogCapture;
using tandem::test::outcome;

namespace {

QByteArray testMessage(const QString &folder, int n)
{
    const QByteArray id = QStringLiteral("<%1-%2@sync.test>").arg(folder).arg(n).toUtf8().replace('/', '-');
    QByteArray m = "From: Sync Test <sync@example.org>\r\nTo: alice@example.org\r\nSubject: Message "
        + QByteArray::number(n) + " of " + folder.toUtf8()
        + "\r\nDate: Sun, 06 Dec 2026 10:00:00 +0000\r\nMessage-ID: " + id + "\r\n";
    if (n > 1)
        m += "In-Reply-To: <parent-" + QByteArray::number(n - 1)
            + "@sync.test>\r\nReferences: <root@sync.test> <parent-" + QByteArray::number(n - 1) + "@sync.test>\r\n";
    return m + "\r\nBody " + QByteArray::number(n) + "\r\n";
}

QList<QByteArray> sorted(QList<QByteArray> flags)
{
    std::sort(flags.begin(), flags.end());
    return flags;
}

/// The commands mailcore sent while `log` captured, without their tags, from
/// the lines the session logs for each ("> "t5 SELECT ...""); those of a
/// login are left out (a connection the pool opened meanwhile is no cost of
/// the operation).
QStringList commandsIn(const LogCapture &log)
{
    static const QRegularExpression command(QStringLiteral("^> \"t\\d+ (.*)\"$"));
    static const QRegularExpression login(QStringLiteral("^(CAPABILITY|STARTTLS|AUTHENTICATE|LOGIN|ENABLE)\\b"));
    QStringList out;
    for (const QString &line : log.lines()) {
        const QRegularExpressionMatch m = command.match(line);
        if (m.hasMatch() && !login.match(m.captured(1)).hasMatch())
            out << m.captured(1);
    }
    return out;
}

/// The commands' names: "UID SEARCH" of "UID SEARCH RETURN (ALL) ALL".
QStringList namesOf(const QStringList &commands)
{
    QStringList out;
    for (const QString &c : commands) {
        const QStringList words = c.split(QLatin1Char(' '));
        out << (words.first() == QLatin1String("UID") && words.size() > 1 ? words.mid(0, 2).join(QLatin1Char(' '))
                                                                          : words.first());
    }
    return out;
}

} // namespace

class TestStoreImapSync : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void firstSyncThenEveryChangeBehindItsBackIsFound();
    void aResyncWithNothingChangedCostsOneSelectWithQResync();
    void aFolderRenamedOnTheServerKeepsItsMessages();
    void aFolderRecreatedWithANewUidValidityIsFetchedAnew();
    void bodiesComeOnDemandOrNewestFirstAndStayReadableOffline();
    void searchJoinsTheStoresMatchesAndTheServers();
    void aServerGoneMidSyncLeavesAConsistentStoreTheNextSyncCompletes();

private:
    std::unique_ptr<ImapClient> client() const;
    /// A fresh folder on the server for the running test, holding `count` messages.
    QString ownFolder(int count, const QString &suffix = {});
    /// The store's folder id, after a list sync made it known.
    qint64 folderId(const QString &name);
    /// The store's rows of `folder` equal the server's messages, field by field.
    void compareWithServer(const QString &folder);
    bool hidden(const QString &capability) const
    {
        return m_env.value(QStringLiteral("TANDEM_KIT_CAPABILITIES_HIDDEN"))
            .split(QLatin1Char(' '))
            .contains(capability);
    }
    bool condStoreHidden() const { return hidden(QStringLiteral("CONDSTORE")); }
    /// How a resync finds changes on this kit's server: the best it offers.
    FolderChanges::Method resyncMethod() const
    {
        if (!hidden(QStringLiteral("QRESYNC")))
            return FolderChanges::Method::QResync;
        return condStoreHidden() ? FolderChanges::Method::Full : FolderChanges::Method::CondStore;
    }

    KitEnv m_env;
    std::unique_ptr<ImapClient> m_other;  // "behind the back": another client of the same account
    std::unique_ptr<ImapClient> m_client; // the sync's
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MailStore> m_store;
    std::unique_ptr<ImapSync> m_sync;
    qint64 m_accountId = 0;
    QStringList m_folders;
};

void TestStoreImapSync::initTestCase()
{
    m_env = KitEnv::load();
    QVERIFY2(m_env.isValid(), qPrintable(m_env.error()));
    m_other = client();
}

void TestStoreImapSync::init()
{
    m_client = client();
    m_dir = std::make_unique<QTemporaryDir>();
    Result<std::unique_ptr<MailStore>> opened = MailStore::open(m_dir->filePath(QStringLiteral("store.sqlite")));
    QVERIFY2(opened, qPrintable(opened.error().toString()));
    m_store = std::move(opened.value());
    QFuture<qint64> account = m_store->addAccount(Account{0,
                                                          QStringLiteral("kit"),
                                                          QStringLiteral("imap"),
                                                          m_env.host(),
                                                          m_env.port(QStringLiteral("TANDEM_KIT_IMAPS_PORT")),
                                                          QStringLiteral("tls"),
                                                          m_env.user(),
                                                          {}});
    QVERIFY(!outcome(account).isError());
    m_accountId = account.result();
    m_sync = std::make_unique<ImapSync>(*m_store, *m_client, m_accountId);
}

void TestStoreImapSync::cleanup()
{
    for (const QString &folder : std::as_const(m_folders))
        m_other->deleteFolder(folder); // best effort: a test may have renamed it
    m_folders.clear();
    m_sync.reset();
    m_store.reset();
    m_client.reset();
    m_dir.reset();
}

std::unique_ptr<ImapClient> TestStoreImapSync::client() const
{
    return std::make_unique<ImapClient>(m_env.endpoint(QStringLiteral("TANDEM_KIT_IMAPS_PORT")), m_env.user(),
                                        m_env.password());
}

QString TestStoreImapSync::ownFolder(int count, const QString &suffix)
{
    const QString name = m_env.value(QStringLiteral("TANDEM_KIT_FOLDER_PREFIX"))
        + QStringLiteral("sync-%1-%2%3")
              .arg(QString::fromLatin1(QTest::currentTestFunction()))
              .arg(QCoreApplication::applicationPid())
              .arg(suffix);
    const Error created = m_other->createFolder(name);
    if (created.isError())
        qWarning("cannot create %s: %s", qPrintable(name), qPrintable(created.toString()));
    m_folders << name;
    for (int n = 1; n <= count; ++n) {
        const Result<quint32> uid = m_other->appendMessage(name, testMessage(name, n));
        if (!uid)
            qWarning("cannot append to %s: %s", qPrintable(name), qPrintable(uid.error().toString()));
    }
    return name;
}

qint64 TestStoreImapSync::folderId(const QString &name)
{
    const Result<std::optional<Folder>> f = m_store->folder(m_accountId, name);
    return f && f.value() ? f.value()->id : 0;
}

void TestStoreImapSync::compareWithServer(const QString &folder)
{
    // A client of its own: a connection that had the folder selected before
    // it was deleted and made again may still see the old one (Dovecot).
    const Result<QList<MessageSummary>> server = client()->listMessages(folder, 1);
    QVERIFY2(server, qPrintable(server.error().toString()));
    const Result<QList<StoredMessage>> stored = m_store->messages(folderId(folder), SortColumn::Arrival,
                                                                  Qt::AscendingOrder);
    QVERIFY2(stored, qPrintable(stored.error().toString()));
    QList<StoredMessage> rows = stored.value();
    std::sort(rows.begin(), rows.end(),
              [](const StoredMessage &a, const StoredMessage &b) { return a.summary.uid < b.summary.uid; });
    QCOMPARE(rows.size(), server->size());
    for (qsizetype i = 0; i < rows.size(); ++i) {
        const MessageSummary &s = server->at(i);
        const MessageSummary &r = rows.at(i).summary;
        const QByteArray where = QStringLiteral("%1 UID %2").arg(folder).arg(s.uid).toUtf8();
        QVERIFY2(r.uid == s.uid, where.constData());
        const QByteArray flags = where + " flags " + r.flags.join(' ') + " / " + s.flags.join(' ');
        QVERIFY2(sorted(r.flags) == sorted(s.flags), flags.constData());
        QVERIFY2(r.size == s.size, where.constData());
        QVERIFY2(r.subject == s.subject, where.constData());
        QVERIFY2(r.messageId == s.messageId, where.constData());
        QVERIFY2(r.inReplyTo == s.inReplyTo, where.constData());
        QVERIFY2(r.references == s.references, where.constData());
        QVERIFY2(r.from == s.from && r.to == s.to, where.constData());
        QVERIFY2(r.internalDate.toSecsSinceEpoch() == s.internalDate.toSecsSinceEpoch(), where.constData());
        QVERIFY2(r.parts == s.parts, where.constData());
    }
}

void TestStoreImapSync::firstSyncThenEveryChangeBehindItsBackIsFound()
{
    const QString folder = ownFolder(12);
    QSignalSpy folderEvents(&m_store->events(), &StoreEvents::foldersChanged);
    const Result<FolderListReport> listed = m_sync->syncFolderList();
    QVERIFY2(listed, qPrintable(listed.error().toString()));
    QVERIFY(listed->added.contains(folder));
    QVERIFY(listed->added.contains(QStringLiteral("INBOX")));
    // The new list is one commit: a folder view never shows half of it.
    // (The writer runs in order: once a later write is done, every event before it was sent.)
    QVERIFY(!committed(m_store->setFlags(folderId(folder), {})).isError());
    QCOMPARE(folderEvents.count(), 1);

    const Result<FolderSyncReport> first = m_sync->syncFolder(folder);
    QVERIFY2(first, qPrintable(first.error().toString()));
    QCOMPARE(first->added, 12);
    QCOMPARE(first->removed, 0);
    compareWithServer(folder);
    QCOMPARE(m_store->message(folderId(folder), 3).value()->summary.references,
             (QStringList{QStringLiteral("root@sync.test"), QStringLiteral("parent-2@sync.test")}));

    // Behind its back: three new, two flagged, one unflagged, two expunged.
    for (int n = 13; n <= 15; ++n)
        QVERIFY(m_other->appendMessage(folder, testMessage(folder, n)));
    const QList<quint32> uids = m_other->allUids(folder).value();
    QCOMPARE(uids.size(), 15);
    QVERIFY(!m_other->addFlags(folder, {uids[0], uids[1]}, {"\\Flagged"}).isError());
    QVERIFY(!m_other->addFlags(folder, {uids[2]}, {"\\Seen"}).isError());
    QVERIFY(!m_other->deleteMessages(folder, {uids[3], uids[4]}).isError());
    QVERIFY(!m_other->expunge(folder, {uids[3], uids[4]}).isError());

    const Result<FolderSyncReport> second = m_sync->syncFolder(folder);
    QVERIFY2(second, qPrintable(second.error().toString()));
    QCOMPARE(second->added, 3);
    QCOMPARE(second->removed, 2);
    QVERIFY(!second->reset);
    QCOMPARE(second->method, resyncMethod());
    // Every known message that stayed, or (QRESYNC, CONDSTORE) only those that changed.
    QCOMPARE(second->flagsUpdated, condStoreHidden() ? 10 : 3);
    compareWithServer(folder);

    // Nothing changed: nothing is written (with CONDSTORE nothing is even read).
    const Result<FolderSyncReport> third = m_sync->syncFolder(folder);
    QVERIFY2(third, qPrintable(third.error().toString()));
    QCOMPARE(third->method, resyncMethod());
    QCOMPARE(third->added, 0);
    QCOMPARE(third->removed, 0);
    QCOMPARE(third->flagsUpdated, condStoreHidden() ? 13 : 0);
    compareWithServer(folder);
    const Folder marks = m_store->folder(m_accountId, folder).value().value();
    QCOMPARE(marks.serverCount, 13u);
    QCOMPARE(marks.uidNext, uids.last() + 1);
    QCOMPARE(marks.highestModseq > 0, !condStoreHidden());
}

void TestStoreImapSync::aResyncWithNothingChangedCostsOneSelectWithQResync()
{
    const QString folder = ownFolder(6);
    QVERIFY(m_sync->syncFolderList());
    QVERIFY(m_sync->syncFolder(folder));

    std::optional<LogCapture> log{std::in_place};
    const Result<FolderSyncReport> again = m_sync->syncFolder(folder);
    const QStringList sent = commandsIn(*log);
    log.reset();
    QVERIFY2(again, qPrintable(again.error().toString()));
    QCOMPARE(again->method, resyncMethod());
    QCOMPARE(again->added + again->removed + again->flagsUpdated, condStoreHidden() ? 6 : 0);
    const QByteArray what = sent.join(QStringLiteral(" / ")).toUtf8();
    switch (resyncMethod()) {
    case FolderChanges::Method::QResync: {
        // One round trip: the SELECT with the known UIDVALIDITY, HIGHESTMODSEQ and UIDs.
        QVERIFY2(sent.size() == 1, what.constData());
        const Folder marks = m_store->folder(m_accountId, folder).value().value();
        const QString expected = QStringLiteral("SELECT %1 (QRESYNC (%2 %3 1:6))") // a new folder's UIDs: 1 to 6
                                     .arg(folder)
                                     .arg(marks.uidValidity)
                                     .arg(marks.highestModseq);
        QCOMPARE(sent.first(), expected);
        break;
    }
    case FolderChanges::Method::CondStore: // HIGHESTMODSEQ did not move: no flags are read
        QCOMPARE(namesOf(sent),
                 (QStringList{QStringLiteral("SELECT"), QStringLiteral("STATUS"), QStringLiteral("NOOP"),
                              QStringLiteral("UID SEARCH")}));
        break;
    case FolderChanges::Method::Full:
        QCOMPARE(namesOf(sent),
                 (QStringList{QStringLiteral("SELECT"), QStringLiteral("STATUS"), QStringLiteral("NOOP"),
                              QStringLiteral("UID SEARCH"), QStringLiteral("UID FETCH")}));
        break;
    }
}

void TestStoreImapSync::aFolderRenamedOnTheServerKeepsItsMessages()
{
    const QString folder = ownFolder(5);
    QVERIFY(m_sync->syncFolderList());
    QVERIFY(m_sync->syncFolder(folder));
    const qint64 id = folderId(folder);
    const qint64 firstRow = m_store->message(id, m_other->allUids(folder).value().first()).value()->id;

    const QString renamed = folder + QStringLiteral("-renamed");
    QVERIFY(!m_other->renameFolder(folder, renamed).isError());
    m_folders << renamed;
    const Result<FolderListReport> listed = m_sync->syncFolderList();
    QVERIFY2(listed, qPrintable(listed.error().toString()));
    QVERIFY(listed->renamed.contains(std::pair{folder, renamed}));
    QVERIFY(!listed->removed.contains(folder));
    QCOMPARE(folderId(renamed), id);
    QCOMPARE(folderId(folder), 0);

    const Result<FolderSyncReport> again = m_sync->syncFolder(renamed);
    QVERIFY2(again, qPrintable(again.error().toString()));
    QCOMPARE(again->added, 0); // nothing fetched again
    QCOMPARE(m_store->message(id, m_other->allUids(renamed).value().first()).value()->id, firstRow);
    compareWithServer(renamed);
}

void TestStoreImapSync::aFolderRecreatedWithANewUidValidityIsFetchedAnew()
{
    const QString folder = ownFolder(4);
    QVERIFY(m_sync->syncFolderList());
    QVERIFY(m_sync->syncFolder(folder));
    const quint32 before = m_store->folder(m_accountId, folder).value()->uidValidity;

    QVERIFY(!m_other->deleteFolder(folder).isError());
    QVERIFY(!m_other->createFolder(folder).isError());
    for (int n = 101; n <= 102; ++n)
        QVERIFY(m_other->appendMessage(folder, testMessage(folder, n)));
    QVERIFY(m_other->folderStatus(folder).value().uidValidity != before);

    QVERIFY(m_sync->syncFolderList());
    const Result<FolderSyncReport> again = m_sync->syncFolder(folder);
    QVERIFY2(again, qPrintable(again.error().toString()));
    QVERIFY(again->reset);
    QCOMPARE(again->removed, 4);
    QCOMPARE(again->added, 2);
    compareWithServer(folder);
    QCOMPARE(m_store->folder(m_accountId, folder).value()->uidValidity,
             m_other->folderStatus(folder).value().uidValidity);
}

void TestStoreImapSync::bodiesComeOnDemandOrNewestFirstAndStayReadableOffline()
{
    const QString folder = ownFolder(8);
    QVERIFY(m_sync->syncFolderList());
    QVERIFY(m_sync->syncFolder(folder));
    const QList<quint32> uids = m_other->allUids(folder).value();
    QCOMPARE(uids.size(), 8);
    const qint64 id = folderId(folder);

    // The newest three, in the background.
    const Result<int> prefetched = m_sync->prefetchBodies(folder, 3);
    QVERIFY2(prefetched, qPrintable(prefetched.error().toString()));
    QCOMPARE(prefetched.value(), 3);
    for (qsizetype i = 0; i < uids.size(); ++i)
        QCOMPARE(m_store->message(id, uids[i]).value()->hasBody, i >= 5);
    QCOMPARE(m_sync->prefetchBodies(folder, 3).value(), 0); // nothing fetched twice

    // On demand: fetched once, then kept.
    const Result<QByteArray> first = m_sync->body(folder, uids[0]);
    QVERIFY2(first, qPrintable(first.error().toString()));
    QCOMPARE(first.value(), m_other->fetchMessage(folder, uids[0]).value());
    QVERIFY(m_store->message(id, uids[0]).value()->hasBody);

    // With the server out of reach, what is kept is still read; what is not is an error.
    Endpoint nowhere = m_env.endpoint(QStringLiteral("TANDEM_KIT_IMAPS_PORT"));
    nowhere.port = 1; // nothing listens there
    ImapClient offline(nowhere, m_env.user(), m_env.password());
    ImapSync offlineSync(*m_store, offline, m_accountId);
    const Result<QByteArray> kept = offlineSync.body(folder, uids[7]);
    QVERIFY2(kept, qPrintable(kept.error().toString()));
    QCOMPARE(kept.value(), m_other->fetchMessage(folder, uids[7]).value());
    const Result<QByteArray> missing = offlineSync.body(folder, uids[3]);
    QVERIFY(!missing);
    QCOMPARE(missing.error().code(), ErrorCode::Network);
}

void TestStoreImapSync::searchJoinsTheStoresMatchesAndTheServers()
{
    const QString folder = ownFolder(0);
    const QStringList words{QStringLiteral("alpaca"), QStringLiteral("bison"), QStringLiteral("camel"),
                            QStringLiteral("alpaca bison")};
    for (const QString &w : words) {
        const QByteArray m = "From: a@example.org\r\nSubject: animals\r\nMessage-ID: <" + w.toUtf8().replace(' ', '-')
            + "@search.test>\r\n\r\nToday: " + w.toUtf8() + ".\r\n";
        QVERIFY(m_other->appendMessage(folder, m));
    }
    QVERIFY(m_sync->syncFolderList());
    QVERIFY(m_sync->syncFolder(folder));
    const QList<quint32> uids = m_other->allUids(folder).value(); // alpaca, bison, camel, alpaca bison
    QVERIFY(m_sync->body(folder, uids[0]));                       // only the first body is stored

    const auto uidsOf = [](const SearchResult &r) {
        QList<quint32> out;
        for (const StoredMessage &m : r.messages)
            out << m.summary.uid;
        std::sort(out.begin(), out.end());
        return out;
    };
    // "alpaca": the store knows the first, the server the fourth.
    const Result<SearchResult> alpaca = m_sync->search(folder, QStringLiteral("alpaca"));
    QVERIFY2(alpaca, qPrintable(alpaca.error().toString()));
    QVERIFY(!alpaca->serverError.isError());
    QCOMPARE(uidsOf(alpaca.value()), (QList<quint32>{uids[0], uids[3]}));
    QCOMPARE(alpaca->fromServer, 1);
    // Every word must be there.
    QCOMPARE(uidsOf(m_sync->search(folder, QStringLiteral("bison alpaca")).value()), QList<quint32>{uids[3]});
    // Headers match in the store alone.
    QCOMPARE(uidsOf(m_sync->search(folder, QStringLiteral("animals")).value()).size(), 4);

    // Offline: the store's matches, and why the server's are missing.
    Endpoint nowhere = m_env.endpoint(QStringLiteral("TANDEM_KIT_IMAPS_PORT"));
    nowhere.port = 1;
    ImapClient offline(nowhere, m_env.user(), m_env.password());
    ImapSync offlineSync(*m_store, offline, m_accountId);
    const Result<SearchResult> local = offlineSync.search(folder, QStringLiteral("alpaca"));
    QVERIFY(local);
    QCOMPARE(uidsOf(local.value()), QList<quint32>{uids[0]});
    QCOMPARE(local->serverError.code(), ErrorCode::Network);
}

void TestStoreImapSync::aServerGoneMidSyncLeavesAConsistentStoreTheNextSyncCompletes()
{
    const QString folder = ownFolder(0);
    QList<NewMessage> many;
    for (int n = 1; n <= 600; ++n) {
        NewMessage m;
        m.data = testMessage(folder, n);
        many << m;
    }
    QVERIFY(m_other->appendMessages(folder, many));

    // The sync's client goes through a proxy that takes the server out of
    // reach in the middle of a reply (no retry can get through).
    FaultProxy proxy(m_env.port(QStringLiteral("TANDEM_KIT_IMAPS_PORT")));
    proxy.start();
    ImapClient client(m_env.endpoint(QStringLiteral("TANDEM_KIT_IMAPS_PORT"), proxy.port()), m_env.user(),
                      m_env.password());
    ImapSync sync(*m_store, client, m_accountId);
    QVERIFY(sync.syncFolderList());
    proxy.refuseAfterServerBytes(60'000); // past the commands before them, well into the summaries
    const Result<FolderSyncReport> cut = sync.syncFolder(folder);
    QVERIFY2(!cut, "the sync did not notice the server go");

    // Consistent: the folder's marks did not move, so the next sync starts
    // from where the last finished; the rows that came are kept.
    const Folder marks = m_store->folder(m_accountId, folder).value().value();
    QCOMPARE(marks.uidValidity, 0u);
    QCOMPARE(marks.uidNext, 0u);
    const int partial = m_store->messageCount(folderId(folder)).value();
    QVERIFY2(partial < 600, qPrintable(QString::number(partial)));

    proxy.refuseConnections(false);
    const Result<FolderSyncReport> done = sync.syncFolder(folder);
    QVERIFY2(done, qPrintable(done.error().toString()));
    QCOMPARE(done->added, 600 - partial);
    compareWithServer(folder);
}

QTEST_GUILESS_MAIN(TestStoreImapSync)
#include "tst_store_imapsync.moc"
