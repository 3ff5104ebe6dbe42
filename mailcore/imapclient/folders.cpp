// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// ImapClient: the folder operations (list with roles and counts, status,
// create, rename, delete, subscribe).

#include <QHash>
#include <QSet>

#include <algorithm>
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

/// The name of `folder` below the top level or directly below INBOX ("Sent"
/// for "Sent" and "INBOX.Sent"); empty for a folder deeper down.
QString topLevelName(const FolderInfo &folder)
{
    if (folder.delimiter.isNull())
        return folder.name;
    const QString inbox = QLatin1String("INBOX") + folder.delimiter;
    const QString name = folder.name.startsWith(inbox, Qt::CaseInsensitive) ? folder.name.mid(inbox.size())
                                                                            : folder.name;
    return name.contains(folder.delimiter) ? QString() : name;
}

/// A server without SPECIAL-USE (RFC 6154) marks no folder: the usual names,
/// at the top or directly below INBOX, stand in for the marks, as in every
/// mail client. Only when no folder carries a mark, so that a server's own
/// marks always win; each role goes to one folder, the first of its names
/// found.
void assignRolesByName(QList<FolderInfo> &folders)
{
    const bool marked = std::any_of(folders.cbegin(), folders.cend(), [](const FolderInfo &f) {
        return f.role != FolderRole::None && f.role != FolderRole::Inbox;
    });
    if (marked)
        return;
    static const QList<QPair<FolderRole, QStringList>> usualNames = {
        {FolderRole::Sent,
         {QStringLiteral("Sent"), QStringLiteral("Sent Items"), QStringLiteral("Sent Messages"),
          QStringLiteral("Sent Mail")}},
        {FolderRole::Drafts, {QStringLiteral("Drafts"), QStringLiteral("Draft")}},
        {FolderRole::Trash,
         {QStringLiteral("Trash"), QStringLiteral("Deleted Items"), QStringLiteral("Deleted Messages"),
          QStringLiteral("Bin")}},
        {FolderRole::Junk,
         {QStringLiteral("Junk"), QStringLiteral("Spam"), QStringLiteral("Junk E-mail"), QStringLiteral("Junk Email")}},
        {FolderRole::Archive, {QStringLiteral("Archive"), QStringLiteral("Archives")}},
    };
    for (const auto &[role, names] : usualNames) {
        for (const QString &name : names) {
            const auto folder = std::find_if(folders.begin(), folders.end(), [&](const FolderInfo &f) {
                return f.role == FolderRole::None && f.selectable
                    && topLevelName(f).compare(name, Qt::CaseInsensitive) == 0;
            });
            if (folder != folders.end()) {
                folder->role = role;
                break;
            }
        }
    }
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
QList<FolderInfo> listFoldersOn(Connection &c)
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

    const CommandResult list = client::await(listed);
    QSet<QByteArray> lsubNames;
    if (!extended) {
        for (const ListData &entry : client::await(subscribed).all<ListData>())
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
    assignRolesByName(folders);
    for (std::size_t i = 0; i < statusQueries.size(); ++i) {
        if (!statusQueries[i])
            continue;
        try {
            for (const MailboxStatusData &status : client::await(*statusQueries[i]).all<MailboxStatusData>())
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

FolderStatus folderStatusOn(Connection &c, const QString &folder)
{
    const auto data = run(c, requests::status(folder, {"MESSAGES", "UNSEEN", "UIDNEXT", "UIDVALIDITY"}))
                          .all<MailboxStatusData>();
    if (data.isEmpty())
        throw MailException(Error(ErrorCode::Protocol, QStringLiteral("the server sent no STATUS for %1").arg(folder)));
    const MailboxStatusData &s = data.first();
    return FolderStatus{quint32(s.value("MESSAGES").value_or(0)), quint32(s.value("UNSEEN").value_or(0)),
                        quint32(s.value("UIDNEXT").value_or(0)), quint32(s.value("UIDVALIDITY").value_or(0))};
}

void createFolderOn(Connection &c, const QString &folder) { run(c, requests::create(folder)); }

/// DELETE and RENAME may act on the folder this connection has selected, and
/// servers then deselect it (Dovecot does) or keep it under its new name: the
/// session is told that nothing is selected, so the next command that names a
/// folder selects it again instead of trusting a stale selection.
Request forgettingSelection(Request request)
{
    request.selects = QString();
    return request;
}

void deleteFolderOn(Connection &c, const QString &folder)
{
    run(c, forgettingSelection(requests::deleteMailbox(folder)));
}

void renameFolderOn(Connection &c, const QString &from, const QString &to)
{
    run(c, forgettingSelection(requests::rename(from, to)));
}

void subscribeFolderOn(Connection &c, const QString &folder, bool subscribe)
{
    run(c, subscribe ? requests::subscribe(folder) : requests::unsubscribe(folder));
}

} // namespace

static client::Operation<QList<FolderInfo>> listFoldersOp()
{
    return {pool::Work::Short, {}, client::Retry::Always, listFoldersOn};
}
Result<QList<FolderInfo>> ImapClient::listFolders() { return engine().wait(listFoldersOp()); }
QFuture<QList<FolderInfo>> ImapClient::listFoldersAsync() { return engine().start(listFoldersOp()); }

static client::Operation<FolderStatus> folderStatusOp(const QString &folder)
{
    return {pool::Work::Short, {}, client::Retry::Always, [folder](auto &c) { return folderStatusOn(c, folder); }};
}
Result<FolderStatus> ImapClient::folderStatus(const QString &folder) { return engine().wait(folderStatusOp(folder)); }
QFuture<FolderStatus> ImapClient::folderStatusAsync(const QString &folder)
{
    return engine().start(folderStatusOp(folder));
}

static client::Operation<void> createFolderOp(const QString &folder)
{
    return {pool::Work::Short, {}, client::Retry::IfNotSent, [=](auto &c) { createFolderOn(c, folder); }};
}
Error ImapClient::createFolder(const QString &folder) { return engine().wait(createFolderOp(folder)); }
QFuture<void> ImapClient::createFolderAsync(const QString &folder) { return engine().start(createFolderOp(folder)); }

static client::Operation<void> deleteFolderOp(const QString &folder)
{
    return {pool::Work::Short, {}, client::Retry::IfNotSent, [=](auto &c) { deleteFolderOn(c, folder); }};
}
Error ImapClient::deleteFolder(const QString &folder) { return engine().wait(deleteFolderOp(folder)); }
QFuture<void> ImapClient::deleteFolderAsync(const QString &folder) { return engine().start(deleteFolderOp(folder)); }

static client::Operation<void> renameFolderOp(const QString &from, const QString &to)
{
    return {pool::Work::Short, {}, client::Retry::IfNotSent, [=](auto &c) { renameFolderOn(c, from, to); }};
}
Error ImapClient::renameFolder(const QString &from, const QString &to)
{
    return engine().wait(renameFolderOp(from, to));
}
QFuture<void> ImapClient::renameFolderAsync(const QString &from, const QString &to)
{
    return engine().start(renameFolderOp(from, to));
}

static client::Operation<void> subscribeFolderOp(const QString &folder)
{
    return {pool::Work::Short, {}, client::Retry::IfNotSent, [=](auto &c) { subscribeFolderOn(c, folder, true); }};
}
Error ImapClient::subscribeFolder(const QString &folder) { return engine().wait(subscribeFolderOp(folder)); }
QFuture<void> ImapClient::subscribeFolderAsync(const QString &folder)
{
    return engine().start(subscribeFolderOp(folder));
}

static client::Operation<void> unsubscribeFolderOp(const QString &folder)
{
    return {pool::Work::Short, {}, client::Retry::IfNotSent, [=](auto &c) { subscribeFolderOn(c, folder, false); }};
}
Error ImapClient::unsubscribeFolder(const QString &folder) { return engine().wait(unsubscribeFolderOp(folder)); }
QFuture<void> ImapClient::unsubscribeFolderAsync(const QString &folder)
{
    return engine().start(unsubscribeFolderOp(folder));
}

} // namespace mailcore
