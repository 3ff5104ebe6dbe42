// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QFuture>
#include <QString>

#include <atomic>
#include <functional>
#include <utility>

#include "mailcore/base/connectionactivity.h"

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
    /// The folder the connection has selected, for affinity (B01 in docs/POOL.md); empty if none.
    virtual QString selectedFolder() const { return {}; }
    /// Ends everything pending with ErrorCode::Cancelled, says goodbye to the
    /// server (LOGOUT, QUIT) without waiting for its answer, and closes. Any thread.
    virtual void close() = 0;
    /// What it is doing now, for the monitor (B08). Any thread.
    virtual ConnectionActivity activity() const { return {}; }
    /// Called (on any thread) whenever activity() may have changed; the pool
    /// coalesces these before anyone is told. Set once, before open().
    virtual void setActivityListener(std::function<void()> listener) { (void)listener; }
    /// An interactive operation holds this (shared) connection from
    /// beginInteractive() to endInteractive(): the background commands of bulk
    /// work queued on it wait meanwhile (issue 15's lanes). Any thread; a
    /// protocol without background commands ignores it.
    virtual void beginInteractive() { }
    virtual void endInteractive() { }
    /// Any thread: stop reading (held) or read again, see
    /// net::HostedSession::holdReads(). A protocol that cannot ignores it.
    virtual void holdReads(bool held) { (void)held; }
};

/// Any protocol connection (ImapConnection, Pop3Connection, SmtpConnection)
/// as the pool sees it: the one adapter for the three. The protocol
/// connection says itself whether it is usable; an IMAP one also which folder
/// it has selected (B01).
template <typename ProtocolConnection>
class PooledConnectionOf final : public PooledConnection
{
public:
    template <typename... Args>
    explicit PooledConnectionOf(Args &&...args)
        : m_connection(std::forward<Args>(args)...)
    {
    }
    QFuture<void> open() override { return QFuture<void>(m_connection.open()); }
    bool isUsable() const override { return m_connection.isUsable(); }
    QString selectedFolder() const override
    {
        if constexpr (requires { m_connection.selectedMailbox(); })
            return m_connection.selectedMailbox();
        else
            return {};
    }
    void close() override { m_connection.close(); }
    ConnectionActivity activity() const override { return m_connection.activity(); }
    void setActivityListener(std::function<void()> listener) override
    {
        m_connection.setActivityListener(std::move(listener));
    }
    void beginInteractive() override
    {
        if constexpr (requires { m_connection.beginInteractive(); })
            m_connection.beginInteractive();
    }
    void endInteractive() override
    {
        if constexpr (requires { m_connection.endInteractive(); })
            m_connection.endInteractive();
    }
    void holdReads(bool held) override
    {
        if constexpr (requires { m_connection.holdReads(held); })
            m_connection.holdReads(held);
    }
    ProtocolConnection &connection() { return m_connection; }
    /// Tells sessions apart: a new connection, a new serial (POP3's
    /// deletions belong to the session that marked them).
    quint64 serial() const { return m_serial; }

private:
    static inline std::atomic<quint64> s_nextSerial{1};
    ProtocolConnection m_connection;
    const quint64 m_serial = s_nextSerial++;
};

/// The protocol connection behind a pooled one made as PooledConnectionOf<ProtocolConnection>.
template <typename ProtocolConnection>
ProtocolConnection &protocolOf(PooledConnection &pooled)
{
    return static_cast<PooledConnectionOf<ProtocolConnection> &>(pooled).connection();
}

} // namespace mailcore::pool
