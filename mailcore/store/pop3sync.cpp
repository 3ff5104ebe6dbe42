// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/store/pop3sync.h"

#include <QDateTime>
#include <QScopeGuard>
#include <QSet>

#include "mailcore/mime/message.h"
#include "mailcore/pop3client/pop3client.h"
#include "mailcore/store/committed.h"
#include "mailcore/store/mailstore.h"
#include "mailcore/store/rememberedlimit.h"

namespace mailcore::store {

namespace {

/// A message's list row from its own header (POP3 has no BODYSTRUCTURE and
/// no flags: it arrives unread).
StoredMessage rowOf(const QByteArray &raw)
{
    StoredMessage row;
    row.summary.setHeaders(mime::Message::parseHeaders(raw));
    row.summary.size = quint64(raw.size());
    row.summary.internalDate = QDateTime::currentDateTimeUtc();
    return row;
}

} // namespace

Pop3Sync::Pop3Sync(MailStore &store, Pop3Client &client, qint64 accountId)
    : m_store(store)
    , m_client(client)
    , m_accountId(accountId)
    , m_rememberedLimit(applyRememberedLimit(store, client, QStringLiteral("pop3")))
{
}

Result<QByteArray> Pop3Sync::body(quint32 uid)
{
    const Result<StoredMessage> row = m_store.message(m_accountId, QStringLiteral("INBOX"), uid);
    if (!row)
        return row.error();
    const Result<std::optional<QByteArray>> kept = m_store.body(row->id);
    if (!kept)
        return kept.error();
    if (!kept.value())
        return Error(ErrorCode::NotFound, QStringLiteral("the store has no body of message %1").arg(uid));
    return *kept.value();
}

Result<Pop3SyncReport> Pop3Sync::download(const Pop3Policy &policy)
{
    // A maildrop locked per session (B05) lowers the client's limit: kept for the next run.
    const auto learned = qScopeGuard([this] {
        m_rememberedLimit = rememberLoweredLimit(m_store, m_client, QStringLiteral("pop3"), m_rememberedLimit);
    });
    // The account's mail lives in its INBOX in the store.
    Result<std::optional<Folder>> inbox = m_store.folder(m_accountId, QStringLiteral("INBOX"));
    if (!inbox)
        return inbox.error();
    qint64 folderId = inbox.value() ? inbox.value()->id : 0;
    if (!folderId) {
        Folder folder;
        folder.accountId = m_accountId;
        folder.name = QStringLiteral("INBOX");
        folder.role = FolderRole::Inbox;
        QFuture<qint64> saved = m_store.saveFolder(folder);
        if (const Error e = committed(saved); e.isError())
            return e;
        folderId = saved.result();
    }

    // A POP3 session shows the maildrop as it was when the session began: a
    // new one, so that mail that came since is seen. (This client's only user
    // is the store, which leaves no deletion marked: QUIT deletes nothing.)
    if (const Error e = m_client.commit(); e.isError())
        return e;
    const Result<QList<Pop3MessageInfo>> listed = m_client.listMessages();
    if (!listed)
        return listed.error();
    const Result<QHash<QByteArray, Pop3Download>> known = m_store.pop3Downloads(m_accountId);
    if (!known)
        return known.error();

    Pop3SyncReport report;
    QList<QByteArray> fresh;
    for (const Pop3MessageInfo &m : listed.value()) {
        if (known->contains(m.uid))
            ++report.alreadyStored;
        else
            fresh << m.uid;
    }
    // Pipelined; each message is stored (row, body and UIDL in one
    // transaction) as it arrives.
    QSet<QByteArray> stored; // looked up once per listed message below
    if (!fresh.isEmpty()) {
        QFuture<Pop3FetchedMessage> fetching = m_client.fetchMessagesAsync(fresh);
        for (int i = 0; i < fresh.size(); ++i) {
            Pop3FetchedMessage m;
            try {
                m = fetching.resultAt(i);
            } catch (const MailException &e) {
                return e.error(); // what was stored stays; the rest comes next time
            }
            const Error e = committed(
                m_store.saveDownloaded(m_accountId, folderId, m.uid, rowOf(m.data), std::move(m.data)));
            if (e.isError())
                return e;
            stored << m.uid;
            ++report.downloaded;
        }
    }

    // Only now, with every message committed locally, may server copies go.
    QList<QByteArray> doomed;
    const QDateTime cutoff = QDateTime::currentDateTimeUtc().addDays(-policy.days);
    for (const Pop3MessageInfo &m : listed.value()) {
        const auto was = known->constFind(m.uid);
        switch (policy.keep) {
        case Pop3Policy::Keep::OnServer: break;
        case Pop3Policy::Keep::DeleteAfterDownload:
            if (was != known->cend() || stored.contains(m.uid))
                doomed << m.uid;
            break;
        case Pop3Policy::Keep::DeleteAfterDays:
            if (was != known->cend() && was->downloadedAt <= cutoff)
                doomed << m.uid;
            else if (policy.days <= 0 && stored.contains(m.uid))
                doomed << m.uid;
            break;
        }
    }
    if (doomed.isEmpty())
        return report;
    for (const QByteArray &uid : doomed) {
        if (const Error e = m_client.deleteMessage(uid); e.isError())
            return e; // nothing is committed: the server keeps them all, the next download tries again
    }
    if (const Error e = m_client.commit(); e.isError())
        return e;
    if (const Error e = committed(m_store.markDeletedOnServer(m_accountId, doomed)); e.isError())
        return e;
    report.deletedOnServer = int(doomed.size());
    return report;
}

} // namespace mailcore::store
