#include "mailcore/smtp/connection.h"

#include <QThread>

#include "mailcore/net/ssltransport.h"
#include "mailcore/net/threadpriority.h"
#include "mailcore/smtp/preparedmessage.h"
#include "mailcore/smtp/session.h"

namespace mailcore::smtp {

SmtpConnection::SmtpConnection(SessionSettings settings, TransportFactory factory, QObject *parent)
    : QObject(parent)
    , m_thread(new QThread)
{
    if (!factory) {
        factory = [](const Endpoint &endpoint) { return std::make_unique<net::SslTransport>(endpoint); };
    }
    m_thread->setObjectName(QStringLiteral("smtp-io %1").arg(settings.endpoint.host));
    m_session = new Session(std::move(settings), std::move(factory));
    m_session->moveToThread(m_thread);
    // The session's timer and socket belong to the I/O thread; it is deleted there too.
    connect(m_thread, &QThread::finished, m_session, &QObject::deleteLater);
    connect(m_session, &Session::closed, this, &SmtpConnection::closed);
    connect(m_session, &Session::stateChanged, this, [this](SessionState state) { m_state = state; },
            Qt::DirectConnection);
    connect(m_session, &Session::stateChanged, this, &SmtpConnection::stateChanged);
    m_session->setActivitySink([this](const ConnectionActivity &activity) { m_activity.publish(activity); });
    // Emitted in the new thread: its priority is lowered before any work.
    connect(m_thread, &QThread::started, [] { net::lowerCurrentThreadPriority(); });
    m_thread->start();
}

SmtpConnection::~SmtpConnection()
{
    Q_ASSERT(QThread::currentThread() != m_thread);
    Session *session = m_session;
    QMetaObject::invokeMethod(session, [session] {
        session->shutdown(Error(ErrorCode::Cancelled, QStringLiteral("the connection was closed")));
    }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

QFuture<Capabilities> SmtpConnection::open()
{
    auto promise = std::make_shared<QPromise<Capabilities>>();
    QFuture<Capabilities> future = promise->future();
    QMetaObject::invokeMethod(m_session, [session = m_session, promise] { session->open(promise); },
                              Qt::QueuedConnection);
    return future;
}

QFuture<SendResult> SmtpConnection::send(const Envelope &envelope, std::shared_ptr<std::atomic<bool>> payloadWritten)
{
    auto promise = std::make_shared<QPromise<SendResult>>();
    QFuture<SendResult> future = promise->future();
    // Checked and encoded here, in the caller's thread: CPU work stays off the
    // I/O thread, and a bad argument costs the connection nothing.
    Result<PreparedMessage> prepared = PreparedMessage::prepare(envelope);
    if (!prepared) {
        promise->start();
        promise->setException(MailException(prepared.error()));
        promise->finish();
        return future;
    }
    QMetaObject::invokeMethod(m_session, [session = m_session, message = std::move(prepared.value()), promise,
                                          payloadWritten = std::move(payloadWritten)]() mutable {
        session->enqueueSend(std::move(message), promise, std::move(payloadWritten));
    }, Qt::QueuedConnection);
    return future;
}

QFuture<void> SmtpConnection::quit()
{
    auto promise = std::make_shared<QPromise<void>>();
    QFuture<void> future = promise->future();
    QMetaObject::invokeMethod(m_session, [session = m_session, promise] { session->enqueueQuit(promise); },
                              Qt::QueuedConnection);
    return future;
}

SessionState SmtpConnection::state() const
{
    return m_state.load();
}

void SmtpConnection::close()
{
    QMetaObject::invokeMethod(m_session, [session = m_session] { session->goodbye(); }, Qt::QueuedConnection);
}

ConnectionActivity SmtpConnection::activity() const
{
    return m_activity.current();
}

void SmtpConnection::setActivityListener(std::function<void()> listener)
{
    m_activity.setListener(std::move(listener));
}

} // namespace mailcore::smtp
