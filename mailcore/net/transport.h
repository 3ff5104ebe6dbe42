// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QObject>

#include <functional>
#include <memory>

#include "mailcore/base/endpoint.h"
#include "mailcore/base/error.h"
#include "mailcore/mailcore_export.h"

namespace mailcore::net {

/// The transport seam: one byte stream to one server. Protocol connections talk
/// to this interface only, so tests can drive them through a real socket to a
/// scripted server or through an in-memory fake.
///
/// Thread: created in, and used only from, the owning connection's I/O thread.
class MAILCORE_EXPORT Transport : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~Transport() override;

    /// Connects as the endpoint says: for ImplicitTls the handshake follows at
    /// once. Emits ready() or failed().
    virtual void open() = 0;
    /// Upgrades a plain stream to TLS now (after the server's STARTTLS go-ahead).
    /// Bytes already received and not yet taken are discarded, never handed on:
    /// a man in the middle must not get plain text parsed as if it were secure.
    /// Emits ready() once encrypted, or failed().
    virtual void startTls() = 0;
    virtual void write(const QByteArray &bytes) = 0;
    /// Everything received since the last call.
    virtual QByteArray takeReceived() = 0;
    /// Hands what was written to the operating system now, e.g. a goodbye
    /// written just before abort().
    virtual void flush() { }
    /// While held, reads from the operating system stop once a little is
    /// buffered, so TCP's window closes and the server stops sending (and
    /// producing) this stream; received() may still be emitted for what was
    /// buffered. A transport without a socket ignores it.
    virtual void holdReads(bool held) { (void)held; }
    /// Closes at once, without a goodbye; emits nothing.
    virtual void abort() = 0;
    virtual bool isEncrypted() const = 0;
    virtual bool isOpen() const = 0;

Q_SIGNALS:
    void ready();
    void received();
    /// Once: the stream is closed or unusable (network, TLS or timeout error).
    void failed(const mailcore::Error &error);
};

/// Makes the byte stream of a new connection, inside its I/O thread (tests
/// and tunnels give their own; by default SslTransport).
using TransportFactory = std::function<std::unique_ptr<Transport>(const Endpoint &)>;

} // namespace mailcore::net
