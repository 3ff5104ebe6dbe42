// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QString>

#include <chrono>

#include "mailcore/base/endpoint.h"
#include "mailcore/pop3/parser.h"

// Value types shared by the POP3 session (I/O thread) and its thread-safe
// handle, Pop3Connection.
namespace mailcore::pop3 {

enum class SessionState {
    Disconnected,
    Connecting,
    AwaitingGreeting,
    StartingTls,
    Authenticating, ///< CAPA, USER/PASS or AUTH, and the first UIDL
    Transaction,    ///< logged in; user commands run
    Quitting,       ///< QUIT sent
    Closed,         ///< failed, quit or shut down; every later command fails at once
};

struct SessionSettings {
    Endpoint endpoint;
    QString user;
    QString password; ///< handed to the server only; never logged, never in an error text
    /// Commands on the wire at once when the server offers PIPELINING (RFC 2449).
    /// Bounded so that a slow reader cannot make the server buffer without end.
    int pipelineWindow = 8;
    /// How long the password may go unanswered before the login counts as
    /// refused for a locked maildrop (ErrorCode::Limit); zero: only the command
    /// timeout. A server that locks the maildrop per session (RFC 1939 §8;
    /// Dovecot's pop3_lock_session) makes a second session's login wait for the
    /// first one to end, then says [IN-USE]; a pooled client sets this for
    /// logins made while another of its sessions is open, so that it learns of
    /// the lock at once (B05 in docs/POOL.md) instead of after the server's wait.
    std::chrono::milliseconds lockWait{0};
    ReplyLimits limits;
};

/// One message of the maildrop as LIST and UIDL describe it.
struct MessageInfo {
    QByteArray uid;  ///< the server's unique id (UIDL); how every command names a message
    qint64 size = 0; ///< octets as the server counts them (CR LF line ends)
    friend bool operator==(const MessageInfo &, const MessageInfo &) = default;
};

} // namespace mailcore::pop3
