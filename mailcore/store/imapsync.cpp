// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/store/imapsync.h"

#include <QHash>
#include <QScopeGuard>
#include <QSet>

#include <mutex>
#include <optional>

#include "mailcore/imapclient/imapclient.h"
#include "mailcore/store/bodydownload.h"
#include "mailcore/store/committed.h"
#include "mailcore/store/mailstore.h"
#include "mailcore/store/rememberedlimit.h"

namespace mailcore::store {

ImapSync::ImapSync(MailStore &store, ImapClient &client, qint64 accountId)
    : m_store(store)
    , m_client(client)
    , m_accountId(accountId)
{
    m_rememberedLimit = applyRememberedLimit(store, client, QStringLiteral("imap"));
}

void ImapSync::rememberLoweredLimit()
{
    m_rememberedLimit = store::rememberLoweredLimit(m_store, m_client, QStringLiteral("imap"), m_rememberedLimit);
}

Result<FolderListReport> ImapSync::syncFolderList()
{
    const auto learned = qScopeGuard([this] { rememberLoweredLimit(); });
    const Result<QList<FolderInfo>> listed = m_client.listFolders();
    if (!listed)
        return listed.error();
    const Result<QList<Folder>> stored = m_store.folders(m_accountId);
    if (!stored)
        return stored.error();

    QSet<QString> onServer;
    for (const FolderInfo &f : listed.value())
        onServer << f.name;
    QList<Folder> gone;
    QHash<QString, Folder> inStore; // by name, as read above: no second read per folder
    for (const Folder &f : stored.value()) {
        inStore.insert(f.name, f);
        if (!onServer.contains(f.name))
            gone << f;
    }

    FolderListReport report;
    QList<Folder> toSave;
    for (const FolderInfo &info : listed.value()) {
        Folder folder;
        folder.accountId = m_accountId;
        folder.name = info.name;
        folder.delimiter = info.delimiter.isNull() ? QString() : QString(info.delimiter);
        folder.role = info.role;
        folder.selectable = info.selectable;
        if (const auto known = inStore.constFind(info.name); known != inStore.cend()) {
            // Known: keep what its sync learned, refresh what the list says.
            folder.uidValidity = known->uidValidity;
            folder.uidNext = known->uidNext;
            folder.highestModseq = known->highestModseq;
            folder.serverCount = known->serverCount;
            folder.serverUnseen = known->serverUnseen;
        } else if (!gone.isEmpty() && info.selectable) {
            // New under this name: a folder renamed on the server keeps its
            // UIDVALIDITY (RFC 3501 6.3.5), so its messages need not come
            // again. UIDVALIDITY alone is not proof (servers derive it from
            // the clock: two folders made in one second may share it), so
            // UIDNEXT and the count must match what the last sync saw too; a
            // renamed folder that changed since is simply fetched anew.
            const Result<FolderStatus> status = m_client.folderStatus(info.name);
            if (!status)
                return status.error();
            const auto was = std::find_if(gone.begin(), gone.end(), [&](const Folder &g) {
                return g.uidValidity != 0 && g.uidValidity == status->uidValidity && g.uidNext == status->uidNext
                    && g.serverCount == status->messages;
            });
            if (was != gone.end()) {
                if (const Error e = committed(m_store.renameFolder(was->id, info.name)); e.isError())
                    return e;
                report.renamed << std::pair{was->name, info.name};
                gone.erase(was);
                continue; // its sync state stays as it was
            }
        }
        if (!inStore.contains(info.name))
            report.added << info.name;
        toSave << folder;
    }
    if (const Error e = committed(m_store.saveFolders(toSave)); e.isError())
        return e;
    for (const Folder &g : gone) {
        if (const Error e = committed(m_store.removeFolder(g.id)); e.isError())
            return e;
        report.removed << g.name;
    }
    return report;
}

Result<FolderSyncReport> ImapSync::syncFolder(const QString &name)
{
    const auto learned = qScopeGuard([this] { rememberLoweredLimit(); });
    const Result<std::optional<Folder>> found = m_store.folder(m_accountId, name);
    if (!found)
        return found.error();
    if (!found.value())
        return Error(ErrorCode::NotFound,
                     QStringLiteral("the store has no folder %1: sync the folder list first").arg(name));
    Folder folder = *found.value();
    const Result<QList<quint32>> known = m_store.uids(folder.id);
    if (!known)
        return known.error();

    const Result<FolderChanges> asked = m_client.folderChanges(
        name, SyncState{folder.uidValidity, folder.highestModseq, known.value(), folder.uidNext});
    if (!asked)
        return asked.error();
    const FolderChanges &changes = asked.value();
    FolderSyncReport report;
    report.folder = name;
    report.method = changes.method;

    if (changes.uidValidityChanged) {
        if (const Error e = committed(m_store.resetFolder(folder.id, changes.uidValidity)); e.isError())
            return e;
        report.reset = true;
    } else if (!changes.vanished.isEmpty()) {
        if (const Error e = committed(m_store.removeMessages(folder.id, changes.vanished)); e.isError())
            return e;
    }
    report.removed = int(changes.vanished.size());
    if (!changes.flags.isEmpty()) {
        QList<std::pair<quint32, QList<QByteArray>>> flags;
        for (const FlagUpdate &f : changes.flags)
            flags << std::pair{f.uid, f.flags};
        if (const Error e = committed(m_store.setFlags(folder.id, flags)); e.isError())
            return e;
        report.flagsUpdated = int(flags.size());
    }

    // New messages: downloaded over as many connections as pay (the client's
    // adaptive width), each written as it comes, kSummariesPerWrite rows per
    // write. A write is queued, not waited for: the writer stores one while
    // the next fills. All are waited for before the marks.
    Error failed;
    // Filled by the sink on mailcore's threads, read here once the download
    // ended. The future's end orders the two already, but through Qt's own
    // locks, which ThreadSanitizer cannot see: this one it can.
    std::mutex rowsMutex;
    QList<std::pair<QFuture<void>, int>> writes;
    QList<StoredMessage> rows;
    const auto write = [&] {
        if (!rows.isEmpty())
            writes << std::pair{m_store.saveMessages(folder.id, rows), int(rows.size())};
        rows.clear();
    };
    if (!changes.newUids.isEmpty()) {
        // The sink runs on mailcore's threads, one call at a time, all of them
        // before the future finishes.
        QFuture<BulkDownload> downloaded = m_client.downloadSummariesAsync(
            name, changes.newUids,
            [&](MessageSummary &&s) {
                std::lock_guard lock(rowsMutex);
                rows << StoredMessage{0, folder.id, std::move(s), 0, false};
                if (rows.size() >= kSummariesPerWrite)
                    write();
            },
            changes.uidValidity);
        try {
            downloaded.waitForFinished();
        } catch (const MailException &e) {
            failed = e.error();
        }
    }
    std::lock_guard lock(rowsMutex);
    write();
    for (auto &[write, rows] : writes) {
        if (const Error e = committed(write); e.isError())
            failed = e;
        else
            report.added += rows;
    }
    if (failed.isError())
        return failed; // what was written stays; the folder's marks do not move

    // Last: the marks that say how far this sync got.
    folder.uidValidity = changes.uidValidity;
    folder.uidNext = changes.uidNext;
    folder.highestModseq = changes.highestModSeq;
    folder.serverCount = changes.messages;
    if (const Error e = committed(m_store.saveFolder(folder)); e.isError())
        return e;
    return report;
}

Result<qint64> ImapSync::storedFolder(const QString &name)
{
    const Result<std::optional<Folder>> f = m_store.folder(m_accountId, name);
    if (!f)
        return f.error();
    if (!f.value())
        return Error(ErrorCode::NotFound, QStringLiteral("the store has no folder %1").arg(name));
    return f.value()->id;
}

Result<QByteArray> ImapSync::body(const QString &folder, quint32 uid)
{
    const Result<StoredMessage> row = m_store.message(m_accountId, folder, uid);
    if (!row)
        return row.error();
    const Result<std::optional<QByteArray>> kept = m_store.body(row->id);
    if (!kept)
        return kept.error();
    if (kept.value())
        return *kept.value();
    const Result<QByteArray> fetched = m_client.fetchMessage(folder, uid);
    if (!fetched)
        return fetched.error();
    // Kept for next time; a failure to keep it does not keep the user from reading it.
    committed(m_store.saveBody(row->id, fetched.value()));
    return fetched;
}

Result<int> ImapSync::prefetchBodies(const QString &folder, int count)
{
    const auto learned = qScopeGuard([this] { rememberLoweredLimit(); });
    Result<BodyDownload> download = BodyDownload::start(m_store, m_client, m_accountId, folder, count,
                                                        DownloadPace::Background);
    if (!download)
        return download.error();
    return download.value().finish();
}

Result<SearchResult> ImapSync::search(const QString &folder, const QString &words)
{
    const Result<qint64> f = storedFolder(folder);
    if (!f)
        return f.error();
    const Result<QList<StoredMessage>> local = m_store.search(m_accountId, words, f.value());
    if (!local)
        return local.error();
    SearchResult result;
    result.messages = local.value();
    QSet<quint32> found;
    for (const StoredMessage &m : result.messages)
        found << m.summary.uid;

    // The server, word by word (every word must be there), for what the
    // store cannot judge: messages whose bodies it does not have.
    std::optional<QSet<quint32>> onServer;
    for (const QString &word : words.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const Result<QList<quint32>> uids = m_client.searchText(folder, word);
        if (!uids) {
            result.serverError = uids.error();
            return result;
        }
        const QSet<quint32> these(uids->cbegin(), uids->cend());
        onServer = onServer ? onServer->intersect(these) : these;
    }
    if (!onServer)
        return result;
    for (const quint32 uid : std::as_const(*onServer)) {
        if (found.contains(uid))
            continue;
        const Result<std::optional<StoredMessage>> row = m_store.message(f.value(), uid);
        if (row && row.value() && !row.value()->hasBody) { // a stored body was judged by the store already
            result.messages << *row.value();
            ++result.fromServer;
        }
    }
    std::sort(result.messages.begin(), result.messages.end(), [](const StoredMessage &a, const StoredMessage &b) {
        return a.summary.date != b.summary.date ? a.summary.date > b.summary.date : a.id > b.id;
    });
    return result;
}

} // namespace mailcore::store
