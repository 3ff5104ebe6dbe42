// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QFuture>
#include <QHash>
#include <QMap>
#include <QMutex>
#include <QObject>
#include <QSet>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <memory>
#include <type_traits>

#include "mailcore/base/error.h"
#include "mailcore/smtpclient/smtpclient.h"
#include "mailcore/store/actionreplay.h"
#include "mailcore/store/imapsync.h"
#include "mailcore/store/pop3sync.h"

class QTimer;

namespace mailcore {
class ImapClient;
class Pop3Client;
} // namespace mailcore
namespace mailcore::store {
class MailStore;
}

namespace tandem::ui {

/// Keeps the local store in step with one account through one client: made
/// with the client and retired with it (Account). The window reads only the
/// store; this fills it.
///
/// A POP3 account's mail lives in the store (store::Pop3Sync downloads it
/// into its INBOX, at start, at every "Get new mail" and every few minutes):
/// its changes (read, flags, delete) are the store's alone, and it has no
/// server folders to move to, no Drafts and no Sent folder on the server.
///
/// Three kinds of work, each on threads of its own so that none waits behind
/// another: syncs (the folder list, then folder by folder, one at a time; the
/// folder the user opens goes first), the user's changes (read, flags: written
/// to the store at once, then sent in order through the store's queue of
/// offline actions, so a change made offline is sent when the server is
/// back), and bodies to read (from the store, else fetched and kept). The
/// GUI thread never waits for any of them: results arrive as signals.
class AccountSync : public QObject
{
    Q_OBJECT

public:
    /// `store` and `client` must outlive it; `smtp` (nullptr: the account
    /// cannot send) is its own.
    AccountSync(mailcore::store::MailStore &store, mailcore::ImapClient &client, qint64 accountId,
                std::unique_ptr<mailcore::SmtpClient> smtp = {}, QObject *parent = nullptr);
    /// A POP3 account, downloaded with `policy` (what becomes of the server's copies).
    AccountSync(mailcore::store::MailStore &store, mailcore::Pop3Client &client, qint64 accountId,
                const mailcore::store::Pop3Policy &policy, std::unique_ptr<mailcore::SmtpClient> smtp = {},
                QObject *parent = nullptr);
    ~AccountSync() override; ///< stop() and waitForDone() must have been called

    mailcore::store::MailStore &store() const { return m_store; }
    /// The IMAP client; nullptr for a POP3 account.
    mailcore::ImapClient *imapClient() const { return m_imap; }
    bool isPop3() const { return m_pop3 != nullptr; }
    /// How often a POP3 account looks for new mail (it has no IDLE).
    static constexpr int kPop3PollMs = 5 * 60 * 1000;
    qint64 accountId() const { return m_accountId; }

    /// Sends what waits from earlier, then the folder list, then `first`,
    /// the inbox and every other folder.
    void syncAll(const QString &first = {});
    /// One folder, ahead of the folders queued by syncAll() (the user opened it).
    void syncFolder(const QString &folder);
    /// Watches `folder` for new mail (B10: IDLE where the server has it) and
    /// syncs it at each change; and once more when its IDLE is in place, since
    /// mail that came between the folder's last sync and the IDLE's SELECT is
    /// no news to the IDLE. IMAP only (a POP3 account polls). GUI thread.
    /// While syncs run and `folder` has not been synced since the start, the
    /// watch begins once it has: an IDLE's login (TLS on both sides) beside a
    /// first sync's connections competes with them and the window for the
    /// cores (the GUI bench's first sync: the median longest stall of a set
    /// 27-36 ms with the watches at once, 26 ms deferred), and the sync on
    /// IDLE catches up on what came meanwhile.
    void watch(const QString &folder);
    /// Stops watching `folder`.
    void unwatch(const QString &folder);
    /// The raw message: from the store, else fetched from the server and kept.
    QFuture<QByteArray> body(const QString &folder, quint32 uid);
    /// How many of a folder's newest messages have their bodies fetched
    /// after its sync, once no sync waits (issue 12): the mail most likely
    /// to be opened opens at once, and can be read offline. In the
    /// background (DownloadPace::Background: one extra connection, out of
    /// the way of the user's clicks), so a bigger number costs time, not
    /// responsiveness; the Trash, Junk and virtual folders are left out.
    static constexpr int kPrefetchNewest = 50;
    /// Runs `read(store, imapClient)` on a thread of this sync's own (a read
    /// of many rows, the start of a download; the client is nullptr for
    /// POP3): never on the GUI thread, and always over before the store and
    /// the client go (waitForDone()).
    template <typename F>
    auto run(F read) -> QFuture<std::invoke_result_t<F, mailcore::store::MailStore &, mailcore::ImapClient *>>
    {
        return QtConcurrent::run(&m_bodyThreads, [this, read = std::move(read)] { return read(m_store, m_imap); });
    }
    // The user's changes (changes.cpp). Each goes to the store at once (the
    // lists follow it), then to the server, in the order made, through the
    // store's queue of offline actions: offline, it waits there and is sent
    // when the server is back. What the server refuses is reported
    // (changesSent) and the folders are synced again, which puts the store
    // back as the server has it.

    /// Adds (or removes) `flag` of the messages.
    void setFlags(qint64 folderId, const QString &folder, const QList<quint32> &uids, const QByteArray &flag, bool on);
    /// Moves the messages to `target`: gone from the folder's list at once;
    /// undoable (undo()).
    void moveMessages(qint64 folderId, const QString &folder, const QList<quint32> &uids, const QString &target);
    /// Copies the messages to `target`; they show there after its sync.
    void copyMessages(const QString &folder, const QList<quint32> &uids, const QString &target);
    /// Removes the messages for good (what deleting does in the Trash). Not undoable.
    void expungeMessages(qint64 folderId, const QString &folder, const QList<quint32> &uids);
    /// A draft in the Drafts folder: the append that put it there, or its UID
    /// when known (a draft opened from the folder). Empty: none yet.
    struct Draft {
        QFuture<qint64> queued; ///< the Append action of the last save
        quint32 uid = 0;        ///< the draft's UID in the Drafts folder
    };
    /// Keeps `message` as a draft in the Drafts folder in place of
    /// `previous`: queued in the store at once (a crash keeps it), on the
    /// server when it can be reached. The new draft, for the next save.
    Draft saveDraft(const QByteArray &message, const Draft &previous);
    /// The draft is no longer wanted (the message was sent): removed.
    void discardDraft(const Draft &draft);
    /// Whether the last move can be taken back, and what it was.
    bool canUndo() const { return !m_undo.isEmpty(); }
    QString undoText() const { return m_undo.isEmpty() ? QString() : m_undo.last().text; }
    /// Takes the last move back: if it has not reached the server yet it is
    /// dropped and its rows come back at once; else the messages are moved
    /// back (by the UIDs the server gave them, UIDPLUS) and both folders synced.
    void undo();

    // Sending (sending.cpp): through the Outbox, so that a message that
    // cannot go now waits in the store, is tried again, and is never sent twice.

    /// Whether the account has an SMTP server.
    bool canSend() const { return m_smtp != nullptr; }
    /// Puts the message in the Outbox and sends what waits there.
    void send(const QByteArray &message, const QString &sender, const QStringList &recipients);
    /// Sends what waits in the Outbox (each in turn; one that the server may
    /// have taken already, "sending" when a run ended, is left to the user).
    void sendOutbox();
    /// Holds a waiting message for the user to edit (not sent meanwhile):
    /// done in turn with the sending, so never in the middle of a try;
    /// heldForEditing() follows. Put back with holdOutgoing(id, false).
    void editOutgoing(qint64 id);
    /// Holds a waiting message while the user edits it (not sent), or puts it back.
    void holdOutgoing(qint64 id, bool held);
    /// Takes a message out of the Outbox (it is not sent).
    void cancelOutgoing(qint64 id);

    /// Queued work is dropped and running work ends at its next step.
    void stop();
    /// Waits until no work runs (after stop(); the client disposed, so that
    /// what runs ends at once). Not on the GUI thread while a client lives.
    void waitForDone();

Q_SIGNALS:
    /// A sync step began ("folders" or a folder's name).
    void syncing(const QString &what);
    void folderListSynced(const mailcore::store::FolderListReport &report);
    void folderSynced(const mailcore::store::FolderSyncReport &report);
    /// A step failed: `what` as in syncing(). The store keeps what it had.
    void syncFailed(const QString &what, const mailcore::Error &error);
    /// Nothing more is queued.
    void syncFinished();
    /// The background prefetch of `folder`'s newest bodies (kPrefetchNewest)
    /// is done: `stored` of them were fetched now (0: the store had them).
    void bodiesPrefetched(const QString &folder, int stored);
    /// The user's changes were sent (or some wait: the server could not be reached).
    void changesSent(const mailcore::store::ReplayReport &report);
    /// The Outbox changed (a message queued, sent, failed or cancelled).
    void outboxChanged();
    /// Message `entry` of the Outbox is held for the user to edit (editOutgoing()).
    void heldForEditing(const mailcore::store::OutboxEntry &entry);
    /// A message went out (the server took it).
    void messageSent(qint64 outboxId);
    /// Message `outboxId` is being handed to the server: `done` of its
    /// `total` bytes so far (0 at the start, `total` once taken; the bytes the
    /// SMTP connections wrote, so a little ahead while they log in). After a
    /// failure: `done` is -1. Emitted in the sync's (the GUI) thread.
    void sendProgress(qint64 outboxId, qint64 done, qint64 total);
    /// What undo() would take back changed (nothing: empty).
    void undoChanged(const QString &text);
    /// undo() could not take the move back (the server did not say where the messages went).
    void undoFailed(const QString &why);

private:
    void queueFolder(const QString &folder, int priority);
    /// GUI thread: syncs each watched folder whose IDLE has just come in place.
    void catchUpOnIdle(const mailcore::PoolSnapshot &snapshot);
    void startWatching(const QString &folder);
    /// GUI thread: `folder`'s sync ended (done or failed); starts its watch if one waits for it.
    void folderSyncEnded(const QString &folder);
    void runFolderList(const QString &first);
    void runFolder(const QString &folder);
    /// POP3: downloads what is new (sync thread).
    void runDownload();
    void setUpThreads();
    /// Sends the queued changes once `queued` (the last one queued) is kept.
    void sendChanges(QFuture<qint64> queued);
    /// Change thread: sends what waits in the store's queue, in order.
    void replayChanges();
    /// Sync steps by priority: what the user opened (or changed) first, then the rest.
    static constexpr int kOpenedFolder = 10;
    static constexpr int kBackground = 0;
    void stepDone();
    /// Sync thread: `folder`'s newest bodies are fetched once no sync waits.
    void prefetchLater(const QString &folder);
    /// Starts the prefetches waiting (the last sync step is done).
    void startPrefetches();
    /// Prefetch thread: `folder`'s newest bodies into the store.
    void runPrefetch(const QString &folder);
    /// GUI thread: sendProgress() from the SMTP pool's byte counts.
    void followSendingBytes();
    /// Any thread: sendProgress(), emitted in the GUI thread.
    void tellProgress(qint64 outboxId, qint64 done, qint64 total);
    /// Send thread: one Outbox entry, start to end.
    void sendEntry(const mailcore::store::OutboxEntry &entry);
    /// A change queued: kept in the store, then sent (sendChanges).
    void queue(const mailcore::store::OfflineAction &action);
    /// Change thread: the undo of `step` (see undo()).
    struct UndoStep;
    void runUndo(const UndoStep &step);
    /// Change thread: takes `draft` out of Drafts (not sent yet: dropped from the queue).
    void removeDraftOn(const Draft &draft);
    /// The account's folder with `role` (Drafts, Sent), else `fallback` (an
    /// append makes it); `known` says whether the store knows any folder of
    /// the account yet (before the first folder list sync, it does not).
    QString folderOfRole(mailcore::FolderRole role, const QString &fallback, bool *known = nullptr) const;

    mailcore::store::MailStore &m_store;
    mailcore::ImapClient *m_imap = nullptr; ///< an IMAP account's client
    mailcore::Pop3Client *m_pop3 = nullptr; ///< a POP3 account's client
    qint64 m_accountId;
    std::unique_ptr<mailcore::store::ImapSync> m_imapSync;
    std::unique_ptr<mailcore::store::Pop3Sync> m_pop3Sync;
    mailcore::store::Pop3Policy m_pop3Policy;
    QTimer *m_poll = nullptr;     ///< POP3: looks for new mail now and then
    QThreadPool m_syncThread;     ///< one thread: one sync step at a time
    QThreadPool m_changeThread;   ///< one thread: the user's changes in order
    QThreadPool m_bodyThreads;    ///< bodies to read, a few at once
    QThreadPool m_sendThread;     ///< one thread: the Outbox, one message at a time
    QThreadPool m_prefetchThread; ///< one thread: the newest bodies, a folder at a time
    std::unique_ptr<mailcore::SmtpClient> m_smtp;
    /// The message being sent, for sendProgress(): written by the send thread, read in the GUI thread.
    std::atomic<qint64> m_sendingId{0};
    std::atomic<qint64> m_sendingTotal{0};
    std::atomic<quint64> m_sendingBase{0}; ///< what the SMTP connections had written before it
    std::atomic<bool> m_stopping{false};
    std::atomic<int> m_queuedSteps{0};
    QMutex m_queuedMutex;
    QSet<QString> m_queuedFolders;           ///< folders waiting for a sync step (not twice)
    QStringList m_prefetchDue;               ///< synced folders whose prefetch waits for the last sync step
    QSet<QString> m_awaitingIdle;            ///< GUI thread: watched folders whose IDLE is not in place yet
    QSet<QString> m_syncedSinceStart;        ///< GUI thread: folders whose sync ended at least once
    QSet<QString> m_watchAfterSync;          ///< GUI thread: watches waiting for their folder's sync (watch())
    QMetaObject::Connection m_followingPool; ///< to catchUpOnIdle(), while m_awaitingIdle has any

    /// A move the user can take back.
    struct UndoStep {
        QString text;        ///< "Move 2 messages to Trash"
        qint64 folderId = 0; ///< where they were
        QString folder;
        QString target;                             ///< where they went
        QList<mailcore::store::StoredMessage> rows; ///< their rows, to put back at once
        QFuture<qint64> queued;                     ///< the queued action's id
    };
    QList<UndoStep> m_undo; ///< GUI thread
    QMutex m_placedMutex;
    QHash<qint64, QMap<quint32, quint32>> m_placed; ///< change thread writes: where sent moves put messages
};

} // namespace tandem::ui
