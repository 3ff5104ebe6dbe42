// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/net/faketransport.h"

namespace mailcore::net {

void FakeWire::serverSend(const QByteArray &bytes)
{
    {
        std::lock_guard lock(m_mutex);
        m_toClient += bytes;
    }
    deliverLater();
}

void FakeWire::serverClose()
{
    {
        std::lock_guard lock(m_mutex);
        m_closed = true;
    }
    deliverLater();
}

QByteArray FakeWire::clientBytes() const
{
    std::lock_guard lock(m_mutex);
    return m_fromClient;
}

bool FakeWire::clientUpgradedToTls() const
{
    std::lock_guard lock(m_mutex);
    return m_tls;
}

bool FakeWire::clientAborted() const
{
    std::lock_guard lock(m_mutex);
    return m_aborted;
}

void FakeWire::attach(FakeTransport *transport)
{
    std::lock_guard lock(m_mutex);
    m_transport = transport;
}

void FakeWire::detach(FakeTransport *transport)
{
    std::lock_guard lock(m_mutex);
    if (m_transport == transport)
        m_transport = nullptr;
}

void FakeWire::deliverLater()
{
    std::lock_guard lock(m_mutex);
    if (m_transport) // queued: the transport reads in its own thread
        QMetaObject::invokeMethod(m_transport, &FakeTransport::deliver, Qt::QueuedConnection);
}

FakeTransport::FakeTransport(std::shared_ptr<FakeWire> wire, bool implicitTls, QObject *parent)
    : Transport(parent)
    , m_wire(std::move(wire))
    , m_encrypted(implicitTls)
{
}

FakeTransport::~FakeTransport() { m_wire->detach(this); }

void FakeTransport::open()
{
    m_wire->attach(this);
    m_open = true;
    Q_EMIT ready();
    deliver();
}

void FakeTransport::startTls()
{
    {
        std::lock_guard lock(m_wire->m_mutex);
        m_wire->m_toClient.clear(); // like SslTransport: nothing from before the handshake survives
        m_wire->m_tls = true;
    }
    m_received.clear();
    m_encrypted = true;
    QMetaObject::invokeMethod(this, &Transport::ready, Qt::QueuedConnection);
}

void FakeTransport::write(const QByteArray &bytes)
{
    if (!m_open)
        return;
    std::lock_guard lock(m_wire->m_mutex);
    m_wire->m_fromClient += bytes;
}

QByteArray FakeTransport::takeReceived() { return std::exchange(m_received, {}); }

void FakeTransport::abort()
{
    m_open = false;
    std::lock_guard lock(m_wire->m_mutex);
    m_wire->m_aborted = true;
}

void FakeTransport::deliver()
{
    if (!m_open)
        return;
    bool closed = false;
    {
        std::lock_guard lock(m_wire->m_mutex);
        m_received += std::exchange(m_wire->m_toClient, {});
        closed = m_wire->m_closed;
    }
    if (!m_received.isEmpty())
        Q_EMIT received();
    if (closed && m_open) {
        m_open = false;
        Q_EMIT failed(Error(ErrorCode::Network, QStringLiteral("the fake server closed the connection")));
    }
}

} // namespace mailcore::net
