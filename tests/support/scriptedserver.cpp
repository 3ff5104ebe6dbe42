// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "support/scriptedserver.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpServer>

namespace tandem::test {

namespace {

constexpr int kStepTimeoutMs = 5000;
/// A hold() the test never ends: longer than any test waits for its client.
constexpr auto kLongestHold = std::chrono::minutes(2);

QByteArray readData(const QString &name)
{
    QFile file(qEnvironmentVariable("TANDEM_TEST_DATA") + QStringLiteral("/data/tls/") + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString printable(const QByteArray &bytes)
{
    QString out = QString::fromLatin1(bytes.left(200));
    out.replace(QLatin1String("\r"), QLatin1String("\\r")).replace(QLatin1String("\n"), QLatin1String("\\n"));
    return out;
}

} // namespace

/// Accepts into a QSslSocket so that TLS can start at any step.
class ScriptedServer::Listener : public QTcpServer
{
public:
    QSslSocket *takeSocket() { return m_socket; }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        if (m_socket)
            return;
        m_socket = new QSslSocket;
        m_socket->setSocketDescriptor(descriptor);
        addPendingConnection(m_socket);
    }

private:
    QSslSocket *m_socket = nullptr;
};

ScriptedServer::ScriptedServer(Tls tls)
    : m_tls(tls)
{
}

ScriptedServer::~ScriptedServer()
{
    release();
    quit();
    wait();
}

ScriptedServer &ScriptedServer::send(const QByteArray &bytes)
{
    m_steps.append({Step::Kind::Send, bytes});
    return *this;
}
ScriptedServer &ScriptedServer::expect(const QByteArray &bytes)
{
    m_steps.append({Step::Kind::Expect, bytes});
    return *this;
}
ScriptedServer &ScriptedServer::startTls()
{
    m_steps.append({Step::Kind::StartTls, {}});
    return *this;
}
ScriptedServer &ScriptedServer::pause(int ms)
{
    m_steps.append({Step::Kind::Pause, {}, ms});
    return *this;
}
ScriptedServer &ScriptedServer::expectQuiet(int ms)
{
    m_steps.append({Step::Kind::ExpectQuiet, {}, ms});
    return *this;
}
ScriptedServer &ScriptedServer::hold()
{
    m_steps.append({Step::Kind::Hold, {}});
    return *this;
}
ScriptedServer &ScriptedServer::expectClosed(int ms)
{
    m_steps.append({Step::Kind::ExpectClosed, {}, ms});
    return *this;
}
ScriptedServer &ScriptedServer::close()
{
    m_steps.append({Step::Kind::Close, {}});
    return *this;
}

QByteArray ScriptedServer::caCertificatePem() { return readData(QStringLiteral("ca.crt")); }

mailcore::Endpoint ScriptedServer::endpoint(mailcore::Security security) const
{
    mailcore::Endpoint endpoint;
    endpoint.host = QStringLiteral("localhost");
    endpoint.port = m_port;
    endpoint.security = security;
    endpoint.tls.extraCaCertificatesPem = {caCertificatePem()};
    endpoint.timeouts.connect = endpoint.timeouts.greeting = endpoint.timeouts.command = std::chrono::milliseconds(
        5000);
    return endpoint;
}

void ScriptedServer::start()
{
    // Bind here, in the test thread, so port() is known before the client starts;
    // the listening socket is handed to the server thread by descriptor.
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0)) {
        addFailure(QStringLiteral("cannot listen: ") + probe.errorString());
        return;
    }
    m_port = probe.serverPort();
    probe.close();
    QThread::start();
    // Wait until the thread is really listening on that port (or gave up).
    std::unique_lock lock(m_mutex);
    if (!m_changed.wait_for(lock, std::chrono::milliseconds(kStepTimeoutMs),
                            [this] { return m_listenDescriptor != -1 || !m_failures.isEmpty(); }))
        m_failures << QStringLiteral("the server thread did not start listening");
}

void ScriptedServer::run()
{
    Listener listener;
    if (!listener.listen(QHostAddress::LocalHost, m_port)) {
        addFailure(QStringLiteral("cannot listen on %1: %2").arg(m_port).arg(listener.errorString()));
        return;
    }
    {
        std::lock_guard lock(m_mutex);
        m_listenDescriptor = listener.socketDescriptor();
    }
    m_changed.notify_all();
    if (!listener.waitForNewConnection(kStepTimeoutMs * 2)) {
        addFailure(QStringLiteral("no client connected"));
        return;
    }
    QSslSocket *socket = listener.takeSocket();
    socket->setLocalCertificate(QSslCertificate(readData(QStringLiteral("server.crt"))));
    socket->setPrivateKey(QSslKey(readData(QStringLiteral("server.key")), QSsl::Ec));
    auto handshake = [&] {
        socket->startServerEncryption();
        if (!socket->waitForEncrypted(kStepTimeoutMs))
            addFailure(QStringLiteral("TLS handshake failed: ") + socket->errorString());
    };
    if (m_tls == Tls::Implicit)
        handshake();

    QByteArray pending; // received, not yet matched
    auto readMore = [&](int ms) {
        if (socket->bytesAvailable() == 0 && !socket->waitForReadyRead(ms))
            return false;
        const QByteArray chunk = socket->readAll();
        pending += chunk;
        std::lock_guard lock(m_mutex);
        m_received += chunk;
        return true;
    };

    for (const Step &step : std::as_const(m_steps)) {
        if (!failures().isEmpty())
            break;
        switch (step.kind) {
        case Step::Kind::Send:
            socket->write(step.bytes);
            socket->flush();
            socket->waitForBytesWritten(kStepTimeoutMs);
            break;
        case Step::Kind::Expect:
            while (pending.size() < step.bytes.size() && step.bytes.startsWith(pending)) {
                if (!readMore(kStepTimeoutMs))
                    break;
            }
            if (!pending.startsWith(step.bytes)) {
                addFailure(
                    QStringLiteral("expected \"%1\", got \"%2\"").arg(printable(step.bytes), printable(pending)));
                break;
            }
            pending.remove(0, step.bytes.size());
            break;
        case Step::Kind::StartTls:
            if (!pending.isEmpty())
                addFailure(QStringLiteral("client sent \"%1\" before the TLS handshake").arg(printable(pending)));
            handshake();
            break;
        case Step::Kind::Pause:
            QThread::msleep(step.milliseconds); // a slow reply, on purpose
            break;
        case Step::Kind::ExpectQuiet: {
            QDeadlineTimer deadline(step.milliseconds);
            while (pending.isEmpty() && !deadline.hasExpired() && socket->state() == QAbstractSocket::ConnectedState)
                readMore(int(qMax<qint64>(1, deadline.remainingTime())));
            if (!pending.isEmpty())
                addFailure(QStringLiteral("client sent \"%1\" when it should have waited").arg(printable(pending)));
            break;
        }
        case Step::Kind::Hold: {
            std::unique_lock lock(m_mutex);
            if (!m_changed.wait_for(lock, kLongestHold, [this] { return m_released; }))
                m_failures << QStringLiteral("held for two minutes: the test never released the server");
            lock.unlock();
            readMore(0); // what the client sent meanwhile: for the next step, or a trailing-bytes failure
            break;
        }
        case Step::Kind::ExpectClosed: {
            QDeadlineTimer deadline(step.milliseconds);
            while (!deadline.hasExpired() && socket->state() == QAbstractSocket::ConnectedState)
                readMore(int(qMax<qint64>(1, deadline.remainingTime())));
            if (!pending.isEmpty())
                addFailure(QStringLiteral("client sent \"%1\" but should have stopped").arg(printable(pending)));
            break;
        }
        case Step::Kind::Close: socket->abort(); break;
        }
    }
    if (!pending.isEmpty() && failures().isEmpty())
        addFailure(QStringLiteral("unexpected trailing bytes from the client: \"%1\"").arg(printable(pending)));
    socket->abort();
    std::lock_guard lock(m_mutex);
    m_finished = true;
}

void ScriptedServer::release()
{
    {
        std::lock_guard lock(m_mutex);
        m_released = true;
    }
    m_changed.notify_all();
}

bool ScriptedServer::waitDone(int milliseconds)
{
    release();
    if (!wait(QDeadlineTimer(milliseconds))) {
        addFailure(QStringLiteral("the script did not finish"));
        return false;
    }
    std::lock_guard lock(m_mutex);
    return m_finished && m_failures.isEmpty();
}

void ScriptedServer::addFailure(const QString &failure)
{
    {
        std::lock_guard lock(m_mutex);
        m_failures << failure;
    }
    m_changed.notify_all();
}

} // namespace tandem::test
