// ImapClient: the folder operations (list with roles and counts, status,
// create, rename, delete, subscribe).

#include "mailcore/imap/connection.h"
#include "mailcore/imap/requests.h"
#include "mailcore/imapclient.h"
#include "mailcore/imapoperations.h"

namespace mailcore {

using namespace mailcore::imap;
using namespace mailcore::imapops;

namespace {

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

Error ImapClient::createFolder(const QString &folder)
{
    return runSyncVoid([=](auto &c) { createFolderOn(c, folder); });
}
QFuture<void> ImapClient::createFolderAsync(const QString &folder)
{
    return runTask<void>(pool::Work::Short, {}, [=](auto &c) { createFolderOn(c, folder); });
}

Error ImapClient::deleteFolder(const QString &folder)
{
    return runSyncVoid([=](auto &c) { deleteFolderOn(c, folder); });
}
QFuture<void> ImapClient::deleteFolderAsync(const QString &folder)
{
    return runTask<void>(pool::Work::Short, {}, [=](auto &c) { deleteFolderOn(c, folder); });
}

Error ImapClient::renameFolder(const QString &from, const QString &to)
{
    return runSyncVoid([=](auto &c) { renameFolderOn(c, from, to); });
}
QFuture<void> ImapClient::renameFolderAsync(const QString &from, const QString &to)
{
    return runTask<void>(pool::Work::Short, {}, [=](auto &c) { renameFolderOn(c, from, to); });
}

Error ImapClient::subscribeFolder(const QString &folder)
{
    return runSyncVoid([=](auto &c) { subscribeFolderOn(c, folder, true); });
}
QFuture<void> ImapClient::subscribeFolderAsync(const QString &folder)
{
    return runTask<void>(pool::Work::Short, {}, [=](auto &c) { subscribeFolderOn(c, folder, true); });
}

Error ImapClient::unsubscribeFolder(const QString &folder)
{
    return runSyncVoid([=](auto &c) { subscribeFolderOn(c, folder, false); });
}
QFuture<void> ImapClient::unsubscribeFolderAsync(const QString &folder)
{
    return runTask<void>(pool::Work::Short, {}, [=](auto &c) { subscribeFolderOn(c, folder, false); });
}

} // namespace mailcore
