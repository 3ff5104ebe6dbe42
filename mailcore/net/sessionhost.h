// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QFuture>
#include <QObject>
#include <QPromise>

#include <chrono>
#include <functional>
#include <memory>

#include "mailcore/base/connectionactivity.h"
#include "mailcore/base/error.h"
#include "mailcore/mailcore_export.h"
#include "mailcore/net/activityboard.h"
#include "mailcore/net/transport.h"

#include <optional>

class QThread;

namespace mailcore::net {

/// What every protocol session (IMAP, POP3, SMTP) offers the host that runs
/// it. A session lives in its connection's I/O thread and is used only there.
class MAILCORE_EXPORT HostedSession : public QObject
{
    Q_OBJECT

public:
    /// `factory` makes the transport in the I/O thread; empty: SslTransport.
    explicit HostedSession(TransportFactory factory);
    ~HostedSession() override;

    /// I/O thread. Fails everything queued and in flight with `reason`, closes at once.
    virtual void shutdown(const Error &reason) = 0;
    /// I/O thread. Fails everything pending with ErrorCode::Cancelled, says
    /// goodbye (LOGOUT, QUIT) without waiting when that is safe, and closes.
    virtual void goodbye() = 0;
    /// I/O thread. While held, what arrives is left unread (the transport
    /// stops reading soon after, and the server stops sending): bulk work
    /// steps aside for a click on another connection (issue 15). A hold ends
    /// by itself after kLongestReadHold, so nothing times out or starves.
    void holdReads(bool held);
    static constexpr std::chrono::milliseconds kLongestReadHold{250};
    /// Told (in the I/O thread) whenever state, queue or traffic changed (B08).
    void setActivitySink(std::function<void(const ConnectionActivity &)> sink) { m_activitySink = std::move(sink); }

Q_SIGNALS:
    /// The session ended; every pending command has been failed with `reason`.
    void closed(const mailcore::Error &reason);

protected:
    /// I/O thread: makes the transport to `endpoint`, connects its signals to
    /// the three handlers below and opens it. The session is in its
    /// Connecting state before: a transport may be ready at once.
    void connectTransport(const Endpoint &endpoint);
    /// I/O thread: the transport is connected (or its TLS upgrade is done).
    virtual void onTransportReady() = 0;
    /// I/O thread: bytes arrived; takeReceived() has them.
    virtual void onReceived() = 0;
    /// I/O thread: ends the session with `error` (the transport failed, or the protocol).
    virtual void fail(const Error &error) = 0;
    /// I/O thread: stops listening to the transport and drops the connection at once.
    void abortTransport();
    /// I/O thread: writes to the server, counted for the monitor.
    void send(const QByteArray &bytes);
    /// I/O thread: what arrived, counted for the monitor.
    QByteArray takeReceived();
    /// A promise of an operation the session cannot run, ended at once.
    template <typename T>
    static void refuse(QPromise<T> &promise, const Error &error)
    {
        promise.setException(MailException(error));
        promise.finish();
    }

    std::unique_ptr<Transport> m_transport;
    mutable QByteArray m_commandBytes; ///< publishActivity(): the last command name published
    mutable QString m_commandName;     ///< the same as a QString

    /// I/O thread: tells the monitor the session's phase, the name of its
    /// oldest command on the wire and how many commands it holds, with the
    /// traffic counted so far.
    void publishActivity(ConnectionActivity::State phase, const QByteArray &command, int queueDepth) const;
    /// I/O thread: works out the session's activity and publishes it
    /// (publishActivity()); called after every change of state or queue.
    virtual void reportActivity() = 0;
    /// I/O thread: moves the session's `state` to `next`; when that is a
    /// change, `announce` tells the session's listeners (its stateChanged
    /// signal), then the monitor hears of it.
    template <typename State, typename Announce>
    void changeState(State &state, State next, Announce &&announce)
    {
        if (state == next)
            return;
        state = next;
        announce();
        reportActivity();
    }

private:
    void transportReceived();

    TransportFactory m_factory;
    bool m_readsHeld = false;
    quint64 m_holdSerial = 0; // tells a hold's expiry from a later hold's
    std::function<void(const ConnectionActivity &)> m_activitySink;
    quint64 m_bytesIn = 0;
    quint64 m_bytesOut = 0;
    qint64 m_lastActivityMs = 0;
};

/// The monitor's phase (B08) of the session states every protocol has by the
/// same name; nullopt for the protocol's own (logged in, idling, quitting).
template <typename SessionState>
std::optional<ConnectionActivity::State> sharedPhase(SessionState state)
{
    switch (state) {
    case SessionState::Disconnected:
    case SessionState::Connecting:
    case SessionState::AwaitingGreeting: return ConnectionActivity::State::Connecting;
    case SessionState::StartingTls:
    case SessionState::Authenticating: return ConnectionActivity::State::Authenticating;
    case SessionState::Closed: return ConnectionActivity::State::Closed;
    default: return std::nullopt;
    }
}

/// Whether the calling thread is the I/O thread of a protocol connection
/// (a SessionHost's): what must not wait for such a thread, a pool's
/// destruction among them, checks it.
MAILCORE_EXPORT bool inSessionThread();
/// Marks the calling thread as an I/O thread (SessionHost does it for its own).
MAILCORE_EXPORT void markSessionThread();

/// The I/O thread of one protocol connection, the same for IMAP, POP3 and
/// SMTP: it starts a QThread (below the main thread's priority), moves the
/// session into it, publishes the session's activity for other threads,
/// queues calls into it, and at the end shuts the session down and joins the
/// thread. The protocol connection classes are thin, thread-safe fronts on it.
class MAILCORE_EXPORT SessionHost
{
public:
    /// Owner's thread. Takes `session` (not started yet, no parent) into a new
    /// thread called `threadName`; the session is deleted in that thread.
    SessionHost(const QString &threadName, HostedSession *session);
    /// Owner's thread: fails whatever is pending with ErrorCode::Cancelled,
    /// closes at once, joins the thread. In the I/O thread itself (the last
    /// owner let go in a continuation of a reply): the same, but the thread
    /// ends after the current event and is joined by a thread of its own.
    ~SessionHost();
    SessionHost(const SessionHost &) = delete;
    SessionHost &operator=(const SessionHost &) = delete;

    /// Any thread: runs `call` in the I/O thread, after what was posted before.
    template <typename Call>
    void post(Call &&call) const
    {
        QMetaObject::invokeMethod(m_session, std::forward<Call>(call), Qt::QueuedConnection);
    }
    /// Any thread: a future that `call(promise)` completes in the I/O thread.
    template <typename T, typename Call>
    QFuture<T> call(Call &&call) const
    {
        auto promise = std::make_shared<QPromise<T>>();
        QFuture<T> future = promise->future();
        post([promise, call = std::forward<Call>(call)]() mutable { call(promise); });
        return future;
    }
    /// Any thread: goodbye() in the I/O thread.
    void close() const;
    /// Any thread: HostedSession::holdReads() in the I/O thread.
    void holdReads(bool held) const;

    /// Any thread: what the session reported last (B08).
    ConnectionActivity activity() const { return m_activity.current(); }
    /// Called in the I/O thread after every change of activity().
    void setActivityListener(std::function<void()> listener) { m_activity.setListener(std::move(listener)); }

private:
    QThread *m_thread;
    HostedSession *m_session;
    ActivityBoard m_activity;
};

} // namespace mailcore::net
