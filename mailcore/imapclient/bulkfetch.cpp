// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// ImapClient: many messages at once (B03), split over the connections:
// fetchMessagesAsync() into a future, downloadMessagesAsync() into a sink.

#include <QSet>

#include <deque>
#include <mutex>

#include "mailcore/imap/requests.h"
#include "mailcore/imapclient/imapclient.h"
#include "mailcore/imapclient/operations.h"

namespace mailcore {

using namespace mailcore::imap;
using namespace mailcore::imapops;

namespace {

/// What the chunks of one bulk fetch share: where a message goes, how many
/// chunks are still running, and the first error. The two public forms differ
/// only in `deliver` and `end` (a future's results, or the caller's sink).
struct BulkFetch {
    std::function<void(FetchedMessage &&)> deliver; // under mutex: one call at a time
    std::function<bool()> isCanceled;
    std::function<void(const Error &)> end; // once, when the last chunk is done; no error: all went well
    std::mutex mutex;                       // delivery from several task threads, and the error
    std::atomic<int> remaining{0};
    Error error;
    QSet<quint32> delivered; // guarded by mutex: a retried chunk skips these, and nothing comes twice

    void chunkDone(const Error &chunkError)
    {
        {
            std::lock_guard lock(mutex);
            if (chunkError.isError() && !error.isError())
                error = chunkError;
        }
        if (--remaining > 0)
            return;
        end(error);
    }
};

constexpr int kBulkBatch = 100; // UIDs per UID FETCH
constexpr int kBulkDepth = 2;   // UID FETCH commands in flight per connection: enough to hide a round trip, few for a
                                // click to wait behind at a limit of 1
constexpr int kMinChunk = 200;  // below this, another connection costs more than it saves

/// The longest a batch waits for clicks (issue 15): a stream of them slows a
/// download, never stops it.
constexpr std::chrono::milliseconds kLongestYield{250};

void fetchChunkOn(Connection &c, const QString &folder, const QList<quint32> &uids, BulkFetch &bulk,
                  client::InteractiveWork &clicks)
{
    FetchItems items;
    items.sections = {FetchSection{}};
    std::deque<QFuture<CommandResult>> inFlight;
    const auto drainOne = [&] {
        QFuture<CommandResult> f = std::move(inFlight.front());
        inFlight.pop_front();
        f.waitForFinished(); // rethrows the command's error
        std::lock_guard lock(bulk.mutex);
        for (const FetchData &d : f.result().all<FetchData>()) {
            if (const SectionData *body = d.section("BODY", ""); body && d.uid && !bulk.delivered.contains(*d.uid)) {
                bulk.delivered.insert(*d.uid);
                bulk.deliver(FetchedMessage{*d.uid, body->data});
            }
        }
    };
    QList<quint32> todo; // on a retry (B06), only what has not arrived yet
    {
        std::lock_guard lock(bulk.mutex);
        for (quint32 uid : uids) {
            if (!bulk.delivered.contains(uid))
                todo << uid;
        }
    }
    for (qsizetype i = 0; i < todo.size(); i += kBulkBatch) {
        // A click running meanwhile (on another connection) goes first: the
        // server and the CPU work on it while this chunk sends nothing new.
        clicks.yieldTo(kLongestYield, bulk.isCanceled);
        if (bulk.isCanceled())
            break;
        SequenceSet set;
        for (qsizetype j = i; j < std::min(todo.size(), i + kBulkBatch); ++j)
            set.add(todo[j]);
        Request batch = in(folder, requests::uidFetch(set, items));
        batch.background = true; // gives way to interactive commands on a shared connection
        inFlight.push_back(connectionOf(c).execute(std::move(batch)));
        if (int(inFlight.size()) >= kBulkDepth)
            drainOne();
    }
    while (!inFlight.empty())
        drainOne();
}

/// Splits `uids` over connections and fetches them into `bulk` (B03).
void startBulkFetch(client::Engine &engine, const QString &folder, const QList<quint32> &uids,
                    std::shared_ptr<BulkFetch> bulk)
{
    if (uids.isEmpty()) {
        bulk->end(Error());
        return;
    }
    // Every extra but one: a download must leave room for the interactive
    // long work of the same moment (the message list's next page, S15).
    const int limit = engine.limit();
    const int extras = std::max(1, limit >= 3 ? limit - 2 : limit - 1);
    const int chunks = int(std::clamp<qsizetype>(uids.size() / kMinChunk, 1, extras));
    bulk->remaining = chunks;
    for (int i = 0; i < chunks; ++i) {
        const QList<quint32> part = uids.mid(uids.size() * i / chunks,
                                             uids.size() * (i + 1) / chunks - uids.size() * i / chunks);
        // A chunk that loses its connection starts again on another (B06),
        // from what it has not delivered yet.
        client::Engine::TaskOptions options;
        options.retry = client::Retry::Always;
        options.cancelled = [bulk] { return bulk->isCanceled(); };
        engine
            .runTask<void>(pool::Work::Bulk, folder, options,
                           [bulk, folder, part, &clicks = engine.interactive()](Connection &c) {
                               fetchChunkOn(c, folder, part, *bulk, clicks);
                           })
            .then([bulk](QFuture<void> done) {
                Error error;
                try {
                    done.waitForFinished();
                } catch (const MailException &e) {
                    error = e.error();
                }
                bulk->chunkDone(error);
            });
    }
}

} // namespace

QFuture<FetchedMessage> ImapClient::fetchMessagesAsync(const QString &folder, const QList<quint32> &uids)
{
    auto promise = std::make_shared<QPromise<FetchedMessage>>();
    promise->start();
    auto bulk = std::make_shared<BulkFetch>();
    bulk->deliver = [promise](FetchedMessage &&message) { promise->addResult(std::move(message)); };
    bulk->isCanceled = [promise] { return promise->isCanceled(); };
    bulk->end = [promise](const Error &error) {
        if (error.isError() && !promise->isCanceled())
            promise->setException(MailException(error));
        promise->finish();
    };
    startBulkFetch(engine(), folder, uids, bulk);
    return promise->future();
}

QFuture<BulkDownload> ImapClient::downloadMessagesAsync(const QString &folder, const QList<quint32> &uids,
                                                        MessageSink sink)
{
    auto promise = std::make_shared<QPromise<BulkDownload>>();
    promise->start();
    promise->setProgressRange(0, int(uids.size()));
    auto bulk = std::make_shared<BulkFetch>();
    auto count = std::make_shared<int>(0); // guarded by bulk->mutex, like every delivery
    bulk->deliver = [promise, sink = std::move(sink), count](FetchedMessage &&message) {
        sink(std::move(message));
        promise->setProgressValue(++*count); // Qt passes on at most 25 progress signals a second
    };
    bulk->isCanceled = [promise] { return promise->isCanceled(); };
    const int requested = int(uids.size());
    bulk->end = [promise, count, requested](const Error &error) {
        if (error.isError() && !promise->isCanceled())
            promise->setException(MailException(error));
        else if (!promise->isCanceled())
            promise->addResult(BulkDownload{*count, requested - *count}); // the chunks are done: no more deliveries
        promise->finish();
    };
    startBulkFetch(engine(), folder, uids, bulk);
    return promise->future();
}

} // namespace mailcore
