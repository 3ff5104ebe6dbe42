// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// "Download folder" against the kit's real Dovecot, watched through the
// Connections dock: it fetches every message the store lacks into a real
// SQLite store, the dock sees the pool at work and back at rest, and Cancel
// stops it, even with its commands on the wire.
//
// The kit's largest folder (alice's INBOX, 120 messages) is below one bulk
// chunk (200 UIDs, mailcore B03), so the pool rightly fetches it on one
// connection. To see several connections at work the test fills a folder of
// its own in carol's mailbox (no other test uses carol's IMAP mailbox).

#include <QLabel>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "mailcore/imapclient/imapclient.h"
#include "mailcore/store/imapsync.h"
#include "mailcore/store/mailstore.h"
#include "pool/poolhelpers.h"
#include "support/faultproxy.h"
#include "support/kitenv.h"
#include "support/outcome.h"
#include "ui/connections/connectionsdock.h"
#include "ui/connections/connectionsmodel.h"
#include "ui/download/folderdownload.h"
#include "ui/sync/accountsync.h"

using mailcore::ImapClient;
using mailcore::PoolConnectionInfo;
using tandem::test::FaultProxy;
using tandem::test::KitEnv;
using tandem::ui::ConnectionsDock;
using tandem::ui::FolderDownload;

namespace {

const QString kBigFolder = QStringLiteral("Download test");
// Ten bulk chunks' worth (200 UIDs each): nine extras at work with the limit
// at 10.
constexpr int kBigFolderSize = 2000;
constexpr int kCarol = 2;

QByteArray seedMessage(int n) { return tandem::test::numberedMessage("download-test", n, 40); }

/// Whether the dock shows the pool at rest: no busy row, nothing in use or waiting.
bool atRest(const ConnectionsDock &dock)
{
    const mailcore::PoolSnapshot &s = dock.model()->snapshot();
    return dock.model()->busyCount() == 0 && s.inUse == 0 && s.tasksWaiting == 0 && s.tasksRunning == 0;
}

/// A store of its own in a temporary folder, with `folder`'s rows synced
/// from the server (what "Download folder" finds in the app), and the sync
/// the widget downloads through.
struct SyncedStore {
    ImapClient &client;
    QTemporaryDir dir;
    std::unique_ptr<mailcore::store::MailStore> store;
    std::unique_ptr<tandem::ui::AccountSync> sync;
    QString error;

    SyncedStore(ImapClient &client, const QString &folder)
        : client(client)
    {
        auto opened = mailcore::store::MailStore::open(dir.filePath(QStringLiteral("mail.sqlite")));
        if (!opened) {
            error = opened.error().toString();
            return;
        }
        store = std::move(opened.value());
        mailcore::store::Account account;
        account.protocol = QStringLiteral("imap");
        const qint64 id = store->addAccount(account).result();
        mailcore::store::ImapSync rows(*store, client, id);
        const auto list = rows.syncFolderList();
        const auto synced = list ? rows.syncFolder(folder) : list.error();
        if (!synced && synced.error().code() != mailcore::ErrorCode::NotFound)
            error = synced.error().toString();
        sync = std::make_unique<tandem::ui::AccountSync>(*store, client, id);
    }
    /// The client's work ends first (as Account disposes it in the app): a
    /// fetch still running writes into the store.
    ~SyncedStore() { client.dispose(); }
    /// How many of the folder's messages have their body in the store.
    int storedBodies(const QString &folder) const
    {
        const auto f = store->folder(sync->accountId(), folder);
        if (!f || !f.value())
            return -1;
        const auto rows = store->messages(f.value()->id);
        return rows ? int(std::count_if(rows->cbegin(), rows->cend(),
                                        [](const mailcore::store::StoredMessage &m) { return m.hasBody; }))
                    : -1;
    }
};

} // namespace

class TestDownload : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void downloadsEveryMessageOfAFolder();
    void dockShowsSeveralConnectionsBusyWhileItRunsThenIdle();
    void cancelStopsTheDownloadWithItsCommandsOnTheWire();
    void cancelWhileListingStopsToo();
    void missingFolderFailsWithTheServersError();

private:
    /// `user`'s client; through `proxy` if one is given.
    std::unique_ptr<ImapClient> client(int user = 0, const FaultProxy *proxy = nullptr) const;
    KitEnv m_env;
};

std::unique_ptr<ImapClient> TestDownload::client(int user, const FaultProxy *proxy) const
{
    return std::make_unique<ImapClient>(
        m_env.endpoint(QStringLiteral("TANDEM_KIT_IMAPS_PORT"), proxy ? proxy->port() : 0), m_env.user(user),
        m_env.password(user));
}

void TestDownload::initTestCase()
{
    m_env = KitEnv::load();
    if (!m_env.isValid())
        QFAIL(qPrintable(m_env.error()));
    // Fill carol's test folder up to its size (the kit may have been used before).
    auto carol = client(kCarol);
    auto status = carol->folderStatus(kBigFolder);
    if (!status) {
        const mailcore::Error created = carol->createFolder(kBigFolder);
        QVERIFY2(!created.isError(), qPrintable(created.toString()));
        status = carol->folderStatus(kBigFolder);
        QVERIFY2(status, qPrintable(status.error().toString()));
    }
    QList<QFuture<quint32>> appends;
    for (int n = int(status.value().messages); n < kBigFolderSize; ++n)
        appends << carol->appendMessageAsync(kBigFolder, seedMessage(n));
    for (const QFuture<quint32> &append : std::as_const(appends)) {
        const mailcore::Error error = tandem::test::outcome(append, 120000);
        QVERIFY2(!error.isError(), qPrintable(error.toString()));
    }
    status = carol->folderStatus(kBigFolder);
    QVERIFY(status);
    QCOMPARE(int(status.value().messages), kBigFolderSize);
}

void TestDownload::downloadsEveryMessageOfAFolder()
{
    auto alice = client();
    SyncedStore kept(*alice, QStringLiteral("INBOX"));
    QVERIFY2(kept.error.isEmpty(), qPrintable(kept.error));
    QCOMPARE(kept.storedBodies(QStringLiteral("INBOX")), 0);
    ConnectionsDock dock(alice.get());
    FolderDownload download(kept.sync.get());
    QSignalSpy progress(&download, &FolderDownload::progress);
    QSignalSpy finished(&download, &FolderDownload::finished);
    download.start(QStringLiteral("INBOX"));
    QVERIFY(download.isRunning());
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QCOMPARE(finished.at(0).at(1).toString(), QString());
    QVERIFY(!download.isRunning());
    const QList<QVariant> last = progress.last();
    QCOMPARE(last.at(1).toInt(), 120); // the small corpus's INBOX
    QCOMPARE(last.at(0).toInt(), 120);
    // The count is beside the bar, where its fill cannot cover it.
    auto *count = download.findChild<QLabel *>(QStringLiteral("downloadCount"));
    QVERIFY(count);
    QCOMPARE(count->text(), QStringLiteral("120 of 120"));
    QVERIFY(!download.findChild<QProgressBar *>()->isTextVisible());
    // Kept: every message can be read offline now, and a second run has nothing to fetch.
    QCOMPARE(kept.storedBodies(QStringLiteral("INBOX")), 120);
    QTRY_VERIFY_WITH_TIMEOUT(atRest(dock), 30000);
    download.start(QStringLiteral("INBOX"));
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.at(1).at(1).toString(), QString());
    QCOMPARE(progress.last().at(1).toInt(), 0);
}

void TestDownload::dockShowsSeveralConnectionsBusyWhileItRunsThenIdle()
{
    auto carol = client(kCarol);
    QCOMPARE(carol->maxConnectionsPerServer(), 10);
    ConnectionsDock dock(carol.get());
    dock.resize(700, 400);
    dock.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dock));
    int mostBusy = 0;
    int mostRows = 0;
    // Connected after the dock, so the dock's model already shows this snapshot.
    connect(carol.get(), &ImapClient::poolChanged, this, [&] {
        mostBusy = std::max(mostBusy, dock.model()->busyCount());
        mostRows = std::max(mostRows, dock.model()->rowCount());
    });
    SyncedStore kept(*carol, kBigFolder);
    QVERIFY2(kept.error.isEmpty(), qPrintable(kept.error));
    FolderDownload download(kept.sync.get());
    QSignalSpy finished(&download, &FolderDownload::finished);
    int done = 0;
    connect(&download, &FolderDownload::progress, this, [&](int d, int) { done = d; });
    download.start(kBigFolder);
    QVERIFY(finished.wait(120000));
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QCOMPARE(finished.at(0).at(1).toString(), QString());
    QCOMPARE(done, kBigFolderSize);
    QCOMPARE(kept.storedBodies(kBigFolder), kBigFolderSize);
    qInfo("at most %d connections busy, %d rows", mostBusy, mostRows);
    QVERIFY2(mostBusy > 1, qPrintable(QStringLiteral("at most %1 busy rows").arg(mostBusy)));
    QVERIFY(mostRows > 2);
    // Back to rest: no busy row, nothing in use, nothing waiting.
    QTRY_VERIFY_WITH_TIMEOUT(atRest(dock), 30000);
    QVERIFY2(dock.summaryText().contains(QStringLiteral("0 waiting")), qPrintable(dock.summaryText()));
}

void TestDownload::cancelStopsTheDownloadWithItsCommandsOnTheWire()
{
    // Behind a proxy that can silence the server: the download is cancelled
    // while its commands are on the wire and unanswered, a moment the test
    // holds for as long as it needs, so nothing depends on how fast the
    // machine is (a race of cancel() against the transfer did: with the
    // machine busy, most of the folder had arrived before cancel() ran).
    FaultProxy proxy(m_env.port(QStringLiteral("TANDEM_KIT_IMAPS_PORT")));
    proxy.start();
    auto carol = client(kCarol, &proxy);
    QVERIFY(!carol->setMaxConnectionsPerServer(2).isError()); // main + the extra the download gets
    // The extra first (kept for reuse), with the folder selected: the
    // download's UID FETCH go straight to it.
    const auto uids = carol->allUids(kBigFolder);
    QVERIFY2(uids, qPrintable(uids ? QString() : uids.error().toString()));
    QCOMPARE(tandem::test::outcome(carol->fetchMessagesAsync(kBigFolder, {uids.value().first()})).code(),
             mailcore::ErrorCode::None);
    QCOMPARE(carol->poolSnapshot().connectionCount, 2);
    const auto theExtra = [&]() -> std::optional<PoolConnectionInfo> {
        const QList<PoolConnectionInfo> extras = tandem::test::withRole(carol->poolSnapshot(),
                                                                        PoolConnectionInfo::Role::Extra);
        return extras.isEmpty() ? std::nullopt : std::optional(extras.first());
    };
    SyncedStore kept(*carol, kBigFolder);
    QVERIFY2(kept.error.isEmpty(), qPrintable(kept.error));
    const int extraId = theExtra()->id;

    ConnectionsDock dock(carol.get());
    FolderDownload download(kept.sync.get());
    QSignalSpy finished(&download, &FolderDownload::finished);
    int progressAfterCancel = 0;
    bool cancelled = false;
    connect(&download, &FolderDownload::progress, this, [&] {
        if (cancelled)
            ++progressAfterCancel;
    });
    // Which messages to fetch comes from the store, not the server: from here
    // the server says nothing more, so the fetch's commands wait on the wire.
    proxy.stallServer(true);
    download.start(kBigFolder);
    // The extra has UID FETCH commands on the wire that will not be answered.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const auto extra = theExtra();
            return extra && extra->activity.command.trimmed() == QLatin1String("UID FETCH")
                && extra->activity.queueDepth > 0;
        }(),
        30000);
    QVERIFY(download.isRunning());
    cancelled = true;
    download.cancel();

    // The download ends as cancelled although the server never answered: its
    // commands were stopped, not drained. (Waited for: a busy machine makes
    // it late, and without cancel() it would never end.)
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QCOMPARE(finished.at(0).at(1).toString(), QString());
    QVERIFY(!download.isRunning());
    QCOMPARE(progressAfterCancel, 0);
    // The connection that carried them was closed (pool spec B07), on the
    // server's side too; the main one stays, and the dock shows the pool at
    // rest. (The pool drops a closed connection from its list on its next
    // use, or once idle for the idle time.)
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const auto extra = theExtra();
            return !extra || extra->id != extraId || extra->state == PoolConnectionInfo::State::Closed;
        }(),
        30000);
    QTRY_COMPARE_WITH_TIMEOUT(proxy.open(), 1, 30000);
    QTRY_VERIFY_WITH_TIMEOUT(atRest(dock), 30000);

    // The server speaks again. After a round trip on the main connection
    // (whatever the server still had for the download would be in by then,
    // had the connection not been closed), the download has not moved, and
    // no connection was opened again for it.
    proxy.stallServer(false);
    QVERIFY(!carol->noop().isError());
    QCOMPARE(progressAfterCancel, 0);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(carol->poolSnapshot().connectionCount, 1);
    QCOMPARE(proxy.accepted(), 2);

    // The widget can be used again right away.
    download.start(QStringLiteral("INBOX"));
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.size(), 2);
    QCOMPARE(finished.at(1).at(0).toBool(), false);
}

void TestDownload::cancelWhileListingStopsToo()
{
    auto carol = client(kCarol);
    SyncedStore kept(*carol, kBigFolder);
    QVERIFY2(kept.error.isEmpty(), qPrintable(kept.error));
    FolderDownload download(kept.sync.get());
    QSignalSpy finished(&download, &FolderDownload::finished);
    QSignalSpy progress(&download, &FolderDownload::progress);
    download.start(kBigFolder);
    download.cancel(); // the UIDs are not even asked for yet
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    for (const QList<QVariant> &p : std::as_const(progress))
        QCOMPARE(p.at(0).toInt(), 0);
}

void TestDownload::missingFolderFailsWithTheServersError()
{
    auto carol = client(kCarol);
    SyncedStore kept(*carol, QStringLiteral("No such folder"));
    QVERIFY2(kept.error.isEmpty(), qPrintable(kept.error));
    FolderDownload download(kept.sync.get());
    QSignalSpy finished(&download, &FolderDownload::finished);
    download.start(QStringLiteral("No such folder"));
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QVERIFY2(!finished.at(0).at(1).toString().isEmpty(), "the error is reported");
}

QTEST_MAIN(TestDownload)
#include "tst_download.moc"
