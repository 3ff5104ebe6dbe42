// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/pop3client/pooledsession.h"

namespace mailcore::detail {

PooledPop3Session::PooledPop3Session(pop3::SessionSettings settings, net::TransportFactory transports,
                                     std::shared_ptr<Pop3Maildrop> maildrop)
    : m_maildrop(std::move(maildrop))
    , m_commitsAtLogin(m_maildrop->commits)
    , m_connection(std::move(settings), std::move(transports))
{
}

PooledPop3Session::~PooledPop3Session() { uncount(); }

QFuture<void> PooledPop3Session::open()
{
    // Counted in the I/O thread once logged in; the flag and the maildrop are
    // shared, so the continuation never touches this object.
    return m_connection.open().then(QtFuture::Launch::Sync, [counted = m_counted, maildrop = m_maildrop] {
        if (!counted->exchange(true))
            ++maildrop->sessionsOpen;
    });
}

bool PooledPop3Session::isUsable() const { return m_connection.isUsable() && m_maildrop->commits == m_commitsAtLogin; }

void PooledPop3Session::close()
{
    uncount();
    m_connection.close();
}

void PooledPop3Session::uncount()
{
    if (m_counted->exchange(false))
        --m_maildrop->sessionsOpen;
}

} // namespace mailcore::detail
