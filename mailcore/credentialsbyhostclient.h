#pragma once

#include <QDeadlineTimer>
#include <QFuture>
#include <QObject>
#include <QPromise>
#include <QThreadPool>
#include <QScopeGuard>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <memory>

#include "mailcore/connectionlease.h"
#include "mailcore/error.h"
#include "mailcore/mailcore_export.h"
#include "mailcore/net/endpoint.h"
#include "mailcore/pool/connectionpool.h"
#include "mailcore/pool/poolsnapshot.h"
#include "mailcore/result.h"

namespace mailcore {

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

    /// Runs `work` for a synchronous call on the calling thread: its own
    /// connection if it has one, else the main connection (S10). `work` may
    /// throw MailException; the error is returned.
    template <typename T, typename Work>
    Result<T> runSync(Work &&work);
    template <typename Work>
    Error runSyncVoid(Work &&work);

    /// Runs `work` as a task on the client's thread pool with a connection
    /// chosen by kind and folder (S09, S15, B01); the future can be cancelled
    /// while the task waits for a connection.
    template <typename T, typename Work>
    QFuture<T> runTask(pool::Work kind, const QString &folder, Work &&work);

private:
    Result<pool::ConnectionPool::Use> connectionForThisThread();
    void schedulePoolChanged(); ///< any thread; coalesced
    void emitPoolChanged();     ///< the client's thread

    Endpoint m_endpoint;
    QString m_user;
    QString m_password;
    QThread *m_ownerThread;
    std::unique_ptr<pool::ConnectionPool> m_pool;
    QThreadPool m_tasks;
    std::atomic<bool> m_disposed{false};
    std::atomic<int> m_tasksRunning{0};
    std::atomic<bool> m_poolChangedPending{false};
    std::atomic<qint64> m_lastPoolChangedMs{0};
    std::atomic<int> m_monitorIntervalMs{100};
};

template <typename T, typename Work>
Result<T> CredentialsByHostClient::runSync(Work &&work)
{
    if (m_disposed)
        return Error(ErrorCode::Cancelled, QStringLiteral("the client was disposed"));
    Result<pool::ConnectionPool::Use> use = connectionForThisThread();
    if (!use)
        return use.error();
    try {
        return Result<T>(work(*use.value().connection));
    } catch (const MailException &e) {
        return e.error();
    }
}

template <typename Work>
Error CredentialsByHostClient::runSyncVoid(Work &&work)
{
    Result<bool> result = runSync<bool>([&](pool::PooledConnection &c) {
        work(c);
        return true;
    });
    return result ? Error() : result.error();
}

template <typename T, typename Work>
QFuture<T> CredentialsByHostClient::runTask(pool::Work kind, const QString &folder, Work &&work)
{
    return QtConcurrent::run(&m_tasks, [this, kind, folder, work = std::forward<Work>(work)](QPromise<T> &promise) {
        if (m_disposed) {
            promise.setException(MailException(Error(ErrorCode::Cancelled, QStringLiteral("the client was disposed"))));
            return;
        }
        auto use = m_pool->acquire(kind, folder, [&promise] { return promise.isCanceled(); });
        if (!use) {
            promise.setException(MailException(use.error()));
            return;
        }
        ++m_tasksRunning;
        auto giveBack = qScopeGuard([&] {
            --m_tasksRunning;
            m_pool->release(use.value());
        });
        try {
            if constexpr (std::is_void_v<T>)
                work(*use.value().connection);
            else
                promise.addResult(work(*use.value().connection));
        } catch (const MailException &e) {
            promise.setException(e);
        }
    });
}

} // namespace mailcore
