// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/store/actionreplay.h"

#include "mailcore/imapclient/imapclient.h"
#include "mailcore/store/committed.h"
#include "mailcore/store/mailstore.h"

namespace mailcore::store {

namespace {

/// The server answered, and said no (what the action names is gone): a
/// conflict to resolve. Anything else (no connection, a timeout, a TLS or
/// login failure, a garbled answer) means: try again later.
bool refusedByServer(const Error &e)
{
    return e.code() == ErrorCode::ServerRefused || e.code() == ErrorCode::NotFound
        || e.code() == ErrorCode::BadArgument;
}

QString describe(const OfflineAction &a)
{
    switch (a.kind) {
    case OfflineAction::Kind::AddFlags:
    case OfflineAction::Kind::RemoveFlags:
        return QStringLiteral("flags of %1 message(s) in %2").arg(a.uids.size()).arg(a.folder);
    case OfflineAction::Kind::Move:
        return QStringLiteral("moving %1 message(s) from %2 to %3").arg(a.uids.size()).arg(a.folder, a.target);
    case OfflineAction::Kind::Copy:
        return QStringLiteral("copying %1 message(s) from %2 to %3").arg(a.uids.size()).arg(a.folder, a.target);
    case OfflineAction::Kind::Delete:
        return QStringLiteral("deleting %1 message(s) from %2").arg(a.uids.size()).arg(a.folder);
    case OfflineAction::Kind::Append: return QStringLiteral("saving a message to %1").arg(a.folder);
    }
    return {};
}

} // namespace

ActionReplay::ActionReplay(MailStore &store, ImapClient &client, qint64 accountId)
    : m_store(store)
    , m_client(client)
    , m_accountId(accountId)
{
}

std::optional<Error> ActionReplay::folderReplaced(const QString &folder)
{
    if (const auto known = m_replaced.find(folder); known != m_replaced.end())
        return known->second;
    const Result<std::optional<Folder>> stored = m_store.folder(m_accountId, folder);
    if (!stored || !stored.value() || stored.value()->uidValidity == 0)
        return m_replaced[folder] = std::nullopt; // never synced: no UID of it to void
    const Result<FolderStatus> status = m_client.folderStatus(folder);
    if (!status && !refusedByServer(status.error()))
        return status.error(); // not reachable: asked again next time
    if (!status)
        return m_replaced[folder] = std::nullopt; // gone: each action meets that as before
    if (status->uidValidity == stored.value()->uidValidity)
        return m_replaced[folder] = std::nullopt;
    return m_replaced[folder] = Error(ErrorCode::NotFound,
                                      QStringLiteral("the folder was replaced on the server (UIDVALIDITY %1, was %2): "
                                                     "its messages are not the ones the action named")
                                          .arg(status->uidValidity)
                                          .arg(stored.value()->uidValidity));
}

Error ActionReplay::send(const OfflineAction &a, ReplayReport &report)
{
    Error failed;
    switch (a.kind) {
    case OfflineAction::Kind::AddFlags: failed = m_client.addFlags(a.folder, a.uids, a.flags); break;
    case OfflineAction::Kind::RemoveFlags: failed = m_client.removeFlags(a.folder, a.uids, a.flags); break;
    case OfflineAction::Kind::Move:
    case OfflineAction::Kind::Copy: {
        const Result<QMap<quint32, quint32>> placed = a.kind == OfflineAction::Kind::Move
            ? m_client.moveMessages(a.folder, a.uids, a.target)
            : m_client.copyMessages(a.folder, a.uids, a.target);
        failed = placed.error();
        if (placed)
            report.placed.insert(a.id, placed.value());
        break;
    }
    case OfflineAction::Kind::Delete:
        failed = m_client.deleteMessages(a.folder, a.uids);
        if (!failed.isError())
            failed = m_client.expunge(a.folder, a.uids);
        break;
    case OfflineAction::Kind::Append: {
        Result<quint32> appended = m_client.appendMessage(a.folder, a.message, a.flags);
        failed = appended.error();
        if (refusedByServer(failed)) {
            // The folder is gone: a message the user wrote is never
            // dropped for that. Make the folder again, and append.
            const Error created = m_client.createFolder(a.folder);
            if (created.isError()) {
                failed = created;
            } else {
                appended = m_client.appendMessage(a.folder, a.message, a.flags);
                failed = appended.error();
            }
            if (!failed.isError())
                report.conflicts << QStringLiteral("%1: the folder was gone; made again").arg(describe(a));
        }
        if (appended && appended.value() != 0)
            report.placed.insert(a.id, QMap<quint32, quint32>{{0, appended.value()}});
        break;
    }
    }
    return failed;
}

Result<ReplayReport> ActionReplay::replay()
{
    const Result<QList<OfflineAction>> pending = m_store.pendingActions(m_accountId);
    if (!pending)
        return pending.error();
    m_replaced.clear();
    ReplayReport report;
    for (qsizetype i = 0; i < pending->size(); ++i) {
        const OfflineAction &a = pending->at(i);
        // UIDs name messages only under the UIDVALIDITY they were read with:
        // a folder made again on the server (or an account moved to another
        // server) has other messages under them, which an action must not touch.
        const std::optional<Error> replaced = a.kind == OfflineAction::Kind::Append ? std::nullopt
                                                                                    : folderReplaced(a.folder);
        const Error failed = replaced ? *replaced : send(a, report);
        if (failed.isError() && (!refusedByServer(failed) || a.kind == OfflineAction::Kind::Append)) {
            // Not reachable (or an append that could not be placed): this one
            // and every later one wait, in order.
            if (const Error e = committed(m_store.failAction(a.id, failed.toString())); e.isError())
                return e;
            report.stoppedBy = failed;
            report.waiting = int(pending->size() - i);
            return report;
        }
        if (failed.isError())
            report.conflicts << QStringLiteral("%1: not done (%2)").arg(describe(a), failed.message());
        else
            ++report.sent;
        // Either way the store's copy of these folders may now differ from the server's.
        report.touched << a.folder;
        if (!a.target.isEmpty())
            report.touched << a.target;
        if (const Error e = committed(m_store.finishAction(a.id)); e.isError())
            return e;
    }
    return report;
}

} // namespace mailcore::store
