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

Result<ReplayReport> ActionReplay::replay()
{
    const Result<QList<OfflineAction>> pending = m_store.pendingActions(m_accountId);
    if (!pending)
        return pending.error();
    ReplayReport report;
    for (qsizetype i = 0; i < pending->size(); ++i) {
        const OfflineAction &a = pending->at(i);
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
            report.conflicts
                << QStringLiteral("%1: not done, the server refused (%2)").arg(describe(a), failed.message());
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
