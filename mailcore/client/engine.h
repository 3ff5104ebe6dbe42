// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Private to mailcore (not installed): the engine behind CredentialsByHostClient
// and the three public clients. It owns the pool, the task threads and the
// snapshot publisher, and runs every operation of every client through one
// retry loop (docs/POOL.md: S09, S10, S11, S15, B02, B06, B07).

#include <QDeadlineTimer>
#include <QFuture>
#include <QPromise>
#include <QScopeGuard>
#include <QThread>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "mailcore/base/endpoint.h"
#include "mailcore/base/error.h"
#include "mailcore/base/poolsnapshot.h"
#include "mailcore/base/result.h"
#include "mailcore/client/connectionlease.h"
#include "mailcore/client/interactivework.h"
#include "mailcore/net/threadpriority.h"
#include "mailcore/net/transport.h"
#include "mailcore/pool/connectionpool.h"

namespace mailcore::pool {
class SnapshotPublisher;
}

namespace mailcore::client {

using Connection = pool::PooledConnection;

/// What may be sent again when the connection drops under an operation
/// (B06). The connection is replaced either way.
enum class Retry {
    Never,        ///< fails with the connection's error (a composite that changes things)
    IfNotSent,    ///< one command that changes things (APPEND, STORE, a message to send): again only if it never left
    Always,       ///< idempotent reads (FETCH, LIST, STATUS, SEARCH, NOOP): again, up to kMaxAttempts
    OnceWhenLost, ///< POP3 reads: once more whenever the session went away under them (its QUIT included)
};
inline constexpr int kMaxAttempts = 3;

/// The value of a command's future, waited for on a task or user thread (never
/// an I/O thread). Its error is rethrown as MailException; a future that ended
/// without a value means its connection went away with it.
template <typename T>
T await(QFuture<T> future)
{
    future.waitForFinished(); // rethrows the command's MailException
    if constexpr (!std::is_void_v<T>) {
        if (future.resultCount() == 0)
            throw MailException(Error(ErrorCode::Cancelled, QStringLiteral("the connection was closed")));
        return future.result();
    }
}

/// A future that has already failed with `error`.
template <typename T>
QFuture<T> failedFuture(const Error &error)
{
    return QtFuture::makeExceptionalFuture<T>(MailException(error));
}

/// One operation of a client, written once: which connection it wants (S15),
/// the folder it works in (B01), what may be repeated (B06), and the work
/// itself, a function of one connection that may block (a task or user thread)
/// and throws MailException. Engine::wait() runs it for the synchronous form,
/// Engine::start() for the asynchronous one.
template <typename T>
struct Operation {
    pool::Work kind = pool::Work::Short;
    QString folder;
    Retry retry = Retry::Never;
    std::function<T(Connection &)> work;
};

/// One operation of a client whose commands are queued without a thread
/// waiting for them (B02): `submit` hands them to the connection and returns
/// their future at once. Engine::wait() waits for that same future on the
/// calling thread; Engine::start() lets the answer finish the returned future
/// where it arrives.
template <typename T>
struct Submission {
    pool::Work kind = pool::Work::Pipelined;
    QString folder;
    Retry retry = Retry::Never;
    std::function<QFuture<T>(Connection &)> submit;
};

/// What a synchronous call returns: the value or the error; just the error for void.
template <typename T>
using SyncResult = std::conditional_t<std::is_void_v<T>, Error, Result<T>>;

class Engine
{
public:
    Engine(Endpoint endpoint, QString user, QString password, pool::ConnectionPool::Factory factory);
    ~Engine(); ///< dispose(), then waits for tasks started after it

    const Endpoint &endpoint() const { return m_endpoint; }
    const QString &user() const { return m_user; }
    const QString &password() const { return m_password; }
    std::shared_ptr<pool::ConnectionPool> pool() const { return m_pool; }
    QThreadPool &taskPool() { return m_tasks; }
    /// The clicks running now, which bulk work yields to between its batches (issue 15).
    InteractiveWork &interactive() { return m_interactive; }

    int limit() const { return m_pool->limit(); }
    /// The width bulk job `job` chose (AdaptiveWidth), for the pool's
    /// snapshots (PoolSnapshot::bulkWidth: the sum over the jobs running);
    /// 0 when the job ended.
    void reportBulkWidth(const void *job, int width);
    Error setLimit(int limit);
    /// The most connections this protocol can use with one account (POP3: 1).
    void setLimitCap(int cap);
    void setWaitTimeout(std::chrono::milliseconds timeout) { m_waitTimeoutMs = timeout.count(); }
    ConnectionLease createConnection(QThread *ownerThread, QDeadlineTimer deadline);
    void dispose();
    bool isDisposed() const { return m_disposed; }

    PoolSnapshot snapshot() const;
    /// Starts the snapshot publisher (B08): `deliver` gets each snapshot on the publisher's thread.
    void publishSnapshots(std::function<void(const PoolSnapshot &)> deliver);
    void setMonitorInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds monitorInterval() const;

    /// A synchronous call on the calling thread: its own connection if it made
    /// one with createConnection() (S11; never swapped behind its back), else
    /// the main connection (S10). `work` may throw MailException.
    /// An operation's synchronous form: runSync() of its work.
    template <typename T>
    SyncResult<T> wait(const Operation<T> &op)
    {
        if constexpr (std::is_void_v<T>)
            return runSyncVoid(op.retry, op.work);
        else
            return runSync<T>(op.retry, op.work);
    }
    /// An operation's asynchronous form: runTask() of its work.
    template <typename T>
    QFuture<T> start(const Operation<T> &op)
    {
        return runTask<T>(op.kind, op.folder, TaskOptions{op.retry, {}}, op.work);
    }
    template <typename T>
    SyncResult<T> wait(const Submission<T> &op)
    {
        return wait(Operation<T>{op.kind, op.folder, op.retry,
                                 [submit = op.submit](Connection &c) { return await(submit(c)); }});
    }
    template <typename T>
    QFuture<T> start(const Submission<T> &op)
    {
        return runPipelined<T>(op.kind, op.folder, TaskOptions{op.retry, {}}, op.submit);
    }

    template <typename T, typename Work>
    Result<T> runSync(Retry retry, Work &&work);
    template <typename Work>
    Error runSyncVoid(Retry retry, Work &&work);

    struct TaskOptions {
        Retry retry = Retry::Never;
        /// Cancellation besides the returned future's own (a bulk operation's chunks).
        std::function<bool()> cancelled;
    };
    /// `work` as a task on the client's thread pool with a connection chosen by
    /// kind and folder (S09, S15, B01). Cancelling the future ends the wait for
    /// a connection and closes an extra the task is using (B07).
    template <typename T, typename Work>
    QFuture<T> runTask(pool::Work kind, const QString &folder, TaskOptions options, Work &&work);

    /// B02 across callers: `submit(connection)` queues its commands and returns
    /// their future at once; no thread waits for the answer, which is turned
    /// into the result where it arrives (the connection's I/O thread). Pipelined
    /// work shares an extra with up to pool::kPipelinedPerConnection others;
    /// short work goes to the main connection's queue.
    template <typename T, typename Submit>
    QFuture<T> runPipelined(pool::Work kind, const QString &folder, TaskOptions options, Submit submit);

private:
    /// A connection held for one attempt; given back when it goes.
    class Hold
    {
    public:
        Hold(pool::ConnectionPool::Use use, std::function<void()> giveBack, bool threadsOwn)
            : m_use(std::move(use))
            , m_giveBack(std::move(giveBack))
            , m_threadsOwn(threadsOwn)
        {
        }
        Hold(Hold &&other) noexcept
            : m_use(std::move(other.m_use))
            , m_giveBack(std::exchange(other.m_giveBack, {}))
            , m_threadsOwn(other.m_threadsOwn)
        {
        }
        Hold(const Hold &) = delete;
        Hold &operator=(const Hold &) = delete;
        Hold &operator=(Hold &&) = delete;
        ~Hold()
        {
            if (m_giveBack)
                m_giveBack();
        }
        Connection &connection() const { return *m_use.connection; }
        const pool::ConnectionPool::Use &use() const { return m_use; }
        /// The thread's own connection (S11): it is not swapped for a retry.
        bool threadsOwn() const { return m_threadsOwn; }

    private:
        pool::ConnectionPool::Use m_use;
        std::function<void()> m_giveBack;
        bool m_threadsOwn;
    };
    Hold holdForCaller();
    Hold holdForTask(pool::Work kind, const QString &folder, const std::function<bool()> &cancelled);
    /// A connection by kind and folder, waiting (cancellably, S08) when none is
    /// free; throws MailException. Give it back with pool()->release().
    pool::ConnectionPool::Use acquire(pool::Work kind, const QString &folder, const std::function<bool()> &cancelled);
    /// The one retry loop (B06) of every form: a connection from `hold`, then
    /// `work` on it, again on a fresh connection while the rule allows.
    template <typename T, typename HoldFn, typename Work>
    T attempts(HoldFn hold, Retry retry, const std::function<bool()> &cancelled, Work &work);
    bool mayRetry(const Error &error, Retry retry, int attempt, bool cancelled) const;
    template <typename T, typename Submit>
    void pipelinedAttempt(std::shared_ptr<QPromise<T>> promise, pool::Work kind, QString folder, TaskOptions options,
                          Submit submit, int attempt);
    void pipelinedEnded(); ///< one pipelined operation finished for good
    /// A click: short and pipelined work (and every synchronous call), which
    /// bulk work yields to; long work (pages, appends, a sync's batches) is not.
    static bool isInteractive(pool::Work kind) { return kind == pool::Work::Short || kind == pool::Work::Pipelined; }
    QThreadPool *threadsFor(pool::Work kind)
    {
        if (kind == pool::Work::Short)
            return &m_shortTasks;
        return kind == pool::Work::Bulk ? &m_bulkTasks : &m_tasks;
    }
    /// Marks an interactive operation on a connection bulk work may share (the
    /// main one) until the returned function is called: the bulk's commands
    /// wait meanwhile (issue 15's lanes). Does nothing for other connections.
    static std::function<void()> markInteractive(pool::Work kind, const pool::ConnectionPool::Use &use);
    QDeadlineTimer waitDeadline() const;
    /// S04 beside bulk work, which runs on extras only: opens the main
    /// connection, if there is none, as a short task, so that the user's first
    /// click during a download does not pay a login (issue 15's cold click).
    void openMainBesideBulk();
    static Error disposedError() { return Error(ErrorCode::Cancelled, QStringLiteral("the client was disposed")); }
    static Error cancelledError() { return Error(ErrorCode::Cancelled, QStringLiteral("cancelled")); }
    /// Returns once every task of both pools has ended.
    void waitForTasks();
    /// A task's hand-offs, for ThreadSanitizer, which cannot see QThreadPool's
    /// locks (Debian's Qt is not built for it): the task's captures are built
    /// under m_taskHandOff, which the task takes when it starts; the guard
    /// returned takes it again when the task ends, after its last use of the
    /// engine, and dispose() takes it once the pools are done. So the start
    /// is seen after the captures, and the engine's end after every task's.
    [[nodiscard]] auto taskHandOff()
    {
        {
            std::lock_guard started(m_taskHandOff);
        }
        return qScopeGuard([this] { std::lock_guard ended(m_taskHandOff); });
    }

    Endpoint m_endpoint;
    QString m_user;
    QString m_password;
    std::shared_ptr<pool::ConnectionPool> m_pool; // shared: pipelined continuations hold it weakly
    QThreadPool m_tasks;                          // long and pipelined work; sized to the limit
    QThreadPool m_shortTasks;                     // short work (S15): never behind long tasks
    QThreadPool m_bulkTasks;                      // bulk work: interactive tasks never wait for its threads
    InteractiveWork m_interactive;                // the clicks running now (issue 15)
    std::atomic<bool> m_disposed{false};
    std::atomic<int> m_tasksRunning{0};
    std::atomic<qint64> m_waitTimeoutMs{-1}; // -1: wait as long as it takes
    std::atomic<int> m_limitCap{0};          // 0: no cap
    std::atomic<bool> m_openingMain{false};  // openMainBesideBulk()'s task is queued or running
    std::mutex m_taskHandOff;                // see taskHandOff()
    // Pipelined operations whose answer is still to come: their continuations
    // use the engine, so dispose() waits for them.
    std::mutex m_pipelinedMutex;
    std::condition_variable m_pipelinedDone;
    int m_pipelinedOutstanding = 0;
    std::unique_ptr<pool::SnapshotPublisher> m_publisher; // B08
    mutable std::mutex m_bulkWidthsMutex;
    std::map<const void *, int> m_bulkWidths; // per running bulk job
};

template <typename T, typename HoldFn, typename Work>
T Engine::attempts(HoldFn hold, Retry retry, const std::function<bool()> &cancelled, Work &work)
{
    for (int attempt = 1;; ++attempt) {
        if (m_disposed)
            throw MailException(disposedError());
        Hold held = hold();
        try {
            return work(held.connection());
        } catch (const MailException &e) {
            const bool isCancelled = cancelled && cancelled();
            if (held.threadsOwn() || !mayRetry(e.error(), retry, attempt, isCancelled)) {
                if (isCancelled && e.error().code() != ErrorCode::Cancelled)
                    throw MailException(cancelledError());
                throw;
            }
        }
    }
}

template <typename T, typename Work>
Result<T> Engine::runSync(Retry retry, Work &&work)
{
    m_interactive.begins();
    const auto ended = qScopeGuard([this] { m_interactive.ends(); });
    try {
        return Result<T>(attempts<T>([this] { return holdForCaller(); }, retry, {}, work));
    } catch (const MailException &e) {
        return e.error();
    }
}

template <typename Work>
Error Engine::runSyncVoid(Retry retry, Work &&work)
{
    Result<bool> result = runSync<bool>(retry, [&](Connection &c) {
        work(c);
        return true;
    });
    return result ? Error() : result.error();
}

template <typename T, typename Work>
QFuture<T> Engine::runTask(pool::Work kind, const QString &folder, TaskOptions options, Work &&work)
{
    // The captures (an operation's std::function among them) are built under
    // m_taskHandOff (see taskHandOff()).
    std::unique_lock handOff(m_taskHandOff);
    const bool interactive = isInteractive(kind);
    if (interactive)
        m_interactive.begins(); // from now: bulk work yields while the task waits for its thread too
    auto task = [this, kind, folder, options, interactive,
                 work = std::forward<Work>(work)](QPromise<T> &promise) mutable {
        const auto handedOver = taskHandOff();
        const auto ended = qScopeGuard([this, interactive] {
            if (interactive)
                m_interactive.ends();
        });
        net::lowerCurrentThreadPriority();
        const std::function<bool()> cancelled = [&promise, &options] {
            return promise.isCanceled() || (options.cancelled && options.cancelled());
        };
        try {
            const auto hold = [&] { return holdForTask(kind, folder, cancelled); };
            if constexpr (std::is_void_v<T>)
                attempts<T>(hold, options.retry, cancelled, work);
            else
                promise.addResult(attempts<T>(hold, options.retry, cancelled, work));
        } catch (const MailException &e) {
            promise.setException(e);
        }
    };
    handOff.unlock();
    if (kind == pool::Work::Bulk)
        openMainBesideBulk();
    return QtConcurrent::run(threadsFor(kind), std::move(task));
}

template <typename T, typename Submit>
QFuture<T> Engine::runPipelined(pool::Work kind, const QString &folder, TaskOptions options, Submit submit)
{
    auto promise = std::make_shared<QPromise<T>>();
    promise->start();
    QFuture<T> future = promise->future();
    {
        std::lock_guard lock(m_pipelinedMutex);
        ++m_pipelinedOutstanding;
    }
    if (isInteractive(kind))
        m_interactive.begins(); // ends with the operation (pipelinedAttempt's end)
    pipelinedAttempt<T>(std::move(promise), kind, folder, std::move(options), std::move(submit), 1);
    return future;
}

template <typename T, typename Submit>
void Engine::pipelinedAttempt(std::shared_ptr<QPromise<T>> promise, pool::Work kind, QString folder,
                              TaskOptions options, Submit submit, int attempt)
{
    // The wait for a place on a connection may block: it runs as a task. The
    // answer is handled where it arrives (the connection's I/O thread), which
    // must neither block nor keep the connection alive: only ids are captured.
    // The captures are built under m_taskHandOff (see taskHandOff()).
    std::unique_lock handOff(m_taskHandOff);
    auto task = [this, promise, kind, folder, options, submit, attempt] {
        const auto handedOver = taskHandOff();
        net::lowerCurrentThreadPriority();
        const auto end = [this, promise, kind](const Error &error) {
            if (error.isError())
                promise->setException(MailException(error));
            promise->finish();
            if (isInteractive(kind))
                m_interactive.ends();
            pipelinedEnded();
        };
        const std::function<bool()> cancelled = [&promise, &options] {
            return promise->isCanceled() || (options.cancelled && options.cancelled());
        };
        if (m_disposed)
            return end(disposedError());
        pool::ConnectionPool::Use use;
        try {
            use = acquire(kind, folder, cancelled);
        } catch (const MailException &e) {
            return end(e.error());
        }
        QFuture<T> answer;
        try {
            answer = submit(*use.connection);
        } catch (const MailException &e) {
            m_pool->release(use);
            return end(e.error());
        }
        std::weak_ptr<pool::ConnectionPool> weakPool = m_pool;
        auto done = [this, weakPool, id = use.id, exclusive = use.exclusive, shared = use.shared, promise, kind, folder,
                     options, submit, attempt, end](QFuture<T> finished) {
            std::shared_ptr<pool::ConnectionPool> pool = weakPool.lock();
            if (pool)
                pool->release(id, exclusive, shared);
            try {
                if constexpr (std::is_void_v<T>) {
                    await(finished);
                    if (finished.isCanceled())
                        throw MailException(Error(ErrorCode::Cancelled, QStringLiteral("the connection was closed")));
                } else {
                    promise->addResult(await(finished));
                }
                end(Error());
            } catch (const MailException &e) {
                if (pool && mayRetry(e.error(), options.retry, attempt, promise->isCanceled()))
                    return pipelinedAttempt<T>(promise, kind, folder, options, submit, attempt + 1);
                end(e.error());
            }
        };
        answer.then(QtFuture::Launch::Sync, done).onCanceled([done, answer] { done(answer); });
    };
    handOff.unlock();
    (void)QtConcurrent::run(threadsFor(kind), std::move(task));
}

/// The engine of a client whose connections are ProtocolConnection objects
/// made from a Settings value (endpoint and credentials) and `transports`.
template <typename ProtocolConnection, typename Settings>
std::unique_ptr<Engine> makeEngine(const Endpoint &endpoint, const QString &user, const QString &password,
                                   net::TransportFactory transports)
{
    return std::make_unique<Engine>(endpoint, user, password, [=] {
        Settings settings;
        settings.endpoint = endpoint;
        settings.user = user;
        settings.password = password;
        return std::make_shared<pool::PooledConnectionOf<ProtocolConnection>>(settings, transports);
    });
}

} // namespace mailcore::client
