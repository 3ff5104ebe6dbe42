// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/sync/accountsync.h"

#include <QtConcurrent/QtConcurrentRun>

#include "mailcore/imapclient/imapclient.h"
#include "mailcore/smtpclient/smtpclient.h"
#include "mailcore/store/mailstore.h"

namespace tandem::ui {

using mailcore::store::OfflineAction;

AccountSync::AccountSync(mailcore::store::MailStore &store, mailcore::ImapClient &client, qint64 accountId,
                         std::unique_ptr<mailcore::SmtpClient> smtp, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_client(client)
    , m_accountId(accountId)
    , m_sync(store, client, accountId)
    , m_smtp(std::move(smtp))
{
    m_sendThread.setMaxThreadCount(1);
    m_syncThread.setMaxThreadCount(1);
    m_changeThread.setMaxThreadCount(1);
    m_bodyThreads.setMaxThreadCount(4);
    // Idle threads go: an account that is only read keeps no thread waiting.
    for (QThreadPool *pool : {&m_syncThread, &m_changeThread, &m_bodyThreads, &m_sendThread})
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
}

void AccountSync::waitForDone()
{
    if (m_smtp)
        m_smtp->dispose(); // a send in progress ends now (what it did is in the Outbox)
    m_sendThread.waitForDone();
    m_syncThread.waitForDone();
    m_changeThread.waitForDone();
    m_bodyThreads.waitForDone();
}

void AccountSync::syncAll(const QString &first)
{
    if (m_stopping)
        return;
    sendChanges(QtFuture::makeReadyFuture(qint64(0)));
    sendOutbox();
    ++m_queuedSteps;
    m_syncThread.start([this, first] { runFolderList(first); }, kBackground);
}

void AccountSync::syncFolder(const QString &folder) { queueFolder(folder, kOpenedFolder); }

void AccountSync::queueFolder(const QString &folder, int priority)
{
    if (m_stopping || folder.isEmpty())
        return;
    {
        const QMutexLocker lock(&m_queuedMutex);
        if (m_queuedFolders.contains(folder) && priority == kBackground)
            return; // queued already; a folder the user opens is queued again, ahead
        m_queuedFolders.insert(folder);
    }
    ++m_queuedSteps;
    m_syncThread.start([this, folder] { runFolder(folder); }, priority);
}

void AccountSync::runFolderList(const QString &first)
{
    if (!m_stopping) {
        Q_EMIT syncing(QStringLiteral("folders"));
        const auto report = m_sync.syncFolderList();
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
        const auto report = m_sync.syncFolder(folder);
        if (report)
            Q_EMIT folderSynced(report.value());
        else
            Q_EMIT syncFailed(folder, report.error());
    }
    stepDone();
}

void AccountSync::stepDone()
{
    if (--m_queuedSteps == 0 && !m_stopping)
        Q_EMIT syncFinished();
}

QFuture<QByteArray> AccountSync::body(const QString &folder, quint32 uid)
{
    return QtConcurrent::run(&m_bodyThreads, [this, folder, uid] {
        const mailcore::Result<QByteArray> raw = m_sync.body(folder, uid);
        if (!raw)
            throw mailcore::MailException(raw.error());
        return raw.value();
    });
}

void AccountSync::sendChanges(QFuture<qint64> queued)
{
    if (m_stopping)
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
    mailcore::store::ActionReplay replay(m_store, m_client, m_accountId);
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
