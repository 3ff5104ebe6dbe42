// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QDeadlineTimer>
#include <QObject>
#include <QString>

#include <chrono>
#include <functional>
#include <memory>

#include "mailcore/base/accountbudget.h"
#include "mailcore/base/endpoint.h"
#include "mailcore/base/error.h"
#include "mailcore/base/poolsnapshot.h"
#include "mailcore/client/connectionlease.h"
#include "mailcore/mailcore_export.h"

namespace mailcore {

namespace client {
class Engine;
}
namespace net {
class Transport;
}

/// The base of ImapClient, Pop3Client and SmtpClient: one server account
/// (endpoint, security, credentials) and the pool of connections to it. Any
/// number of threads may use one client at once (docs/POOL.md).
///
/// - Connects lazily, on the first operation (S03).
/// - maxConnectionsPerServer (default 10, S01) counts every connection, the
///   main one included (S02).
/// - Synchronous operations run on the calling thread's own connection if it
///   made one with createConnection() (S11), else on the main one (S10).
/// - Asynchronous operations return a QFuture at once and run as tasks on the
///   client's own QThreadPool (S09); long ones get an extra connection, short
///   ones the main one (S15).
class MAILCORE_EXPORT CredentialsByHostClient : public QObject
{
    Q_OBJECT

public:
    /// Makes the byte stream of each new connection (tests, tunnels); empty:
    /// a TLS-capable socket to the endpoint. net::Transport is not an installed
    /// header, so only code built with mailcore's sources can make one.
    using TransportFactory = std::function<std::unique_ptr<net::Transport>(const Endpoint &)>;

    ~CredentialsByHostClient() override; ///< dispose()

    /// The server, as given to the constructor.
    const Endpoint &endpoint() const;
    /// The login name, as given to the constructor.
    QString user() const;

    /// The most connections this client may have at once, every role counted (S01, S02).
    int maxConnectionsPerServer() const;
    /// S01: below 1 is refused with ErrorCode::BadArgument and the old value stays.
    Error setMaxConnectionsPerServer(int limit);
    /// How long an unused extra connection is kept for reuse (B04; default 60 s).
    void setExtraConnectionIdleTime(std::chrono::milliseconds idleTime);
    /// B09: share one limit with other clients of the same account (see
    /// AccountBudget). Set it before the first operation.
    void setSharedBudget(std::shared_ptr<AccountBudget> budget);
    /// S08: how long an operation may wait for a free connection before it
    /// fails with ErrorCode::Timeout (default: no limit; cancelling always works).
    void setConnectionWaitTimeout(std::chrono::milliseconds timeout);

    /// S11: blocks until the limit allows one more connection, opens it, and
    /// makes it the calling thread's connection for every later synchronous call.
    /// Refused on the thread that created the client (S12) and when the limit is 1 (S13).
    ConnectionLease createConnection(QDeadlineTimer deadline = QDeadlineTimer::Forever);

    /// S14: every queued and running operation ends as "cancelled", every
    /// connection is logged out and closed. Called by the destructor.
    void dispose();

    /// The pool as it is now (B08). Any thread.
    PoolSnapshot poolSnapshot() const;
    /// Shortest time between two poolChanged() signals (default 100 ms).
    void setMonitorInterval(std::chrono::milliseconds interval);

Q_SIGNALS:
    /// B08: the pool changed (a connection opened, got work, sent a command,
    /// closed; a task started waiting...). Emitted in the thread the client
    /// lives in, at most once per monitor interval however busy the pool is,
    /// so it is safe to connect to a GUI.
    void poolChanged(const mailcore::PoolSnapshot &snapshot);

protected:
    /// The derived clients make the engine with their protocol's connections.
    CredentialsByHostClient(std::unique_ptr<client::Engine> engine, QObject *parent);
    /// What runs the derived clients' operations. client::Engine is not an
    /// installed header: only mailcore's own clients derive from this class.
    client::Engine &engine() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace mailcore
