// ImapClient: the folder operations (list with roles and counts, status,
// create, rename, delete, subscribe).

#include <QHash>
#include <QSet>

#include <optional>
#include <vector>

#include "mailcore/imap/connection.h"
#include "mailcore/imap/requests.h"
#include "mailcore/imapclient/imapclient.h"
#include "mailcore/imapclient/operations.h"

namespace mailcore {

using namespace mailcore::imap;
using namespace mailcore::imapops;

namespace {

FolderRole roleOf(const ListData &entry)
{
    if (entry.name.compare(QLatin1String("INBOX"), Qt::CaseInsensitive) == 0)
        return FolderRole::Inbox;
    switch (entry.specialUse()) {
    case SpecialUse::Sent: return FolderRole::Sent;
    case SpecialUse::Drafts: return FolderRole::Drafts;
    case SpecialUse::Trash: return FolderRole::Trash;
    case SpecialUse::Junk: return FolderRole::Junk;
    case SpecialUse::Archive: return FolderRole::Archive;
    case SpecialUse::All: return FolderRole::All;
    case SpecialUse::Flagged: return FolderRole::Flagged;
    case SpecialUse::None: break;
    }
    return FolderRole::None;
}

const QList<QByteArray> kCountItems = {"MESSAGES", "UNSEEN"};

void setCounts(FolderInfo &info, const MailboxStatusData &status)
{
    if (const auto messages = status.value("MESSAGES"))
        info.messages = quint32(*messages);
    if (const auto unseen = status.value("UNSEEN"))
        info.unseen = quint32(*unseen);
}

/// Every folder with its role, subscription and counts, in as few round trips
/// as the server allows: with LIST-EXTENDED and LIST-STATUS (Dovecot, most
/// modern servers) one LIST; without, LSUB beside it and one STATUS per
/// selectable folder, all pipelined.
QList<FolderInfo> listFoldersOn(pool::PooledConnection &c)
{
    ImapConnection &connection = connectionOf(c);
    const bool extended = offers(c, "LIST-EXTENDED");
    const bool listStatus = offers(c, "LIST-STATUS");
    ListReturnOptions options;
    // RETURN (...) is LIST-EXTENDED syntax (RFC 5258); without it a
    // SPECIAL-USE server still sends the attributes on plain LIST (RFC 6154 2).
    options.specialUse = extended && offers(c, "SPECIAL-USE");
    options.subscribed = extended;
    if (listStatus)
        options.statusItems = kCountItems;
    QFuture<CommandResult> listed = connection.execute(requests::list(QString(), QStringLiteral("*"), options));
    QFuture<CommandResult> subscribed;
    if (!extended)
        subscribed = connection.execute(requests::lsub(QString(), QStringLiteral("*")));

    const CommandResult list = waitFor(listed);
    QSet<QByteArray> lsubNames;
    if (!extended) {
        for (const ListData &entry : waitFor(subscribed).all<ListData>())
            lsubNames.insert(entry.rawName);
    }
    QHash<QByteArray, MailboxStatusData> counts;
    for (const MailboxStatusData &status : list.all<MailboxStatusData>())
        counts.insert(status.rawName, status);

    QList<FolderInfo> folders;
    std::vector<std::optional<QFuture<CommandResult>>> statusQueries; // without LIST-STATUS: one per selectable folder
    for (const ListData &entry : list.all<ListData>()) {
        if (entry.lsub)
            continue;
        FolderInfo info;
        info.name = entry.name;
        info.delimiter = entry.delimiter ? QChar::fromLatin1(*entry.delimiter) : QChar();
        info.role = roleOf(entry);
        info.selectable = !entry.hasFlag("\\Noselect") && !entry.hasFlag("\\NonExistent");
        info.subscribed = extended ? entry.hasFlag("\\Subscribed") : lsubNames.contains(entry.rawName);
        info.flags = entry.flags;
        if (info.selectable && listStatus && counts.contains(entry.rawName))
            setCounts(info, counts.value(entry.rawName));
        statusQueries.emplace_back();
        if (info.selectable && !listStatus)
            statusQueries.back() = connection.execute(requests::status(info.name, kCountItems));
        folders << info;
    }
    for (std::size_t i = 0; i < statusQueries.size(); ++i) {
        if (!statusQueries[i])
            continue;
        try {
            for (const MailboxStatusData &status : waitFor(*statusQueries[i]).all<MailboxStatusData>())
                setCounts(folders[qsizetype(i)], status);
        } catch (const MailException &e) {
            // One folder refusing STATUS (deleted meanwhile, no right to read
            // it) costs its counts, not the whole list.
            if (e.error().code() != ErrorCode::ServerRefused)
                throw;
        }
    }
    return folders;
}

FolderStatus folderStatusOn(pool::PooledConnection &c, const QString &folder)
{
    const auto data = run(c, requests::status(folder, {"MESSAGES", "UNSEEN", "UIDNEXT", "UIDVALIDITY"})).all<MailboxStatusData>();
    if (data.isEmpty())
        throw MailException(Error(ErrorCode::Protocol, QStringLiteral("the server sent no STATUS for %1").arg(folder)));
    const MailboxStatusData &s = data.first();
    return FolderStatus{quint32(s.value("MESSAGES").value_or(0)), quint32(s.value("UNSEEN").value_or(0)),
                        quint32(s.value("UIDNEXT").value_or(0)), quint32(s.value("UIDVALIDITY").value_or(0))};
}

void createFolderOn(pool::PooledConnection &c, const QString &folder) { run(c, requests::create(folder)); }

/// DELETE and RENAME may act on the folder this connection has selected, and
/// servers then deselect it (Dovecot does) or keep it under its new name: the
/// session is told that nothing is selected, so the next command that names a
/// folder selects it again instead of trusting a stale selection.
Request forgettingSelection(Request request)
{
    request.selects = QString();
    return request;
}

void deleteFolderOn(pool::PooledConnection &c, const QString &folder)
{
    run(c, forgettingSelection(requests::deleteMailbox(folder)));
}

void renameFolderOn(pool::PooledConnection &c, const QString &from, const QString &to)
{
    run(c, forgettingSelection(requests::rename(from, to)));
}

void subscribeFolderOn(pool::PooledConnection &c, const QString &folder, bool subscribe)
{
    run(c, subscribe ? requests::subscribe(folder) : requests::unsubscribe(folder));
}

} // namespace

Result<QList<FolderInfo>> ImapClient::listFolders() { return runSync<QList<FolderInfo>>(Retry::Always, listFoldersOn); }
QFuture<QList<FolderInfo>> ImapClient::listFoldersAsync()
{
    return runTask<QList<FolderInfo>>(pool::Work::Short, {}, TaskOptions{Retry::Always, {}}, listFoldersOn);
}

Result<FolderStatus> ImapClient::folderStatus(const QString &folder)
{
    return runSync<FolderStatus>(Retry::Always, [folder](auto &c) { return folderStatusOn(c, folder); });
}
QFuture<FolderStatus> ImapClient::folderStatusAsync(const QString &folder)
{
    return runTask<FolderStatus>(pool::Work::Short, {}, TaskOptions{Retry::Always, {}}, [folder](auto &c) { return folderStatusOn(c, folder); });
}

Error ImapClient::createFolder(const QString &folder)
{
    return runSyncVoid(Retry::IfNotSent, [=](auto &c) { createFolderOn(c, folder); });
}
QFuture<void> ImapClient::createFolderAsync(const QString &folder)
{
    return runTask<void>(pool::Work::Short, {}, TaskOptions{Retry::IfNotSent, {}}, [=](auto &c) { createFolderOn(c, folder); });
}

Error ImapClient::deleteFolder(const QString &folder)
{
    return runSyncVoid(Retry::IfNotSent, [=](auto &c) { deleteFolderOn(c, folder); });
}
QFuture<void> ImapClient::deleteFolderAsync(const QString &folder)
{
    return runTask<void>(pool::Work::Short, {}, TaskOptions{Retry::IfNotSent, {}}, [=](auto &c) { deleteFolderOn(c, folder); });
}

Error ImapClient::renameFolder(const QString &from, const QString &to)
{
    return runSyncVoid(Retry::IfNotSent, [=](auto &c) { renameFolderOn(c, from, to); });
}
QFuture<void> ImapClient::renameFolderAsync(const QString &from, const QString &to)
{
    return runTask<void>(pool::Work::Short, {}, TaskOptions{Retry::IfNotSent, {}}, [=](auto &c) { renameFolderOn(c, from, to); });
}

Error ImapClient::subscribeFolder(const QString &folder)
{
    return runSyncVoid(Retry::IfNotSent, [=](auto &c) { subscribeFolderOn(c, folder, true); });
}
QFuture<void> ImapClient::subscribeFolderAsync(const QString &folder)
{
    return runTask<void>(pool::Work::Short, {}, TaskOptions{Retry::IfNotSent, {}}, [=](auto &c) { subscribeFolderOn(c, folder, true); });
}

Error ImapClient::unsubscribeFolder(const QString &folder)
{
    return runSyncVoid(Retry::IfNotSent, [=](auto &c) { subscribeFolderOn(c, folder, false); });
}
QFuture<void> ImapClient::unsubscribeFolderAsync(const QString &folder)
{
    return runTask<void>(pool::Work::Short, {}, TaskOptions{Retry::IfNotSent, {}}, [=](auto &c) { subscribeFolderOn(c, folder, false); });
}

} // namespace mailcore
