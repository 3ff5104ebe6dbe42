#include "mailcore/client/credentialsbyhostclient.h"

#include <QDateTime>
#include <QThread>
#include <QTimer>

#include <utility>

#include "mailcore/base/logging.h"
#include "mailcore/pool/snapshotpublisher.h"

namespace mailcore {

namespace {
constexpr int kDefaultLimit = 10;
// One: short tasks share the main connection, whose queue serialises them
// anyway, and one thread keeps them in call order (POP3: DELE, then QUIT).
constexpr int kShortTaskThreads = 1;
}

CredentialsByHostClient::CredentialsByHostClient(Endpoint endpoint, QString user, QString password,
                                                 pool::ConnectionPool::Factory factory, QObject *parent)
    : QObject(parent)
    , m_endpoint(std::move(endpoint))
    , m_user(std::move(user))
    , m_password(std::move(password))
    , m_ownerThread(QThread::currentThread())
    , m_pool(std::make_shared<pool::ConnectionPool>(std::move(factory), kDefaultLimit))
{
    // One task per connection can run at once; more would only wait in the pool.
    m_tasks.setMaxThreadCount(kDefaultLimit);
    m_tasks.setObjectName(QStringLiteral("mailcore-tasks"));
    m_shortTasks.setMaxThreadCount(kShortTaskThreads);
    m_shortTasks.setObjectName(QStringLiteral("mailcore-short-tasks"));
    // Snapshots are taken on the publisher's thread and posted here, so the
    // receiver of poolChanged() (a GUI) never waits for the pool's locks.
    m_publisher = std::make_unique<pool::SnapshotPublisher>(
        [this] { return poolSnapshot(); },
        [this](const PoolSnapshot &snapshot) {
            QMetaObject::invokeMethod(this, [this, snapshot] { deliverPoolSnapshot(snapshot); }, Qt::QueuedConnection);
        });
    m_pool->setChangeListener([publisher = m_publisher.get()] { publisher->notify(); });
}

CredentialsByHostClient::~CredentialsByHostClient()
{
    dispose();
}

int CredentialsByHostClient::maxConnectionsPerServer() const
{
    return m_pool->limit();
}

Error CredentialsByHostClient::setMaxConnectionsPerServer(int limit)
{
    if (m_limitCap > 0 && limit > m_limitCap)
        return Error(ErrorCode::BadArgument, QStringLiteral("this client can use at most %1 connection(s) per account (got %2); "
                                                            "the limit stays as it was").arg(m_limitCap.load()).arg(limit));
    Error error = m_pool->setLimit(limit);
    if (!error.isError())
        m_tasks.setMaxThreadCount(limit);
    return error;
}

void CredentialsByHostClient::setConnectionLimitCap(int cap)
{
    m_limitCap = cap;
    if (cap > 0 && maxConnectionsPerServer() > cap)
        setMaxConnectionsPerServer(cap);
}

void CredentialsByHostClient::setSharedBudget(std::shared_ptr<AccountBudget> budget)
{
    m_pool->setSharedBudget(std::move(budget));
}

void CredentialsByHostClient::setConnectionWaitTimeout(std::chrono::milliseconds timeout)
{
    m_waitTimeoutMs = timeout.count();
}

QDeadlineTimer CredentialsByHostClient::waitDeadline() const
{
    const qint64 ms = m_waitTimeoutMs;
    return ms < 0 ? QDeadlineTimer(QDeadlineTimer::Forever) : QDeadlineTimer(ms);
}

void CredentialsByHostClient::setExtraConnectionIdleTime(std::chrono::milliseconds idleTime)
{
    m_pool->setIdleTime(idleTime);
}

ConnectionLease CredentialsByHostClient::createConnection(QDeadlineTimer deadline)
{
    QThread *thread = QThread::currentThread();
    if (thread == m_ownerThread)
        return ConnectionLease(Error(ErrorCode::BadArgument,
                                     QStringLiteral("createConnection() cannot be called on the thread that created the client")));
    if (m_pool->limit() == 1)
        return ConnectionLease(Error(ErrorCode::BadArgument,
                                     QStringLiteral("createConnection() needs maxConnectionsPerServer > 1: "
                                                    "the only connection is the main one")));
    if (m_pool->bound(thread))
        return ConnectionLease(Error(ErrorCode::BadArgument, QStringLiteral("this thread has a connection of its own already")));
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

Result<pool::ConnectionPool::Use> CredentialsByHostClient::connectionForThisThread()
{
    if (auto own = m_pool->bound(QThread::currentThread()))
        return *own;
    return m_pool->main({}, waitDeadline());
}

bool CredentialsByHostClient::mayRetry(const Error &error, Retry retry, int attempt, bool cancelled) const
{
    if (m_disposed || cancelled || attempt >= kMaxAttempts || retry == Retry::Never)
        return false;
    // Never sent: the server saw nothing, so even a change is safe to send again.
    if (error.notSent() && error.code() != ErrorCode::Cancelled)
        return true;
    // Sent, and then the connection was lost: only a read may be repeated.
    const bool lost = error.code() == ErrorCode::Network || error.code() == ErrorCode::Timeout;
    return lost && retry == Retry::Always;
}

void CredentialsByHostClient::pipelinedEnded()
{
    std::lock_guard lock(m_pipelinedMutex);
    if (--m_pipelinedOutstanding == 0)
        m_pipelinedDone.notify_all();
}

void CredentialsByHostClient::dispose()
{
    if (m_disposed.exchange(true))
        return;
    m_pool->setChangeListener({}); // the signal's target is going away
    m_publisher->stop();
    m_pool->dispose();    // waiters and running commands end as "cancelled"
    m_tasks.waitForDone(); // tasks not started yet see m_disposed and end at once
    m_shortTasks.waitForDone();
    std::unique_lock lock(m_pipelinedMutex);
    // Bounded all the same: disposal must never hang on a connection that lies.
    if (!m_pipelinedDone.wait_for(lock, std::chrono::seconds(30), [this] { return m_pipelinedOutstanding == 0; }))
        qCWarning(log::pool) << m_pipelinedOutstanding << "pipelined operation(s) did not end at disposal";
}

PoolSnapshot CredentialsByHostClient::poolSnapshot() const
{
    PoolSnapshot snapshot = m_pool->snapshot();
    snapshot.tasksRunning = m_tasksRunning;
    return snapshot;
}

void CredentialsByHostClient::setMonitorInterval(std::chrono::milliseconds interval)
{
    m_publisher->setInterval(interval);
}

void CredentialsByHostClient::deliverPoolSnapshot(const PoolSnapshot &snapshot)
{
    if (m_disposed)
        return;
    // The publisher spaces its snapshots, but their events can bunch up in
    // this thread's queue: the interval is kept here too, where the receivers
    // see it. A snapshot that comes too soon waits, and a newer one replaces it.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 wait = m_lastPoolChangedMs + m_publisher->interval().count() - now;
    if (wait <= 0 && !m_heldSnapshot) {
        m_lastPoolChangedMs = now;
        Q_EMIT poolChanged(snapshot);
        return;
    }
    const bool timerRunning = m_heldSnapshot.has_value();
    m_heldSnapshot = snapshot;
    if (timerRunning)
        return;
    QTimer::singleShot(int(std::max<qint64>(wait, 0)), this, [this] {
        if (!m_heldSnapshot || m_disposed)
            return;
        const PoolSnapshot held = *std::exchange(m_heldSnapshot, std::nullopt);
        m_lastPoolChangedMs = QDateTime::currentMSecsSinceEpoch();
        Q_EMIT poolChanged(held);
    });
}

} // namespace mailcore
