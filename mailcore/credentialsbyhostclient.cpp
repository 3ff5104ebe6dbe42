#include "mailcore/credentialsbyhostclient.h"

#include <QThread>

namespace mailcore {

namespace {
constexpr int kDefaultLimit = 10;
}

CredentialsByHostClient::CredentialsByHostClient(Endpoint endpoint, QString user, QString password,
                                                 pool::ConnectionPool::Factory factory, QObject *parent)
    : QObject(parent)
    , m_endpoint(std::move(endpoint))
    , m_user(std::move(user))
    , m_password(std::move(password))
    , m_ownerThread(QThread::currentThread())
    , m_pool(std::make_unique<pool::ConnectionPool>(std::move(factory), kDefaultLimit))
{
    // One task per connection can run at once; more would only wait in the pool.
    m_tasks.setMaxThreadCount(kDefaultLimit);
    m_tasks.setObjectName(QStringLiteral("mailcore-tasks"));
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
    Error error = m_pool->setLimit(limit);
    if (!error.isError())
        m_tasks.setMaxThreadCount(limit);
    return error;
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
    pool::ConnectionPool *poolPtr = m_pool.get();
    return ConnectionLease([poolPtr, thread] { poolPtr->releaseBound(thread); });
}

Result<pool::ConnectionPool::Use> CredentialsByHostClient::connectionForThisThread()
{
    if (auto own = m_pool->bound(QThread::currentThread()))
        return *own;
    return m_pool->main();
}

void CredentialsByHostClient::dispose()
{
    if (m_disposed.exchange(true))
        return;
    m_pool->dispose();    // waiters and running commands end as "cancelled"
    m_tasks.waitForDone(); // tasks not started yet see m_disposed and end at once
}

PoolSnapshot CredentialsByHostClient::poolSnapshot() const
{
    return m_pool->snapshot();
}

} // namespace mailcore
