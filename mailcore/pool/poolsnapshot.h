#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

namespace mailcore {

/// One connection of a client's pool, as the monitor (pool spec B08) shows it.
struct PoolConnectionInfo {
    enum class Role { Main, Extra, ThreadBound };
    enum class State { Connecting, Idle, Busy };
    int id = 0;        ///< unique within the client, never reused
    Role role = Role::Main;
    State state = State::Connecting;
    QString folder;    ///< selected folder, if any
    qint64 lastActivityMs = 0; ///< QDateTime::currentMSecsSinceEpoch() of its last use
    friend bool operator==(const PoolConnectionInfo &, const PoolConnectionInfo &) = default;
};

/// The whole pool at one moment.
struct PoolSnapshot {
    int limit = 0;              ///< maxConnectionsPerServer
    int loweredLimit = 0;       ///< B05: the limit the server imposed (refused a login); 0 if none
    int connectionCount = 0;    ///< open or opening, main included (pool spec S02)
    int inUse = 0;              ///< busy extras and leases, plus the main connection when it has work
    int tasksWaiting = 0;       ///< tasks waiting for a connection (S08)
    QList<PoolConnectionInfo> connections;
};

} // namespace mailcore
