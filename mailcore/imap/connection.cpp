#include "mailcore/imap/connection.h"

#include <QThread>

#include "mailcore/imap/session.h"
#include "mailcore/net/ssltransport.h"
#include "mailcore/net/threadpriority.h"

namespace mailcore::imap {

ImapConnection::ImapConnection(SessionSettings settings, TransportFactory factory, QObject *parent)
    : QObject(parent)
    , m_thread(new QThread)
{
    qRegisterMetaType<mailcore::imap::Response>();
    qRegisterMetaType<mailcore::imap::SessionState>();
    qRegisterMetaType<mailcore::Error>();
    if (!factory) {
        factory = [](const Endpoint &endpoint) { return std::make_unique<net::SslTransport>(endpoint); };
    }
    m_thread->setObjectName(QStringLiteral("imap-io %1").arg(settings.endpoint.host));
    m_session = new Session(std::move(settings), std::move(factory));
    m_session->moveToThread(m_thread);
    // The session's timers and sockets belong to the I/O thread; it is deleted there too.
    connect(m_thread, &QThread::finished, m_session, &QObject::deleteLater);
    connect(m_session, &Session::unsolicited, this, &ImapConnection::unsolicited);
    connect(m_session, &Session::closed, this, &ImapConnection::closed);
    connect(m_session, &Session::stateChanged, this, [this](SessionState state, const QString &mailbox) {
        m_state = state;
        std::lock_guard lock(m_capabilitiesMutex);
        m_capabilities = m_session->capabilities(); // runs in the I/O thread: safe to read
        m_selectedMailbox = mailbox;
    }, Qt::DirectConnection);
    connect(m_session, &Session::stateChanged, this, &ImapConnection::stateChanged);
    m_session->setActivitySink([this](const ConnectionActivity &activity) { m_activity.publish(activity); });
    connect(m_session, &Session::unsolicited, this, [this](const Response &response) {
        if (m_eventListener)
            m_eventListener(response);
    }, Qt::DirectConnection);
    // Emitted in the new thread: its priority is lowered before any work.
    connect(m_thread, &QThread::started, [] { net::lowerCurrentThreadPriority(); });
    m_thread->start();
}

ImapConnection::~ImapConnection()
{
    Session *session = m_session;
    QMetaObject::invokeMethod(session, [session] {
        session->shutdown(Error(ErrorCode::Cancelled, QStringLiteral("the connection was closed")));
    }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
}

ConnectionActivity ImapConnection::activity() const
{
    return m_activity.current();
}

void ImapConnection::setActivityListener(std::function<void()> listener)
{
    m_activity.setListener(std::move(listener));
}

void ImapConnection::setEventListener(std::function<void(const Response &)> listener)
{
    // Set before open(): the I/O thread reads it without a lock afterwards.
    m_eventListener = std::move(listener);
}

QFuture<void> ImapConnection::open()
{
    auto promise = std::make_shared<QPromise<void>>();
    QFuture<void> future = promise->future();
    QMetaObject::invokeMethod(m_session, [session = m_session, promise] { session->open(promise); },
                              Qt::QueuedConnection);
    return future;
}

QFuture<CommandResult> ImapConnection::execute(Request request)
{
    auto promise = std::make_shared<QPromise<CommandResult>>();
    QFuture<CommandResult> future = promise->future();
    QMetaObject::invokeMethod(m_session, [session = m_session, request = std::move(request), promise]() mutable {
        session->enqueue(std::move(request), promise);
    }, Qt::QueuedConnection);
    return future;
}

QFuture<void> ImapConnection::logout()
{
    Request request;
    request.barrier = true;
    request.build = [](const CommandBuilder &b, const QByteArray &tag) { return b.logout(tag); };
    return execute(std::move(request)).then([](const CommandResult &) {});
}

QFuture<CommandResult> ImapConnection::idle()
{
    Request request;
    request.barrier = true;
    request.idle = true;
    request.build = [](const CommandBuilder &b, const QByteArray &tag) { return b.idle(tag); };
    return execute(std::move(request));
}

void ImapConnection::close()
{
    QMetaObject::invokeMethod(m_session, [session = m_session] { session->goodbye(); }, Qt::QueuedConnection);
}

void ImapConnection::done()
{
    QMetaObject::invokeMethod(m_session, [session = m_session] { session->done(); }, Qt::QueuedConnection);
}

QString ImapConnection::selectedMailbox() const
{
    std::lock_guard lock(m_capabilitiesMutex);
    return m_selectedMailbox;
}

CapabilityData ImapConnection::capabilities() const
{
    std::lock_guard lock(m_capabilitiesMutex);
    return m_capabilities;
}

SessionState ImapConnection::state() const
{
    return m_state.load();
}

} // namespace mailcore::imap
