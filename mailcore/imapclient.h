#pragma once

#include "mailcore/credentialsbyhostclient.h"
#include "mailcore/imaptypes.h"

namespace mailcore {

/// A pooled IMAP client: any number of threads may call it at once (see
/// CredentialsByHostClient). Every operation names the folder it works on;
/// there is no "current folder" shared between threads (pool spec S16).
/// Messages are addressed by UID. Each operation has a synchronous form
/// (returns Result<T> or Error; usable from any thread but the GUI thread
/// should not block) and an asynchronous form (returns a QFuture at once; its
/// error arrives as MailException).
class MAILCORE_EXPORT ImapClient : public CredentialsByHostClient
{
    Q_OBJECT

public:
    ImapClient(Endpoint endpoint, QString user, QString password, QObject *parent = nullptr);
    ~ImapClient() override;

    Error noop();
    QFuture<void> noopAsync();

    Result<QList<FolderInfo>> listFolders();
    QFuture<QList<FolderInfo>> listFoldersAsync();

    /// Folder names are full paths with the server's delimiter ("Archive/2026").
    /// A NO from the server (the folder exists, is missing, ...) is
    /// ErrorCode::ServerRefused with the server's text.
    Error createFolder(const QString &folder);
    QFuture<void> createFolderAsync(const QString &folder);
    Error renameFolder(const QString &from, const QString &to);
    QFuture<void> renameFolderAsync(const QString &from, const QString &to);
    Error deleteFolder(const QString &folder);
    QFuture<void> deleteFolderAsync(const QString &folder);
    Error subscribeFolder(const QString &folder);
    QFuture<void> subscribeFolderAsync(const QString &folder);
    Error unsubscribeFolder(const QString &folder);
    QFuture<void> unsubscribeFolderAsync(const QString &folder);

    Result<FolderStatus> folderStatus(const QString &folder);
    QFuture<FolderStatus> folderStatusAsync(const QString &folder);

    /// The UIDs of every message in `folder`, ascending (UID SEARCH ALL; ESEARCH
    /// when offered). Short work: answers come from the server's index.
    Result<QList<quint32>> allUids(const QString &folder);
    QFuture<QList<quint32>> allUidsAsync(const QString &folder);

    /// Summaries of the messages with UIDs firstUid..lastUid (lastUid 0: to the end).
    Result<QList<MessageSummary>> listMessages(const QString &folder, quint32 firstUid, quint32 lastUid = 0);
    QFuture<QList<MessageSummary>> listMessagesAsync(const QString &folder, quint32 firstUid, quint32 lastUid = 0);

    /// The raw RFC 5322 bytes of one message, exactly as the server has them.
    Result<QByteArray> fetchMessage(const QString &folder, quint32 uid);
    QFuture<QByteArray> fetchMessageAsync(const QString &folder, quint32 uid);

    /// B03: fetches many messages at once. The UIDs are split into chunks over
    /// the free connections (as many extras as the limit allows), and each
    /// chunk is fetched 100 UIDs per command, several commands pipelined. The
    /// future reports each message as a result as soon as it arrives (use
    /// QFutureWatcher::resultsReadyAt for progress); cancel it to stop.
    QFuture<FetchedMessage> fetchMessagesAsync(const QString &folder, const QList<quint32> &uids);

    /// Appends a message; returns its new UID when the server says (UIDPLUS), else 0.
    Result<quint32> appendMessage(const QString &folder, const QByteArray &message,
                                  const QList<QByteArray> &flags = {});
    QFuture<quint32> appendMessageAsync(const QString &folder, const QByteArray &message,
                                        const QList<QByteArray> &flags = {});

    Error addFlags(const QString &folder, const QList<quint32> &uids, const QList<QByteArray> &flags);
    QFuture<void> addFlagsAsync(const QString &folder, const QList<quint32> &uids, const QList<QByteArray> &flags);
    Error removeFlags(const QString &folder, const QList<quint32> &uids, const QList<QByteArray> &flags);
    QFuture<void> removeFlagsAsync(const QString &folder, const QList<quint32> &uids, const QList<QByteArray> &flags);

    /// UIDs of the messages whose text contains `text` (server-side SEARCH TEXT).
    Result<QList<quint32>> searchText(const QString &folder, const QString &text);
    QFuture<QList<quint32>> searchTextAsync(const QString &folder, const QString &text);
};

} // namespace mailcore
