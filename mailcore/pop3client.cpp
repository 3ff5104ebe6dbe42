#include "mailcore/pop3client.h"

#include <deque>

#include "mailcore/logging.h"
#include "mailcore/net/transport.h"
#include "mailcore/pop3/connection.h"

namespace mailcore {

using namespace mailcore::pop3;

namespace {

/// A Pop3Connection as the pool sees it. The serial number tells sessions
/// apart: deletions belong to the session that marked them.
class PooledPop3Connection : public pool::PooledConnection
{
public:
    PooledPop3Connection(SessionSettings settings, Pop3Connection::TransportFactory factory)
        : m_connection(std::move(settings), std::move(factory))
    {
    }
    QFuture<void> open() override { return m_connection.open(); }
    bool isUsable() const override
    {
        // Quitting counts as gone: QUIT's answer comes before the session has
        // closed, and the next caller must get a fresh connection, not this one.
        const SessionState state = m_connection.state();
        return state != SessionState::Quitting && state != SessionState::Closed;
    }
    void close() override { m_connection.close(); }
    ConnectionActivity activity() const override { return m_connection.activity(); }
    void setActivityListener(std::function<void()> listener) override
    {
        m_connection.setActivityListener(std::move(listener));
    }
    Pop3Connection &connection() { return m_connection; }
    quint64 serial() const { return m_serial; }

private:
    static inline std::atomic<quint64> s_nextSerial{1};
    Pop3Connection m_connection;
    const quint64 m_serial = s_nextSerial++;
};

PooledPop3Connection &pooled(pool::PooledConnection &c)
{
    return static_cast<PooledPop3Connection &>(c);
}

Pop3Connection &pop3Of(pool::PooledConnection &c)
{
    return pooled(c).connection();
}

/// Waits for one command (the caller is a task or user thread, never an I/O
/// thread); a failure is thrown as MailException.
template <typename T>
T await(QFuture<T> future)
{
    future.waitForFinished(); // rethrows the command's MailException
    if constexpr (std::is_void_v<T>) {
        return;
    } else {
        if (future.resultCount() == 0)
            throw MailException(Error(ErrorCode::Cancelled, QStringLiteral("the connection was closed")));
        return future.result();
    }
}

/// B06: the command died with its connection (not cancelled, not refused by a
/// live server): a new connection may run it again.
bool connectionLost(pool::PooledConnection &c, const Error &error)
{
    return !c.isUsable() && error.code() != ErrorCode::Cancelled;
}

// The idempotent operations, each written once for both forms.

Pop3MailboxInfo mailboxInfoOn(pool::PooledConnection &c)
{
    const Stat stat = await(pop3Of(c).stat());
    return Pop3MailboxInfo{stat.count, stat.size};
}

QList<Pop3MessageInfo> listMessagesOn(pool::PooledConnection &c)
{
    // LIST carries the sizes; the connection names each message by its id.
    QList<Pop3MessageInfo> out;
    for (const MessageInfo &m : await(pop3Of(c).list()))
        out << Pop3MessageInfo{m.uid, m.size};
    return out;
}

QByteArray fetchMessageOn(pool::PooledConnection &c, const QByteArray &uid)
{
    return await(pop3Of(c).retrieve(uid));
}

QByteArray fetchHeadersOn(pool::PooledConnection &c, const QByteArray &uid, int bodyLines)
{
    if (bodyLines < 0)
        throw MailException(Error(ErrorCode::BadArgument, QStringLiteral("a negative number of body lines")));
    return await(pop3Of(c).top(uid, bodyLines));
}

/// One bulk fetch: the caller's promise and how far it got.
struct BulkFetch {
    QPromise<Pop3FetchedMessage> promise;
    QList<QByteArray> uids;
    qsizetype done = 0; // touched by the one task that runs it
};

constexpr int kBulkDepth = 16; // RETRs submitted ahead; the session keeps its own window on the wire

void fetchManyOn(pool::PooledConnection &c, BulkFetch &bulk)
{
    std::deque<QFuture<QByteArray>> inFlight;
    qsizetype next = bulk.done;
    while (bulk.done < bulk.uids.size() && !bulk.promise.isCanceled()) {
        while (next < bulk.uids.size() && qsizetype(inFlight.size()) < kBulkDepth)
            inFlight.push_back(pop3Of(c).retrieve(bulk.uids.at(next++)));
        QByteArray data = await(std::move(inFlight.front()));
        inFlight.pop_front();
        bulk.promise.addResult(Pop3FetchedMessage{bulk.uids.at(bulk.done), std::move(data)});
        ++bulk.done;
    }
}

} // namespace

Pop3Client::Pop3Client(Endpoint endpoint, QString user, QString password, QObject *parent)
    : Pop3Client(std::move(endpoint), std::move(user), std::move(password), TransportFactory(), parent)
{
}

Pop3Client::Pop3Client(Endpoint endpoint, QString user, QString password, TransportFactory factory, QObject *parent)
    : CredentialsByHostClient(endpoint, user, password,
                              [endpoint, user, password, factory] {
                                  SessionSettings settings;
                                  settings.endpoint = endpoint;
                                  settings.user = user;
                                  settings.password = password;
                                  return std::make_shared<PooledPop3Connection>(settings, factory);
                              },
                              parent)
{
    // One session per maildrop (see the class comment).
    CredentialsByHostClient::setMaxConnectionsPerServer(1);
}

Pop3Client::~Pop3Client() = default;

Error Pop3Client::setMaxConnectionsPerServer(int limit)
{
    if (limit == 1)
        return {};
    return Error(ErrorCode::BadArgument,
                 QStringLiteral("a POP3 client uses exactly one connection: the server locks the maildrop per "
                                "session, and deletions belong to the session that marked them"));
}

/// Runs `work` on this thread's connection; if the connection dies under it,
/// once more on a fresh one (B06). Only for idempotent commands.
template <typename T, typename Work>
Result<T> Pop3Client::runRetrying(Work work)
{
    bool lost = false;
    Result<T> first = runSync<T>([&](pool::PooledConnection &c) {
        try {
            return work(c);
        } catch (const MailException &e) {
            lost = connectionLost(c, e.error());
            throw;
        }
    });
    if (first || !lost)
        return first;
    qCInfo(log::pop3) << "connection lost, retrying once on a new one:" << first.error().toString();
    return runSync<T>(work);
}

/// The asynchronous form of runRetrying: a task on the client's thread pool.
/// The retry runs in the same task, on the (replaced) main connection, which is
/// the only one a POP3 client has.
template <typename T, typename Work>
QFuture<T> Pop3Client::runRetryingTask(Work work)
{
    return runTask<T>(pool::Work::Short, {}, [this, work](pool::PooledConnection &c) {
        try {
            return work(c);
        } catch (const MailException &e) {
            if (!connectionLost(c, e.error()))
                throw;
            qCInfo(log::pop3) << "connection lost, retrying once on a new one:" << e.error().toString();
            Result<T> again = runSync<T>(work);
            if (!again)
                throw MailException(again.error());
            return again.value();
        }
    });
}

Result<Pop3MailboxInfo> Pop3Client::mailboxInfo() { return runRetrying<Pop3MailboxInfo>(mailboxInfoOn); }
QFuture<Pop3MailboxInfo> Pop3Client::mailboxInfoAsync() { return runRetryingTask<Pop3MailboxInfo>(mailboxInfoOn); }

Result<QList<Pop3MessageInfo>> Pop3Client::listMessages() { return runRetrying<QList<Pop3MessageInfo>>(listMessagesOn); }
QFuture<QList<Pop3MessageInfo>> Pop3Client::listMessagesAsync()
{
    return runRetryingTask<QList<Pop3MessageInfo>>(listMessagesOn);
}

Result<QByteArray> Pop3Client::fetchMessage(const QByteArray &uid)
{
    return runRetrying<QByteArray>([uid](auto &c) { return fetchMessageOn(c, uid); });
}
QFuture<QByteArray> Pop3Client::fetchMessageAsync(const QByteArray &uid)
{
    return runRetryingTask<QByteArray>([uid](auto &c) { return fetchMessageOn(c, uid); });
}

QFuture<Pop3FetchedMessage> Pop3Client::fetchMessagesAsync(const QList<QByteArray> &uids)
{
    auto bulk = std::make_shared<BulkFetch>();
    bulk->uids = uids;
    bulk->promise.start();
    QFuture<Pop3FetchedMessage> future = bulk->promise.future();
    // The task reports into the bulk promise; a void runRetryingTask would
    // restart from the first message, so the retry resumes where it stopped.
    runRetryingTask<bool>([bulk](auto &c) {
        fetchManyOn(c, *bulk);
        return true;
    }).then([bulk](QFuture<bool> done) {
        try {
            done.waitForFinished();
        } catch (const MailException &e) {
            if (!bulk->promise.isCanceled())
                bulk->promise.setException(e);
        }
        bulk->promise.finish();
    });
    return future;
}

Result<QByteArray> Pop3Client::fetchHeaders(const QByteArray &uid, int bodyLines)
{
    return runRetrying<QByteArray>([=](auto &c) { return fetchHeadersOn(c, uid, bodyLines); });
}
QFuture<QByteArray> Pop3Client::fetchHeadersAsync(const QByteArray &uid, int bodyLines)
{
    return runRetryingTask<QByteArray>([=](auto &c) { return fetchHeadersOn(c, uid, bodyLines); });
}

// The session-changing operations: never retried (a DELE or QUIT repeated on a
// new session would not mean the same thing).

void Pop3Client::deleteOn(pool::PooledConnection &c, const QByteArray &uid)
{
    await(pop3Of(c).dele(uid));
    std::lock_guard lock(m_marksMutex);
    const quint64 session = pooled(c).serial();
    if (m_marksSession != session) {
        // The session the earlier marks lived on is gone, and with it the marks.
        m_lostMarks += int(m_marked.size());
        m_marked.clear();
        m_marksSession = session;
    }
    if (!m_marked.contains(uid))
        m_marked << uid;
}

void Pop3Client::undeleteOn(pool::PooledConnection &c)
{
    await(pop3Of(c).rset());
    std::lock_guard lock(m_marksMutex);
    m_marked.clear();
    m_lostMarks = 0;
    m_marksSession = pooled(c).serial();
}

void Pop3Client::commitOn(pool::PooledConnection &c)
{
    int lost = 0;
    {
        std::lock_guard lock(m_marksMutex);
        lost = m_lostMarks + (m_marksSession == pooled(c).serial() ? 0 : int(m_marked.size()));
        m_marked.clear();
        m_lostMarks = 0;
        m_marksSession = 0;
    }
    try {
        await(pop3Of(c).quit());
    } catch (const MailException &e) {
        if (e.error().code() == ErrorCode::Cancelled)
            throw;
        throw MailException(Error(e.error().code(), e.error().message()
                                      + QStringLiteral(" (QUIT was not answered: the messages marked deleted may "
                                                       "or may not have been deleted)")));
    }
    if (lost > 0)
        throw MailException(Error(ErrorCode::Network,
                                  QStringLiteral("%1 message(s) marked deleted were not deleted: the connection was "
                                                 "lost before commit(), and POP3 deletes only at QUIT. List the "
                                                 "messages and delete them again.")
                                      .arg(lost)));
}

Error Pop3Client::deleteMessage(const QByteArray &uid)
{
    return runSyncVoid([this, uid](auto &c) { deleteOn(c, uid); });
}
QFuture<void> Pop3Client::deleteMessageAsync(const QByteArray &uid)
{
    return runTask<void>(pool::Work::Short, {}, [this, uid](auto &c) { deleteOn(c, uid); });
}

Error Pop3Client::undeleteAll()
{
    return runSyncVoid([this](auto &c) { undeleteOn(c); });
}
QFuture<void> Pop3Client::undeleteAllAsync()
{
    return runTask<void>(pool::Work::Short, {}, [this](auto &c) { undeleteOn(c); });
}

Error Pop3Client::commit()
{
    return runSyncVoid([this](auto &c) { commitOn(c); });
}
QFuture<void> Pop3Client::commitAsync()
{
    return runTask<void>(pool::Work::Short, {}, [this](auto &c) { commitOn(c); });
}

int Pop3Client::pendingDeletions() const
{
    std::lock_guard lock(m_marksMutex);
    return int(m_marked.size());
}

} // namespace mailcore
