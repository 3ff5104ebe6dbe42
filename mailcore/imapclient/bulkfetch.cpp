// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// ImapClient: many messages at once (B03), spread over connections whose
// number adapts (issue 15): fetchMessagesAsync() into a future,
// downloadMessagesAsync() and downloadSummariesAsync() into a sink.

#include <QSet>

#include <deque>
#include <limits>
#include <mutex>
#include <optional>
#include <utility>

#include "mailcore/client/adaptivewidth.h"
#include "mailcore/imap/requests.h"
#include "mailcore/imapclient/imapclient.h"
#include "mailcore/imapclient/operations.h"

namespace mailcore {

using namespace mailcore::imap;
using namespace mailcore::imapops;

namespace {

/// The longest a batch waits for clicks (issue 15): a stream of them slows a
/// download, never stops it.
constexpr std::chrono::milliseconds kLongestYield{250};

/// One bulk fetch: a queue of batches (one UID FETCH each) that workers, one
/// per connection, take from until it is empty. The job starts with as many
/// workers as its AdaptiveWidth says and starts more when it widens; a worker
/// beyond a narrower width stops at its next batch. The public forms differ
/// only in what is fetched and in `deliver` and `end`.
struct BulkJob : std::enable_shared_from_this<BulkJob> {
    BulkJob(client::Engine &engine, QString folder, FetchItems items, quint32 uidValidity, int depth, int perBatch,
            int widest = std::numeric_limits<int>::max())
        : engine(engine)
        , folder(std::move(folder))
        , items(std::move(items))
        , uidValidity(uidValidity)
        , depth(depth)
        , perBatch(perBatch)
        , width(std::min(widest, mostWorkers(engine.limit())))
    {
    }

    /// Every extra but one: a bulk job leaves room for the interactive long
    /// work of the same moment (the message list's next page, S15).
    static int mostWorkers(int limit) { return std::max(1, limit >= 3 ? limit - 2 : limit - 1); }

    client::Engine &engine;
    const QString folder;
    const FetchItems items;
    const quint32 uidValidity;
    const int depth;    // UID FETCH commands in flight per connection
    const int perBatch; // UIDs per UID FETCH
    /// Hands over the messages of one reply not handed over before; returns
    /// what they weigh for the width's measurement (bytes, or 1 a message).
    /// Called by each worker for its own replies, several at once: what it
    /// does per message (decoding) runs in parallel, and what must be one at
    /// a time (a caller's sink) it serialises itself.
    std::function<quint64(QList<FetchData> &&fresh)> deliver;
    std::function<bool()> isCanceled;
    std::function<void(const Error &)> end; // once, when the last worker is done; no error: all went well

    std::mutex mutex; // the queue, the workers, the error and `delivered`
    std::deque<QList<quint32>> queue;
    QSet<quint32> delivered; // a batch sent again after a lost connection skips these: nothing comes twice
    int workers = 0;
    Error error;
    client::AdaptiveWidth width;

    void start(const QList<quint32> &uids)
    {
        for (qsizetype i = 0; i < uids.size(); i += perBatch)
            queue.push_back(uids.mid(i, perBatch));
        if (queue.empty())
            return end(Error());
        engine.reportBulkWidth(this, width.width());
        startWorkers();
    }

    /// Starts workers up to the width while batches wait.
    void startWorkers()
    {
        int more = 0;
        {
            std::lock_guard lock(mutex);
            more = std::min(width.width() - workers, int(queue.size()));
            workers += std::max(0, more);
        }
        for (int i = 0; i < more; ++i)
            startWorker();
    }

    void startWorker()
    {
        // A worker that loses its connection starts again on another (B06),
        // with the batches it had on the wire back in the queue.
        client::Engine::TaskOptions options;
        options.retry = client::Retry::Always;
        options.cancelled = [self = shared_from_this()] { return self->isCanceled(); };
        engine
            .runTask<bool>(pool::Work::Bulk, folder, options,
                           [self = shared_from_this()](Connection &c) { return self->work(c); })
            .then([self = shared_from_this()](QFuture<bool> done) {
                Error failed;
                bool gaveBack = false;
                try {
                    gaveBack = done.result();
                } catch (const MailException &e) {
                    failed = e.error();
                }
                self->workerDone(failed, gaveBack);
            });
    }

    /// What a worker does next.
    struct Next {
        enum { Fetch, Wait, Stop, GiveBack } what = Wait;
        QList<quint32> uids; // for Fetch
    };
    /// Stop: nothing is left to send (the queue is empty, the job failed or
    /// was cancelled). GiveBack: this worker is one too many for the width
    /// and has nothing on the wire (`idle`); Wait: the same with commands on the wire.
    Next next(bool idle)
    {
        std::lock_guard lock(mutex);
        if (queue.empty() || error.isError() || isCanceled())
            return {Next::Stop, {}};
        if (workers > width.width()) {
            if (!idle)
                return {Next::Wait, {}};
            --workers; // workerDone() does not count it again
            return {Next::GiveBack, {}};
        }
        QList<quint32> batch = std::move(queue.front());
        queue.pop_front();
        batch.removeIf([&](quint32 uid) { return delivered.contains(uid); });
        return {Next::Fetch, std::move(batch)};
    }

    /// Returns true when the worker stopped as one too many (its place is given back).
    bool work(Connection &c)
    {
        struct Sent {
            QFuture<CommandResult> reply;
            QList<quint32> uids;
        };
        std::deque<Sent> inFlight;
        try {
            for (;;) {
                while (int(inFlight.size()) < depth) {
                    // A click running meanwhile (on another connection) goes
                    // first: the server and the CPU work on it while this
                    // worker sends nothing new.
                    engine.interactive().yieldTo(kLongestYield, isCanceled);
                    Next step = next(inFlight.empty());
                    if (step.what == Next::GiveBack)
                        return true;
                    if (step.what != Next::Fetch)
                        break;
                    if (step.uids.isEmpty())
                        continue; // all of it came before a lost connection
                    Request fetch = in(folder, requests::uidFetch(uidSet(step.uids), items), uidValidity);
                    fetch.background = true; // gives way to interactive commands on a shared connection
                    inFlight.push_back({connectionOf(c).execute(std::move(fetch)), std::move(step.uids)});
                }
                if (inFlight.empty())
                    return false;
                inFlight.front().reply.waitForFinished(); // rethrows the command's error; the batch stays to go back
                Sent sent = std::move(inFlight.front());
                inFlight.pop_front();
                QList<FetchData> replies = sent.reply.result().fetches();
                QList<FetchData> fresh;
                {
                    std::lock_guard lock(mutex);
                    for (FetchData &d : replies) {
                        if (d.uid && sent.uids.contains(*d.uid) && !delivered.contains(*d.uid)) {
                            delivered.insert(*d.uid);
                            fresh << std::move(d);
                        }
                    }
                }
                const quint64 units = deliver(std::move(fresh));
                const int before = width.width();
                if (width.batchDone(units, engine.interactive().begun()) != before) {
                    engine.reportBulkWidth(this, width.width());
                    startWorkers();
                }
            }
        } catch (const MailException &) {
            // What was on the wire goes back for whoever fetches next.
            std::lock_guard lock(mutex);
            for (auto it = inFlight.rbegin(); it != inFlight.rend(); ++it)
                queue.push_front(it->uids);
            throw;
        }
    }

    void workerDone(const Error &failed, bool gaveBack)
    {
        if (gaveBack)
            return; // counted out already, and others carry on with the queue
        bool last = false;
        {
            std::lock_guard lock(mutex);
            if (failed.isError() && !error.isError())
                error = failed;
            last = --workers == 0;
        }
        if (!last)
            return;
        engine.reportBulkWidth(this, 0);
        end(error);
    }
};

/// A job fetching whole messages at `pace`.
std::shared_ptr<BulkJob> bodiesJob(client::Engine &engine, const QString &folder,
                                   DownloadPace pace = DownloadPace::Full)
{
    FetchItems items;
    items.sections = {FetchSection{}};
    // At full pace 100 UIDs per command, two in flight: a body's bytes hide
    // the next command's round trip, and a click at a limit of 1 waits
    // behind few. In the background five, one in flight, on
    // one connection: what the server has in hand when a click comes is a
    // few messages, not two hundred (issue 12's click during a prefetch: the
    // server's share of the cores went to the prefetch until its buffers
    // were full). Five rather than ten per command: measured on loopback, a
    // Bench click's p99 19.3-20.2 ms against 20.8-22.4 (idle p99 18-22).
    if (pace == DownloadPace::Background)
        return std::make_shared<BulkJob>(engine, folder, items, 0, 1, 5, 1);
    return std::make_shared<BulkJob>(engine, folder, items, 0, 2, 100);
}

} // namespace

QFuture<FetchedMessage> ImapClient::fetchMessagesAsync(const QString &folder, const QList<quint32> &uids)
{
    // Results are reported a batch at a time: each report wakes every thread
    // waiting on the future, and one wake per message cost more CPU than the
    // messages' parsing (10,000 wakes of a waiting caller preempting the
    // workers). QPromise (Qt 6.4) adds only one result at a time.
    auto future = std::make_shared<QFutureInterface<FetchedMessage>>();
    future->reportStarted();
    auto job = bodiesJob(engine(), folder);
    job->deliver = [future](QList<FetchData> &&fresh) -> quint64 {
        QList<FetchedMessage> batch;
        quint64 bytes = 0;
        for (const FetchData &d : fresh) {
            if (const SectionData *body = d.section("BODY", "")) {
                batch << FetchedMessage{*d.uid, body->data};
                bytes += quint64(body->data.size());
            }
        }
        if (!batch.isEmpty())
            future->reportResults(batch); // thread-safe: workers report side by side
        return bytes;
    };
    job->isCanceled = [future] { return future->isCanceled(); };
    job->end = [future](const Error &error) {
        if (error.isError() && !future->isCanceled())
            future->reportException(MailException(error));
        future->reportFinished();
    };
    job->start(uids);
    return future->future();
}

namespace {

/// The future of a download into a sink: progress counts what was handed over,
/// the one result says how much came of what was asked. `prepare` makes the
/// sink's item of a message and says what it weighs (nothing: not handed
/// over); workers prepare side by side, the sink gets one item at a time.
template <typename Item>
std::shared_ptr<QPromise<BulkDownload>>
downloadInto(BulkJob &job, int requested,
             std::function<std::optional<std::pair<Item, quint64>>(const FetchData &)> prepare,
             std::function<void(Item &&)> sink)
{
    auto promise = std::make_shared<QPromise<BulkDownload>>();
    promise->start();
    promise->setProgressRange(0, requested);
    struct Handed {
        std::mutex mutex; // one sink call at a time
        int count = 0;
    };
    auto handed = std::make_shared<Handed>();
    job.deliver = [promise, handed, prepare = std::move(prepare), sink = std::move(sink)](QList<FetchData> &&fresh) {
        QList<std::pair<Item, quint64>> items;
        for (const FetchData &d : fresh) {
            if (auto item = prepare(d))
                items << std::move(*item);
        }
        quint64 units = 0;
        std::lock_guard lock(handed->mutex);
        for (auto &[item, weight] : items) {
            sink(std::move(item));
            units += weight;
            promise->setProgressValue(++handed->count); // Qt passes on at most 25 progress signals a second
        }
        return units;
    };
    job.isCanceled = [promise] { return promise->isCanceled(); };
    job.end = [promise, handed, requested](const Error &error) {
        std::lock_guard lock(handed->mutex); // the workers are done: no more deliveries
        if (error.isError() && !promise->isCanceled())
            promise->setException(MailException(error));
        else if (!promise->isCanceled())
            promise->addResult(BulkDownload{handed->count, requested - handed->count});
        promise->finish();
    };
    return promise;
}

} // namespace

QFuture<BulkDownload> ImapClient::downloadMessagesAsync(const QString &folder, const QList<quint32> &uids,
                                                        MessageSink sink, DownloadPace pace)
{
    auto job = bodiesJob(engine(), folder, pace);
    auto promise = downloadInto<FetchedMessage>(
        *job, int(uids.size()),
        [](const FetchData &d) -> std::optional<std::pair<FetchedMessage, quint64>> {
            const SectionData *body = d.section("BODY", "");
            if (!body)
                return std::nullopt;
            return std::pair{FetchedMessage{*d.uid, body->data}, std::max<quint64>(quint64(body->data.size()), 1)};
        },
        std::move(sink));
    job->start(uids);
    return promise->future();
}

QFuture<BulkDownload> ImapClient::downloadSummariesAsync(const QString &folder, const QList<quint32> &uids,
                                                         SummarySink sink, quint32 uidValidity)
{
    // One in flight: the server's work per summary is the cost, not the wire,
    // and a connection between two batches leaves the cores a moment for the
    // GUI (a first sync measured with clicks: fewer long stalls). A slow link
    // makes the width grow instead.
    // 300 UIDs per UID FETCH: each reply is small.
    auto job = std::make_shared<BulkJob>(engine(), folder, summaryItems(), uidValidity, 1, 300);
    // Decoded by each worker for its own batch: in parallel, not one at a time.
    auto promise = downloadInto<MessageSummary>(
        *job, int(uids.size()),
        [](const FetchData &d) {
            return std::optional{std::pair{summaryOf(d), quint64(1)}};
        },
        std::move(sink));
    job->start(uids);
    return promise->future();
}

} // namespace mailcore
