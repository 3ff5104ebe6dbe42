// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QFuture>
#include <QList>
#include <QObject>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

#include "mailcore/base/error.h"
#include "mailcore/mailcore_export.h"
#include "mailcore/net/ownersignals.h"
#include "mailcore/net/sessionhost.h"
#include "mailcore/pop3/responses.h"
#include "mailcore/pop3/sessiontypes.h"

class QIODevice;
class QThread;

namespace mailcore::net {
class Transport;
}

namespace mailcore::pop3 {

class Session;
struct Operation;

/// One POP3 connection: its own I/O thread (with an event loop) in which the
/// socket and the session live, and a thread-safe front. Any thread may call
/// any method; each returns a QFuture at once, and errors arrive as
/// mailcore::MailException. Commands from all callers run in FIFO order,
/// pipelined when the server offers PIPELINING.
///
/// Messages are named by their UIDL id only: the connection loads the id ->
/// number map after login and translates; a number never leaves the session.
/// An id the map does not hold fails with ErrorCode::NotFound, unsent.
///
/// After any failure (network, TLS, timeout, protocol, refused login) the
/// connection is closed for good and every later call fails at once with the
/// same error; after quit() they fail with ErrorCode::Cancelled. A plain -ERR
/// to a command (ServerRefused) leaves the connection open.
class MAILCORE_EXPORT Pop3Connection : public net::OwnerSignals
{
    Q_OBJECT

public:
    using TransportFactory = net::TransportFactory;
    /// Receives a streamed message piece by piece, in the I/O thread. Return an
    /// error (e.g. ErrorCode::Io) to stop; the rest is read and dropped.
    using ChunkSink = std::function<Error(const QByteArray &chunk)>;

    /// `factory` makes the transport inside the I/O thread; by default the
    /// real QSslSocket transport.
    explicit Pop3Connection(SessionSettings settings, TransportFactory factory = {}, QObject *parent = nullptr);
    /// Fails whatever is pending with ErrorCode::Cancelled, closes (no QUIT:
    /// nothing marked deleted is removed), joins the thread. Owner's thread.
    ~Pop3Connection() override;

    /// Any thread. Connects, secures (STLS when required), logs in (AUTH PLAIN
    /// when offered, else USER/PASS) and loads the UIDL map.
    QFuture<void> open();

    /// Any thread. STAT: messages not marked deleted, and their total size.
    QFuture<Stat> stat();
    /// Any thread. LIST: every message not marked deleted, in server order.
    QFuture<QList<MessageInfo>> list();
    /// Any thread. UIDL: the ids in server order; also refreshes the map.
    QFuture<QList<QByteArray>> uidl();
    /// Any thread. TOP: the header and the first `lines` body lines.
    QFuture<QByteArray> top(const QByteArray &uid, int lines);
    /// Any thread. RETR, buffered: the whole message (up to ReplyLimits::maxReplySize).
    QFuture<QByteArray> retrieve(const QByteArray &uid);
    /// Any thread. RETR, streamed into `device` as it arrives (for big messages):
    /// the device is written from the I/O thread, so it must be open for
    /// writing, live, and untouched by others until the future finishes (a
    /// QFile or QBuffer; not a socket). Yields the number of bytes written; a
    /// failed write is ErrorCode::Io and leaves the connection usable.
    QFuture<qint64> retrieveTo(const QByteArray &uid, QIODevice *device);
    /// Any thread. As above, with a callback run in the I/O thread.
    QFuture<qint64> retrieveTo(const QByteArray &uid, ChunkSink sink);
    /// Any thread. DELE: marks the message deleted (removed at quit()).
    QFuture<void> dele(const QByteArray &uid);
    /// Any thread. RSET: unmarks every message marked deleted.
    QFuture<void> rset();
    /// Any thread. NOOP.
    QFuture<void> noop();
    /// Any thread. QUIT: the server removes the marked messages; then the
    /// connection closes. Commands queued behind it fail with Cancelled.
    QFuture<void> quit();

    /// Any thread. Fails everything pending with ErrorCode::Cancelled and
    /// closes at once. Says QUIT first only when nothing is marked deleted:
    /// QUIT is what deletes, and a goodbye must not commit on the user's behalf
    /// (use quit() for that). Later calls fail at once.
    void close();

    /// Any thread: the last state the session reported.
    SessionState state() const { return m_state.load(); }
    /// Any thread: false once QUIT was sent or the session closed. Quitting
    /// counts as gone: QUIT's answer comes before the session has closed, and
    /// the next caller must get a fresh connection, not this one.
    bool isUsable() const { return state() != SessionState::Quitting && state() != SessionState::Closed; }
    /// Any thread: what the connection is doing, for the pool monitor (B08).
    ConnectionActivity activity() const;
    /// Called in the I/O thread after every change of activity(); set before open().
    void setActivityListener(std::function<void()> listener);
    /// Any thread: the capabilities last read (after TLS when upgraded).
    Capabilities capabilities() const;

Q_SIGNALS:
    void stateChanged(mailcore::pop3::SessionState state);
    /// The connection ended; every pending command has failed with `reason`.
    void closed(const mailcore::Error &reason);

private:
    void submit(Operation operation);

    Session *m_session; // lives in the host's I/O thread; deleted there
    std::atomic<SessionState> m_state{SessionState::Disconnected};
    mutable std::mutex m_capabilitiesMutex;
    Capabilities m_capabilities;
    net::SessionHost m_host; // last: stops the I/O thread before the members above go
};

} // namespace mailcore::pop3
