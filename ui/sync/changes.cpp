// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// AccountSync: the user's changes to mail (flags, move, copy, expunge, undo),
// the store first, then the server in order through the offline queue.

#include <algorithm>

#include "mailcore/base/error.h"
#include "mailcore/store/mailstore.h"
#include "ui/futureresult.h"
#include "ui/sync/accountsync.h"

namespace tandem::ui {

using mailcore::store::OfflineAction;
using mailcore::store::StoredMessage;

namespace {

QList<StoredMessage> rowsOf(mailcore::store::MailStore &store, qint64 folderId, const QList<quint32> &uids)
{
    QList<StoredMessage> rows;
    for (const quint32 uid : uids) {
        if (const auto row = store.message(folderId, uid); row && row.value())
            rows << *row.value();
    }
    return rows;
}

} // namespace

void AccountSync::queue(const OfflineAction &action)
{
    if (!m_imap)
        return; // POP3: the store's change was all of it
    sendChanges(m_store.queueAction(m_accountId, action));
}

void AccountSync::setFlags(qint64 folderId, const QString &folder, const QList<quint32> &uids, const QByteArray &flag,
                           bool on)
{
    QList<std::pair<quint32, QList<QByteArray>>> changed;
    for (const StoredMessage &row : rowsOf(m_store, folderId, uids)) {
        QList<QByteArray> flags = row.summary.flags;
        if (flags.contains(flag) == on)
            continue;
        if (on)
            flags << flag;
        else
            flags.removeAll(flag);
        changed << std::pair{row.summary.uid, flags};
    }
    if (changed.isEmpty())
        return;
    // Both go to the store's one writer, in this order: the list shows the
    // change once it is kept, and the change is kept before it is sent.
    m_store.setFlags(folderId, changed);
    OfflineAction action;
    action.kind = on ? OfflineAction::Kind::AddFlags : OfflineAction::Kind::RemoveFlags;
    action.folder = folder;
    for (const auto &c : changed)
        action.uids << c.first;
    action.flags = {flag};
    queue(action);
}

void AccountSync::moveMessages(qint64 folderId, const QString &folder, const QList<quint32> &uids,
                               const QString &target)
{
    if (uids.isEmpty() || folder == target || !m_imap) // POP3: no folders to move to
        return;
    UndoStep step;
    step.text = tr("Move %n message(s) to %1", nullptr, int(uids.size())).arg(target);
    step.folderId = folderId;
    step.folder = folder;
    step.target = target;
    step.rows = rowsOf(m_store, folderId, uids);
    m_store.removeMessages(folderId, uids); // gone from the list at once
    OfflineAction action;
    action.kind = OfflineAction::Kind::Move;
    action.folder = folder;
    action.uids = uids;
    action.target = target;
    step.queued = m_store.queueAction(m_accountId, action);
    sendChanges(step.queued);
    m_undo << step;
    Q_EMIT undoChanged(undoText());
}

void AccountSync::copyMessages(const QString &folder, const QList<quint32> &uids, const QString &target)
{
    if (uids.isEmpty() || folder == target)
        return;
    OfflineAction action;
    action.kind = OfflineAction::Kind::Copy;
    action.folder = folder;
    action.uids = uids;
    action.target = target;
    queue(action);
}

void AccountSync::expungeMessages(qint64 folderId, const QString &folder, const QList<quint32> &uids)
{
    if (uids.isEmpty())
        return;
    m_store.removeMessages(folderId, uids);
    OfflineAction action;
    action.kind = OfflineAction::Kind::Delete;
    action.folder = folder;
    action.uids = uids;
    queue(action);
}

void AccountSync::undo()
{
    if (m_undo.isEmpty() || m_stopping)
        return;
    const UndoStep step = m_undo.takeLast();
    Q_EMIT undoChanged(undoText());
    // On the change thread: after every change queued before it, so the
    // move is either still waiting (dropped) or sent (moved back).
    m_changeThread.start([this, step] { runUndo(step); });
}

void AccountSync::runUndo(const UndoStep &step)
{
    QFuture<qint64> queued = step.queued;
    qint64 id = 0;
    try {
        id = queued.result();
    } catch (const mailcore::MailException &) {
        // The move was never kept, so never sent: its rows come back.
    }
    const auto pending = m_store.pendingActions(m_accountId);
    const bool waiting = pending
        && std::any_of(pending->cbegin(), pending->cend(), [id](const OfflineAction &a) { return a.id == id; });
    if (id == 0 || waiting) {
        if (id != 0) {
            QFuture<void> dropped = m_store.finishAction(id); // not sent: simply not sent
            takeError(dropped);
        }
        m_store.saveMessages(step.folderId, step.rows);
        return;
    }
    QMap<quint32, quint32> placed;
    {
        const QMutexLocker lock(&m_placedMutex);
        placed = m_placed.take(id);
    }
    if (placed.isEmpty()) {
        Q_EMIT undoFailed(
            tr("The server did not say where the messages went in %1: move them back from there.").arg(step.target));
        return;
    }
    OfflineAction back;
    back.kind = OfflineAction::Kind::Move;
    back.folder = step.target;
    back.uids = placed.values();
    back.target = step.folder;
    QFuture<qint64> queuedBack = m_store.queueAction(m_accountId, back);
    // Already on the change thread: sent here, right after the move it undoes.
    try {
        queuedBack.waitForFinished();
    } catch (const mailcore::MailException &) {
        return; // not kept (the disk is full): nothing to send
    }
    replayChanges();
}

QString AccountSync::folderOfRole(mailcore::FolderRole role, const QString &fallback, bool *known) const
{
    const auto folders = m_store.folders(m_accountId);
    if (known)
        *known = folders && !folders->isEmpty();
    if (folders) {
        for (const mailcore::store::Folder &f : folders.value()) {
            if (f.role == role)
                return f.name;
        }
    }
    return fallback;
}

AccountSync::Draft AccountSync::saveDraft(const QByteArray &message, const Draft &previous)
{
    if (!m_imap)
        return {}; // POP3: no Drafts folder on the server (the composer keeps its text while open)
    OfflineAction append;
    append.kind = OfflineAction::Kind::Append;
    append.folder = folderOfRole(mailcore::FolderRole::Drafts, QStringLiteral("Drafts"));
    append.message = message;
    append.flags = {"\\Draft", "\\Seen"};
    // Kept in the store's queue first (the draft survives a crash at once),
    // then the old version goes and the new is sent, in this order.
    Draft saved;
    saved.queued = m_store.queueAction(m_accountId, append);
    m_changeThread.start([this, previous, queued = saved.queued]() mutable {
        removeDraftOn(previous);
        try {
            queued.waitForFinished();
        } catch (const mailcore::MailException &) {
        }
        if (!m_stopping)
            replayChanges();
    });
    return saved;
}

void AccountSync::discardDraft(const Draft &draft)
{
    if (!m_imap)
        return; // POP3 keeps no drafts on a server
    m_changeThread.start([this, draft] {
        removeDraftOn(draft);
        if (!m_stopping)
            replayChanges();
    });
}

void AccountSync::removeDraftOn(const Draft &draft)
{
    quint32 uid = draft.uid;
    if (draft.queued.isValid()) {
        qint64 id = 0;
        try {
            id = QFuture<qint64>(draft.queued).result();
        } catch (const mailcore::MailException &) {
            return; // never kept: nothing to take out
        }
        const auto pending = m_store.pendingActions(m_accountId);
        if (pending
            && std::any_of(pending->cbegin(), pending->cend(), [id](const OfflineAction &a) { return a.id == id; })) {
            QFuture<void> dropped = m_store.finishAction(id); // not on the server yet: never will be
            takeError(dropped);
            return;
        }
        const QMutexLocker lock(&m_placedMutex);
        uid = m_placed.take(id).value(0);
    }
    if (uid == 0)
        return; // the server did not say where it went: it stays in Drafts
    OfflineAction remove;
    remove.kind = OfflineAction::Kind::Delete;
    remove.folder = folderOfRole(mailcore::FolderRole::Drafts, QStringLiteral("Drafts"));
    remove.uids = {uid};
    QFuture<qint64> queued = m_store.queueAction(m_accountId, remove);
    takeResult(queued);
}

} // namespace tandem::ui
