// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>

#include "mailcore/base/endpoint.h"
#include "mailcore/net/ssltransport.h"
#include "support/scriptedserver.h"

namespace tandem::test {

/// For a client that connects more than once (a pool that reconnects after a
/// drop), where a ScriptedServer plays one connection: the client's first
/// connection goes to `first`, later ones to `second` (to port 0 when there is
/// none: connecting there fails, and opened() still counts it).
class TwoServers
{
public:
    using TransportFactory = std::function<std::unique_ptr<mailcore::net::Transport>(const mailcore::Endpoint &)>;

    /// The servers must have been started (their ports are read here).
    explicit TwoServers(ScriptedServer &first, ScriptedServer *second = nullptr)
        : m_servers{&first, second}
        , m_endpoint(first.endpoint(mailcore::Security::Plain))
        , m_ports{first.port(), second ? second->port() : quint16(0)}
    {
    }
    /// The endpoint to give the client: plain text, 5 s timeouts.
    const mailcore::Endpoint &endpoint() const { return m_endpoint; }
    /// The transport factory to give the client.
    TransportFactory factory()
    {
        return [this](const mailcore::Endpoint &endpoint) {
            mailcore::Endpoint to = endpoint;
            to.port = m_ports[std::min(m_opened++, 1)];
            return std::make_unique<mailcore::net::SslTransport>(to);
        };
    }
    /// Connections the client made so far.
    int opened() const { return m_opened; }
    /// Both scripts ended without a failure (ScriptedServer::waitDone()).
    bool waitDone()
    {
        const bool first = m_servers[0]->waitDone();
        return (!m_servers[1] || m_servers[1]->waitDone()) && first;
    }
    /// Both servers' failures, for QVERIFY2 messages.
    QString failureText() const
    {
        return m_servers[0]->failureText()
            + (m_servers[1] ? QLatin1Char('\n') + m_servers[1]->failureText() : QString());
    }

private:
    ScriptedServer *m_servers[2];
    mailcore::Endpoint m_endpoint;
    quint16 m_ports[2];
    std::atomic<int> m_opened{0};
};

} // namespace tandem::test
