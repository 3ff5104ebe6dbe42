#include "mailcore/net/sessionhost.h"

#include <QDateTime>
#include <QThread>

#include "mailcore/net/threadpriority.h"

namespace mailcore::net {

void HostedSession::publishActivity(ConnectionActivity activity) const
{
    if (!m_activitySink)
        return;
    activity.bytesIn = m_bytesIn;
    activity.bytesOut = m_bytesOut;
    activity.lastActivityMs = m_lastActivityMs;
    m_activitySink(activity);
}

void HostedSession::countIn(qsizetype bytes)
{
    m_bytesIn += quint64(bytes);
    m_lastActivityMs = QDateTime::currentMSecsSinceEpoch();
}

void HostedSession::countOut(qsizetype bytes)
{
    m_bytesOut += quint64(bytes);
    m_lastActivityMs = QDateTime::currentMSecsSinceEpoch();
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
    QObject::connect(m_thread, &QThread::started, [] { lowerCurrentThreadPriority(); });
    m_thread->start();
}

SessionHost::~SessionHost()
{
    Q_ASSERT(QThread::currentThread() != m_thread);
    HostedSession *session = m_session;
    QMetaObject::invokeMethod(session, [session] {
        session->shutdown(Error(ErrorCode::Cancelled, QStringLiteral("the connection was closed")));
    }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

void SessionHost::close() const
{
    post([session = m_session] { session->goodbye(); });
}

} // namespace mailcore::net
