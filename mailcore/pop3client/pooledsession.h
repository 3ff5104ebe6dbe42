// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Private to mailcore (not installed): a POP3 session as Pop3Client's pool sees it.

#include <atomic>
#include <memory>

#include "mailcore/pool/pooledconnection.h"
#include "mailcore/pop3/connection.h"
#include "mailcore/pop3client/pop3marks.h"

namespace mailcore::detail {

/// One Pop3Connection in the pool. Unlike pool::PooledConnectionOf, it knows
/// the client's maildrop: it counts itself among the open sessions once
/// logged in, and it is no longer usable for new work once a commit() ended
/// after its login began (its view of the maildrop is out of date); work
/// already on it finishes, and the pool replaces it on next need.
class PooledPop3Session final : public pool::PooledConnection
{
public:
    PooledPop3Session(pop3::SessionSettings settings, net::TransportFactory transports,
                      std::shared_ptr<Pop3Maildrop> maildrop);
    ~PooledPop3Session() override;

    QFuture<void> open() override;
    bool isUsable() const override;
    void close() override;
    ConnectionActivity activity() const override { return m_connection.activity(); }
    void setActivityListener(std::function<void()> listener) override
    {
        m_connection.setActivityListener(std::move(listener));
    }

    pop3::Pop3Connection &connection() { return m_connection; }
    /// Tells sessions apart: deletions belong to the session that marked them.
    quint64 serial() const { return m_serial; }

private:
    void uncount();

    std::shared_ptr<Pop3Maildrop> m_maildrop;
    const quint64 m_commitsAtLogin; // commits ended before its login began
    std::shared_ptr<std::atomic<bool>> m_counted = std::make_shared<std::atomic<bool>>(false); // in sessionsOpen
    static inline std::atomic<quint64> s_nextSerial{1};
    const quint64 m_serial = s_nextSerial++;
    pop3::Pop3Connection m_connection; // last: its I/O thread stops before the members above go
};

/// The POP3 connection of a pooled one made by Pop3Client.
inline pop3::Pop3Connection &pop3Of(pool::PooledConnection &c)
{
    return static_cast<PooledPop3Session &>(c).connection();
}

} // namespace mailcore::detail
