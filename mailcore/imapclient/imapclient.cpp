#include "mailcore/imapclient/imapclient.h"

#include <QSet>
#include <QThread>

#include <deque>
#include <optional>
#include <mutex>

#include "mailcore/imap/connection.h"
#include "mailcore/imap/requests.h"
#include "mailcore/imapclient/folderwatch.h"
#include "mailcore/imapclient/operations.h"

namespace mailcore {

using namespace mailcore::imap;

namespace {

/// An ImapConnection as the pool sees it.
class PooledImapConnection : public pool::PooledConnection
{
public:
    explicit PooledImapConnection(SessionSettings settings)
        : m_connection(std::move(settings))
    {
        // Installed before open(), as the connection requires; whoever watches
        // a folder on this connection (B10) sets the sink later.
        m_connection.setEventListener([this](const Response &response) {
            std::lock_guard lock(m_sinkMutex);
            if (m_eventSink)
                m_eventSink(response);
        });
    }
    /// Any thread; called in the I/O thread for each unsolicited response.
    void setEventSink(std::function<void(const Response &)> sink)
    {
        std::lock_guard lock(m_sinkMutex);
        m_eventSink = std::move(sink);
    }
    QFuture<void> open() override { return m_connection.open(); }
    bool isUsable() const override { return m_connection.state() != SessionState::Closed; }
    QString selectedFolder() const override { return m_connection.selectedMailbox(); }
    void close() override { m_connection.close(); }
    ConnectionActivity activity() const override { return m_connection.activity(); }
    void setActivityListener(std::function<void()> listener) override
    {
        m_connection.setActivityListener(std::move(listener));
    }
    ImapConnection &connection() { return m_connection; }

private:
    std::mutex m_sinkMutex;
    std::function<void(const Response &)> m_eventSink;
    ImapConnection m_connection; // last: destroyed (its thread joined) before the sink
};

ImapConnection &imapOf(pool::PooledConnection &pooled)
{
    return static_cast<PooledImapConnection &>(pooled).connection();
}

/// Runs one request and waits for it (the caller is a task thread or a user
/// thread, never an I/O thread). A failure is thrown as MailException.
CommandResult run(pool::PooledConnection &pooled, Request request)
{
    QFuture<CommandResult> future = imapOf(pooled).execute(std::move(request));
    future.waitForFinished(); // rethrows the command's MailException
    if (future.resultCount() == 0) // the connection went away with the command
        throw MailException(Error(ErrorCode::Cancelled, QStringLiteral("the connection was closed")));
    return future.result();
}

Request in(const QString &folder, Request request)
{
    request.inMailbox = folder;
    return request;
}

// The operations, each written once and used by the synchronous and the
// asynchronous form alike.

void noopOn(pool::PooledConnection &c) { run(c, requests::noop()); }

Request fetchMessageRequest(const QString &folder, quint32 uid)
{
    FetchItems items;
    items.sections = {FetchSection{}};
    return in(folder, requests::uidFetch(SequenceSet::fromRange(uid, uid), items));
}

std::optional<QByteArray> bodyOf(const CommandResult &result, quint32 uid)
{
    for (const FetchData &f : result.all<FetchData>()) {
        if (f.uid == uid) {
            if (const SectionData *body = f.section("BODY", ""))
                return body->data;
        }
    }
    return std::nullopt;
}

MailException noSuchMessage(const QString &folder, quint32 uid)
{
    return MailException(Error(ErrorCode::NotFound, QStringLiteral("no message with UID %1 in %2").arg(uid).arg(folder)));
}

// A message appended a moment ago (on this connection or another) is not in
// this connection's view of the folder until the server syncs it; Dovecot
// does not while pipelined commands keep it busy. A NOOP makes it sync, so a
// fetch that finds nothing asks once more after one. Found by the pool's
// stress test (append, then fetch).

QByteArray fetchMessageOn(pool::PooledConnection &c, const QString &folder, quint32 uid)
{
    for (int attempt = 0; attempt < 2; ++attempt) {
        if (std::optional<QByteArray> body = bodyOf(run(c, fetchMessageRequest(folder, uid)), uid))
            return *body;
        if (attempt == 0)
            run(c, in(folder, requests::noop()));
    }
    throw noSuchMessage(folder, uid);
}

/// Queues the fetch and returns at once (pool spec B02 across callers); the
/// answer is looked at where it arrives, in the connection's I/O thread.
QFuture<QByteArray> submitFetchMessage(pool::PooledConnection &c, const QString &folder, quint32 uid)
{
    auto promise = std::make_shared<QPromise<QByteArray>>();
    promise->start();
    QFuture<QByteArray> future = promise->future();
    const auto fail = [promise](QFuture<CommandResult> f) {
        try {
            f.waitForFinished();
            promise->setException(MailException(Error(ErrorCode::Cancelled, QStringLiteral("the connection was closed"))));
        } catch (const MailException &e) {
            promise->setException(e);
        }
        promise->finish();
    };
    ImapConnection &connection = imapOf(c);
    connection.execute(fetchMessageRequest(folder, uid))
        .then(QtFuture::Launch::Sync, [promise, fail, &connection, folder, uid](QFuture<CommandResult> first) {
            if (first.isCanceled() || first.resultCount() == 0)
                return fail(first);
            if (std::optional<QByteArray> body = bodyOf(first.result(), uid)) {
                promise->addResult(*body);
                return promise->finish();
            }
            // A successful answer: the connection is alive, so it may be asked again.
            connection.execute(in(folder, requests::noop()));
            connection.execute(fetchMessageRequest(folder, uid))
                .then(QtFuture::Launch::Sync, [promise, fail, folder, uid](QFuture<CommandResult> second) {
                    if (second.isCanceled() || second.resultCount() == 0)
                        return fail(second);
                    if (std::optional<QByteArray> body = bodyOf(second.result(), uid))
                        promise->addResult(*body);
                    else
                        promise->setException(noSuchMessage(folder, uid));
                    promise->finish();
                });
        });
    return future;
}

} // namespace

/// What the chunks of one bulk fetch share: where a message goes, how many
/// chunks are still running, and the first error. The two public forms differ
/// only in `deliver` and `end` (a future's results, or the caller's sink).
struct detail::BulkFetch {
    std::function<void(FetchedMessage &&)> deliver; // under mutex: one call at a time
    std::function<bool()> isCanceled;
    std::function<void(const Error &)> end; // once, when the last chunk is done; no error: all went well
    std::mutex mutex; // delivery from several task threads, and the error
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

namespace {

using detail::BulkFetch;

constexpr int kBulkBatch = 100;  // UIDs per UID FETCH
constexpr int kBulkDepth = 4;    // UID FETCH commands in flight per connection
constexpr int kMinChunk = 200;   // below this, another connection costs more than it saves

void fetchChunkOn(pool::PooledConnection &c, const QString &folder, const QList<quint32> &uids, BulkFetch &bulk)
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
        if (bulk.isCanceled())
            break;
        SequenceSet set;
        for (qsizetype j = i; j < std::min(todo.size(), i + kBulkBatch); ++j)
            set.add(todo[j]);
        inFlight.push_back(imapOf(c).execute(in(folder, requests::uidFetch(set, items))));
        if (int(inFlight.size()) >= kBulkDepth)
            drainOne();
    }
    while (!inFlight.empty())
        drainOne();
}

} // namespace

// What the operation files (imapoperations.h) share, on top of the helpers above.
imap::ImapConnection &imapops::connectionOf(pool::PooledConnection &pooled) { return imapOf(pooled); }
CommandResult imapops::run(pool::PooledConnection &pooled, Request request) { return mailcore::run(pooled, std::move(request)); }
bool imapops::offers(pool::PooledConnection &pooled, QByteArrayView capability)
{
    return imapOf(pooled).capabilities().has(capability);
}

/// B10: keeps a push connection in IDLE on one folder. Owned by the
/// continuations pending on the connection, so it ends with them.
class IdleLoop : public std::enable_shared_from_this<IdleLoop>
{
public:
    IdleLoop(PooledImapConnection &pooled, std::function<void()> changed, std::function<void(const Error &)> ended)
        : m_pooled(pooled)
        , m_changed(std::move(changed))
        , m_ended(std::move(ended))
    {
    }
    /// Selects the folder, then IDLE again each time an IDLE ends well.
    void start(const QString &folder)
    {
        m_pooled.connection().execute(in(folder, requests::noop()))
            .then(QtFuture::Launch::Sync, [self = shared_from_this()](QFuture<CommandResult> done) { self->next(done); });
    }

private:
    void next(QFuture<CommandResult> done)
    {
        try {
            done.waitForFinished();
            if (done.resultCount() == 0)
                return m_ended(Error(ErrorCode::Cancelled, QStringLiteral("the connection was closed")));
        } catch (const MailException &e) {
            return m_ended(e.error());
        }
        if (!m_listening) {
            // Only now: the SELECT's own EXISTS and FLAGS are no news.
            m_listening = true;
            m_pooled.setEventSink([changed = m_changed](const Response &response) {
                // New or vanished messages, changed flags: the folder's list is out of date.
                if (response.get<NumberData>() || response.get<FetchData>() || response.get<VanishedData>())
                    changed();
            });
        }
        m_pooled.connection().idle().then(QtFuture::Launch::Sync, [self = shared_from_this()](QFuture<CommandResult> idled) {
            self->next(idled);
        });
    }

    PooledImapConnection &m_pooled; // alive while its continuations run: they run in its I/O thread
    std::function<void()> m_changed;
    std::function<void(const Error &)> m_ended;
    bool m_listening = false; // I/O thread only
};

void idleOn(pool::PooledConnection &c, const QString &folder, std::function<void()> changed,
            std::function<void(const Error &)> ended)
{
    auto &pooled = static_cast<PooledImapConnection &>(c);
    if (!pooled.connection().capabilities().has("IDLE"))
        return ended(Error(ErrorCode::BadArgument, QStringLiteral("the server does not offer IDLE")));
    std::make_shared<IdleLoop>(pooled, std::move(changed), std::move(ended))->start(folder);
}

ImapClient::ImapClient(Endpoint endpoint, QString user, QString password, QObject *parent)
    : CredentialsByHostClient(endpoint, user, password,
                              [endpoint, user, password] {
                                  return std::make_shared<PooledImapConnection>(SessionSettings{endpoint, user, password});
                              },
                              parent)
{
}

ImapClient::~ImapClient()
{
    m_watches.clear(); // their push connections go back before the pool is disposed
}

void ImapClient::startMonitoring(const QString &folder)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (m_watches.count(folder))
        return;
    m_watches[folder] = std::make_unique<detail::FolderWatch>(
        this, folder, connectionPool(), taskPool(), idleOn,
        [this](const QString &f) { return folderStatusAsync(f); }, m_pollInterval,
        [this, folder] { Q_EMIT folderChanged(folder); });
}

void ImapClient::stopMonitoring(const QString &folder)
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_watches.erase(folder);
}

bool ImapClient::isMonitoring(const QString &folder, bool *byPush) const
{
    const auto it = m_watches.find(folder);
    if (it == m_watches.end())
        return false;
    if (byPush)
        *byPush = it->second->isPushing();
    return true;
}

void ImapClient::setMonitorPollInterval(std::chrono::milliseconds interval)
{
    m_pollInterval = interval; // for watches started from now on
}

Error ImapClient::noop() { return runSyncVoid(Retry::Always, [](auto &c) { noopOn(c); }); }
QFuture<void> ImapClient::noopAsync() { return runTask<void>(pool::Work::Short, {}, TaskOptions{Retry::Always, {}}, [](auto &c) { noopOn(c); }); }

Result<QByteArray> ImapClient::fetchMessage(const QString &folder, quint32 uid)
{
    return runSync<QByteArray>(Retry::Always, [=](auto &c) { return fetchMessageOn(c, folder, uid); });
}
QFuture<QByteArray> ImapClient::fetchMessageAsync(const QString &folder, quint32 uid)
{
    return runPipelined<QByteArray>(folder, Retry::Always, [=](auto &c) { return submitFetchMessage(c, folder, uid); });
}

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
    startBulkFetch(folder, uids, bulk);
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
    startBulkFetch(folder, uids, bulk);
    return promise->future();
}

void ImapClient::startBulkFetch(const QString &folder, const QList<quint32> &uids, std::shared_ptr<BulkFetch> bulk)
{
    if (uids.isEmpty()) {
        bulk->end(Error());
        return;
    }
    // Every extra but one: a download must leave room for the interactive
    // long work of the same moment (the message list's next page, S15).
    const int limit = maxConnectionsPerServer();
    const int extras = std::max(1, limit >= 3 ? limit - 2 : limit - 1);
    const int chunks = int(std::clamp<qsizetype>(uids.size() / kMinChunk, 1, extras));
    bulk->remaining = chunks;
    for (int i = 0; i < chunks; ++i) {
        const QList<quint32> part = uids.mid(uids.size() * i / chunks, uids.size() * (i + 1) / chunks - uids.size() * i / chunks);
        // A chunk that loses its connection starts again on another (B06),
        // from what it has not delivered yet.
        TaskOptions options;
        options.retry = Retry::Always;
        options.cancelled = [bulk] { return bulk->isCanceled(); };
        runTask<void>(pool::Work::Long, folder, options, [bulk, folder, part](auto &c) { fetchChunkOn(c, folder, part, *bulk); })
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

} // namespace mailcore
