// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/smtp/connection.h"

#include "mailcore/smtp/preparedmessage.h"
#include "mailcore/smtp/session.h"

namespace mailcore::smtp {

SmtpConnection::SmtpConnection(SessionSettings settings, TransportFactory factory, QObject *parent)
    : OwnerSignals(parent)
    , m_session(new Session(settings, std::move(factory)))
    , m_host(QStringLiteral("smtp-io %1").arg(settings.endpoint.host), m_session)
{
    // Direct: these run in the I/O thread, store values for any thread to read
    // and re-emit in the owner's thread only what someone listens to.
    connect(
        m_session, &Session::closed, this,
        [this](const Error &reason) { emitInOwnerThread(&SmtpConnection::closed, reason); }, Qt::DirectConnection);
    connect(
        m_session, &Session::stateChanged, this,
        [this](SessionState state) {
            m_state = state;
            emitInOwnerThread(&SmtpConnection::stateChanged, state);
        },
        Qt::DirectConnection);
}

SmtpConnection::~SmtpConnection() = default; // the host shuts the session down and joins its thread

QFuture<Capabilities> SmtpConnection::open()
{
    return m_host.call<Capabilities>(
        [session = m_session](std::shared_ptr<QPromise<Capabilities>> promise) { session->open(promise); });
}

QFuture<SendResult> SmtpConnection::send(const Envelope &envelope, std::shared_ptr<std::atomic<bool>> payloadWritten)
{
    // Checked and encoded here, in the caller's thread: CPU work stays off the
    // I/O thread, and a bad argument costs the connection nothing.
    Result<PreparedMessage> prepared = PreparedMessage::prepare(envelope);
    if (!prepared)
        return QtFuture::makeExceptionalFuture<SendResult>(MailException(prepared.error()));
    return m_host.call<SendResult>(
        [session = m_session, message = std::move(prepared.value()),
         payloadWritten = std::move(payloadWritten)](std::shared_ptr<QPromise<SendResult>> promise) mutable {
            session->enqueueSend(std::move(message), std::move(promise), std::move(payloadWritten));
        });
}

QFuture<void> SmtpConnection::quit()
{
    return m_host.call<void>(
        [session = m_session](std::shared_ptr<QPromise<void>> promise) { session->enqueueQuit(std::move(promise)); });
}

SessionState SmtpConnection::state() const { return m_state.load(); }

void SmtpConnection::close() { m_host.close(); }

ConnectionActivity SmtpConnection::activity() const { return m_host.activity(); }

void SmtpConnection::setActivityListener(std::function<void()> listener)
{
    m_host.setActivityListener(std::move(listener));
}

} // namespace mailcore::smtp
