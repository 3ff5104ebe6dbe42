// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/pop3client/pop3client.h"

#include <mutex>

#include "mailcore/client/engine.h"
#include "mailcore/net/transport.h"
#include "mailcore/pop3/connection.h"
#include "mailcore/pop3client/bulkfetch.h"
#include "mailcore/pop3client/pooledsession.h"

namespace mailcore {

using namespace mailcore::pop3;
using client::Connection;
using detail::fetchMessageOf;
using detail::PooledPop3Session;
using detail::pop3Of;

namespace {

/// A login made while another session of this client is open waits at most
/// this long for the password's answer before it counts as refused for a
/// locked maildrop (B05). Dovecot answers an unlocked login in milliseconds,
/// and makes a locked one wait about 12 s.
constexpr std::chrono::milliseconds kLockWait{3000};

/// The session a command runs on: deletions belong to the session that marked them.
quint64 sessionOf(Connection &c) { return static_cast<PooledPop3Session &>(c).serial(); }

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

QFuture<QByteArray> fetchHeadersOf(Connection &c, const QByteArray &uid, int bodyLines)
{
    if (bodyLines < 0)
        return client::failedFuture<QByteArray>(
            Error(ErrorCode::BadArgument, QStringLiteral("a negative number of body lines")));
    return pop3Of(c).top(uid, bodyLines);
}

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

/// Work for the main session's queue, pipelined (B02): the asynchronous form
/// holds a task thread only while handing its command over.
template <typename T>
client::Submission<T> onMainSession(client::Retry retry, std::function<QFuture<T>(Connection &)> submit)
{
    return {pool::Work::Short, {}, retry, std::move(submit)};
}

/// STAT and LIST/UIDL: the main session, whose listing leaves out what it has
/// marked deleted; once more on a new connection when theirs went away (B06).
template <typename T>
client::Submission<T> mainRead(std::function<QFuture<T>(Connection &)> submit)
{
    return onMainSession<T>(client::Retry::OnceWhenLost, std::move(submit));
}

/// RETR and TOP: asynchronously on an extra session when the limit allows
/// one (S15), shared by pipelined reads (B02); retried once like mainRead().
template <typename T>
client::Submission<T> messageRead(std::function<QFuture<T>(Connection &)> submit)
{
    return {pool::Work::Pipelined, {}, client::Retry::OnceWhenLost, std::move(submit)};
}

/// The synchronous form of a session-changing operation: it runs on the main
/// session even for a thread with a session of its own (S11), because the
/// marks and their commit belong to one session.
Error settled(QFuture<void> future)
{
    try {
        future.waitForFinished();
    } catch (const MailException &e) {
        return e.error();
    }
    return {};
}

std::unique_ptr<client::Engine> makePop3Engine(const Endpoint &endpoint, const QString &user, const QString &password,
                                               net::TransportFactory transports,
                                               std::shared_ptr<detail::Pop3Maildrop> maildrop)
{
    return std::make_unique<client::Engine>(endpoint, user, password, [=] {
        SessionSettings settings;
        settings.endpoint = endpoint;
        settings.user = user;
        settings.password = password;
        // Another session of ours is open: a login that waits meets its lock.
        if (maildrop->sessionsOpen > 0)
            settings.lockWait = kLockWait;
        return std::make_shared<PooledPop3Session>(settings, transports, maildrop);
    });
}

} // namespace

Pop3Client::Pop3Client(Endpoint endpoint, QString user, QString password, QObject *parent, TransportFactory transports)
    : Pop3Client(std::move(endpoint), std::move(user), std::move(password), parent, std::move(transports),
                 std::make_shared<detail::Pop3Marks>())
{
}

Pop3Client::Pop3Client(Endpoint endpoint, QString user, QString password, QObject *parent, TransportFactory transports,
                       std::shared_ptr<detail::Pop3Marks> marks)
    : CredentialsByHostClient(makePop3Engine(endpoint, user, password, std::move(transports), marks->maildrop), parent)
    , m_marks(std::move(marks))
{
}

Pop3Client::~Pop3Client()
{
    dispose(); // before the marks go: replies still arriving update them
}

Error Pop3Client::setMaxConnectionsPerServer(int limit)
{
    return CredentialsByHostClient::setMaxConnectionsPerServer(limit);
}

Result<Pop3MailboxInfo> Pop3Client::mailboxInfo() { return engine().wait(mainRead<Pop3MailboxInfo>(mailboxInfoOf)); }
QFuture<Pop3MailboxInfo> Pop3Client::mailboxInfoAsync()
{
    return engine().start(mainRead<Pop3MailboxInfo>(mailboxInfoOf));
}

Result<QList<Pop3MessageInfo>> Pop3Client::listMessages()
{
    return engine().wait(mainRead<QList<Pop3MessageInfo>>(listMessagesOf));
}
QFuture<QList<Pop3MessageInfo>> Pop3Client::listMessagesAsync()
{
    return engine().start(mainRead<QList<Pop3MessageInfo>>(listMessagesOf));
}

static client::Submission<QByteArray> fetchMessageOp(const QByteArray &uid)
{
    return messageRead<QByteArray>([uid](Connection &c) { return fetchMessageOf(c, uid); });
}
Result<QByteArray> Pop3Client::fetchMessage(const QByteArray &uid) { return engine().wait(fetchMessageOp(uid)); }
QFuture<QByteArray> Pop3Client::fetchMessageAsync(const QByteArray &uid) { return engine().start(fetchMessageOp(uid)); }

QFuture<Pop3FetchedMessage> Pop3Client::fetchMessagesAsync(const QList<QByteArray> &uids)
{
    return detail::startBulkFetch(engine(), uids);
}

static client::Submission<QByteArray> fetchHeadersOp(const QByteArray &uid, int bodyLines)
{
    return messageRead<QByteArray>([=](Connection &c) { return fetchHeadersOf(c, uid, bodyLines); });
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
    return onMainSession<void>(client::Retry::Never, [=](Connection &c) { return submitDelete(c, marks, uid); });
}
Error Pop3Client::deleteMessage(const QByteArray &uid) { return settled(deleteMessageAsync(uid)); }
QFuture<void> Pop3Client::deleteMessageAsync(const QByteArray &uid) { return engine().start(deleteOp(m_marks, uid)); }

static client::Submission<void> undeleteOp(std::shared_ptr<detail::Pop3Marks> marks)
{
    return onMainSession<void>(client::Retry::Never, [=](Connection &c) { return submitUndelete(c, marks); });
}
Error Pop3Client::undeleteAll() { return settled(undeleteAllAsync()); }
QFuture<void> Pop3Client::undeleteAllAsync() { return engine().start(undeleteOp(m_marks)); }

/// A task that waits for QUIT's answer, holding the connection: the pool
/// forgets a quitting connection at once, and nothing else would keep it (and
/// its QUIT) alive until the server has applied the deletions.
static client::Operation<void> commitOp(std::shared_ptr<detail::Pop3Marks> marks)
{
    return {pool::Work::Short, {}, client::Retry::Never, [=](Connection &c) { client::await(submitCommit(c, marks)); }};
}
Error Pop3Client::commit() { return settled(commitAsync()); }
QFuture<void> Pop3Client::commitAsync() { return engine().start(commitOp(m_marks)); }

int Pop3Client::pendingDeletions() const
{
    std::lock_guard lock(m_marks->mutex);
    return int(m_marks->marked.size());
}

} // namespace mailcore
