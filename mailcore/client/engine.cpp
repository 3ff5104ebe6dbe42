// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/client/engine.h"

#include "mailcore/base/logging.h"
#include "mailcore/pool/snapshotpublisher.h"

namespace mailcore::client {

namespace {
constexpr int kDefaultLimit = 10;
// One: short tasks share the main connection, whose queue serialises them
// anyway, and one thread keeps them in call order (POP3: DELE, then QUIT).
constexpr int kShortTaskThreads = 1;
} // namespace

Engine::Engine(Endpoint endpoint, QString user, QString password, pool::ConnectionPool::Factory factory)
    : m_endpoint(std::move(endpoint))
    , m_user(std::move(user))
    , m_password(std::move(password))
    , m_pool(pool::ConnectionPool::create(std::move(factory), kDefaultLimit))
{
    // One task per connection can run at once; more would only wait in the pool.
    m_tasks.setMaxThreadCount(kDefaultLimit);
    m_tasks.setObjectName(QStringLiteral("mailcore-tasks"));
    m_shortTasks.setMaxThreadCount(kShortTaskThreads);
    m_shortTasks.setObjectName(QStringLiteral("mailcore-short-tasks"));
    m_bulkTasks.setMaxThreadCount(kDefaultLimit);
    m_bulkTasks.setObjectName(QStringLiteral("mailcore-bulk-tasks"));
}

Engine::~Engine()
{
    dispose();
    // A task started after dispose() (it ends at once, cancelled) may still be
    // running: the engine outlives it.
    waitForTasks();
}

void Engine::waitForTasks()
{
    m_tasks.waitForDone();
    m_shortTasks.waitForDone();
    m_bulkTasks.waitForDone();
    // Every task took m_taskHandOff when it ended (taskHandOff()); taking it
    // here shows ThreadSanitizer, which cannot see QThreadPool::waitForDone,
    // that they are over.
    std::lock_guard handOff(m_taskHandOff);
}

Error Engine::setLimit(int limit)
{
    if (m_limitCap > 0 && limit > m_limitCap)
        return Error(ErrorCode::BadArgument,
                     QStringLiteral("this client can use at most %1 connection(s) per account (got %2); "
                                    "the limit stays as it was")
                         .arg(m_limitCap.load())
                         .arg(limit));
    Error error = m_pool->setLimit(limit);
    if (!error.isError()) {
        m_tasks.setMaxThreadCount(limit);
        m_bulkTasks.setMaxThreadCount(limit);
    }
    return error;
}

void Engine::setLimitCap(int cap)
{
    m_limitCap = cap;
    if (cap > 0 && limit() > cap)
        setLimit(cap);
}

QDeadlineTimer Engine::waitDeadline() const
{
    const qint64 ms = m_waitTimeoutMs;
    return ms < 0 ? QDeadlineTimer(QDeadlineTimer::Forever) : QDeadlineTimer(ms);
}

ConnectionLease Engine::createConnection(QThread *ownerThread, QDeadlineTimer deadline)
{
    QThread *thread = QThread::currentThread();
    if (thread == ownerThread)
        return ConnectionLease(
            Error(ErrorCode::BadArgument,
                  QStringLiteral("createConnection() cannot be called on the thread that created the client")));
    if (m_pool->limit() == 1)
        return ConnectionLease(Error(ErrorCode::BadArgument,
                                     QStringLiteral("createConnection() needs maxConnectionsPerServer > 1: "
                                                    "the only connection is the main one")));
    if (m_pool->bound(thread))
        return ConnectionLease(
            Error(ErrorCode::BadArgument, QStringLiteral("this thread has a connection of its own already")));
    Result<pool::ConnectionPool::Use> use = m_pool->createBound(thread, {}, deadline);
    if (!use)
        return ConnectionLease(use.error());
    // The lease may outlive the client: it must not keep the pool alive, nor use it once it is gone.
    std::weak_ptr<pool::ConnectionPool> weakPool = m_pool;
    return ConnectionLease([weakPool, thread] {
        if (std::shared_ptr<pool::ConnectionPool> pool = weakPool.lock())
            pool->releaseBound(thread);
    });
}

std::function<void()> Engine::markInteractive(pool::Work kind, const pool::ConnectionPool::Use &use)
{
    // Bulk work shares no connection but the main one (at a limit of 1): an
    // exclusive or pipelined use never meets it.
    if (kind == pool::Work::Bulk || use.exclusive || use.shared)
        return {};
    use.connection->beginInteractive();
    return [connection = use.connection] { connection->endInteractive(); };
}

void Engine::openMainBesideBulk()
{
    if (m_disposed || m_pool->limit() <= 1 || m_pool->hasMain() || m_openingMain.exchange(true))
        return;
    std::unique_lock handOff(m_taskHandOff);
    auto task = [this] {
        const auto handedOver = taskHandOff();
        // A failure is not this task's to report: the next operation that
        // needs the main connection opens it again and reports why it cannot.
        const Result<pool::ConnectionPool::Use> main = m_pool->main([this] { return m_disposed.load(); },
                                                                    waitDeadline());
        if (!main)
            qCDebug(log::pool) << "the main connection beside bulk work did not open:" << main.error().toString();
        m_openingMain = false;
    };
    handOff.unlock();
    (void)QtConcurrent::run(&m_shortTasks, std::move(task));
}

Engine::Hold Engine::holdForCaller()
{
    if (auto own = m_pool->bound(QThread::currentThread()))
        return Hold(*own, {}, true);
    Result<pool::ConnectionPool::Use> main = m_pool->main({}, waitDeadline());
    if (!main)
        throw MailException(main.error());
    // The main connection is shared: nothing to give back but the lane.
    return Hold(main.value(), markInteractive(pool::Work::Short, main.value()), false);
}

pool::ConnectionPool::Use Engine::acquire(pool::Work kind, const QString &folder,
                                          const std::function<bool()> &cancelled)
{
    Result<pool::ConnectionPool::Use> use = m_pool->acquire(kind, folder, cancelled, waitDeadline());
    if (!use)
        throw MailException(use.error());
    if (cancelled && cancelled()) { // while it got the connection: nothing is sent
        m_pool->release(use.value());
        throw MailException(cancelledError());
    }
    return use.value();
}

Engine::Hold Engine::holdForTask(pool::Work kind, const QString &folder, const std::function<bool()> &cancelled)
{
    pool::ConnectionPool::Use use = acquire(kind, folder, cancelled);
    ++m_tasksRunning;
    const int watch = m_pool->watch(use, cancelled);
    // Bulk work on a connection of its own stops reading while a click runs
    // elsewhere: its server process then blocks on output within a few
    // kilobytes, and the cores go to the click (issue 15).
    const int stepsAside = kind == pool::Work::Bulk && use.exclusive
        ? m_interactive.observe([connection = use.connection](bool click) { connection->holdReads(click); })
        : 0;
    return Hold(
        use,
        [this, watch, use, stepsAside, interactiveEnds = markInteractive(kind, use)] {
            if (stepsAside)
                m_interactive.forget(stepsAside);
            if (interactiveEnds)
                interactiveEnds();
            m_pool->unwatch(watch);
            m_pool->release(use);
            --m_tasksRunning;
            // Told after the count changed: releasing the main connection changes
            // nothing in the pool, so without this the last snapshot would still
            // count the task as running.
            m_pool->notifyChanged();
        },
        false);
}

bool Engine::mayRetry(const Error &error, Retry retry, int attempt, bool cancelled) const
{
    if (m_disposed || cancelled || retry == Retry::Never)
        return false;
    if (retry == Retry::OnceWhenLost) {
        // The session closes for every network, timeout, protocol or TLS
        // failure, and Cancelled means it went away (a QUIT queued before the
        // command ended it). ServerRefused, NotFound and the like leave it open.
        const ErrorCode code = error.code();
        return attempt < 2
            && (code == ErrorCode::Network || code == ErrorCode::Timeout || code == ErrorCode::Protocol
                || code == ErrorCode::Tls || code == ErrorCode::Cancelled);
    }
    if (attempt >= kMaxAttempts)
        return false;
    // Never sent: the server saw nothing, so even a change is safe to send again.
    if (error.notSent() && error.code() != ErrorCode::Cancelled)
        return true;
    // Sent, and then the connection was lost: only a read may be repeated.
    const bool lost = error.code() == ErrorCode::Network || error.code() == ErrorCode::Timeout;
    return lost && retry == Retry::Always;
}

void Engine::pipelinedEnded()
{
    std::lock_guard lock(m_pipelinedMutex);
    if (--m_pipelinedOutstanding == 0)
        m_pipelinedDone.notify_all();
}

void Engine::dispose()
{
    if (m_disposed.exchange(true))
        return;
    m_pool->setChangeListener({}); // the signal's target is going away
    if (m_publisher)
        m_publisher->stop();
    m_pool->dispose(); // waiters and running commands end as "cancelled"
    waitForTasks();    // tasks not started yet see m_disposed and end at once
    std::unique_lock lock(m_pipelinedMutex);
    // Bounded all the same: disposal must never hang on a connection that lies.
    if (!m_pipelinedDone.wait_for(lock, std::chrono::seconds(30), [this] { return m_pipelinedOutstanding == 0; }))
        qCWarning(log::pool) << m_pipelinedOutstanding << "pipelined operation(s) did not end at disposal";
}

PoolSnapshot Engine::snapshot() const
{
    PoolSnapshot snapshot = m_pool->snapshot();
    snapshot.tasksRunning = m_tasksRunning;
    {
        std::lock_guard lock(m_bulkWidthsMutex);
        for (const auto &[job, width] : m_bulkWidths)
            snapshot.bulkWidth += width;
    }
    return snapshot;
}

void Engine::reportBulkWidth(const void *job, int width)
{
    {
        std::lock_guard lock(m_bulkWidthsMutex);
        if (width > 0)
            m_bulkWidths[job] = width;
        else
            m_bulkWidths.erase(job);
    }
    m_pool->notifyChanged();
}

void Engine::publishSnapshots(std::function<void(const PoolSnapshot &)> deliver)
{
    // Snapshots are taken on the publisher's thread, so the receiver of
    // poolChanged() (a GUI) never waits for the pool's locks.
    m_publisher = std::make_unique<pool::SnapshotPublisher>([this] { return snapshot(); }, std::move(deliver));
    m_pool->setChangeListener([publisher = m_publisher.get()] { publisher->notify(); });
}

void Engine::setMonitorInterval(std::chrono::milliseconds interval) { m_publisher->setInterval(interval); }

std::chrono::milliseconds Engine::monitorInterval() const { return m_publisher->interval(); }

} // namespace mailcore::client
