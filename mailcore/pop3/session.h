// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QHash>
#include <QMap>
#include <QObject>
#include <QPromise>
#include <QTimer>

#include <deque>
#include <functional>
#include <memory>

#include "mailcore/base/connectionactivity.h"
#include "mailcore/net/sessionhost.h"
#include "mailcore/net/transport.h"
#include "mailcore/pop3/commands.h"
#include "mailcore/pop3/parser.h"
#include "mailcore/pop3/responses.h"
#include "mailcore/pop3/sessiontypes.h"

namespace mailcore::pop3 {

/// The session's view of the maildrop: UIDL id <-> message number. Numbers and
/// ids are fixed for the life of a POP3 session (RFC 1939 §6/§7), so one UIDL
/// after login is enough. A later UIDL is merged, never replaces: it omits
/// messages marked deleted, which RSET brings back under the same numbers.
struct UidMap {
    QHash<QByteArray, int> numbers;
    QMap<int, QByteArray> uids;

    /// Adds a UIDL listing; a number or id that changed meaning is a Protocol error.
    Error merge(const QMap<int, QByteArray> &byNumber);
};

/// One queued command and what to do with its reply. Made by Pop3Connection in
/// the caller's thread, then owned and run by the session in the I/O thread;
/// every callback runs in the I/O thread, exactly one of done/failed runs once.
struct Operation {
    /// Builds the command when it is about to be sent, so UIDs are translated
    /// with the newest map. An error (NotFound, BadArgument) fails the operation
    /// without sending anything.
    std::function<Result<Command>(const UidMap &)> build;
    /// Alone on the wire: nothing else is sent while it is in flight (STLS,
    /// AUTH, USER, PASS, QUIT and the handshake's CAPA and UIDL).
    bool barrier = false;
    /// Part of the handshake: sent before the session reaches Transaction.
    bool internal = false;
    /// A +OK to this command is a full UIDL listing that replaces the map.
    bool refreshesUidMap = false;
    /// QUIT: the session ends once it is answered.
    bool quits = false;
    /// DELE / RSET: a +OK marks a message deleted / unmarks every one. The
    /// session remembers whether anything is marked, so that goodbye() never
    /// sends the QUIT that would delete it.
    bool marksDeleted = false;
    bool unmarksAll = false;
    /// Streamed RETR only: the next piece of message data. Returning an error
    /// stops delivery; the rest of the message is still read (and dropped) so
    /// the connection stays usable, and the operation fails with that error.
    std::function<Error(const QByteArray &)> chunk;
    /// The complete reply (+OK or -ERR); for a streamed RETR, its status line,
    /// once the data has ended. Returns an error only when the reply was
    /// malformed (Protocol): the session then closes, as for any garbage.
    std::function<Error(const Reply &, const UidMap &)> done;
    /// Could not be built, or the session ended first.
    std::function<void(const Error &)> failed;
};

/// One POP3 session: a transport, the protocol state machine, the UIDL map and
/// the command queue. Everything here runs in the connection's I/O thread
/// (asserted); Pop3Connection is the thread-safe handle other threads use.
///
/// POP3 has no tags: replies come in sending order, so the oldest command in
/// flight owns the next reply. With PIPELINING up to `pipelineWindow`
/// commands are on the wire; without it, one at a time.
class Session : public net::HostedSession
{
    Q_OBJECT

public:
    /// The I/O thread deletes it, after the host shut it down (net::SessionHost).
    Session(SessionSettings settings, net::TransportFactory factory);

    /// I/O thread. Connects, secures, authenticates and loads the UIDL map;
    /// the promise ends in Transaction state or with the error.
    void open(std::shared_ptr<QPromise<void>> done);
    /// I/O thread. Queues a command (fails it at once when the session is closed).
    void enqueue(Operation operation);
    /// I/O thread. Fails everything queued and in flight with `reason`, closes.
    void shutdown(const Error &reason) override;
    /// I/O thread. Fails everything pending with Cancelled and closes; says
    /// QUIT first only when no message is marked deleted, because QUIT is what
    /// deletes them (RFC 1939 §6): without it the server keeps every message.
    void goodbye() override;

    /// I/O thread.
    SessionState state() const { return m_state; }

Q_SIGNALS:
    void stateChanged(mailcore::pop3::SessionState state);
    /// Capabilities as last read (again after TLS).
    void capabilitiesChanged(const mailcore::pop3::Capabilities &capabilities);

private:
    struct Pending {
        Operation op;
        Command command;
        Reply status;    // streamed RETR: its +OK line, kept until the data ends
        Error sinkError; // streamed RETR: the sink refused; the rest is drained
        bool streaming = false;
        bool continuationSent = false; // AUTH PLAIN: response sent after "+"
    };

    void setState(SessionState state);
    void reportActivity() override;
    void onTransportReady() override;
    void onReceived() override;
    void handleReply(const Reply &reply);
    void handleGreeting(const Reply &reply);
    void handleChunk(const QByteArray &data);
    void handleDataEnd();
    void complete(Pending pending, const Reply &reply);
    void pump();

    void runInternal(Operation operation);
    void runInternal(std::function<Result<Command>()> build, std::function<void(const Reply &)> then);
    void readCapabilities(std::function<void()> then);
    void secureOrAuthenticate();
    void startTlsUpgrade();
    void authenticate();
    void loadUidMap();
    void fail(const Error &error) override;

    SessionSettings m_settings;
    ReplyParser m_parser;
    SessionState m_state = SessionState::Disconnected;
    Capabilities m_capabilities;
    UidMap m_uids;
    bool m_upgradeNow = false;      // STLS accepted: stop parsing, start the handshake
    bool m_tlsHandshake = false;    // between STLS's +OK and the transport's ready()
    std::deque<Pending> m_queue;    // waiting to be sent
    std::deque<Pending> m_inFlight; // sent, awaiting their reply, oldest first
    std::shared_ptr<QPromise<void>> m_openPromise;
    QTimer m_greetingTimer{this}; // parented: they move to the I/O thread with the session
    QTimer m_commandTimer{this};
    QTimer m_lockTimer{this}; // the password's answer, when SessionSettings::lockWait is set
    Error m_closeReason;
    bool m_deletionsMarked = false; // a DELE got +OK and no RSET followed
};

} // namespace mailcore::pop3
