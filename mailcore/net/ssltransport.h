// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QTimer>

#include "mailcore/net/transport.h"

class QSslSocket;
class QSslError;

namespace mailcore::net {

/// The real transport: a QSslSocket with certificate verification always on,
/// optional pinning of one exact certificate, and a connect+handshake timeout.
/// Thread: the connection's I/O thread (it creates the socket there).
class MAILCORE_EXPORT SslTransport : public Transport
{
    Q_OBJECT

public:
    explicit SslTransport(Endpoint endpoint, QObject *parent = nullptr);
    ~SslTransport() override;

    void open() override;
    void startTls() override;
    void write(const QByteArray &bytes) override;
    QByteArray takeReceived() override;
    void flush() override;
    void holdReads(bool held) override;
    void abort() override;
    bool isEncrypted() const override;
    bool isOpen() const override;

private:
    void configureTls();
    void onSslErrors(const QList<QSslError> &errors);
    void fail(Error error);

    Endpoint m_endpoint;
    QSslSocket *m_socket = nullptr;
    QTimer m_connectTimer{this};
    bool m_waitingForHandshake = false;
    bool m_failed = false;
};

} // namespace mailcore::net
