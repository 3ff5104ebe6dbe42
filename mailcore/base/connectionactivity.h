// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QString>

namespace mailcore {

/// What one connection is doing, as its protocol layer reports it (docs/POOL.md
/// B08). Filled by each protocol connection (IMAP, POP3, SMTP); the pool
/// adds role and id.
struct ConnectionActivity {
    enum class State {
        Connecting,     ///< TCP/TLS handshake, greeting
        Authenticating, ///< STARTTLS, capabilities, login
        Idle,           ///< logged in, nothing queued
        Busy,           ///< commands queued or on the wire
        Idling,         ///< IMAP IDLE: waiting for the server to push (B10)
        Closing,        ///< logging out
        Closed,
    };
    State state = State::Connecting;
    QString command;     ///< name of the oldest command on the wire ("UID FETCH"); never arguments
    int queueDepth = 0;  ///< commands waiting plus commands on the wire
    quint64 bytesIn = 0; ///< since the connection was opened
    quint64 bytesOut = 0;
    qint64 lastActivityMs = 0; ///< QDateTime::currentMSecsSinceEpoch() of the last byte either way
    friend bool operator==(const ConnectionActivity &, const ConnectionActivity &) = default;
};

} // namespace mailcore
