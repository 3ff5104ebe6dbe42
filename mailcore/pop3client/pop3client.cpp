#include "mailcore/pop3client/pop3client.h"

#include "mailcore/base/logging.h"
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

/// B06: the command died with its connection, so a new connection may run it
/// again. The error says so by itself: the session closes for every network,
/// timeout, protocol or TLS failure, and Cancelled means it went away (a
/// commit()'s QUIT ended it, or dispose(): then the retry is cancelled too).
/// ServerRefused (-ERR), NotFound and the like leave it open: no retry.
bool connectionLost(const Error &error)
{
    switch (error.code()) {
    case ErrorCode::Network:
    case ErrorCode::Timeout:
    case ErrorCode::Protocol:
    case ErrorCode::Tls:
    case ErrorCode::Cancelled:
        return true;
    default:
        return false;
    }
}

/// A future that has already failed with `error`.
template <typename T>
QFuture<T> failed(const Error &error)
{
    return QtFuture::makeExceptionalFuture<T>(MailException(error));
}

// The idempotent operations, each written once for both forms: they hand one
// command to the connection and return its future at once. The conversions run
// in the I/O thread (Launch::Sync) and are cheap.

QFuture<Pop3MailboxInfo> mailboxInfoOf(pool::PooledConnection &c)
{
    return pop3Of(c).stat().then(QtFuture::Launch::Sync, [](const Stat &stat) {
        return Pop3MailboxInfo{stat.count, stat.size};
    });
}

QFuture<QList<Pop3MessageInfo>> listMessagesOf(pool::PooledConnection &c)
{
    // LIST carries the sizes; the connection names each message by its id.
    return pop3Of(c).list().then(QtFuture::Launch::Sync, [](const QList<MessageInfo> &messages) {
        QList<Pop3MessageInfo> out;
        out.reserve(messages.size());
        for (const MessageInfo &m : messages)
            out << Pop3MessageInfo{m.uid, m.size};
        return out;
    });
}

QFuture<QByteArray> fetchMessageOf(pool::PooledConnection &c, const QByteArray &uid)
{
    return pop3Of(c).retrieve(uid);
}

QFuture<QByteArray> fetchHeadersOf(pool::PooledConnection &c, const QByteArray &uid, int bodyLines)
{
    if (bodyLines < 0)
        return failed<QByteArray>(Error(ErrorCode::BadArgument, QStringLiteral("a negative number of body lines")));
    return pop3Of(c).top(uid, bodyLines);
}

/// One bulk fetch: the caller's promise, the ids, and how far it got. A
/// bounded number of RETRs are on their way; each arrival asks for the next.
struct BulkFetch {
    QPromise<Pop3FetchedMessage> promise;
    QList<QByteArray> uids;
    std::mutex mutex;
    qsizetype next = 0;    // the next id to ask for
    qsizetype pending = 0; // asked for, not arrived
    bool failed = false;
};

constexpr int kBulkWindow = 16; // RETRs on their way; the session keeps its own window on the wire

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
    setConnectionLimitCap(1);
}

Pop3Client::~Pop3Client()
{
    // Before this class's members go: replies still arriving on the I/O
    // threads run continuations that use them. The base would dispose too
    // late, after they are destroyed.
    dispose();
}

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
            lost = connectionLost(e.error());
            throw;
        }
    });
    if (first || !lost)
        return first;
    qCInfo(log::pop3) << "connection lost, retrying once on a new one:" << first.error().toString();
    return runSync<T>(work);
}

/// Gets the connection in a task (it may have to log in first), hands the
/// command to it and lets the task go; the command's reply completes the
/// returned future (in the I/O thread). A command that dies with its
/// connection is handed once to a fresh one when `retryOnce` (B06).
template <typename T>
QFuture<T> Pop3Client::submitAsync(std::function<QFuture<T>(pool::PooledConnection &)> submit, bool retryOnce,
                                   std::function<bool()> cancelled)
{
    auto promise = std::make_shared<QPromise<T>>();
    promise->start();
    QFuture<T> future = promise->future();
    runTask<bool>(pool::Work::Short, {}, [this, promise, submit, retryOnce, cancelled](pool::PooledConnection &c) {
        if (promise->isCanceled() || (cancelled && cancelled()))
            throw MailException(Error(ErrorCode::Cancelled, QStringLiteral("cancelled before it was sent")));
        // The continuation runs in the connection's I/O thread; it must not
        // touch the connection (the pool may be destroying it) nor block.
        submit(c).then(QtFuture::Launch::Sync, [this, promise, submit, retryOnce, cancelled](QFuture<T> done) {
            try {
                done.waitForFinished(); // finished already: rethrows its error
                if constexpr (!std::is_void_v<T>) {
                    if (done.resultCount() == 0)
                        throw MailException(Error(ErrorCode::Cancelled, QStringLiteral("the connection was closed")));
                    promise->addResult(done.result());
                }
            } catch (const MailException &e) {
                if (retryOnce && connectionLost(e.error())) {
                    qCInfo(log::pop3) << "connection lost, retrying once on a new one:" << e.error().toString();
                    // Never blocks: a new task gets the (replaced) main connection.
                    submitAsync<T>(submit, false, cancelled).then(QtFuture::Launch::Sync, [promise](QFuture<T> again) {
                        try {
                            again.waitForFinished();
                            if constexpr (!std::is_void_v<T>) {
                                if (again.resultCount() > 0)
                                    promise->addResult(again.result());
                            }
                        } catch (const MailException &error) {
                            promise->setException(error);
                        }
                        promise->finish();
                    });
                    return;
                }
                promise->setException(e);
            }
            promise->finish();
        });
        return true;
    }).then(QtFuture::Launch::Sync, [promise](QFuture<bool> task) {
        // The task failed before handing the command over (no connection,
        // cancelled, disposed): nothing else will finish the promise.
        try {
            task.waitForFinished();
        } catch (const MailException &e) {
            promise->setException(e);
            promise->finish();
        }
    });
    return future;
}

Result<Pop3MailboxInfo> Pop3Client::mailboxInfo()
{
    return runRetrying<Pop3MailboxInfo>([](auto &c) { return await(mailboxInfoOf(c)); });
}
QFuture<Pop3MailboxInfo> Pop3Client::mailboxInfoAsync() { return submitAsync<Pop3MailboxInfo>(mailboxInfoOf, true); }

Result<QList<Pop3MessageInfo>> Pop3Client::listMessages()
{
    return runRetrying<QList<Pop3MessageInfo>>([](auto &c) { return await(listMessagesOf(c)); });
}
QFuture<QList<Pop3MessageInfo>> Pop3Client::listMessagesAsync()
{
    return submitAsync<QList<Pop3MessageInfo>>(listMessagesOf, true);
}

Result<QByteArray> Pop3Client::fetchMessage(const QByteArray &uid)
{
    return runRetrying<QByteArray>([uid](auto &c) { return await(fetchMessageOf(c, uid)); });
}
QFuture<QByteArray> Pop3Client::fetchMessageAsync(const QByteArray &uid)
{
    return submitAsync<QByteArray>([uid](pool::PooledConnection &c) { return fetchMessageOf(c, uid); }, true);
}

QFuture<Pop3FetchedMessage> Pop3Client::fetchMessagesAsync(const QList<QByteArray> &uids)
{
    auto bulk = std::make_shared<BulkFetch>();
    bulk->uids = uids;
    bulk->promise.start();
    QFuture<Pop3FetchedMessage> future = bulk->promise.future();
    if (uids.isEmpty()) {
        bulk->promise.finish();
        return future;
    }
    // Asks for more while the window has room; called again by every arrival.
    auto askMore = std::make_shared<std::function<void()>>();
    *askMore = [this, bulk, weakAsk = std::weak_ptr<std::function<void()>>(askMore)] {
        const auto ask = weakAsk.lock();
        std::unique_lock lock(bulk->mutex);
        while (!bulk->failed && !bulk->promise.isCanceled() && bulk->next < bulk->uids.size()
               && bulk->pending < kBulkWindow) {
            const QByteArray uid = bulk->uids.at(bulk->next++);
            ++bulk->pending;
            lock.unlock();
            submitAsync<QByteArray>([uid](pool::PooledConnection &c) { return fetchMessageOf(c, uid); }, true,
                                    [bulk] { return bulk->promise.isCanceled(); })
                .then(QtFuture::Launch::Sync, [bulk, uid, ask](QFuture<QByteArray> done) {
                    Error error;
                    QByteArray data;
                    try {
                        done.waitForFinished();
                        if (done.resultCount() == 0)
                            throw MailException(Error(ErrorCode::Cancelled, QStringLiteral("the connection was closed")));
                        data = done.result();
                    } catch (const MailException &e) {
                        error = e.error();
                    }
                    bool finished = false;
                    {
                        std::lock_guard guard(bulk->mutex);
                        --bulk->pending;
                        if (error.isError() && !bulk->failed) {
                            bulk->failed = true;
                            if (!bulk->promise.isCanceled())
                                bulk->promise.setException(MailException(error));
                        } else if (!error.isError() && !bulk->failed) {
                            bulk->promise.addResult(Pop3FetchedMessage{uid, std::move(data)});
                        }
                        const bool stopped = bulk->failed || bulk->promise.isCanceled();
                        finished = bulk->pending == 0 && (stopped || bulk->next == bulk->uids.size());
                        if (finished)
                            bulk->promise.finish();
                    }
                    if (!finished && ask)
                        (*ask)();
                });
            lock.lock();
        }
    };
    (*askMore)(); // from here on the arrivals keep it alive, through `ask`
    return future;
}

Result<QByteArray> Pop3Client::fetchHeaders(const QByteArray &uid, int bodyLines)
{
    return runRetrying<QByteArray>([=](auto &c) { return await(fetchHeadersOf(c, uid, bodyLines)); });
}
QFuture<QByteArray> Pop3Client::fetchHeadersAsync(const QByteArray &uid, int bodyLines)
{
    return submitAsync<QByteArray>([=](pool::PooledConnection &c) { return fetchHeadersOf(c, uid, bodyLines); },
                                   true);
}

// The session-changing operations: never retried (a DELE or QUIT repeated on a
// new session would not mean the same thing). Their bookkeeping runs in the
// I/O thread right after the reply, so it follows the order of the replies.

QFuture<void> Pop3Client::submitDelete(pool::PooledConnection &c, const QByteArray &uid)
{
    const quint64 session = pooled(c).serial();
    return pop3Of(c).dele(uid).then(QtFuture::Launch::Sync, [this, session, uid] {
        std::lock_guard lock(m_marksMutex);
        if (m_marksSession != session) {
            // The session the earlier marks lived on is gone, and with it the marks.
            m_lostMarks += int(m_marked.size());
            m_marked.clear();
            m_marksSession = session;
        }
        if (!m_marked.contains(uid))
            m_marked << uid;
    });
}

QFuture<void> Pop3Client::submitUndelete(pool::PooledConnection &c)
{
    const quint64 session = pooled(c).serial();
    return pop3Of(c).rset().then(QtFuture::Launch::Sync, [this, session] {
        std::lock_guard lock(m_marksMutex);
        m_marked.clear();
        m_lostMarks = 0;
        m_marksSession = session;
    });
}

QFuture<void> Pop3Client::submitCommit(pool::PooledConnection &c)
{
    const quint64 session = pooled(c).serial();
    // Whatever QUIT's fate, the marks are settled: applied, or gone with the session.
    const auto settle = [this, session] {
        std::lock_guard lock(m_marksMutex);
        const int lost = m_lostMarks + (m_marksSession == session ? 0 : int(m_marked.size()));
        m_marked.clear();
        m_lostMarks = 0;
        m_marksSession = 0;
        return lost;
    };
    return pop3Of(c).quit().then(QtFuture::Launch::Sync, [settle](QFuture<void> quit) {
        const int lost = settle();
        try {
            quit.waitForFinished();
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
    });
}

Error Pop3Client::deleteMessage(const QByteArray &uid)
{
    return runSyncVoid([this, uid](auto &c) { await(submitDelete(c, uid)); });
}
QFuture<void> Pop3Client::deleteMessageAsync(const QByteArray &uid)
{
    return submitAsync<void>([this, uid](pool::PooledConnection &c) { return submitDelete(c, uid); }, false);
}

Error Pop3Client::undeleteAll()
{
    return runSyncVoid([this](auto &c) { await(submitUndelete(c)); });
}
QFuture<void> Pop3Client::undeleteAllAsync()
{
    return submitAsync<void>([this](pool::PooledConnection &c) { return submitUndelete(c); }, false);
}

Error Pop3Client::commit()
{
    return runSyncVoid([this](auto &c) { await(submitCommit(c)); });
}
QFuture<void> Pop3Client::commitAsync()
{
    // A task that waits for QUIT's answer, holding the connection: the pool
    // forgets a quitting connection at once, and nothing else would keep it
    // (and its QUIT) alive until the server has applied the deletions.
    return runTask<void>(pool::Work::Short, {}, [this](pool::PooledConnection &c) { await(submitCommit(c)); });
}

int Pop3Client::pendingDeletions() const
{
    std::lock_guard lock(m_marksMutex);
    return int(m_marked.size());
}

} // namespace mailcore
