// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/discovery/prober.h"

#include <QEventLoop>
#include <QHostAddress>

#include "mailcore/net/ssltransport.h"

namespace mailcore::discovery {

namespace {

QString seconds(std::chrono::milliseconds timeout) { return QString::number(double(timeout.count()) / 1000.0); }

} // namespace

Prober::Prober(ServerCandidate server, std::chrono::milliseconds timeout,
               const QList<QByteArray> &extraCaCertificatesPem, QObject *parent)
    : QObject(parent)
    , m_server(std::move(server))
    , m_timeout(timeout)
    , m_dialogue(ProbeDialogue::create(m_server.protocol, m_server.endpoint.security, m_server.endpoint.host))
{
    m_server.endpoint.tls.extraCaCertificatesPem += extraCaCertificatesPem;
    m_server.endpoint.timeouts.connect = timeout;
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        finish(Error(ErrorCode::Timeout,
                     QStringLiteral("no answer from %1 port %2 within %3 s")
                         .arg(m_server.endpoint.host)
                         .arg(m_server.endpoint.port)
                         .arg(seconds(m_timeout))));
    });
}

Prober::~Prober() = default;

void Prober::start()
{
    const Endpoint &endpoint = m_server.endpoint;
    if (endpoint.host.isEmpty() || endpoint.port == 0) {
        finish(Error(ErrorCode::BadArgument, QStringLiteral("a server needs a host name and a port")));
        return;
    }
    m_deadline.start(m_timeout);
    // Looked up first so that "no such host" is told apart from a refusal.
    if (!QHostAddress(endpoint.host).isNull())
        connectTransport();
    else
        QHostInfo::lookupHost(endpoint.host, this, &Prober::resolved);
}

void Prober::resolved(const QHostInfo &info)
{
    if (m_done)
        return;
    if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
        finish(Error(ErrorCode::Network, QStringLiteral("no such host: %1").arg(m_server.endpoint.host)));
        return;
    }
    connectTransport();
}

void Prober::connectTransport()
{
    m_transport = std::make_unique<net::SslTransport>(m_server.endpoint);
    connect(m_transport.get(), &net::Transport::ready, this, [this] {
        // The first ready() is the connection (and its TLS); greeting follows.
        if (m_handshakeAfterStartTls) {
            m_handshakeAfterStartTls = false;
            apply(m_dialogue->secured());
        }
    });
    connect(m_transport.get(), &net::Transport::received, this, [this] {
        if (!m_done && !m_handshakeAfterStartTls)
            apply(m_dialogue->received(m_transport->takeReceived()));
    });
    connect(m_transport.get(), &net::Transport::failed, this, &Prober::transportFailed);
    m_transport->open();
}

void Prober::apply(ProbeDialogue::Step step)
{
    if (m_done)
        return;
    if (!step.write.isEmpty())
        m_transport->write(step.write);
    switch (step.next) {
    case ProbeDialogue::Next::Wait: break;
    case ProbeDialogue::Next::StartTls:
        m_handshakeAfterStartTls = true;
        m_transport->startTls(); // drops whatever arrived after the go-ahead
        break;
    case ProbeDialogue::Next::Finished:
        m_transport->flush();
        m_result.reachable = true;
        m_result.tlsVerified = m_transport->isEncrypted();
        finish({});
        break;
    case ProbeDialogue::Next::Failed: finish(step.error); break;
    }
}

void Prober::transportFailed(const Error &error)
{
    if (m_done)
        return;
    if (const TlsFailure *failure = error.tlsFailure()) {
        m_result.tlsFailure = *failure;
        finish(Error(ErrorCode::Tls,
                     QStringLiteral("the certificate of %1 is not trusted: %2")
                         .arg(m_server.endpoint.host, failure->errors.join(QLatin1String("; ")))));
        return;
    }
    const QString where = QStringLiteral("%1 port %2").arg(m_server.endpoint.host).arg(m_server.endpoint.port);
    // The transport says "host:port: <the socket's words>"; keep the words.
    QString words = error.message();
    const QString prefix = QStringLiteral("%1:%2: ").arg(m_server.endpoint.host).arg(m_server.endpoint.port);
    if (words.startsWith(prefix))
        words = words.mid(prefix.size());
    switch (error.code()) {
    case ErrorCode::Timeout:
        finish(
            Error(ErrorCode::Timeout, QStringLiteral("no answer from %1 within %2 s").arg(where, seconds(m_timeout))));
        break;
    case ErrorCode::Tls:
        finish(Error(ErrorCode::Tls, QStringLiteral("the secure connection to %1 failed: %2").arg(where, words)));
        break;
    default: finish(Error(error.code(), QStringLiteral("could not talk to %1: %2").arg(where, words))); break;
    }
}

void Prober::finish(Error error)
{
    if (m_done)
        return;
    m_done = true;
    m_deadline.stop();
    if (m_transport)
        m_transport->abort();
    m_result.error = std::move(error);
    m_result.greeting = m_dialogue->greeting();
    m_result.capabilities = m_dialogue->capabilities();
    if (m_result.error.isError())
        m_result.reachable = false;
    Q_EMIT finished();
}

ProbeResult probe(const ServerCandidate &server, std::chrono::milliseconds timeout,
                  const QList<QByteArray> &extraCaCertificatesPem)
{
    QEventLoop loop;
    Prober prober(server, timeout, extraCaCertificatesPem);
    QObject::connect(&prober, &Prober::finished, &loop, &QEventLoop::quit);
    prober.start();
    if (!prober.isDone())
        loop.exec();
    return prober.result();
}

} // namespace mailcore::discovery
