// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/imap/connection.h"

#include "mailcore/imap/session.h"

namespace mailcore::imap {

ImapConnection::ImapConnection(SessionSettings settings, TransportFactory factory, QObject *parent)
    : OwnerSignals(parent)
    , m_session(new Session(settings, std::move(factory)))
    , m_host(QStringLiteral("imap-io %1").arg(settings.endpoint.host), m_session)
{
    qRegisterMetaType<mailcore::imap::Response>();
    qRegisterMetaType<mailcore::imap::SessionState>();
    // Direct: these run in the I/O thread, store values for any thread to read
    // and re-emit in the owner's thread only what someone listens to.
    connect(
        m_session, &Session::closed, this,
        [this](const Error &reason) { emitInOwnerThread(&ImapConnection::closed, reason); }, Qt::DirectConnection);
    connect(
        m_session, &Session::stateChanged, this,
        [this](SessionState state, const QString &mailbox) {
            m_state = state;
            {
                std::lock_guard lock(m_mutex);
                m_capabilities = m_session->capabilities(); // runs in the I/O thread: safe to read
                m_selectedMailbox = mailbox;
            }
            emitInOwnerThread(&ImapConnection::stateChanged, state, mailbox);
        },
        Qt::DirectConnection);
    connect(
        m_session, &Session::extensionsEnabled, this,
        [this](const CapabilityData &all) {
            std::lock_guard lock(m_mutex);
            m_enabled = all;
        },
        Qt::DirectConnection);
    connect(
        m_session, &Session::unsolicited, this,
        [this](const Response &response) {
            std::function<void(const Response &)> listener;
            {
                std::lock_guard lock(m_mutex);
                listener = m_eventListener;
            }
            if (listener) // outside the lock: it may call back into this connection
                listener(response);
            emitInOwnerThread(&ImapConnection::unsolicited, response);
        },
        Qt::DirectConnection);
}

ImapConnection::~ImapConnection() = default; // the host shuts the session down and joins its thread

ConnectionActivity ImapConnection::activity() const { return m_host.activity(); }

void ImapConnection::setActivityListener(std::function<void()> listener)
{
    m_host.setActivityListener(std::move(listener));
}

void ImapConnection::setEventListener(std::function<void(const Response &)> listener)
{
    std::lock_guard lock(m_mutex);
    m_eventListener = std::move(listener);
}

QFuture<void> ImapConnection::open()
{
    return m_host.call<void>(
        [session = m_session](std::shared_ptr<QPromise<void>> promise) { session->open(promise); });
}

QFuture<CommandResult> ImapConnection::execute(Request request)
{
    return m_host.call<CommandResult>(
        [session = m_session, request = std::move(request)](std::shared_ptr<QPromise<CommandResult>> promise) mutable {
            session->enqueue(std::move(request), std::move(promise));
        });
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

void ImapConnection::close() { m_host.close(); }

void ImapConnection::beginInteractive()
{
    m_host.post([session = m_session] { session->beginInteractive(); });
}

void ImapConnection::endInteractive()
{
    m_host.post([session = m_session] { session->endInteractive(); });
}

void ImapConnection::done()
{
    m_host.post([session = m_session] { session->done(); });
}

QString ImapConnection::selectedMailbox() const
{
    std::lock_guard lock(m_mutex);
    return m_selectedMailbox;
}

CapabilityData ImapConnection::capabilities() const
{
    std::lock_guard lock(m_mutex);
    return m_capabilities;
}

CapabilityData ImapConnection::enabled() const
{
    std::lock_guard lock(m_mutex);
    return m_enabled;
}

SessionState ImapConnection::state() const { return m_state.load(); }

} // namespace mailcore::imap
