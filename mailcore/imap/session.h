// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QObject>
#include <QPromise>
#include <QTimer>

#include <deque>
#include <functional>
#include <memory>
#include <optional>

#include "mailcore/base/connectionactivity.h"
#include "mailcore/imap/parser.h"
#include "mailcore/imap/request.h"
#include "mailcore/imap/serializer.h"
#include "mailcore/net/sessionhost.h"
#include "mailcore/net/transport.h"

namespace mailcore::imap {

/// One IMAP session: a transport, the protocol state machine and the command
/// queue. Everything here runs in the connection's I/O thread; ImapConnection is
/// the thread-safe handle other threads use.
///
/// Commands are pipelined: up to `pipelineWindow` independent commands are on the
/// wire at once (B02 in docs/POOL.md). A barrier command (SELECT, STARTTLS, IDLE,
/// AUTHENTICATE, LOGIN, LOGOUT...) is sent only when nothing else is in flight,
/// and nothing is sent after it until it completes.
class Session : public net::HostedSession
{
    Q_OBJECT

public:
    /// The I/O thread deletes it, after the host shut it down (net::SessionHost).
    Session(SessionSettings settings, net::TransportFactory factory);

    /// I/O thread. Connects, secures and authenticates; the promise ends when
    /// the session is authenticated or has failed.
    void open(std::shared_ptr<QPromise<void>> done);
    /// I/O thread. Queues a command; its promise gets the result.
    void enqueue(Request request, std::shared_ptr<QPromise<CommandResult>> promise);
    /// I/O thread. Ends IDLE (sends DONE) if the session is idling.
    void done();
    /// I/O thread. An interactive operation holds the connection from
    /// beginInteractive() to endInteractive(): its commands, sent one after
    /// another, are not interleaved with background ones (Request::background).
    void beginInteractive();
    void endInteractive();
    /// I/O thread. Fails everything pending with ErrorCode::Cancelled, sends
    /// LOGOUT without waiting for the answer, and closes.
    void goodbye() override;
    /// I/O thread. Fails everything queued and in flight with `reason`, closes.
    void shutdown(const Error &reason) override;

    SessionState state() const { return m_state; }
    /// The mailbox SELECT/EXAMINE chose last (empty when none).
    QString selectedMailbox() const { return m_selectedMailbox; }
    const CapabilityData &capabilities() const { return m_capabilities; }
    /// The extensions the server said it ENABLED on this session (RFC 5161):
    /// those of SessionSettings::enable, and any a command enabled since.
    const CapabilityData &enabled() const { return m_enabled; }

Q_SIGNALS:
    /// Untagged data no command asked for (EXISTS, EXPUNGE, FLAGS changes...).
    void unsolicited(const mailcore::imap::Response &response);
    void stateChanged(mailcore::imap::SessionState state, const QString &selectedMailbox);
    /// The server enabled more extensions; `all` is every one enabled so far.
    void extensionsEnabled(const mailcore::imap::CapabilityData &all);

private:
    struct Pending {
        Request request;
        QByteArray tag;
        Command command;
        qsizetype nextPiece = 0;
        CommandResult result;
        std::shared_ptr<QPromise<CommandResult>> promise;
        std::function<void(const CommandResult &, const Error &)> internalDone; // handshake steps
        quint64 queuedAt = 0;                                                   // m_queueCounter when it was queued
        quint64 sentAt = 0; // m_queueCounter when it went on the wire
    };

    void setState(SessionState state);
    void setAuthenticatedState();
    void onTransportReady() override;
    void onReceived() override;
    void handle(const Response &response);
    void handleGreeting(const Response &response);
    void handleTagged(const Response &response);
    void handleContinuation(const Response &response);
    void routeUntagged(const Response &response);
    void pump();
    /// Whether a background command must wait for interactive work.
    bool interactiveWorkWaits() const;
    void restartIdleTimer();
    void selectFor(const QString &mailbox);
    /// Whether `pending` names a UID its mailbox's view may not hold yet (see
    /// Request::highestUid): the view dates from before it was queued and
    /// does not reach that far.
    bool viewMayLack(const Pending &pending) const;
    /// Queues a NOOP at the head that syncs the selected mailbox's view: it
    /// then holds every message that existed when the NOOP was sent.
    void syncView();
    void sendNextPiece(Pending &pending);
    void complete(Pending pending, const StatusResponse &status);

    void runInternal(Request request, std::function<void(const CommandResult &, const Error &)> then);
    void afterGreeting();
    void startTlsUpgrade();
    void authenticate();
    void enableExtensions();
    void noteEnabled(const EnabledData &enabled);
    void finishOpen();
    void fail(const Error &error) override;
    void reportActivity() override;
    void adoptCapabilities(const ResponseCode &code);

    SessionSettings m_settings;
    ResponseParser m_parser;
    CommandBuilder m_builder;
    QByteArray m_buffer;
    SessionState m_state = SessionState::Disconnected;
    QString m_selectedMailbox;
    quint32 m_selectedUidValidity = 0; // what the SELECT of m_selectedMailbox said; 0: not said
    // The session's view of the selected mailbox holds every message below
    // m_viewUidNext (the SELECT's UIDNEXT, or above a UID the server reported
    // in it: UIDs only ascend, so every message added later has a higher one),
    // and every message that existed when the queue counter was m_viewAsOf
    // (the SELECT or the syncing NOOP went on the wire then).
    quint32 m_viewUidNext = 0;
    quint64 m_viewAsOf = 0;
    quint64 m_queueCounter = 0; // counts commands queued, for queuedAt and sentAt
    CapabilityData m_capabilities;
    bool m_capabilitiesKnown = false;
    CapabilityData m_enabled;           // what ENABLED answers named, for the whole session
    bool m_discardRestOfBuffer = false; // set when STARTTLS is accepted
    bool m_doneSent = false;            // DONE is on the wire, IDLE's OK not yet back
    quint64 m_tagCounter = 0;
    int m_interactiveOperations = 0; // beginInteractive() not yet ended
    std::deque<Pending> m_queue;     // waiting to be sent
    std::deque<Pending> m_inFlight;  // sent, awaiting their tagged reply
    std::shared_ptr<QPromise<void>> m_openPromise;
    QTimer m_greetingTimer{this}; // parented: they must move to the I/O thread with the session
    QTimer m_commandTimer{this};
    QTimer m_idleTimer{this}; // a quiet connection is closed (or its IDLE renewed) after timeouts.idle
    Error m_closeReason;
};

} // namespace mailcore::imap
