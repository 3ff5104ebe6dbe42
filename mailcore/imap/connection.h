// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QFuture>
#include <QObject>

#include <memory>
#include <mutex>

#include "mailcore/imap/request.h"
#include "mailcore/mailcore_export.h"
#include "mailcore/net/ownersignals.h"
#include "mailcore/net/sessionhost.h"

class QThread;

namespace mailcore::net {
class Transport;
}

namespace mailcore::imap {

class Session;

/// One IMAP connection: its own I/O thread (with an event loop) in which the
/// socket and the session live, and a thread-safe front: any thread may call
/// open() and execute(); results come back as QFutures, server events as queued
/// signals (posted only while connected: see net::OwnerSignals). Commands from all callers are queued in FIFO order and
/// pipelined; none is ever refused as "busy" (S05 in docs/POOL.md, B02).
class MAILCORE_EXPORT ImapConnection : public net::OwnerSignals
{
    Q_OBJECT

public:
    using TransportFactory = net::TransportFactory;

    /// `factory` makes the transport inside the I/O thread; by default the
    /// real QSslSocket transport.
    explicit ImapConnection(SessionSettings settings, TransportFactory factory = {}, QObject *parent = nullptr);
    /// Fails whatever is pending with ErrorCode::Cancelled, closes, joins the thread.
    ~ImapConnection() override;

    /// Any thread. Connects, upgrades (STARTTLS when required), authenticates.
    QFuture<void> open();
    /// Any thread. Queues one command.
    QFuture<CommandResult> execute(Request request);
    /// Any thread. Logs out politely (waiting for the server's answer), then closes.
    QFuture<void> logout();
    /// Any thread. Fails everything pending with ErrorCode::Cancelled, sends
    /// LOGOUT without waiting, closes. For disposal.
    void close();
    /// Any thread. Starts IDLE on the selected mailbox: changes arrive as
    /// unsolicited() until done() or the next queued command ends it; the
    /// future finishes then, with what the server pushed meanwhile.
    QFuture<CommandResult> idle();
    /// Any thread. Ends IDLE; harmless when not idling.
    void done();
    /// Any thread. Marks an interactive operation holding this connection
    /// until endInteractive(): background commands (Request::background)
    /// queued meanwhile wait for its end (issue 15's lanes).
    void beginInteractive();
    void endInteractive();
    /// Any thread: net::HostedSession::holdReads() (bulk work while a click
    /// runs on another connection).
    void holdReads(bool held) { m_host.holdReads(held); }
    /// Any thread: the mailbox selected now (empty when none).
    QString selectedMailbox() const;
    /// Any thread: the capabilities the server announced last (after login).
    CapabilityData capabilities() const;
    /// Any thread: the extensions the server ENABLED on this connection (RFC
    /// 5161; SessionSettings::enable asks for them at login). With QRESYNC
    /// the server reports expunges as VANISHED, never EXPUNGE.
    CapabilityData enabled() const;

    /// Any thread: the last state the session reported.
    SessionState state() const;
    /// Any thread: false once the session has closed for any reason.
    bool isUsable() const { return state() != SessionState::Closed; }
    /// Any thread: state, command in flight, queue depth, traffic (B08 in docs/POOL.md).
    ConnectionActivity activity() const;
    /// Called in the I/O thread after every change of activity(); set before open().
    void setActivityListener(std::function<void()> listener);
    /// Called in the I/O thread for each unsolicited response, as well as the
    /// unsolicited() signal: for owners that live in a thread without an event
    /// loop (a pool). Any thread, any time (a folder watch sets it late).
    void setEventListener(std::function<void(const Response &)> listener);

Q_SIGNALS:
    void unsolicited(const mailcore::imap::Response &response);
    void stateChanged(mailcore::imap::SessionState state, const QString &selectedMailbox);
    void closed(const mailcore::Error &reason);

private:
    Session *m_session; // lives in the host's I/O thread; deleted there
    std::atomic<SessionState> m_state{SessionState::Disconnected};
    mutable std::mutex m_mutex;    // guards the four below
    CapabilityData m_capabilities; // mirrored from the session in the I/O thread
    CapabilityData m_enabled;      // likewise
    QString m_selectedMailbox;
    std::function<void(const Response &)> m_eventListener;
    net::SessionHost m_host; // last: stops the I/O thread before the members above go
};

} // namespace mailcore::imap
