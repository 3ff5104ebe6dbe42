// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QList>
#include <QString>

#include "mailcore/base/result.h"
#include "mailcore/imapclient/imaptypes.h"
#include "mailcore/mailcore_export.h"
#include "mailcore/store/records.h"

namespace mailcore {
class ImapClient;
}

namespace mailcore::store {

class MailStore;

/// What one folder's sync found and did.
struct FolderSyncReport {
    QString folder;       ///< its name
    int added = 0;        ///< messages new to the store
    int removed = 0;      ///< messages gone from the server, and so from the store
    int flagsUpdated = 0; ///< known messages whose flags were written
    bool reset = false;   ///< UIDVALIDITY changed: everything known was dropped and fetched again
    FolderChanges::Method method = FolderChanges::Method::Full; ///< how the changes were found (QResync: one SELECT)
};

/// What a folder list sync found and did.
struct FolderListReport {
    QStringList added;                          ///< folders new to the store
    QStringList removed;                        ///< folders gone from the server (with their messages)
    QList<std::pair<QString, QString>> renamed; ///< (old, new): kept with their messages
};

/// What ImapSync::search() found.
struct SearchResult {
    QList<StoredMessage> messages; ///< newest first: the store's matches and the server's, once each
    int fromServer = 0;            ///< of them, found only by the server (their bodies are not stored)
    Error serverError;             ///< why the server could not be asked (offline): the store's matches only
};

/// Keeps the store's copy of one IMAP account in step with the server,
/// through the account's pooled ImapClient. Blocking: run it from a worker
/// thread (never the GUI thread); the store's readers see each step as it is
/// committed.
///
/// Every step can be cut off (the server goes away, the process is killed)
/// without leaving the store inconsistent: message rows are written by UID
/// (again is harmless), and a folder's UIDNEXT and HIGHESTMODSEQ are written
/// last, so an interrupted sync is simply done again from the old mark.
class MAILCORE_EXPORT ImapSync
{
public:
    /// `store` and `client` must outlive it; `accountId` is the store's account.
    /// A connection limit the server imposed on an earlier run (B05), which
    /// the store remembers, is applied to `client` at once: a restart does
    /// not run into the server's limit again.
    ImapSync(MailStore &store, ImapClient &client, qint64 accountId);

    /// Saves the limit the server imposed (B05) if the pool lowered its own;
    /// every sync step does it when it ends.
    void rememberLoweredLimit();

    /// The folder list: new folders are added, folders gone from the server
    /// are removed with their messages, and a folder renamed on the server
    /// (gone under one name, new under another with the same UIDVALIDITY)
    /// keeps its messages under the new name.
    Result<FolderListReport> syncFolderList();
    /// One folder: new messages' rows (fetched in batches spread over the
    /// pool's connections), vanished ones removed, changed flags written; a
    /// changed UIDVALIDITY drops the folder's messages and fetches them anew.
    /// The folder must be in the store (syncFolderList()).
    Result<FolderSyncReport> syncFolder(const QString &folder);

    /// The raw message: from the store if it has it (offline too), else
    /// fetched from the server and kept.
    Result<QByteArray> body(const QString &folder, quint32 uid);
    /// Fetches and keeps the bodies the store lacks of the folder's newest
    /// `count` messages, streamed (only what is on the wire is in memory), as
    /// background work of the pool (DownloadPace::Background: one extra
    /// connection, S15, small batches, out of the way of the user's clicks);
    /// how many it stored.
    Result<int> prefetchBodies(const QString &folder, int count);

    /// The folder's messages holding every one of `words`: the store's search
    /// (headers, and the text of stored bodies), joined by the server's
    /// SEARCH TEXT for the messages whose bodies are not stored. Offline, the
    /// store's matches alone, and serverError says why.
    Result<SearchResult> search(const QString &folder, const QString &words);

    /// Rows of new messages stored per write (one transaction each).
    static constexpr int kSummariesPerWrite = 300;

private:
    /// The store's id of the account's folder `name`; NotFound when the store has none.
    Result<qint64> storedFolder(const QString &name);

    MailStore &m_store;
    ImapClient &m_client;
    qint64 m_accountId;
    int m_rememberedLimit = 0;
};

} // namespace mailcore::store
