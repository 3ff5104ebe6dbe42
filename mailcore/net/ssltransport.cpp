// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/net/ssltransport.h"

#include <QSslConfiguration>
#include <QSslSocket>

#include "mailcore/base/logging.h"
#include "mailcore/net/certificateinfo.h"

namespace mailcore::net {

SslTransport::SslTransport(Endpoint endpoint, QObject *parent)
    : Transport(parent)
    , m_endpoint(std::move(endpoint))
{
    m_connectTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        fail(Error(ErrorCode::Timeout,
                   QStringLiteral("could not connect to %1:%2 within %3 s")
                       .arg(m_endpoint.host)
                       .arg(m_endpoint.port)
                       .arg(m_endpoint.timeouts.connect.count() / 1000.0)));
    });
}

SslTransport::~SslTransport() = default;

void SslTransport::configureTls()
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setPeerVerifyMode(QSslSocket::VerifyPeer);
    config.setProtocol(QSsl::TlsV1_2OrLater);
    QList<QSslCertificate> cas = config.caCertificates();
    for (const QByteArray &pem : std::as_const(m_endpoint.tls.extraCaCertificatesPem))
        cas += QSslCertificate::fromData(pem, QSsl::Pem);
    config.setCaCertificates(cas);
    m_socket->setSslConfiguration(config);
    m_socket->setPeerVerifyName(m_endpoint.host);
}

void SslTransport::open()
{
    Q_ASSERT(!m_socket);
    m_socket = new QSslSocket(this);
    configureTls();
    // Direct connection: ignoreSslErrors() only works from inside this signal.
    connect(m_socket, &QSslSocket::sslErrors, this, &SslTransport::onSslErrors);
    connect(m_socket, &QSslSocket::readyRead, this, &Transport::received);
    connect(m_socket, &QSslSocket::encrypted, this, [this] {
        m_connectTimer.stop();
        m_waitingForHandshake = false;
        Q_EMIT ready();
    });
    connect(m_socket, &QSslSocket::connected, this, [this] {
        if (m_endpoint.security != Security::ImplicitTls) {
            m_connectTimer.stop();
            Q_EMIT ready();
        }
    });
    connect(m_socket, &QAbstractSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        // A failed certificate check was reported with its details already.
        if (m_failed)
            return;
        const ErrorCode code = (error == QAbstractSocket::SslHandshakeFailedError
                                || error == QAbstractSocket::SslInternalError
                                || (m_waitingForHandshake && error == QAbstractSocket::RemoteHostClosedError))
            ? ErrorCode::Tls
            : ErrorCode::Network;
        fail(Error(code,
                   QStringLiteral("%1:%2: %3").arg(m_endpoint.host).arg(m_endpoint.port).arg(m_socket->errorString())));
    });

    m_connectTimer.start(m_endpoint.timeouts.connect);
    qCDebug(log::net) << "connecting to" << m_endpoint.host << m_endpoint.port;
    if (m_endpoint.security == Security::ImplicitTls) {
        m_waitingForHandshake = true;
        m_socket->connectToHostEncrypted(m_endpoint.host, m_endpoint.port);
    } else {
        m_socket->connectToHost(m_endpoint.host, m_endpoint.port);
    }
}

void SslTransport::startTls()
{
    Q_ASSERT(m_socket && !m_socket->isEncrypted());
    // Whatever the server (or someone in between) sent after its go-ahead and
    // before the handshake is dropped here, unread.
    const QByteArray injected = m_socket->readAll();
    if (!injected.isEmpty())
        qCWarning(log::net) << "discarded" << injected.size() << "bytes received before the TLS handshake";
    m_waitingForHandshake = true;
    m_connectTimer.start(m_endpoint.timeouts.connect);
    m_socket->startClientEncryption();
}

void SslTransport::onSslErrors(const QList<QSslError> &errors)
{
    const QList<QSslCertificate> chain = m_socket->peerCertificateChain();
    const QByteArray &pinned = m_endpoint.tls.pinnedSha256;
    if (!pinned.isEmpty() && !chain.isEmpty() && sha256Of(chain.first()) == pinned) {
        qCInfo(log::net) << "accepting the pinned certificate of" << m_endpoint.host;
        m_socket->ignoreSslErrors(errors);
        return;
    }
    TlsFailure failure;
    failure.host = m_endpoint.host;
    failure.port = m_endpoint.port;
    for (const QSslError &error : errors)
        failure.errors << error.errorString();
    failure.chain = toCertificateInfos(chain);
    fail(Error::fromTlsFailure(std::move(failure)));
}

void SslTransport::write(const QByteArray &bytes)
{
    if (m_socket && !m_failed)
        m_socket->write(bytes);
}

QByteArray SslTransport::takeReceived() { return m_socket ? m_socket->readAll() : QByteArray(); }

void SslTransport::flush()
{
    if (m_socket && !m_failed)
        m_socket->flush();
}

void SslTransport::holdReads(bool held)
{
    // Qt reads no more from the kernel once this much is buffered (in the
    // encrypted socket and in the decrypted buffer each); 0 is no bound.
    constexpr qint64 kHeldBuffer = 16 * 1024;
    if (m_socket)
        m_socket->setReadBufferSize(held ? kHeldBuffer : 0);
}

void SslTransport::abort()
{
    m_connectTimer.stop();
    m_failed = true; // nothing more is reported after an abort
    if (m_socket)
        m_socket->abort();
}

bool SslTransport::isEncrypted() const { return m_socket && m_socket->isEncrypted(); }

bool SslTransport::isOpen() const
{
    return m_socket && !m_failed && m_socket->state() == QAbstractSocket::ConnectedState;
}

void SslTransport::fail(Error error)
{
    if (m_failed)
        return;
    m_failed = true;
    m_connectTimer.stop();
    if (m_socket)
        m_socket->abort();
    qCInfo(log::net) << "transport failed:" << error.toString();
    Q_EMIT failed(error);
}

} // namespace mailcore::net
