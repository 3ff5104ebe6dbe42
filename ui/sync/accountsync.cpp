// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/sync/accountsync.h"

#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

#include <utility>

#include "mailcore/imapclient/imapclient.h"
#include "mailcore/pop3client/pop3client.h"
#include "mailcore/smtpclient/smtpclient.h"
#include "mailcore/store/mailstore.h"

namespace tandem::ui {

using mailcore::store::OfflineAction;

AccountSync::AccountSync(mailcore::store::MailStore &store, mailcore::ImapClient &client, qint64 accountId,
                         std::unique_ptr<mailcore::SmtpClient> smtp, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_imap(&client)
    , m_accountId(accountId)
    , m_imapSync(std::make_unique<mailcore::store::ImapSync>(store, client, accountId))
    , m_smtp(std::move(smtp))
{
    setUpThreads();
    connect(m_imap, &mailcore::ImapClient::folderChanged, this, &AccountSync::syncFolder); // watch()
    // Emitted in the sync thread; handled here, in the GUI thread.
    connect(
        this, &AccountSync::folderSynced, this,
        [this](const mailcore::store::FolderSyncReport &report) { folderSyncEnded(report.folder); },
        Qt::QueuedConnection);
    connect(
        this, &AccountSync::syncFailed, this,
        [this](const QString &what, const mailcore::Error &) { folderSyncEnded(what); }, Qt::QueuedConnection);
    connect(
        this, &AccountSync::syncFinished, this,
        [this] {
            // Whatever still waits (a folder that could not be synced at all) waits no longer.
            const QSet<QString> waiting = std::exchange(m_watchAfterSync, {});
            for (const QString &folder : waiting)
                startWatching(folder);
        },
        Qt::QueuedConnection);
}

AccountSync::AccountSync(mailcore::store::MailStore &store, mailcore::Pop3Client &client, qint64 accountId,
                         const mailcore::store::Pop3Policy &policy, std::unique_ptr<mailcore::SmtpClient> smtp,
                         QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_pop3(&client)
    , m_accountId(accountId)
    , m_pop3Sync(std::make_unique<mailcore::store::Pop3Sync>(store, client, accountId))
    , m_pop3Policy(policy)
    , m_poll(new QTimer(this))
    , m_smtp(std::move(smtp))
{
    setUpThreads();
    // POP3 has no IDLE: new mail is looked for now and then.
    m_poll->setInterval(kPop3PollMs);
    connect(m_poll, &QTimer::timeout, this, [this] { syncAll(); });
    m_poll->start();
}

void AccountSync::setUpThreads()
{
    if (m_smtp)
        followSendingBytes();
    m_sendThread.setMaxThreadCount(1);
    m_syncThread.setMaxThreadCount(1);
    m_changeThread.setMaxThreadCount(1);
    m_bodyThreads.setMaxThreadCount(4);
    m_prefetchThread.setMaxThreadCount(1);
    // Idle threads go: an account that is only read keeps no thread waiting.
    for (QThreadPool *pool : {&m_syncThread, &m_changeThread, &m_bodyThreads, &m_sendThread, &m_prefetchThread})
        pool->setExpiryTimeout(30000);
}

AccountSync::~AccountSync()
{
    stop();
    waitForDone();
}

void AccountSync::stop()
{
    m_stopping = true;
    m_syncThread.clear();
    // The change thread's queue is not dropped: its jobs keep the user's
    // changes in the store (a draft's old version to remove, an undo), and
    // skip the server once stopping.
    m_bodyThreads.clear();
    m_sendThread.clear();
    m_prefetchThread.clear();
}

void AccountSync::waitForDone()
{
    if (m_smtp)
        m_smtp->dispose(); // a send in progress ends now (what it did is in the Outbox)
    m_sendThread.waitForDone();
    m_syncThread.waitForDone();
    m_changeThread.waitForDone();
    m_bodyThreads.waitForDone();
    m_prefetchThread.waitForDone();
}

void AccountSync::syncAll(const QString &first)
{
    if (m_stopping)
        return;
    sendChanges(QtFuture::makeReadyFuture(qint64(0)));
    sendOutbox();
    if (m_pop3) {
        syncFolder(QStringLiteral("INBOX")); // its only folder: a download
        return;
    }
    ++m_queuedSteps;
    m_syncThread.start([this, first] { runFolderList(first); }, kBackground);
}

void AccountSync::syncFolder(const QString &folder) { queueFolder(folder, kOpenedFolder); }

void AccountSync::watch(const QString &folder)
{
    if (!m_imap || m_imap->isMonitoring(folder))
        return;
    if (m_queuedSteps > 0 && !m_syncedSinceStart.contains(folder)) {
        m_watchAfterSync.insert(folder);
        return;
    }
    startWatching(folder);
}

void AccountSync::folderSyncEnded(const QString &folder)
{
    m_syncedSinceStart.insert(folder);
    if (m_watchAfterSync.remove(folder))
        startWatching(folder);
}

void AccountSync::startWatching(const QString &folder)
{
    // A sync's end may come (queued) after stop(): the client is going away.
    if (m_stopping || m_imap->isMonitoring(folder))
        return;
    m_imap->startMonitoring(folder);
    m_awaitingIdle.insert(folder);
    if (!m_followingPool)
        m_followingPool = connect(m_imap, &mailcore::ImapClient::poolChanged, this, &AccountSync::catchUpOnIdle);
}

void AccountSync::unwatch(const QString &folder)
{
    if (!m_imap)
        return;
    m_watchAfterSync.remove(folder);
    m_imap->stopMonitoring(folder);
    m_awaitingIdle.remove(folder);
}

void AccountSync::catchUpOnIdle(const mailcore::PoolSnapshot &snapshot)
{
    for (const mailcore::PoolConnectionInfo &c : snapshot.connections) {
        if (c.role == mailcore::PoolConnectionInfo::Role::Push && c.state == mailcore::ConnectionActivity::State::Idling
            && m_awaitingIdle.remove(c.folder))
            syncFolder(c.folder);
    }
    // A watch still opening its push connection is waited for. Polled
    // folders (no room or no IDLE) never idle: their first poll learned the
    // folder as it was, so what came before it is read now.
    using Mode = mailcore::ImapClient::WatchMode;
    for (auto it = m_awaitingIdle.begin(); it != m_awaitingIdle.end();) {
        const Mode mode = m_imap->watchMode(*it);
        if (mode == Mode::Poll)
            syncFolder(*it);
        if (mode == Mode::Poll || mode == Mode::None)
            it = m_awaitingIdle.erase(it);
        else
            ++it;
    }
    if (m_awaitingIdle.isEmpty()) {
        disconnect(m_followingPool); // the snapshots cost the client work while anyone listens
        m_followingPool = {};
    }
}

void AccountSync::queueFolder(const QString &folder, int priority)
{
    if (m_stopping || folder.isEmpty() || (m_pop3 && folder != QLatin1String("INBOX")))
        return;
    {
        const QMutexLocker lock(&m_queuedMutex);
        if (m_queuedFolders.contains(folder) && priority == kBackground)
            return; // queued already; a folder the user opens is queued again, ahead
        m_queuedFolders.insert(folder);
    }
    ++m_queuedSteps;
    if (m_pop3)
        m_syncThread.start([this] { runDownload(); }, priority);
    else
        m_syncThread.start([this, folder] { runFolder(folder); }, priority);
}

void AccountSync::runFolderList(const QString &first)
{
    if (!m_stopping) {
        Q_EMIT syncing(QStringLiteral("folders"));
        const auto report = m_imapSync->syncFolderList();
        if (!report) {
            Q_EMIT syncFailed(QStringLiteral("folders"), report.error());
        } else {
            Q_EMIT folderListSynced(report.value());
            sendOutbox(); // a sent message's copy waits for the Sent folder to be known
            const auto folders = m_store.folders(m_accountId);
            if (folders) {
                queueFolder(first, kOpenedFolder);
                queueFolder(QStringLiteral("INBOX"), kOpenedFolder - 1);
                for (const mailcore::store::Folder &f : folders.value()) {
                    if (f.selectable)
                        queueFolder(f.name, kBackground);
                }
            }
        }
    }
    stepDone();
}

void AccountSync::runFolder(const QString &folder)
{
    {
        const QMutexLocker lock(&m_queuedMutex);
        m_queuedFolders.remove(folder);
    }
    if (!m_stopping) {
        Q_EMIT syncing(folder);
        const auto report = m_imapSync->syncFolder(folder);
        if (report) {
            Q_EMIT folderSynced(report.value());
            prefetchLater(folder);
        } else
            Q_EMIT syncFailed(folder, report.error());
    }
    stepDone();
}

void AccountSync::runDownload()
{
    const QString inbox = QStringLiteral("INBOX");
    {
        const QMutexLocker lock(&m_queuedMutex);
        m_queuedFolders.remove(inbox);
    }
    if (!m_stopping) {
        // Told as a folder list and the inbox's sync: the window follows POP3 as IMAP.
        Q_EMIT syncing(QStringLiteral("folders"));
        const auto report = m_pop3Sync->download(m_pop3Policy);
        if (report) {
            Q_EMIT folderListSynced({});
            sendOutbox();
            mailcore::store::FolderSyncReport synced;
            synced.folder = inbox;
            synced.added = report->downloaded;
            Q_EMIT folderSynced(synced);
        } else {
            Q_EMIT syncFailed(QStringLiteral("folders"), report.error());
        }
    }
    stepDone();
}

void AccountSync::stepDone()
{
    if (--m_queuedSteps == 0 && !m_stopping) {
        startPrefetches();
        Q_EMIT syncFinished();
    }
}

void AccountSync::prefetchLater(const QString &folder)
{
    const QMutexLocker lock(&m_queuedMutex);
    if (!m_prefetchDue.contains(folder))
        m_prefetchDue << folder; // in the order synced: the folder the user opened first
}

void AccountSync::startPrefetches()
{
    QStringList due;
    {
        const QMutexLocker lock(&m_queuedMutex);
        due.swap(m_prefetchDue);
    }
    for (const QString &folder : std::as_const(due))
        m_prefetchThread.start([this, folder] { runPrefetch(folder); });
}

void AccountSync::runPrefetch(const QString &folder)
{
    if (m_stopping)
        return;
    const auto stored = m_store.folder(m_accountId, folder);
    if (!stored || !stored.value())
        return;
    using mailcore::FolderRole;
    switch (stored.value()->role) {
    case FolderRole::Trash:
    case FolderRole::Junk:
    case FolderRole::All: // the same messages as the real folders
    case FolderRole::Flagged: return;
    default: break;
    }
    // A failure (offline, the folder gone meanwhile) costs nothing: a body
    // not here is fetched when opened, and the next sync tries again.
    const auto fetched = m_imapSync->prefetchBodies(folder, kPrefetchNewest);
    if (fetched)
        Q_EMIT bodiesPrefetched(folder, fetched.value());
}

QFuture<QByteArray> AccountSync::body(const QString &folder, quint32 uid)
{
    return QtConcurrent::run(&m_bodyThreads, [this, folder, uid] {
        // A POP3 account has one folder, INBOX: its mail is all in the store.
        const mailcore::Result<QByteArray> raw = m_imap ? m_imapSync->body(folder, uid) : m_pop3Sync->body(uid);
        if (!raw)
            throw mailcore::MailException(raw.error());
        return raw.value();
    });
}

void AccountSync::sendChanges(QFuture<qint64> queued)
{
    // A POP3 account's changes are the store's alone: nothing to send.
    if (m_stopping || !m_imap)
        return;
    m_changeThread.start([this, queued]() mutable {
        try {
            queued.waitForFinished(); // the change is in the queue the replay reads
        } catch (const mailcore::MailException &) {
            // Not kept (the disk is full): the replay sends what the queue holds.
        }
        if (!m_stopping)
            replayChanges();
    });
}

void AccountSync::replayChanges()
{
    if (!m_imap)
        return;
    mailcore::store::ActionReplay replay(m_store, *m_imap, m_accountId);
    const auto report = replay.replay();
    if (!report)
        return;
    {
        const QMutexLocker lock(&m_placedMutex);
        for (auto it = report->placed.cbegin(); it != report->placed.cend(); ++it)
            m_placed.insert(it.key(), it.value());
    }
    // What the server did (or refused) shows once those folders are synced.
    for (const QString &folder : report->touched)
        queueFolder(folder, kOpenedFolder);
    Q_EMIT changesSent(report.value());
}

} // namespace tandem::ui
