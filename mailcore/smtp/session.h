// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QObject>
#include <QPromise>
#include <QTimer>

#include <atomic>

#include <deque>
#include <functional>
#include <memory>
#include <optional>

#include "mailcore/base/connectionactivity.h"
#include "mailcore/net/sessionhost.h"
#include "mailcore/net/transport.h"
#include "mailcore/smtp/capabilities.h"
#include "mailcore/smtp/envelope.h"
#include "mailcore/smtp/parser.h"
#include "mailcore/smtp/preparedmessage.h"
#include "mailcore/smtp/recipients.h"

namespace mailcore::smtp {

/// One SMTP session: a transport, the protocol state machine and the queue of
/// mail transactions. Everything here runs in the connection's I/O thread;
/// SmtpConnection is the thread-safe handle other threads use.
///
/// Replies are matched to commands strictly in order (RFC 2920): every command
/// written pushes one expected reply with its handler. With PIPELINING a whole
/// transaction (MAIL, every RCPT, DATA) goes out in one write; without it, one
/// command at a time. Transactions run one after the other, FIFO.
class Session : public net::HostedSession
{
    Q_OBJECT

public:
    /// The I/O thread deletes it, after the host shut it down (net::SessionHost).
    Session(SessionSettings settings, net::TransportFactory factory);

    /// I/O thread. Connects, secures, authenticates (once; later calls wait for
    /// the same handshake). The promise gets the capabilities in effect.
    void open(std::shared_ptr<QPromise<Capabilities>> done);
    /// I/O thread. Queues one transaction; opens the session if nobody did.
    /// `payloadWritten`, when given, turns true just before the message's
    /// bytes go on the wire: from then on a failure leaves delivery unknown.
    void enqueueSend(PreparedMessage message, std::shared_ptr<QPromise<SendResult>> promise,
                     std::shared_ptr<std::atomic<bool>> payloadWritten = {});
    /// I/O thread. Queues QUIT after the transactions already queued.
    void enqueueQuit(std::shared_ptr<QPromise<void>> promise);
    /// I/O thread. Fails everything queued and in progress with `reason`, closes.
    void shutdown(const Error &reason) override;
    /// I/O thread. Fails everything pending with Cancelled and closes, saying
    /// QUIT first when the session is between transactions.
    void goodbye() override;

    /// Set before the session moves to its thread; called in the I/O thread
    /// after every change of what the monitor shows (B08 in docs/POOL.md).

    SessionState state() const { return m_state; }

Q_SIGNALS:
    void stateChanged(mailcore::smtp::SessionState state);

private:
    using ReplyHandler = std::function<void(const Reply &)>;
    struct Expected {
        QByteArray name; // for messages: "EHLO", "end of data"...
        ReplyHandler handle;
        std::chrono::milliseconds timeout; // silence allowed while this is the oldest
    };
    struct Job {
        std::optional<PreparedMessage> message; // empty for QUIT
        std::shared_ptr<QPromise<SendResult>> sendPromise;
        std::shared_ptr<QPromise<void>> quitPromise;
        std::shared_ptr<std::atomic<bool>> payloadWritten;
    };
    struct Transaction {
        PreparedMessage message;
        std::shared_ptr<QPromise<SendResult>> promise;
        SendResult result;
        Reply mailReply;
        bool payloadSent = false;                          // after this a failure leaves the delivery unknown
        std::shared_ptr<std::atomic<bool>> payloadWritten; // the caller's view of payloadSent
    };

    void setState(SessionState state);
    void reportActivity() override;
    void startConnecting();
    void onTransportReady() override;
    void onReceived() override;
    void handleReply(const Reply &reply);
    void restartTimer();

    void expect(QByteArray name, ReplyHandler handle, std::optional<std::chrono::milliseconds> timeout = {});
    void sendCommand(const Command &command, QByteArray name, ReplyHandler handle);

    // The handshake (session.cpp).
    void onGreeting(const Reply &reply);
    void sendHello(bool extended);
    void afterHello();
    void startTls();
    void authenticate();
    void onAuthResult(const Reply &reply);
    void becomeReady();

    // Transactions (transaction.cpp).
    void startNextJob();
    bool beginTransaction(Transaction transaction);
    void sendRcpt(qsizetype index);
    void afterRecipients();
    void onDataReply(const Reply &reply);
    void onFinalReply(const Reply &reply);
    void endTransaction(const Error &error, bool needsReset);
    Error refusedRecipientsError() const;
    bool hasAcceptedRecipient() const;
    void quit(std::shared_ptr<QPromise<void>> promise);

    void fail(const Error &error) override;
    /// A reply whose class makes no sense for its command: the connection is unusable.
    void protocolError(const Reply &reply, const QByteArray &command);

    SessionSettings m_settings;
    ReplyParser m_parser;
    Capabilities m_capabilities;
    SessionState m_state = SessionState::Disconnected;
    bool m_tlsGoAhead = false; // set on STARTTLS's 220: onReceived() starts the handshake
    std::deque<Expected> m_expected;
    std::deque<Job> m_jobs;
    std::optional<Transaction> m_current;
    QList<std::shared_ptr<QPromise<Capabilities>>> m_openPromises;
    std::shared_ptr<QPromise<void>> m_quitPromise; // QUIT sent, awaiting its reply
    QTimer m_replyTimer{this};                     // parented: it must move to the I/O thread with the session
    Error m_closeReason;
};

} // namespace mailcore::smtp
