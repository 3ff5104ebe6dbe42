// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/store/bodydownload.h"

#include <QException>
#include <QHash>

#include <algorithm>
#include <mutex>

#include "mailcore/imapclient/imapclient.h"
#include "mailcore/store/committed.h"
#include "mailcore/store/mailstore.h"

namespace mailcore::store {

struct BodyDownload::State {
    MailStore *store = nullptr;
    QHash<quint32, qint64> rowOf; // UID -> the store's id, of the messages without a body
    QFuture<BulkDownload> fetching;
    std::mutex mutex; // the sink runs on the pool's threads
    QList<QFuture<void>> writes;

    /// The sink's half: one body arrived; its write is queued, not waited for.
    void keep(FetchedMessage &&message)
    {
        const qint64 id = rowOf.value(message.uid);
        if (!id)
            return;
        QFuture<void> write = store->saveBody(id, std::move(message.data));
        const std::lock_guard lock(mutex);
        writes << write;
    }
};

BodyDownload::BodyDownload(std::shared_ptr<State> state)
    : d(std::move(state))
{
}

Result<BodyDownload> BodyDownload::start(MailStore &store, ImapClient &client, qint64 accountId, const QString &folder,
                                         int count, DownloadPace pace)
{
    const Result<std::optional<Folder>> f = store.folder(accountId, folder);
    if (!f)
        return f.error();
    if (!f.value())
        return Error(ErrorCode::NotFound, QStringLiteral("the store has no folder %1").arg(folder));
    // Two columns of each row, not whole rows: a 100,000-message folder is
    // listed in a fraction of the time, and nothing is decoded.
    const Result<QHash<quint32, qint64>> missing = store.withoutBody(f.value()->id, count < 0 ? -1 : count);
    if (!missing)
        return missing.error();
    auto state = std::make_shared<State>();
    state->store = &store;
    state->rowOf = missing.value();
    if (state->rowOf.isEmpty()) {
        state->fetching = QtFuture::makeReadyFuture(BulkDownload{});
        return BodyDownload(state);
    }
    QList<quint32> uids = state->rowOf.keys();
    std::sort(uids.begin(), uids.end());
    // The sink holds the state: the fetch may outlive every BodyDownload copy.
    state->fetching = client.downloadMessagesAsync(
        folder, uids,
        [state = state.get(), keepAlive = state](FetchedMessage &&message) {
            Q_UNUSED(keepAlive);
            state->keep(std::move(message));
        },
        pace);
    return BodyDownload(state);
}

int BodyDownload::total() const { return int(d->rowOf.size()); }

QFuture<BulkDownload> BodyDownload::fetching() const { return d->fetching; }

Result<int> BodyDownload::finish()
{
    Error failed;
    try {
        d->fetching.waitForFinished();
    } catch (const MailException &e) {
        failed = e.error();
    } catch (const QUnhandledException &) {
        failed = Error(ErrorCode::Internal, QStringLiteral("the download failed unexpectedly"));
    }
    if (failed.code() == ErrorCode::Cancelled)
        failed = {};
    int stored = 0;
    const std::lock_guard lock(d->mutex);
    for (QFuture<void> &write : d->writes) {
        if (const Error e = committed(write); e.isError())
            failed = e;
        else
            ++stored;
    }
    if (failed.isError())
        return failed;
    return stored;
}

} // namespace mailcore::store
