// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QString>

namespace mailcore {

/// What one connection is doing, as its protocol layer reports it (docs/POOL.md
/// B08). Filled by each protocol connection (IMAP, POP3, SMTP); the pool
/// adds role and id.
struct ConnectionActivity {
    /// Where a connection is in its life. stateName() gives display names.
    enum class State {
        Connecting,     ///< TCP/TLS handshake, greeting
        Authenticating, ///< STARTTLS, capabilities, login
        Idle,           ///< logged in, nothing queued
        Busy,           ///< commands queued or on the wire
        Idling,         ///< IMAP IDLE: waiting for the server to push (B10)
        Closing,        ///< logging out
        Closed,         ///< gone: logged out, dropped or failed
    };
    State state = State::Connecting; ///< as the connection sees it (the pool's view: PoolConnectionInfo::state)
    QString command;                 ///< name of the oldest command on the wire ("UID FETCH"); never arguments
    int queueDepth = 0;              ///< commands waiting plus commands on the wire
    quint64 bytesIn = 0;             ///< received, since the connection was opened
    quint64 bytesOut = 0;            ///< sent, since the connection was opened
    qint64 lastActivityMs = 0;       ///< QDateTime::currentMSecsSinceEpoch() of the last byte either way
    /// Member by member.
    friend bool operator==(const ConnectionActivity &, const ConnectionActivity &) = default;
};

} // namespace mailcore
