// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

#include "mailcore/base/connectionactivity.h"
#include "mailcore/mailcore_export.h"

namespace mailcore {

/// One connection of a client's pool, as the monitor (B08 in docs/POOL.md) shows it.
struct PoolConnectionInfo {
    /// What the pool uses a connection for (docs/POOL.md, "Roles of a
    /// connection"). roleName() gives display names.
    enum class Role {
        Main,        ///< S04: kept for the client's life; short work and synchronous calls
        Extra,       ///< S07: opened on demand for long work, kept idle for reuse (B04)
        ThreadBound, ///< S11: belongs to one thread, from createConnection()
        Push,        ///< B10: an IMAP connection of its own that sits in IDLE on a watched folder
    };
    /// What the pool thinks of it: Busy means handed to work (an extra or a
    /// lease), or the main connection with commands queued.
    using State = ConnectionActivity::State;
    int id = 0;                      ///< unique within the client, never reused
    Role role = Role::Main;          ///< what the pool uses it for
    State state = State::Connecting; ///< the pool's view (see State)
    QString folder;                  ///< selected folder, if any
    ConnectionActivity activity;     ///< what the connection itself reports
    qint64 openedAtMs = 0;           ///< when the pool started opening it (age)
    qint64 lastActivityMs = 0;       ///< its last use or its last byte, whichever is later
    /// Member by member.
    friend bool operator==(const PoolConnectionInfo &, const PoolConnectionInfo &) = default;
};

/// The whole pool at one moment.
struct PoolSnapshot {
    int limit = 0;           ///< maxConnectionsPerServer
    int loweredLimit = 0;    ///< B05: the limit the server imposed (refused a login); 0 if none
    int sharedBudget = 0;    ///< B09: the account budget this client shares with others; 0 if none
    int connectionCount = 0; ///< open or opening, main included (S02 in docs/POOL.md)
    int inUse = 0;           ///< busy extras and leases, plus the main connection when it has work
    int tasksWaiting = 0;    ///< tasks waiting for a connection (S08)
    int tasksRunning = 0;    ///< tasks holding a connection now
    /// Connections the running bulk fetches chose to use, together (each
    /// adapts its number to the throughput it measures, issue 15); 0 when none runs.
    int bulkWidth = 0;
    qint64 takenAtMs = 0;                  ///< QDateTime::currentMSecsSinceEpoch() when taken
    QList<PoolConnectionInfo> connections; ///< every connection counted in connectionCount
    /// Member by member.
    friend bool operator==(const PoolSnapshot &, const PoolSnapshot &) = default;
};

/// Display names, for logs and the Connections panel: "main", "extra",
/// "thread-bound", "IDLE" (Push).
MAILCORE_EXPORT QString roleName(PoolConnectionInfo::Role role);
/// Display names, for logs and the Connections panel: "connecting",
/// "authenticating", "idle", "busy", "IDLE" (Idling), "closing", "closed".
MAILCORE_EXPORT QString stateName(ConnectionActivity::State state);

} // namespace mailcore

Q_DECLARE_METATYPE(mailcore::PoolSnapshot)
