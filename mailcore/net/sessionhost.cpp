// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/net/sessionhost.h"

#include <QDateTime>
#include <QThread>
#include <QTimer>

#include <thread>

#include "mailcore/net/ssltransport.h"
#include "mailcore/net/threadpriority.h"

namespace mailcore::net {

namespace {
thread_local bool t_sessionThread = false;
} // namespace

bool inSessionThread() { return t_sessionThread; }

void markSessionThread() { t_sessionThread = true; }

HostedSession::HostedSession(TransportFactory factory)
    : m_factory(factory ? std::move(factory)
                        : [](const Endpoint &endpoint) { return std::make_unique<SslTransport>(endpoint); })
{
}

HostedSession::~HostedSession() = default;

void HostedSession::connectTransport(const Endpoint &endpoint)
{
    m_transport = m_factory(endpoint);
    connect(m_transport.get(), &Transport::ready, this, &HostedSession::onTransportReady);
    connect(m_transport.get(), &Transport::received, this, &HostedSession::transportReceived);
    connect(m_transport.get(), &Transport::failed, this, &HostedSession::fail);
    m_transport->open();
}

void HostedSession::transportReceived()
{
    if (!m_readsHeld)
        onReceived();
}

void HostedSession::holdReads(bool held)
{
    if (held == m_readsHeld)
        return;
    m_readsHeld = held;
    if (m_transport)
        m_transport->holdReads(held);
    if (held) {
        QTimer::singleShot(kLongestReadHold, this, [this, serial = ++m_holdSerial] {
            if (serial == m_holdSerial)
                holdReads(false);
        });
    } else {
        ++m_holdSerial;
        onReceived(); // what came meanwhile: no signal announces it again
    }
}

void HostedSession::abortTransport()
{
    if (!m_transport)
        return;
    m_transport->disconnect(this);
    m_transport->abort();
}

void HostedSession::send(const QByteArray &bytes)
{
    m_transport->write(bytes);
    m_bytesOut += quint64(bytes.size());
    m_lastActivityMs = QDateTime::currentMSecsSinceEpoch();
}

QByteArray HostedSession::takeReceived()
{
    QByteArray bytes = m_transport->takeReceived();
    m_bytesIn += quint64(bytes.size());
    if (!bytes.isEmpty())
        m_lastActivityMs = QDateTime::currentMSecsSinceEpoch();
    return bytes;
}

void HostedSession::publishActivity(ConnectionActivity::State phase, const QByteArray &command, int queueDepth) const
{
    if (!m_activitySink)
        return;
    ConnectionActivity activity;
    activity.state = phase;
    // The same few names over and over: converted once per change, so a
    // read of a long reply (one report each) allocates nothing here.
    if (command != m_commandBytes) {
        m_commandBytes = command;
        m_commandName = QString::fromLatin1(command);
    }
    activity.command = m_commandName;
    activity.queueDepth = queueDepth;
    activity.bytesIn = m_bytesIn;
    activity.bytesOut = m_bytesOut;
    activity.lastActivityMs = m_lastActivityMs;
    m_activitySink(activity);
}

SessionHost::SessionHost(const QString &threadName, HostedSession *session)
    : m_thread(new QThread)
    , m_session(session)
{
    qRegisterMetaType<mailcore::Error>();
    m_thread->setObjectName(threadName);
    m_session->moveToThread(m_thread);
    // The session's timers and socket belong to the I/O thread; it is deleted there too.
    QObject::connect(m_thread, &QThread::finished, m_session, &QObject::deleteLater);
    m_session->setActivitySink([this](const ConnectionActivity &activity) { m_activity.publish(activity); });
    // Emitted in the new thread: its priority is lowered before any work.
    QObject::connect(m_thread, &QThread::started, [] {
        markSessionThread();
        lowerCurrentThreadPriority();
    });
    m_thread->start();
}

SessionHost::~SessionHost()
{
    HostedSession *session = m_session;
    const Error closed(ErrorCode::Cancelled, QStringLiteral("the connection was closed"));
    if (QThread::currentThread() == m_thread) {
        // The last owner let go in this connection's own I/O thread: a
        // continuation run by one of its replies held the pool, and the pool
        // went with it (seen in CI: a POP3 client disposed while a DELE's
        // continuation ran). The thread cannot wait for itself. The session
        // is shut down here, tells nothing to this host any more, and is
        // deleted when its thread's loop ends after this event; the thread
        // object is deleted by a short-lived thread once it has ended.
        session->setActivitySink({});
        session->shutdown(closed);
        m_thread->quit();
        std::thread([thread = m_thread] {
            thread->wait();
            delete thread;
        }).detach();
        return;
    }
    QMetaObject::invokeMethod(
        session, [session, closed] { session->shutdown(closed); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

void SessionHost::close() const
{
    post([session = m_session] { session->goodbye(); });
}

void SessionHost::holdReads(bool held) const
{
    post([session = m_session, held] { session->holdReads(held); });
}

} // namespace mailcore::net
