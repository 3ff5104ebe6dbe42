// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>

#include <memory>
#include <mutex>

#include "mailcore/net/transport.h"

namespace mailcore::net {

class FakeTransport;

/// The far end of a FakeTransport, for tests: what the "server" sends and what
/// the client wrote. Thread-safe: the test drives it from its own thread while
/// the transport lives in the connection's I/O thread.
class MAILCORE_EXPORT FakeWire
{
public:
    /// Bytes the client will receive (as if from the server).
    void serverSend(const QByteArray &bytes);
    /// The server drops the connection.
    void serverClose();
    /// Everything the client has written so far.
    QByteArray clientBytes() const;
    bool clientUpgradedToTls() const;
    bool clientAborted() const;

private:
    friend class FakeTransport;
    void attach(FakeTransport *transport);
    void detach(FakeTransport *transport);
    void deliverLater();

    mutable std::mutex m_mutex;
    FakeTransport *m_transport = nullptr;
    QByteArray m_toClient;
    QByteArray m_fromClient;
    bool m_closed = false;
    bool m_tls = false;
    bool m_aborted = false;
};

/// An in-memory transport: no socket, no TLS, exact bytes. "TLS" is a flag:
/// startTls() drops unread bytes like the real one and reports ready().
/// Thread: the connection's I/O thread, like every Transport.
class MAILCORE_EXPORT FakeTransport : public Transport
{
    Q_OBJECT

public:
    FakeTransport(std::shared_ptr<FakeWire> wire, bool implicitTls, QObject *parent = nullptr);
    ~FakeTransport() override;

    void open() override;
    void startTls() override;
    void write(const QByteArray &bytes) override;
    QByteArray takeReceived() override;
    void abort() override;
    bool isEncrypted() const override { return m_encrypted; }
    bool isOpen() const override { return m_open; }

private:
    friend class FakeWire;
    void deliver(); // I/O thread: hand what the wire holds to the reader

    std::shared_ptr<FakeWire> m_wire;
    QByteArray m_received;
    bool m_encrypted = false;
    bool m_open = false;
};

} // namespace mailcore::net
