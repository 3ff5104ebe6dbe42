// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/pop3client/pop3client.h"

#include <mutex>

#include "mailcore/client/engine.h"
#include "mailcore/net/transport.h"
#include "mailcore/pop3/connection.h"

namespace mailcore {

using namespace mailcore::pop3;
using client::Connection;

namespace {

using PooledPop3 = pool::PooledConnectionOf<Pop3Connection>;

Pop3Connection &pop3Of(Connection &c) { return pool::protocolOf<Pop3Connection>(c); }

/// The session a command runs on: deletions belong to the session that marked them.
quint64 sessionOf(Connection &c) { return static_cast<PooledPop3 &>(c).serial(); }

// The idempotent operations, each written once for both forms: they hand one
// command to the connection and return its future at once. The conversions run
// in the I/O thread (Launch::Sync) and are cheap.

QFuture<Pop3MailboxInfo> mailboxInfoOf(Connection &c)
{
    return pop3Of(c).stat().then(QtFuture::Launch::Sync, [](const Stat &stat) {
        return Pop3MailboxInfo{stat.count, stat.size};
    });
}

QFuture<QList<Pop3MessageInfo>> listMessagesOf(Connection &c)
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

QFuture<QByteArray> fetchMessageOf(Connection &c, const QByteArray &uid) { return pop3Of(c).retrieve(uid); }

QFuture<QByteArray> fetchHeadersOf(Connection &c, const QByteArray &uid, int bodyLines)
{
    if (bodyLines < 0)
        return client::failedFuture<QByteArray>(
            Error(ErrorCode::BadArgument, QStringLiteral("a negative number of body lines")));
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

/// The deletions marked on one session (identified by its connection's
/// serial number): they exist only there. Updated in the I/O thread right
/// after each reply, so it follows the order of the replies.
struct detail::Pop3Marks {
    mutable std::mutex mutex;
    quint64 session = 0;
    QList<QByteArray> marked;
    int lost = 0; ///< marked on a session that died before commit()

    void deleted(quint64 on, const QByteArray &uid)
    {
        std::lock_guard lock(mutex);
        if (session != on) {
            // The session the earlier marks lived on is gone, and with it the marks.
            lost += int(marked.size());
            marked.clear();
            session = on;
        }
        if (!marked.contains(uid))
            marked << uid;
    }
    void undeleted(quint64 on)
    {
        std::lock_guard lock(mutex);
        marked.clear();
        lost = 0;
        session = on;
    }
    /// Whatever QUIT's fate, the marks are settled: applied, or gone with the
    /// session. Returns how many were lost.
    int settle(quint64 on)
    {
        std::lock_guard lock(mutex);
        const int gone = lost + (session == on ? 0 : int(marked.size()));
        marked.clear();
        lost = 0;
        session = 0;
        return gone;
    }
};

namespace {

// The session-changing operations: never retried (a DELE or QUIT repeated on a
// new session would not mean the same thing).

QFuture<void> submitDelete(Connection &c, std::shared_ptr<detail::Pop3Marks> marks, const QByteArray &uid)
{
    const quint64 session = sessionOf(c);
    return pop3Of(c).dele(uid).then(QtFuture::Launch::Sync, [marks, session, uid] { marks->deleted(session, uid); });
}

QFuture<void> submitUndelete(Connection &c, std::shared_ptr<detail::Pop3Marks> marks)
{
    const quint64 session = sessionOf(c);
    return pop3Of(c).rset().then(QtFuture::Launch::Sync, [marks, session] { marks->undeleted(session); });
}

QFuture<void> submitCommit(Connection &c, std::shared_ptr<detail::Pop3Marks> marks)
{
    const quint64 session = sessionOf(c);
    return pop3Of(c).quit().then(QtFuture::Launch::Sync, [marks, session](QFuture<void> quit) {
        const int lost = marks->settle(session);
        try {
            quit.waitForFinished();
        } catch (const MailException &e) {
            if (e.error().code() == ErrorCode::Cancelled)
                throw;
            throw MailException(Error(e.error().code(),
                                      e.error().message()
                                          + QStringLiteral(" (QUIT was not answered: the messages marked deleted may "
                                                           "or may not have been deleted)")));
        }
        if (lost > 0)
            throw MailException(
                Error(ErrorCode::Network,
                      QStringLiteral("%1 message(s) marked deleted were not deleted: the connection was "
                                     "lost before commit(), and POP3 deletes only at QUIT. List the "
                                     "messages and delete them again.")
                          .arg(lost)));
    });
}

/// Every POP3 call goes to the one connection's queue, pipelined (B02): the
/// asynchronous form holds a task thread only while handing its command over.
template <typename T>
client::Submission<T> onMainConnection(client::Retry retry, std::function<QFuture<T>(Connection &)> submit)
{
    return {pool::Work::Short, {}, retry, std::move(submit)};
}

/// STAT, LIST/UIDL, RETR and TOP: once more on a new connection when theirs went away (B06).
template <typename T>
client::Submission<T> read(std::function<QFuture<T>(Connection &)> submit)
{
    return onMainConnection<T>(client::Retry::OnceWhenLost, std::move(submit));
}

} // namespace

Pop3Client::Pop3Client(Endpoint endpoint, QString user, QString password, QObject *parent, TransportFactory transports)
    : CredentialsByHostClient(
        client::makeEngine<Pop3Connection, SessionSettings>(endpoint, user, password, std::move(transports)), parent)
    , m_marks(std::make_shared<detail::Pop3Marks>())
{
    // One session per maildrop (see the class comment).
    engine().setLimitCap(1);
}

Pop3Client::~Pop3Client()
{
    dispose(); // before the marks go: replies still arriving update them
}

Error Pop3Client::setMaxConnectionsPerServer(int limit)
{
    if (limit == 1)
        return {};
    return Error(ErrorCode::BadArgument,
                 QStringLiteral("a POP3 client uses exactly one connection: the server locks the maildrop per "
                                "session, and deletions belong to the session that marked them"));
}

Result<Pop3MailboxInfo> Pop3Client::mailboxInfo() { return engine().wait(read<Pop3MailboxInfo>(mailboxInfoOf)); }
QFuture<Pop3MailboxInfo> Pop3Client::mailboxInfoAsync() { return engine().start(read<Pop3MailboxInfo>(mailboxInfoOf)); }

Result<QList<Pop3MessageInfo>> Pop3Client::listMessages()
{
    return engine().wait(read<QList<Pop3MessageInfo>>(listMessagesOf));
}
QFuture<QList<Pop3MessageInfo>> Pop3Client::listMessagesAsync()
{
    return engine().start(read<QList<Pop3MessageInfo>>(listMessagesOf));
}

static client::Submission<QByteArray> fetchMessageOp(const QByteArray &uid)
{
    return read<QByteArray>([uid](Connection &c) { return fetchMessageOf(c, uid); });
}
Result<QByteArray> Pop3Client::fetchMessage(const QByteArray &uid) { return engine().wait(fetchMessageOp(uid)); }
QFuture<QByteArray> Pop3Client::fetchMessageAsync(const QByteArray &uid) { return engine().start(fetchMessageOp(uid)); }

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
            engine()
                .runPipelined<QByteArray>(pool::Work::Short, {},
                                          {client::Retry::OnceWhenLost, [bulk] { return bulk->promise.isCanceled(); }},
                                          [uid](Connection &c) { return fetchMessageOf(c, uid); })
                .then(QtFuture::Launch::Sync, [bulk, uid, ask](QFuture<QByteArray> done) {
                    Error error;
                    QByteArray data;
                    try {
                        done.waitForFinished();
                        if (done.resultCount() == 0)
                            throw MailException(
                                Error(ErrorCode::Cancelled, QStringLiteral("the connection was closed")));
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

static client::Submission<QByteArray> fetchHeadersOp(const QByteArray &uid, int bodyLines)
{
    return read<QByteArray>([=](Connection &c) { return fetchHeadersOf(c, uid, bodyLines); });
}
Result<QByteArray> Pop3Client::fetchHeaders(const QByteArray &uid, int bodyLines)
{
    return engine().wait(fetchHeadersOp(uid, bodyLines));
}
QFuture<QByteArray> Pop3Client::fetchHeadersAsync(const QByteArray &uid, int bodyLines)
{
    return engine().start(fetchHeadersOp(uid, bodyLines));
}

static client::Submission<void> deleteOp(std::shared_ptr<detail::Pop3Marks> marks, const QByteArray &uid)
{
    return onMainConnection<void>(client::Retry::Never, [=](Connection &c) { return submitDelete(c, marks, uid); });
}
Error Pop3Client::deleteMessage(const QByteArray &uid) { return engine().wait(deleteOp(m_marks, uid)); }
QFuture<void> Pop3Client::deleteMessageAsync(const QByteArray &uid) { return engine().start(deleteOp(m_marks, uid)); }

static client::Submission<void> undeleteOp(std::shared_ptr<detail::Pop3Marks> marks)
{
    return onMainConnection<void>(client::Retry::Never, [=](Connection &c) { return submitUndelete(c, marks); });
}
Error Pop3Client::undeleteAll() { return engine().wait(undeleteOp(m_marks)); }
QFuture<void> Pop3Client::undeleteAllAsync() { return engine().start(undeleteOp(m_marks)); }

/// A task that waits for QUIT's answer, holding the connection: the pool
/// forgets a quitting connection at once, and nothing else would keep it (and
/// its QUIT) alive until the server has applied the deletions.
static client::Operation<void> commitOp(std::shared_ptr<detail::Pop3Marks> marks)
{
    return {pool::Work::Short, {}, client::Retry::Never, [=](Connection &c) { client::await(submitCommit(c, marks)); }};
}
Error Pop3Client::commit() { return engine().wait(commitOp(m_marks)); }
QFuture<void> Pop3Client::commitAsync() { return engine().start(commitOp(m_marks)); }

int Pop3Client::pendingDeletions() const
{
    std::lock_guard lock(m_marks->mutex);
    return int(m_marks->marked.size());
}

} // namespace mailcore
