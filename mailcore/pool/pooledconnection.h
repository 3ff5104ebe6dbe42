#pragma once

#include <QFuture>
#include <QString>

#include <functional>

#include "mailcore/base/poolsnapshot.h"

namespace mailcore::pool {

/// What the pool needs of one protocol connection (IMAP, POP3, SMTP). The
/// connection itself is thread-safe and owns its I/O thread; the pool only
/// decides who may use it.
class PooledConnection
{
public:
    virtual ~PooledConnection() = default;
    /// Connect and authenticate; the future ends when usable or failed.
    virtual QFuture<void> open() = 0;
    /// False once the connection has closed for any reason (it is then replaced).
    virtual bool isUsable() const = 0;
    /// The folder the connection has selected, for affinity (pool spec B01); empty if none.
    virtual QString selectedFolder() const { return {}; }
    /// Ends everything pending with ErrorCode::Cancelled, says goodbye to the
    /// server (LOGOUT, QUIT) without waiting for its answer, and closes. Any thread.
    virtual void close() = 0;
    /// What it is doing now, for the monitor (B08). Any thread.
    virtual ConnectionActivity activity() const { return {}; }
    /// Called (on any thread) whenever activity() may have changed; the pool
    /// coalesces these before anyone is told. Set once, before open().
    virtual void setActivityListener(std::function<void()> listener) { (void)listener; }
};

} // namespace mailcore::pool
