#pragma once

#include <QDeadlineTimer>
#include <QFuture>
#include <QObject>
#include <QPromise>
#include <QThreadPool>
#include <QScopeGuard>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <memory>
#include <optional>

#include "mailcore/client/connectionlease.h"
#include "mailcore/base/error.h"
#include "mailcore/mailcore_export.h"
#include "mailcore/base/endpoint.h"
#include "mailcore/net/threadpriority.h"
#include "mailcore/pool/connectionpool.h"
#include "mailcore/base/poolsnapshot.h"
#include "mailcore/base/result.h"

namespace mailcore {

namespace pool {
class SnapshotPublisher;
}

/// The base of ImapClient, Pop3Client and SmtpClient: one server account
/// (endpoint, security, credentials) and the pool of connections to it. Any
/// number of threads may use one client at once (see shared/docs/pool-spec.md).
///
/// - Connects lazily, on the first operation (S03).
/// - maxConnectionsPerServer (default 10, S01) counts every connection, the
///   main one included (S02).
/// - Synchronous operations run on the calling thread's own connection if it
///   made one with createConnection() (S11), else on the main one (S10).
/// - Asynchronous operations return a QFuture at once and run as tasks on the
///   client's own QThreadPool (S09); long ones get an extra connection, short
///   ones the main one (S15).
class MAILCORE_EXPORT CredentialsByHostClient : public QObject
{
    Q_OBJECT

public:
    ~CredentialsByHostClient() override; ///< dispose()

    const Endpoint &endpoint() const { return m_endpoint; }
    QString user() const { return m_user; }

    int maxConnectionsPerServer() const;
    /// S01: below 1 is refused with ErrorCode::BadArgument and the old value stays.
    Error setMaxConnectionsPerServer(int limit);
    /// How long an unused extra connection is kept for reuse (B04; default 60 s).
    void setExtraConnectionIdleTime(std::chrono::milliseconds idleTime);
    /// B09: share one limit with other clients of the same account (see
    /// AccountBudget). Set it before the first operation.
    void setSharedBudget(std::shared_ptr<AccountBudget> budget);
    /// S08: how long an operation may wait for a free connection before it
    /// fails with ErrorCode::Timeout (default: no limit; cancelling always works).
    void setConnectionWaitTimeout(std::chrono::milliseconds timeout);

    /// S11: blocks until the limit allows one more connection, opens it, and
    /// makes it the calling thread's connection for every later synchronous call.
    /// Refused on the thread that created the client (S12) and when the limit is 1 (S13).
    ConnectionLease createConnection(QDeadlineTimer deadline = QDeadlineTimer::Forever);

    /// S14: every queued and running operation ends as "cancelled", every
    /// connection is logged out and closed. Called by the destructor.
    void dispose();

    /// The pool as it is now (B08). Any thread.
    PoolSnapshot poolSnapshot() const;
    /// Shortest time between two poolChanged() signals (default 100 ms).
    void setMonitorInterval(std::chrono::milliseconds interval);

Q_SIGNALS:
    /// B08: the pool changed (a connection opened, got work, sent a command,
    /// closed; a task started waiting...). Emitted in the thread the client
    /// lives in, at most once per monitor interval however busy the pool is,
    /// so it is safe to connect to a GUI.
    void poolChanged(const mailcore::PoolSnapshot &snapshot);

protected:
    CredentialsByHostClient(Endpoint endpoint, QString user, QString password,
                            pool::ConnectionPool::Factory factory, QObject *parent);

    QString password() const { return m_password; }
    /// For helpers of the derived clients that keep work of their own going
    /// (ImapClient's folder watches, B10).
    std::shared_ptr<pool::ConnectionPool> connectionPool() const { return m_pool; }
    QThreadPool &taskPool() { return m_tasks; }
    /// The most connections this protocol can use with one account (POP3: 1,
    /// the maildrop is locked per session); setMaxConnectionsPerServer()
    /// refuses more, whoever calls it.
    void setConnectionLimitCap(int cap);

    /// What may be sent again when the connection drops under an operation
    /// (pool spec B06). The connection is replaced either way.
    enum class Retry {
        Never,     ///< fails with the connection's error (a composite that changes things)
        IfNotSent, ///< one command that changes things (APPEND, STORE...): again only if it never left the queue
        Always,    ///< idempotent reads (FETCH, LIST, STATUS, SEARCH, NOOP): again, up to kMaxAttempts
    };
    static constexpr int kMaxAttempts = 3;

    /// Runs `work` for a synchronous call on the calling thread: its own
    /// connection if it has one, else the main connection (S10). `work` may
    /// throw MailException; the error is returned.
    template <typename T, typename Work>
    Result<T> runSync(Retry retry, Work &&work);
    template <typename T, typename Work>
    Result<T> runSync(Work &&work) { return runSync<T>(Retry::Never, std::forward<Work>(work)); }
    template <typename Work>
    Error runSyncVoid(Retry retry, Work &&work);
    template <typename Work>
    Error runSyncVoid(Work &&work) { return runSyncVoid(Retry::Never, std::forward<Work>(work)); }

    struct TaskOptions {
        Retry retry = Retry::Never;
        /// Cancellation besides the returned future's own (a bulk operation's chunks).
        std::function<bool()> cancelled;
    };
    /// Runs `work` as a task on the client's thread pool with a connection
    /// chosen by kind and folder (S09, S15, B01). Cancelling the future ends
    /// the wait for a connection, and closes an extra connection the task is
    /// using (B07); the future then reports Cancelled.
    template <typename T, typename Work>
    QFuture<T> runTask(pool::Work kind, const QString &folder, TaskOptions options, Work &&work);
    template <typename T, typename Work>
    QFuture<T> runTask(pool::Work kind, const QString &folder, Work &&work)
    {
        return runTask<T>(kind, folder, TaskOptions{}, std::forward<Work>(work));
    }

    /// B02 across callers: `submit(connection)` queues its commands and returns
    /// their future at once; no thread waits for the answer. Up to
    /// pool::kPipelinedPerConnection such operations share one extra
    /// connection, pipelined. For independent reads (fetch one message).
    template <typename T, typename Submit>
    QFuture<T> runPipelined(const QString &folder, Retry retry, Submit submit);

private:
    Result<pool::ConnectionPool::Use> connectionForThisThread();
    QDeadlineTimer waitDeadline() const;
    /// Whether a failed attempt may be made again (B06).
    bool mayRetry(const Error &error, Retry retry, int attempt, bool cancelled) const;
    template <typename T, typename Submit>
    void pipelinedAttempt(std::shared_ptr<QPromise<T>> promise, QString folder, Retry retry, Submit submit, int attempt);
    void pipelinedEnded(); ///< one pipelined operation finished for good
    void deliverPoolSnapshot(const PoolSnapshot &snapshot); ///< the client's thread: emits, spaced by the interval

    Endpoint m_endpoint;
    QString m_user;
    QString m_password;
    QThread *m_ownerThread;
    std::shared_ptr<pool::ConnectionPool> m_pool; // shared: pipelined continuations hold it weakly
    QThreadPool m_tasks;      // long and pipelined work; sized to the limit
    QThreadPool m_shortTasks; // short work (S15): a few threads, never behind long tasks
    std::atomic<bool> m_disposed{false};
    std::atomic<int> m_tasksRunning{0};
    // Pipelined operations whose answer is still to come: their continuations
    // use the client, so dispose() waits for them (they end fast once the
    // connections are closed).
    std::mutex m_taskHandOff; // see pipelinedAttempt()
    std::mutex m_pipelinedMutex;
    std::condition_variable m_pipelinedDone;
    int m_pipelinedOutstanding = 0;
    std::unique_ptr<pool::SnapshotPublisher> m_publisher; // poolChanged(), B08
    // Only in the client's thread (deliverPoolSnapshot()):
    qint64 m_lastPoolChangedMs = 0;
    std::optional<PoolSnapshot> m_heldSnapshot; // came too soon; emitted when the interval is over
    std::atomic<qint64> m_waitTimeoutMs{-1}; // -1: wait as long as it takes
    std::atomic<int> m_limitCap{0};          // 0: no cap
};

template <typename T, typename Work>
Result<T> CredentialsByHostClient::runSync(Retry retry, Work &&work)
{
    for (int attempt = 1;; ++attempt) {
        if (m_disposed)
            return Error(ErrorCode::Cancelled, QStringLiteral("the client was disposed"));
        Result<pool::ConnectionPool::Use> use = connectionForThisThread();
        if (!use)
            return use.error();
        try {
            return Result<T>(work(*use.value().connection));
        } catch (const MailException &e) {
            // A thread-bound connection is the thread's own: it is not swapped behind its back.
            if (m_pool->bound(QThread::currentThread()) || !mayRetry(e.error(), retry, attempt, false))
                return e.error();
        }
    }
}

template <typename Work>
Error CredentialsByHostClient::runSyncVoid(Retry retry, Work &&work)
{
    Result<bool> result = runSync<bool>(retry, [&](pool::PooledConnection &c) {
        work(c);
        return true;
    });
    return result ? Error() : result.error();
}

template <typename T, typename Work>
QFuture<T> CredentialsByHostClient::runTask(pool::Work kind, const QString &folder, TaskOptions options, Work &&work)
{
    // Short work has threads of its own: it goes to the main connection and
    // must never queue behind long tasks that wait for a place (S15).
    QThreadPool *threads = kind == pool::Work::Short ? &m_shortTasks : &m_tasks;
    return QtConcurrent::run(threads, [this, kind, folder, options, work = std::forward<Work>(work)](QPromise<T> &promise) {
        net::lowerCurrentThreadPriority();
        const auto cancelled = [&promise, &options] { return promise.isCanceled() || (options.cancelled && options.cancelled()); };
        for (int attempt = 1;; ++attempt) {
            if (m_disposed) {
                promise.setException(MailException(Error(ErrorCode::Cancelled, QStringLiteral("the client was disposed"))));
                return;
            }
            auto use = m_pool->acquire(kind, folder, cancelled, waitDeadline());
            if (!use) {
                promise.setException(MailException(use.error()));
                return;
            }
            if (cancelled()) { // while it got the connection: nothing is sent
                m_pool->release(use.value());
                promise.setException(MailException(Error(ErrorCode::Cancelled, QStringLiteral("cancelled"))));
                return;
            }
            ++m_tasksRunning;
            const int watch = m_pool->watch(use.value(), cancelled);
            auto giveBack = qScopeGuard([&] {
                m_pool->unwatch(watch);
                --m_tasksRunning;
                m_pool->release(use.value());
            });
            try {
                if constexpr (std::is_void_v<T>)
                    work(*use.value().connection);
                else
                    promise.addResult(work(*use.value().connection));
                return;
            } catch (const MailException &e) {
                if (!mayRetry(e.error(), options.retry, attempt, cancelled())) {
                    promise.setException(cancelled() && e.error().code() != ErrorCode::Cancelled
                                             ? MailException(Error(ErrorCode::Cancelled, QStringLiteral("cancelled")))
                                             : e);
                    return;
                }
            }
        }
    });
}

template <typename T, typename Submit>
QFuture<T> CredentialsByHostClient::runPipelined(const QString &folder, Retry retry, Submit submit)
{
    auto promise = std::make_shared<QPromise<T>>();
    promise->start();
    QFuture<T> future = promise->future();
    {
        std::lock_guard lock(m_pipelinedMutex);
        ++m_pipelinedOutstanding;
    }
    pipelinedAttempt<T>(std::move(promise), folder, retry, std::move(submit), 1);
    return future;
}

template <typename T, typename Submit>
void CredentialsByHostClient::pipelinedAttempt(std::shared_ptr<QPromise<T>> promise, QString folder, Retry retry,
                                               Submit submit, int attempt)
{
    // The wait for a place on a connection may block: it runs as a task. The
    // answer is handled where it arrives (the connection's I/O thread), which
    // must neither block nor keep the connection alive: only ids are captured.
    // ThreadSanitizer cannot see QThreadPool's queue lock (Debian's Qt is not
    // built for it), so the captures built here would look raced in the task.
    // An empty critical section on both sides shows it the hand-off.
    { std::lock_guard handOff(m_taskHandOff); }
    (void)QtConcurrent::run(&m_tasks, [this, promise, folder, retry, submit, attempt] {
        { std::lock_guard handOff(m_taskHandOff); }
        net::lowerCurrentThreadPriority();
        const auto fail = [this, &promise](const Error &error) {
            promise->setException(MailException(error));
            promise->finish();
            pipelinedEnded();
        };
        if (m_disposed)
            return fail(Error(ErrorCode::Cancelled, QStringLiteral("the client was disposed")));
        auto use = m_pool->acquire(pool::Work::Pipelined, folder, [&promise] { return promise->isCanceled(); }, waitDeadline());
        if (!use)
            return fail(use.error());
        QFuture<T> answer;
        try {
            answer = submit(*use.value().connection);
        } catch (const MailException &e) {
            m_pool->release(use.value());
            return fail(e.error());
        }
        std::weak_ptr<pool::ConnectionPool> weakPool = m_pool;
        const int id = use.value().id;
        const bool exclusive = use.value().exclusive;
        const bool shared = use.value().shared;
        auto done = [this, weakPool, id, exclusive, shared, promise, folder, retry, submit, attempt](QFuture<T> finished) {
            std::shared_ptr<pool::ConnectionPool> pool = weakPool.lock();
            if (pool)
                pool->release(id, exclusive, shared);
            try {
                finished.waitForFinished(); // rethrows the commands' error
                bool gotResult = !finished.isCanceled();
                if constexpr (!std::is_void_v<T>) {
                    gotResult = gotResult && finished.resultCount() > 0;
                    if (gotResult)
                        promise->addResult(finished.result());
                }
                if (!gotResult)
                    throw MailException(Error(ErrorCode::Cancelled, QStringLiteral("the connection was closed")));
                promise->finish();
                pipelinedEnded();
            } catch (const MailException &e) {
                if (pool && mayRetry(e.error(), retry, attempt, promise->isCanceled()))
                    return pipelinedAttempt<T>(promise, folder, retry, submit, attempt + 1);
                promise->setException(e);
                promise->finish();
                pipelinedEnded();
            }
        };
        answer.then(QtFuture::Launch::Sync, done).onCanceled([done, answer] { done(answer); });
    });
}

} // namespace mailcore
