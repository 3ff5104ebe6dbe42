// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QFuture>
#include <QHash>

#include <memory>
#include <optional>

#include "mailcore/base/result.h"
#include "mailcore/mailcore_export.h"
#include "mailcore/store/records.h"
#include "mailcore/store/storeevents.h"

namespace mailcore::store {

/// The local store: one SQLite file (and a folder of large bodies beside it)
/// holding accounts, folders, message rows and bodies.
///
/// Writes go to one writer thread and return a future that finishes when the
/// change is committed (or failed, and nothing of it stayed). Reads run on the
/// calling thread with a connection of that thread's own; in WAL mode they
/// never wait for the writer and see the last committed state. Every method
/// may be called from any thread.
class MAILCORE_EXPORT MailStore
{
public:
    /// Opens (creating, checking and migrating: prepare()) the store at `path`.
    /// openReport() says whether a damaged file had to be set aside.
    static Result<std::unique_ptr<MailStore>> open(const QString &path);
    /// Writes what is queued, then closes every connection. Reads of other
    /// threads must have ended.
    ~MailStore();
    /// Not copied: it owns the writer thread and the connections.
    MailStore(const MailStore &) = delete;
    /// Not copied.
    MailStore &operator=(const MailStore &) = delete;

    /// The database file.
    QString path() const;

    /// Told whenever a committed change touched folders or messages: what
    /// lists reading the store follow to stay live.
    StoreEvents &events();
    /// What opening found: the version it had, and whether it was damaged and rebuilt.
    const PrepareReport &openReport() const;
    /// Bodies larger than this are kept as files beside the database.
    static constexpr qint64 kLargeBody = 100 * 1024;

    // Writes.
    QFuture<qint64> addAccount(Account account); ///< the new id
    /// Writes every field of the account `account.id` (its settings changed).
    QFuture<void> saveAccount(Account account);
    /// The account is gone from this computer: with every folder, message,
    /// body, Outbox entry and queued action of it. (Its server is not touched.)
    QFuture<void> removeAccount(qint64 accountId);
    /// Inserts or updates by (account, name); the folder's id.
    QFuture<qint64> saveFolder(Folder folder);
    /// saveFolder() for many in one transaction, so a reader sees all or none
    /// of them (a new folder list appears at once); their ids in that order.
    QFuture<QList<qint64>> saveFolders(QList<Folder> folders);
    /// The folder is now called `newName` (its messages stay).
    QFuture<void> renameFolder(qint64 folderId, QString newName);
    QFuture<void> removeFolder(qint64 folderId); ///< with its messages and bodies
    /// The server's UIDVALIDITY changed: every message known of the folder is
    /// void. Drops them (and their bodies) and records the new value.
    QFuture<void> resetFolder(qint64 folderId, quint32 uidValidity);
    /// Inserts or updates message rows by UID (flags, modseq and the rest).
    QFuture<void> saveMessages(qint64 folderId, QList<StoredMessage> messages);
    /// New flags for messages known by UID; unknown UIDs are ignored.
    QFuture<void> setFlags(qint64 folderId, QList<std::pair<quint32, QList<QByteArray>>> flags);
    /// The messages are gone from the folder (expunged); with their bodies.
    QFuture<void> removeMessages(qint64 folderId, QList<quint32> uids);
    /// The raw message of a stored row; replaces an earlier one.
    QFuture<void> saveBody(qint64 messageId, QByteArray raw);
    /// A message downloaded by POP3 (uidl: its UIDL on the server): its row
    /// (given the folder's next UID), its body and the record that it came,
    /// in one transaction. The new row's id.
    QFuture<qint64> saveDownloaded(qint64 accountId, qint64 folderId, QByteArray uidl, StoredMessage message,
                                   QByteArray raw);
    /// These downloaded messages are gone from the POP3 server (deleted and committed).
    QFuture<void> markDeletedOnServer(qint64 accountId, QList<QByteArray> uidls);
    /// Keeps an action to send to the server later; its id (actions are sent in id order).
    QFuture<qint64> queueAction(qint64 accountId, OfflineAction action);
    /// The action was sent (or given up): it goes.
    QFuture<void> finishAction(qint64 actionId);
    /// Sending the action failed with `error`; it stays, for the next try.
    QFuture<void> failAction(qint64 actionId, QString error);
    /// Puts a written message in the Outbox; its id (sent in id order).
    QFuture<qint64> queueOutgoing(OutboxEntry entry);
    /// The entry is about to be handed to the server: if the process ends
    /// before markSent(), it may have gone out and is not sent again by itself.
    QFuture<void> markSending(qint64 id);
    /// The server took it (DATA accepted).
    QFuture<void> markSent(qint64 id);
    /// Sending failed before the server took it: it waits again, with why.
    QFuture<void> failOutgoing(qint64 id, QString error);
    /// The user edits it (`held`): not sent until put back (a waiting entry only).
    QFuture<void> holdOutgoing(qint64 id, bool held);
    /// It is done (sent and copied to Sent) or the user cancelled it: it goes.
    QFuture<void> removeOutgoing(qint64 id);
    /// What a pool learned of a server's connection limit (B05).
    QFuture<void> rememberConnectionLimit(QString protocol, QString host, int port, QString user, int limit);

    // Reads.
    /// Every account, in the order they were added.
    Result<QList<Account>> accounts();
    /// The folders of an account, by name.
    Result<QList<Folder>> folders(qint64 accountId);
    /// One folder by name; none when the store does not know it.
    Result<std::optional<Folder>> folder(qint64 accountId, const QString &name);
    /// Rows `offset` to `offset + limit - 1` of the folder in that order.
    Result<QList<StoredMessage>> messages(qint64 folderId, SortColumn column = SortColumn::Date,
                                          Qt::SortOrder order = Qt::DescendingOrder, int offset = 0, int limit = -1);
    /// The `limit` rows that follow `last` (a row of the previous page) in
    /// that order: a message list's next page, as fast deep in the folder as
    /// at its top.
    Result<QList<StoredMessage>> messagesAfter(qint64 folderId, SortColumn column, Qt::SortOrder order,
                                               const StoredMessage &last, int limit);
    /// The newest `limit` messages of the folder (all when negative) whose
    /// body the store lacks, by arrival: UID -> the store's id. Reads only
    /// those two columns (what a download needs of 100,000 rows).
    Result<QHash<quint32, qint64>> withoutBody(qint64 folderId, int limit = -1);
    /// One message by UID; none when the store does not know it.
    Result<std::optional<StoredMessage>> message(qint64 folderId, quint32 uid);
    /// Message `uid` of the account's folder `folder`; NotFound when the
    /// store has no such folder or message (what reading a message starts from).
    Result<StoredMessage> message(qint64 accountId, const QString &folder, quint32 uid);
    Result<QList<quint32>> uids(qint64 folderId); ///< ascending
    /// How many messages of the folder the store holds.
    Result<int> messageCount(qint64 folderId);
    /// Messages and unread ones of each folder of the account that has any
    /// (of `folderId` only, if not 0), by folder id.
    Result<QHash<qint64, FolderCounts>> folderCounts(qint64 accountId, qint64 folderId = 0);
    /// The messages of an account (of one folder if `folderId` is not 0)
    /// whose subject, people or stored text hold every one of `words` (each
    /// as a word or the start of one; case and accents do not matter), newest
    /// first, at most `limit`. Messages whose body is not stored are found by
    /// their headers only: ask the server for the rest.
    Result<QList<StoredMessage>> search(qint64 accountId, const QString &words, qint64 folderId = 0, int limit = 500);
    /// The raw message, if the store has it.
    Result<std::optional<QByteArray>> body(qint64 messageId);
    /// The people of the account's stored messages (From, To, Cc), each
    /// address once with a name it was seen with, those seen most first, at
    /// most `limit`: what a composer completes addresses from. Worker threads
    /// for a big store (it reads every row).
    Result<QList<mime::MailAddress>> correspondents(qint64 accountId, int limit = 5000);
    /// The account's Outbox, oldest first.
    Result<QList<OutboxEntry>> outbox(qint64 accountId);
    /// The actions of an account waiting to be sent, oldest first.
    Result<QList<OfflineAction>> pendingActions(qint64 accountId);
    /// Every message a POP3 account downloaded, by UIDL.
    Result<QHash<QByteArray, Pop3Download>> pop3Downloads(qint64 accountId);
    /// The limit rememberConnectionLimit() saved for that server and user; none if never.
    Result<std::optional<int>> connectionLimit(const QString &protocol, const QString &host, int port,
                                               const QString &user);

private:
    struct Private;
    explicit MailStore(std::unique_ptr<Private> d);
    std::unique_ptr<Private> d;
};

} // namespace mailcore::store
