// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QFuture>
#include <QObject>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>

#include "mailcore/mailcore_export.h"
#include "mailcore/net/ownersignals.h"
#include "mailcore/net/sessionhost.h"
#include "mailcore/smtp/capabilities.h"
#include "mailcore/smtp/envelope.h"
#include "mailcore/smtp/recipients.h"

class QThread;

namespace mailcore::net {
class Transport;
}

namespace mailcore::smtp {

class Session;

/// One SMTP connection: its own I/O thread (with an event loop) in which the
/// socket and the session live, and a thread-safe front: any thread may call
/// open(), send() and quit(); results come back as QFutures, errors as
/// mailcore::MailException. Messages from all callers are sent one transaction
/// after the other in FIFO order; none is refused as "busy".
///
/// Security: with Security::StartTls the upgrade is required (no STARTTLS
/// offered, or refused, is ErrorCode::Tls before any credential is sent); the
/// password is never logged nor put in an error text.
class MAILCORE_EXPORT SmtpConnection : public net::OwnerSignals
{
    Q_OBJECT

public:
    using TransportFactory = net::TransportFactory;

    /// Any thread. `factory` makes the transport inside the I/O thread; by
    /// default the real QSslSocket transport. Nothing connects before open() or send().
    explicit SmtpConnection(SessionSettings settings, TransportFactory factory = {}, QObject *parent = nullptr);
    /// The owner's thread (never the I/O thread). Fails whatever is pending with
    /// ErrorCode::Cancelled, closes at once without QUIT (call quit() first for
    /// a polite goodbye), joins the thread.
    ~SmtpConnection() override;

    /// Any thread. Greeting, EHLO, STARTTLS when required, EHLO again, AUTH.
    /// Gives the capabilities in effect (after TLS).
    QFuture<Capabilities> open();
    /// Any thread. Queues one message; opens the connection first if needed.
    /// The result names every recipient the server refused while the others got
    /// the message. Fails (MailException) when nothing was delivered: bad
    /// argument or too large (before sending), every recipient refused, the
    /// message refused, or the connection lost. A message is never re-sent.
    /// `payloadWritten`, when given, turns true (in the I/O thread) just
    /// before the message's bytes are written: a failure before that left
    /// nothing at the server, so a pool may send the message again on another
    /// connection (B06 in docs/POOL.md); after it, never.
    QFuture<SendResult> send(const Envelope &envelope, std::shared_ptr<std::atomic<bool>> payloadWritten = {});
    /// Any thread. QUIT after the messages already queued, then closes.
    /// Later calls fail at once.
    QFuture<void> quit();

    /// Any thread. Fails everything pending with ErrorCode::Cancelled and
    /// closes at once, saying QUIT first when no transaction is in progress.
    void close();

    /// Any thread: the last state the session reported.
    SessionState state() const;
    /// Any thread: false once QUIT was sent or the session closed.
    bool isUsable() const { return state() != SessionState::Quitting && state() != SessionState::Closed; }
    /// Any thread: what the connection is doing, for the pool monitor (B08).
    ConnectionActivity activity() const;
    /// Called in the I/O thread after every change of activity(); set before open().
    void setActivityListener(std::function<void()> listener);

Q_SIGNALS:
    void stateChanged(mailcore::smtp::SessionState state);
    /// The session ended (an error, quit() or destruction).
    void closed(const mailcore::Error &reason);

private:
    Session *m_session; // lives in the host's I/O thread; deleted there
    std::atomic<SessionState> m_state{SessionState::Disconnected};
    net::SessionHost m_host; // last: stops the I/O thread before the members above go
};

} // namespace mailcore::smtp
