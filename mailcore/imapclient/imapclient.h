// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QFuture>
#include <QMap>

#include <chrono>
#include <functional>
#include <memory>

#include "mailcore/base/result.h"
#include "mailcore/client/credentialsbyhostclient.h"
#include "mailcore/imapclient/imaptypes.h"

namespace mailcore {

/// A pooled IMAP client: any number of threads may call it at once (see
/// CredentialsByHostClient). Every operation names the folder it works on;
/// there is no "current folder" shared between threads (S16 in docs/POOL.md).
/// Messages are addressed by UID. Each operation has a synchronous form
/// (returns Result<T> or Error; usable from any thread but the GUI thread
/// should not block) and an asynchronous form (returns a QFuture at once; its
/// error arrives as MailException; cancelling it while it waits for a
/// connection ends it).
///
/// Errors: a NO or BAD from the server is ErrorCode::ServerRefused with the
/// server's text, a missing folder included (its text names the folder); a
/// UID the folder does not hold is ErrorCode::NotFound where a single message
/// is asked for (fetches), and simply absent from the answer where many are
/// (lists, flags, copy...), as IMAP itself treats it.
class MAILCORE_EXPORT ImapClient : public CredentialsByHostClient
{
    Q_OBJECT

public:
    /// A client of `user`'s account at `endpoint`. Opens nothing until the first
    /// operation (S03). The thread that creates it may not call createConnection() (S12).
    ImapClient(Endpoint endpoint, QString user, QString password, QObject *parent = nullptr);
    /// Ends the folder watches, then dispose().
    ~ImapClient() override;

    /// NOOP: logs in if needed (the cheapest way to connect ahead of time) and
    /// lets the server report changes.
    Error noop();
    /// The asynchronous form of noop(): short work, on the main connection (S15).
    QFuture<void> noopAsync();

    // Folders. Names are full paths with the server's delimiter ("Archive/2026").

    /// Every folder with its role, subscription and message/unseen counts
    /// (LIST-STATUS in one command when offered, else STATUS per folder).
    Result<QList<FolderInfo>> listFolders();
    /// The asynchronous form of listFolders(): short work, on the main connection (S15).
    QFuture<QList<FolderInfo>> listFoldersAsync();

    /// STATUS of `folder`: counts, UIDNEXT and UIDVALIDITY, without selecting it.
    Result<FolderStatus> folderStatus(const QString &folder);
    /// The asynchronous form of folderStatus(): short work, on the main connection (S15).
    QFuture<FolderStatus> folderStatusAsync(const QString &folder);

    /// CREATE: a new folder, named by its full path.
    Error createFolder(const QString &folder);
    /// The asynchronous form of createFolder(): short work, on the main connection (S15).
    QFuture<void> createFolderAsync(const QString &folder);
    /// RENAME: the folder `from` gets the full name `to`.
    Error renameFolder(const QString &from, const QString &to);
    /// The asynchronous form of renameFolder(): short work, on the main connection (S15).
    QFuture<void> renameFolderAsync(const QString &from, const QString &to);
    /// DELETE: removes the folder and the messages in it.
    Error deleteFolder(const QString &folder);
    /// The asynchronous form of deleteFolder(): short work, on the main connection (S15).
    QFuture<void> deleteFolderAsync(const QString &folder);
    /// SUBSCRIBE: adds the folder to the user's subscriptions (FolderInfo::subscribed).
    Error subscribeFolder(const QString &folder);
    /// The asynchronous form of subscribeFolder(): short work, on the main connection (S15).
    QFuture<void> subscribeFolderAsync(const QString &folder);
    /// UNSUBSCRIBE: removes the folder from the user's subscriptions.
    Error unsubscribeFolder(const QString &folder);
    /// The asynchronous form of unsubscribeFolder(): short work, on the main connection (S15).
    QFuture<void> unsubscribeFolderAsync(const QString &folder);

    // Which messages a folder holds.

    /// The UIDs of every message in `folder`, ascending (UID SEARCH ALL; ESEARCH
    /// when offered). Short work: answers come from the server's index.
    Result<QList<quint32>> allUids(const QString &folder);
    /// The asynchronous form of allUids(): short work, on the main connection (S15).
    QFuture<QList<quint32>> allUidsAsync(const QString &folder);

    /// Every UID of `folder`, ordered by `key` on the server (UID SORT, RFC
    /// 5256; charset UTF-8, search ALL), so a view can sort the whole folder
    /// and fetch only the rows it shows (listMessages with a UID list).
    /// Qt::DescendingOrder uses REVERSE. A server without SORT (or without
    /// SORT=DISPLAY, for SortKey::DisplayFrom): the same order computed by the
    /// client from every message's summary (RFC 5256's rules; slower on a
    /// large folder).
    Result<QList<quint32>> sortedUids(const QString &folder, SortKey key, Qt::SortOrder order);
    /// The asynchronous form of sortedUids(): short work, on the main connection (S15).
    QFuture<QList<quint32>> sortedUidsAsync(const QString &folder, SortKey key, Qt::SortOrder order);

    /// Summaries of the messages with UIDs firstUid..lastUid (lastUid 0: to the
    /// end), ascending by UID.
    Result<QList<MessageSummary>> listMessages(const QString &folder, quint32 firstUid, quint32 lastUid = 0);
    /// The asynchronous form of listMessages(): long work, on an extra connection when the limit allows (S15).
    QFuture<QList<MessageSummary>> listMessagesAsync(const QString &folder, quint32 firstUid, quint32 lastUid = 0);
    /// The summaries of exactly these UIDs (any order, gaps, duplicates),
    /// ascending by UID like the range form; one UID FETCH per few hundred
    /// UIDs. UIDs the folder no longer holds are absent. Careful with one UID
    /// in braces: listMessages(f, {uid}) picks the range form above (uid to
    /// the end); write QList<quint32>{uid}. With `uidValidity` (not 0, what
    /// a local copy knew the UIDs under), a connection whose view of the
    /// folder is older opens it afresh, and if the folder now has another
    /// UIDVALIDITY (it was made anew), the call fails with NotFound rather
    /// than answer with other messages under the same UIDs.
    Result<QList<MessageSummary>> listMessages(const QString &folder, const QList<quint32> &uids,
                                               quint32 uidValidity = 0);
    /// The asynchronous form of listMessages(): long work, on an extra connection when the limit allows (S15).
    QFuture<QList<MessageSummary>> listMessagesAsync(const QString &folder, const QList<quint32> &uids,
                                                     quint32 uidValidity = 0);

    /// What changed in `folder` since a local copy last synced (`known`):
    /// UIDs that vanished, UIDs that are new, flags that changed, and whether
    /// UIDVALIDITY changed (then every known UID is void). With QRESYNC and a
    /// known UIDVALIDITY, HIGHESTMODSEQ and UIDNEXT, one SELECT ... QRESYNC
    /// answers all but the new UIDs, which are asked for only when UIDNEXT
    /// moved (FolderChanges::Method::QResync). Else the whole UID list is
    /// compared; with CONDSTORE and a known HIGHESTMODSEQ only the changed
    /// flags are read (nothing at all when HIGHESTMODSEQ did not move); else
    /// every known message's flags, in chunks. Read only: retried on a fresh
    /// connection after a fault.
    Result<FolderChanges> folderChanges(const QString &folder, const SyncState &known);
    /// The asynchronous form of folderChanges(): long work, on an extra connection when the limit allows (S15).
    QFuture<FolderChanges> folderChangesAsync(const QString &folder, const SyncState &known);

    /// One page of summaries counted from the newest message: offset 0, count
    /// 50 is the newest 50, newest first. The page is chosen by position and
    /// fetched by UID, so a message expunged meanwhile is missing from it
    /// rather than replaced by a neighbour.
    Result<MessagePage> listMessagesPage(const QString &folder, quint32 offset, quint32 count);
    /// The asynchronous form of listMessagesPage(): long work, on an extra connection when the limit allows (S15).
    QFuture<MessagePage> listMessagesPageAsync(const QString &folder, quint32 offset, quint32 count);

    /// UIDs of the messages matching every set field of `criteria`, ascending
    /// (server-side UID SEARCH).
    Result<QList<quint32>> search(const QString &folder, const SearchCriteria &criteria);
    /// The asynchronous form of search(): short work, on the main connection (S15).
    QFuture<QList<quint32>> searchAsync(const QString &folder, const SearchCriteria &criteria);
    /// search() with only SearchCriteria::text.
    Result<QList<quint32>> searchText(const QString &folder, const QString &text);
    /// The asynchronous form of searchText(): short work, on the main connection (S15).
    QFuture<QList<quint32>> searchTextAsync(const QString &folder, const QString &text);

    // Fetching. Nothing here sets \Seen (BODY.PEEK).

    /// The raw RFC 5322 bytes of one message, exactly as the server has them.
    Result<QByteArray> fetchMessage(const QString &folder, quint32 uid);
    /// The asynchronous form of fetchMessage(): pipelined, with up to 15 other
    /// fetches, on an extra connection when the limit allows (B02).
    QFuture<QByteArray> fetchMessageAsync(const QString &folder, quint32 uid);

    /// The raw bytes of one body part by its section number (MessagePart::section:
    /// "2", "1.2"), still in its transfer encoding (base64, quoted-printable...):
    /// decoding is the caller's business. A part the message does not have is
    /// ErrorCode::NotFound; a section that is not a part number, BadArgument.
    Result<QByteArray> fetchPart(const QString &folder, quint32 uid, const QByteArray &section);
    /// The asynchronous form of fetchPart(): long work, on an extra connection when the limit allows (S15).
    QFuture<QByteArray> fetchPartAsync(const QString &folder, quint32 uid, const QByteArray &section);

    /// Writes one message into the file `path` as it arrives, 1 MiB partial
    /// fetches a few at a time, so memory does not grow with the message. The
    /// file appears only when complete (never half-written), readable by its
    /// owner only. Returns the number of bytes written.
    Result<quint64> fetchMessageToFile(const QString &folder, quint32 uid, const QString &path);
    /// The asynchronous form of fetchMessageToFile(): long work, on an extra connection when the limit allows (S15).
    QFuture<quint64> fetchMessageToFileAsync(const QString &folder, quint32 uid, const QString &path);

    /// B03: fetches many messages at once, 100 UIDs per command, two commands
    /// pipelined per connection, over up to every extra but one. The number
    /// of connections adapts (issue 15): two at first, doubled while the
    /// throughput grows by a tenth or more, else back to the best
    /// (PoolSnapshot::bulkWidth shows it). The
    /// future reports each message as a result as soon as it arrives (use
    /// QFutureWatcher::resultsReadyAt for progress); cancel it to stop. A UID
    /// the folder no longer holds is simply absent from the results (see
    /// downloadMessagesAsync() for a count of them). The future keeps every
    /// message until it is dropped: for a whole folder, downloadMessagesAsync().
    QFuture<FetchedMessage> fetchMessagesAsync(const QString &folder, const QList<quint32> &uids);

    /// Receives each message of downloadMessagesAsync() as it arrives.
    using MessageSink = std::function<void(FetchedMessage &&message)>;
    /// B03 for downloads of whole folders: as fetchMessagesAsync(), but each
    /// message is handed to `sink` as it arrives instead of being kept in the
    /// future, so only the messages on the wire are held in memory however
    /// big the folder. `sink` runs on mailcore's threads, one call at a time,
    /// each message once. The future's progress value counts the messages
    /// delivered (QFutureWatcher::progressValueChanged, at most 25 signals a
    /// second, so a GUI is not flooded); its one result says how many came
    /// and how many UIDs the server no longer had. Cancel it to stop.
    /// `pace`: DownloadPace::Background for work nobody waits on.
    QFuture<BulkDownload> downloadMessagesAsync(const QString &folder, const QList<quint32> &uids, MessageSink sink,
                                                DownloadPace pace = DownloadPace::Full);

    /// Receives each summary of downloadSummariesAsync() as it arrives.
    using SummarySink = std::function<void(MessageSummary &&summary)>;
    /// The summaries of many messages (a first sync of a big folder) into
    /// `sink`, as downloadMessagesAsync() does with whole messages: spread
    /// over connections, each handed over once, on mailcore's threads, one
    /// call at a time, in no particular order. With `uidValidity` (not 0):
    /// the UIDVALIDITY the UIDs belong to; a folder made anew since fails
    /// with NotFound.
    QFuture<BulkDownload> downloadSummariesAsync(const QString &folder, const QList<quint32> &uids, SummarySink sink,
                                                 quint32 uidValidity = 0);

    // Changes.

    /// Appends a message; returns its new UID when the server says (UIDPLUS), else 0.
    Result<quint32> appendMessage(const QString &folder, const QByteArray &message,
                                  const QList<QByteArray> &flags = {});
    /// The asynchronous form of appendMessage(): long work, on an extra connection when the limit allows (S15).
    QFuture<quint32> appendMessageAsync(const QString &folder, const QByteArray &message,
                                        const QList<QByteArray> &flags = {});
    /// Appends several messages, pipelined; returns their new UIDs in the same
    /// order (0 where the server does not say). On an error nothing more is
    /// sent and the first error is returned; the messages appended until then
    /// (pipelined ones may follow the failed one) stay in the folder.
    Result<QList<quint32>> appendMessages(const QString &folder, const QList<NewMessage> &messages);
    /// The asynchronous form of appendMessages(): long work, on an extra connection when the limit allows (S15).
    QFuture<QList<quint32>> appendMessagesAsync(const QString &folder, const QList<NewMessage> &messages);

    /// Copies messages to `target`; returns source UID -> new UID in `target`
    /// when the server says (UIDPLUS COPYUID), else an empty map.
    Result<QMap<quint32, quint32>> copyMessages(const QString &folder, const QList<quint32> &uids,
                                                const QString &target);
    /// The asynchronous form of copyMessages(): short work, on the main connection (S15).
    QFuture<QMap<quint32, quint32>> copyMessagesAsync(const QString &folder, const QList<quint32> &uids,
                                                      const QString &target);
    /// Moves messages to `target` (MOVE when offered; else COPY, then `\Deleted`
    /// and UID EXPUNGE of exactly these UIDs with UIDPLUS, plain EXPUNGE
    /// without). Returns source UID -> new UID like copyMessages(). A failed
    /// copy never deletes the originals.
    Result<QMap<quint32, quint32>> moveMessages(const QString &folder, const QList<quint32> &uids,
                                                const QString &target);
    /// The asynchronous form of moveMessages(): short work, on the main connection (S15).
    QFuture<QMap<quint32, quint32>> moveMessagesAsync(const QString &folder, const QList<quint32> &uids,
                                                      const QString &target);

    /// Replaces the messages' flags with `flags`.
    Error setFlags(const QString &folder, const QList<quint32> &uids, const QList<QByteArray> &flags);
    /// The asynchronous form of setFlags(): short work, on the main connection (S15).
    QFuture<void> setFlagsAsync(const QString &folder, const QList<quint32> &uids, const QList<QByteArray> &flags);
    /// Adds `flags` to the messages' flags; the others stay.
    Error addFlags(const QString &folder, const QList<quint32> &uids, const QList<QByteArray> &flags);
    /// The asynchronous form of addFlags(): short work, on the main connection (S15).
    QFuture<void> addFlagsAsync(const QString &folder, const QList<quint32> &uids, const QList<QByteArray> &flags);
    /// Removes `flags` from the messages' flags; the others stay.
    Error removeFlags(const QString &folder, const QList<quint32> &uids, const QList<QByteArray> &flags);
    /// The asynchronous form of removeFlags(): short work, on the main connection (S15).
    QFuture<void> removeFlagsAsync(const QString &folder, const QList<quint32> &uids, const QList<QByteArray> &flags);

    /// Flags the messages `\Deleted`; they stay until expunge().
    Error deleteMessages(const QString &folder, const QList<quint32> &uids);
    /// The asynchronous form of deleteMessages(): short work, on the main connection (S15).
    QFuture<void> deleteMessagesAsync(const QString &folder, const QList<quint32> &uids);
    /// Removes the given messages (flagged `\Deleted`) for good: UID EXPUNGE of
    /// exactly them with UIDPLUS; without it, EXPUNGE, which removes every
    /// message flagged `\Deleted` in the folder.
    Error expunge(const QString &folder, const QList<quint32> &uids);
    /// The asynchronous form of expunge(): short work, on the main connection (S15).
    QFuture<void> expungeAsync(const QString &folder, const QList<quint32> &uids);

    /// B10: watch a folder for new, vanished and changed messages, reported
    /// by folderChanged(). With IDLE offered and a limit of 3 or more, a
    /// connection of its own sits in IDLE (the server tells at once; the main
    /// connection stays free for short work); otherwise STATUS is polled every
    /// monitor poll interval. Returns at once. The client's thread only.
    void startMonitoring(const QString &folder);
    /// Ends the watch of `folder`; its push connection, if any, is closed. The client's thread only.
    void stopMonitoring(const QString &folder);
    /// Whether `folder` is watched (how: watchMode()).
    bool isMonitoring(const QString &folder) const;
    /// How a folder is watched now (watchMode()).
    enum class WatchMode {
        None,     ///< not watched
        Starting, ///< its push connection is being opened (or opened again after a drop)
        Push,     ///< by IDLE on a connection of its own
        Poll,     ///< by STATUS every poll interval; the first poll learned the folder as it was
    };
    /// How `folder` is watched now. A watch reports changes made after it is
    /// in place (Push, Poll): a caller that read the folder before should
    /// read it once more then. The client's thread only.
    WatchMode watchMode(const QString &folder) const;
    /// How often a folder without push is polled (default 60 s), for watches started later.
    void setMonitorPollInterval(std::chrono::milliseconds interval);

Q_SIGNALS:
    /// A watched folder changed on the server. Emitted in the client's thread.
    void folderChanged(const QString &folder);

private:
    struct Watches; // B10: the folders watched, and how
    std::unique_ptr<Watches> m_watches;
};

} // namespace mailcore
