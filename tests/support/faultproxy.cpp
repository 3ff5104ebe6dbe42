// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "faultproxy.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>

#include <condition_variable>
#include <utility>

namespace tandem::test {

namespace {
// The context's only children are relays (their sockets are their own children).
template <typename R, typename F>
void forEachRelay(QObject *context, F f)
{
    // A copy: a relay that is cut leaves the list (deleteLater, but still).
    const QObjectList relays = context->children();
    for (QObject *child : relays)
        f(static_cast<R *>(child));
}
} // namespace

/// One client connection and its upstream twin; counts bytes each way and
/// closes both at the armed point.
class FaultProxy::Relay : public QObject
{
public:
    Relay(FaultProxy *proxy, QTcpSocket *client, quint16 upstreamPort)
        : m_proxy(proxy)
        , m_client(client)
        , m_upstream(new QTcpSocket(this))
    {
        client->setParent(this);
        connect(client, &QTcpSocket::readyRead, this, &Relay::fromClient);
        connect(m_upstream, &QTcpSocket::readyRead, this, &Relay::fromServer);
        connect(m_upstream, &QTcpSocket::connected, this, &Relay::fromClient); // bytes that came first
        connect(client, &QTcpSocket::disconnected, this, &Relay::finish);
        connect(m_upstream, &QTcpSocket::disconnected, this, &Relay::finish);
        m_serverBudget = proxy->m_newServerBudget;
        m_clientBudget = proxy->m_newClientBudget;
        m_upstream->connectToHost(QHostAddress::LocalHost, upstreamPort);
    }

    void armServer(qint64 bytes) { m_serverBudget = bytes; }
    void armClient(qint64 bytes) { m_clientBudget = bytes; }
    void cut()
    {
        if (m_done)
            return;
        ++m_proxy->m_dropped;
        m_client->abort();
        m_upstream->abort();
        finish();
    }
    void resume() { fromServer(); }

private:
    void fromClient()
    {
        if (m_upstream->state() != QAbstractSocket::ConnectedState)
            return; // kept in the client socket until connected
        forward(m_client, m_upstream, m_clientBudget);
    }
    void fromServer()
    {
        if (m_proxy->m_stalled)
            return; // left unread: the client sees silence
        forward(m_upstream, m_client, m_serverBudget);
    }
    void forward(QTcpSocket *from, QTcpSocket *to, qint64 &budget)
    {
        if (m_done)
            return;
        QByteArray bytes = from->readAll();
        if (budget >= 0 && bytes.size() >= budget) {
            to->write(bytes.left(budget)); // the part before the cut still arrives
            to->flush();
            const bool outOfReach = std::exchange(m_proxy->m_refuseAtCut, false);
            m_proxy->disarm(); // one cut per arming
            cut();
            if (outOfReach) {
                m_proxy->m_refusing = true;
                forEachRelay<Relay>(m_proxy->m_context, [](Relay *r) { r->cut(); });
            }
            return;
        }
        if (budget >= 0)
            budget -= bytes.size();
        to->write(bytes);
    }
    void finish()
    {
        if (m_done)
            return;
        m_done = true;
        --m_proxy->m_open;
        m_client->close();
        m_upstream->close();
        deleteLater();
    }

    FaultProxy *m_proxy;
    QTcpSocket *m_client;
    QTcpSocket *m_upstream;
    qint64 m_serverBudget = -1; // -1: not armed
    qint64 m_clientBudget = -1;
    bool m_done = false;
};

FaultProxy::FaultProxy(quint16 upstreamPort)
    : m_upstreamPort(upstreamPort)
{
}

FaultProxy::~FaultProxy()
{
    quit();
    wait();
    // QThread::wait is invisible to ThreadSanitizer; this lock shows it that
    // the thread's last writes to this object came before it goes.
    std::lock_guard lock(m_startMutex);
}

void FaultProxy::start()
{
    QThread::start();
    std::unique_lock lock(m_startMutex);
    m_started.wait(lock, [this] { return m_listening; });
}

void FaultProxy::run()
{
    QObject context;
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    QObject::connect(&server, &QTcpServer::newConnection, &context, [this, &server, &context] {
        while (QTcpSocket *client = server.nextPendingConnection()) {
            if (m_refusing) {
                client->abort();
                client->deleteLater();
                continue;
            }
            ++m_accepted;
            ++m_open;
            (new Relay(this, client, m_upstreamPort))->setParent(&context);
        }
    });
    {
        std::lock_guard lock(m_startMutex);
        m_context = &context;
        m_port = server.serverPort();
        m_listening = true;
    }
    m_started.notify_all();
    exec();
    // Relays are children of nothing: delete what is left while their sockets' thread lives.
    for (QObject *relay : context.children())
        delete relay;
    std::lock_guard lock(m_startMutex); // the destructor takes it after wait(): ThreadSanitizer sees the end
    m_context = nullptr;
}

void FaultProxy::post(std::function<void()> work)
{
    QMetaObject::invokeMethod(m_context, std::move(work), Qt::BlockingQueuedConnection);
}

void FaultProxy::dropAll()
{
    post([this] { forEachRelay<Relay>(m_context, [](Relay *r) { r->cut(); }); });
}

void FaultProxy::dropAfterServerBytes(qint64 bytes)
{
    post([this, bytes] {
        m_newServerBudget = bytes;
        forEachRelay<Relay>(m_context, [bytes](Relay *r) { r->armServer(bytes); });
    });
}

void FaultProxy::dropAfterClientBytes(qint64 bytes)
{
    post([this, bytes] {
        m_newClientBudget = bytes;
        forEachRelay<Relay>(m_context, [bytes](Relay *r) { r->armClient(bytes); });
    });
}

void FaultProxy::disarm()
{
    m_newServerBudget = m_newClientBudget = -1;
    forEachRelay<Relay>(m_context, [](Relay *r) {
        r->armServer(-1);
        r->armClient(-1);
    });
}

void FaultProxy::refuseAfterServerBytes(qint64 bytes)
{
    post([this, bytes] {
        m_refuseAtCut = true;
        m_newServerBudget = bytes;
        forEachRelay<Relay>(m_context, [bytes](Relay *r) { r->armServer(bytes); });
    });
}

void FaultProxy::refuseConnections(bool refuse)
{
    m_refusing = refuse;
    if (refuse)
        dropAll();
}

void FaultProxy::stallServer(bool stalled)
{
    m_stalled = stalled;
    if (!stalled)
        post([this] { forEachRelay<Relay>(m_context, [](Relay *r) { r->resume(); }); });
}

} // namespace tandem::test
