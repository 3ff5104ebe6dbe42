// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QFuture>

#include <functional>
#include <memory>

#include "mailcore/base/result.h"
#include "mailcore/client/credentialsbyhostclient.h"
#include "mailcore/pop3client/pop3types.h"

namespace mailcore {

namespace detail {
struct Pop3Marks;
}

/// A pooled POP3 client: any number of threads may call it at once; calls are
/// queued, never refused as busy. Messages are named by their UIDL id only;
/// the connection that runs a command maps the id to its own message number
/// (S16 in docs/POOL.md). Each operation has a synchronous form (returns Result<T> or
/// Error) and an asynchronous one (returns a QFuture at once; its error arrives
/// as MailException; cancelling it while it waits for the connection ends it).
///
/// **One or more sessions; one that deletes.** POP3 is not IMAP: deletions
/// live in the session that marked them (only its QUIT applies them), and a
/// session sees the maildrop as it was at its login. So:
/// - The *main* session holds the deletions: deleteMessage(), undeleteAll()
///   and commit() always run there (also from a thread with a session of its
///   own), and so do mailboxInfo() and listMessages(), whose answers leave out
///   what is marked deleted.
/// - Reads of messages may use *extra* sessions, up to maxConnectionsPerServer()
///   (default 10, S01): fetchMessageAsync() and fetchHeadersAsync() share
///   extras (S15, B02), fetchMessagesAsync() spreads over the main session and
///   the extras (B03). createConnection() gives a thread a session of its own
///   for its synchronous reads (S11-S13). A session that logged in before the
///   last commit() is not given new work: its view of the maildrop is old.
/// - Many servers lock the maildrop for the whole session (RFC 1939 §8;
///   Dovecot with pop3_lock_session, Exchange, qpopper): a second login is
///   refused with [IN-USE] or waits for the first session to end. Either
///   lowers the limit to 1 (B05, PoolSnapshot::loweredLimit): every call then
///   goes through the main session's queue, and nothing fails for it. A login
///   made while another session is open that gets no answer within 3 s counts
///   as such a refusal.
/// Every session pipelines when the server offers PIPELINING (B02).
///
/// **Deletions and commit.** deleteMessage() marks; commit() sends QUIT, which
/// applies the marks and ends the session; the next call logs in again and
/// sees new mail. If the connection is lost in between, the server keeps every
/// message (RFC 1939 §6); commit() then fails with ErrorCode::Network and says
/// how many deletions were lost, rather than reporting a success. dispose()
/// and the destructor never commit: the session is closed without QUIT when
/// anything is marked.
///
/// **Retries (B06).** STAT, LIST/UIDL, RETR and TOP are retried once on a new
/// connection when the connection goes away under them (dropped, timed out, or
/// ended by a commit() queued before them); DELE, RSET and QUIT never are.
///
/// **Threads.** Synchronous calls block the calling thread; the asynchronous
/// forms hold a task thread only while handing their command to a
/// connection, so many of them are on the wire together (B02), as are
/// synchronous calls from many threads.
///
/// Messages that arrive after the main session logged in are only seen after commit().
class MAILCORE_EXPORT Pop3Client : public CredentialsByHostClient
{
    Q_OBJECT

public:
    /// A client of `user`'s maildrop at `endpoint`. Opens nothing until the first call (S03). `transports`: see
    /// TransportFactory.
    Pop3Client(Endpoint endpoint, QString user, QString password, QObject *parent = nullptr,
               TransportFactory transports = {});
    /// dispose(), which does not commit: marked deletions are not applied.
    ~Pop3Client() override;

    /// As CredentialsByHostClient::setMaxConnectionsPerServer() (S01): 1 keeps
    /// every call on the main session; more lets reads use extra sessions.
    Error setMaxConnectionsPerServer(int limit);

    /// STAT: how many messages are not marked deleted, and their total size.
    Result<Pop3MailboxInfo> mailboxInfo();
    /// The asynchronous form of mailboxInfo().
    QFuture<Pop3MailboxInfo> mailboxInfoAsync();

    /// UIDL and LIST: every message not marked deleted, in server order.
    Result<QList<Pop3MessageInfo>> listMessages();
    /// The asynchronous form of listMessages().
    QFuture<QList<Pop3MessageInfo>> listMessagesAsync();

    /// RETR: the message exactly as the server stores it. Unknown id: NotFound.
    Result<QByteArray> fetchMessage(const QByteArray &uid);
    /// The asynchronous form of fetchMessage().
    QFuture<QByteArray> fetchMessageAsync(const QByteArray &uid);

    /// Many messages, spread over the main session and the extras the limit
    /// allows, pipelined on each (a bounded number on their way at once); each is a result of the future as soon as it
    /// arrives, in arrival order (use QFutureWatcher::resultsReadyAt for
    /// progress). The first failure ends it; cancel it to stop asking for more.
    QFuture<Pop3FetchedMessage> fetchMessagesAsync(const QList<QByteArray> &uids);

    /// TOP: the header and the first `bodyLines` lines of the body.
    Result<QByteArray> fetchHeaders(const QByteArray &uid, int bodyLines = 0);
    /// The asynchronous form of fetchHeaders().
    QFuture<QByteArray> fetchHeadersAsync(const QByteArray &uid, int bodyLines = 0);

    /// DELE: marks a message deleted; commit() applies it. Never retried.
    Error deleteMessage(const QByteArray &uid);
    /// The asynchronous form of deleteMessage().
    QFuture<void> deleteMessageAsync(const QByteArray &uid);

    /// RSET: unmarks every message marked deleted in this session.
    Error undeleteAll();
    /// The asynchronous form of undeleteAll().
    QFuture<void> undeleteAllAsync();

    /// QUIT: the server deletes what is marked and the session ends (the next
    /// call logs in again). Network error if marks were lost with a dropped connection.
    Error commit();
    /// The asynchronous form of commit().
    QFuture<void> commitAsync();

    /// How many messages are marked deleted and not yet committed. Any thread.
    int pendingDeletions() const;

private:
    Pop3Client(Endpoint endpoint, QString user, QString password, QObject *parent, TransportFactory transports,
               std::shared_ptr<detail::Pop3Marks> marks);

    std::shared_ptr<detail::Pop3Marks> m_marks; // the deletions marked on the main session, and the maildrop's state
};

} // namespace mailcore
