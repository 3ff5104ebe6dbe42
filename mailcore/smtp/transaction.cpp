// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The mail transaction half of Session: MAIL, RCPT..., DATA, the payload, RSET
// and QUIT. The handshake and the I/O plumbing are in session.cpp.

#include "mailcore/smtp/session.h"

#include <QThread>

#include "mailcore/base/logging.h"

namespace mailcore::smtp {

void Session::enqueueSend(PreparedMessage message, std::shared_ptr<QPromise<SendResult>> promise,
                          std::shared_ptr<std::atomic<bool>> payloadWritten)
{
    Q_ASSERT(QThread::currentThread() == thread());
    promise->start();
    if (m_state == SessionState::Closed) {
        // Never hang: a dead connection answers at once, with why it died, and
        // that the message never left: the pool may send it on another
        // connection (B06 in docs/POOL.md).
        refuse(*promise, m_closeReason.asNotSent());
        return;
    }
    m_jobs.push_back({.message = std::move(message),
                      .sendPromise = std::move(promise),
                      .payloadWritten = std::move(payloadWritten)});
    if (m_state == SessionState::Disconnected)
        startConnecting();
    else
        startNextJob();
    reportActivity();
}

void Session::enqueueQuit(std::shared_ptr<QPromise<void>> promise)
{
    Q_ASSERT(QThread::currentThread() == thread());
    promise->start();
    if (m_state == SessionState::Closed) {
        promise->finish();
        return;
    }
    if (m_state == SessionState::Disconnected) {
        fail(Error(ErrorCode::Cancelled, QStringLiteral("the connection was closed before it was opened")));
        promise->finish();
        return;
    }
    m_jobs.push_back({.quitPromise = std::move(promise)});
    startNextJob();
}

void Session::startNextJob()
{
    // Transactions run one at a time: SMTP has no way to interleave them.
    while (m_state == SessionState::Ready && !m_current && !m_jobs.empty()) {
        Job job = std::move(m_jobs.front());
        m_jobs.pop_front();
        if (job.quitPromise)
            return quit(std::move(job.quitPromise));
        Transaction transaction;
        transaction.message = std::move(*job.message);
        transaction.promise = std::move(job.sendPromise);
        transaction.payloadWritten = std::move(job.payloadWritten);
        if (beginTransaction(std::move(transaction)))
            return;
        // Refused before a byte was sent (e.g. too large): the next one may go.
    }
}

bool Session::beginTransaction(Transaction transaction)
{
    Result<Command> mail = Commands::mailFrom(transaction.message.from, transaction.message.options, m_capabilities);
    if (!mail) {
        transaction.promise->setException(MailException(mail.error()));
        transaction.promise->finish();
        return false;
    }
    setState(SessionState::Sending);
    m_current = std::move(transaction);
    const PreparedMessage &message = m_current->message;
    const qsizetype count = message.rcptCommands.size();
    m_current->result.recipients.resize(count);
    for (qsizetype i = 0; i < count; ++i)
        m_current->result.recipients[i].address = message.recipients.at(i);

    auto onMail = [this](const Reply &reply) {
        if (reply.isIntermediate())
            return protocolError(reply, "MAIL FROM");
        m_current->mailReply = reply;
        if (m_capabilities.pipelining)
            return; // the RCPT and DATA replies follow; onDataReply decides
        if (!reply.isPositive())
            return endTransaction(reply.toError(), false);
        sendRcpt(0);
    };
    if (!m_capabilities.pipelining) {
        sendCommand(mail.value(), "MAIL FROM", onMail);
        return true;
    }
    // RFC 2920: MAIL, every RCPT and DATA in one group, DATA last; the replies
    // come back in order and each handler takes its own.
    QByteArray batch = mail->bytes;
    qCDebug(log::smtp) << ">" << mail->logLine;
    for (const Command &rcpt : message.rcptCommands) {
        batch += rcpt.bytes;
        qCDebug(log::smtp) << ">" << rcpt.logLine;
    }
    batch += Commands::data().bytes;
    qCDebug(log::smtp) << "> DATA (pipelined with" << count << "recipients)";
    send(batch);
    expect("MAIL FROM", onMail);
    for (qsizetype i = 0; i < count; ++i) {
        expect("RCPT TO", [this, i](const Reply &reply) {
            if (reply.isIntermediate())
                return protocolError(reply, "RCPT TO");
            m_current->result.recipients[i].reply = reply;
        });
    }
    expect("DATA", [this](const Reply &reply) { onDataReply(reply); });
    return true;
}

void Session::sendRcpt(qsizetype index)
{
    sendCommand(m_current->message.rcptCommands.at(index), "RCPT TO", [this, index](const Reply &reply) {
        if (reply.isIntermediate())
            return protocolError(reply, "RCPT TO");
        m_current->result.recipients[index].reply = reply;
        if (index + 1 < m_current->result.recipients.size())
            return sendRcpt(index + 1);
        afterRecipients();
    });
}

void Session::afterRecipients()
{
    // Without pipelining DATA is only sent when someone will receive the message.
    if (!hasAcceptedRecipient())
        return endTransaction(refusedRecipientsError(), true);
    sendCommand(Commands::data(), "DATA", [this](const Reply &reply) { onDataReply(reply); });
}

bool Session::hasAcceptedRecipient() const
{
    for (const RecipientResult &recipient : m_current->result.recipients) {
        if (recipient.isAccepted())
            return true;
    }
    return false;
}

Error Session::refusedRecipientsError() const
{
    QStringList refusals;
    ErrorCode code = ErrorCode::ServerRefused;
    for (const RecipientResult &recipient : m_current->result.recipients) {
        const Error error = recipient.error();
        if (refusals.isEmpty())
            code = error.code();
        refusals << recipient.address + QStringLiteral(": ") + error.message();
    }
    return Error(code,
                 QStringLiteral("the server refused every recipient, nothing was sent (")
                     + refusals.join(QStringLiteral("; ")) + QLatin1Char(')'));
}

void Session::onDataReply(const Reply &reply)
{
    const bool mailAccepted = m_current->mailReply.isPositive();
    const bool anyone = hasAcceptedRecipient();
    if (reply.code == 354) {
        if (!mailAccepted || !anyone) {
            // RFC 2920 §3.1: a server may accept a pipelined DATA although nothing
            // before it was; an empty message ends it, then RSET discards it.
            qCDebug(log::smtp) << "> . (DATA accepted without recipients; sending an empty message to end it)";
            send(".\r\n");
            const Error error = mailAccepted ? refusedRecipientsError() : m_current->mailReply.toError();
            expect("end of data", [this, error](const Reply &) { endTransaction(error, true); });
            return;
        }
        qCDebug(log::smtp) << "> (message," << m_current->message.payload.size() << "bytes)";
        m_current->payloadSent = true;
        if (m_current->payloadWritten)
            *m_current->payloadWritten = true;
        send(m_current->message.payload);
        expect(
            "the end of data", [this](const Reply &end) { onFinalReply(end); }, m_settings.dataTimeout);
        return;
    }
    if (!reply.isTransientFailure() && !reply.isPermanentFailure())
        return protocolError(reply, "DATA");
    // The first refusal says best why nothing was sent.
    if (!mailAccepted)
        return endTransaction(m_current->mailReply.toError(), false);
    if (!anyone)
        return endTransaction(refusedRecipientsError(), true);
    endTransaction(reply.toError(), true);
}

void Session::onFinalReply(const Reply &reply)
{
    m_current->result.dataReply = reply;
    if (reply.isPositive())
        return endTransaction({}, false);
    if (reply.isIntermediate())
        return protocolError(reply, "the end of data");
    // RFC 5321 §4.1.1.4: the reply to "." ends the transaction either way.
    endTransaction(reply.toError(), false);
}

void Session::endTransaction(const Error &error, bool needsReset)
{
    Transaction transaction = std::move(*m_current);
    m_current.reset();
    if (error.isError()) {
        qCInfo(log::smtp) << "message not sent:" << error.toString();
        transaction.promise->setException(MailException(error));
    } else {
        const qsizetype refused = transaction.result.refused().size();
        if (refused > 0)
            qCInfo(log::smtp) << "message sent;" << refused << "recipient(s) refused";
        transaction.promise->addResult(std::move(transaction.result));
    }
    transaction.promise->finish();
    if (!needsReset) {
        setState(SessionState::Ready);
        return startNextJob();
    }
    // The server still holds a half-built transaction: clear it before the next.
    sendCommand(Commands::rset(), "RSET", [this](const Reply &reply) {
        if (!reply.isPositive())
            return fail(Error(ErrorCode::Protocol,
                              QStringLiteral("the server refused RSET (%1 %2)")
                                  .arg(reply.code)
                                  .arg(QString::fromUtf8(reply.text().left(200)))));
        setState(SessionState::Ready);
        startNextJob();
    });
}

void Session::quit(std::shared_ptr<QPromise<void>> promise)
{
    setState(SessionState::Quitting);
    m_quitPromise = std::move(promise); // fail() finishes it, whatever ends the session
    sendCommand(Commands::quit(), "QUIT", [this](const Reply &) {
        // Whatever the server says to QUIT, the session is over.
        fail(Error(ErrorCode::Cancelled, QStringLiteral("the connection was closed (QUIT)")));
    });
}

} // namespace mailcore::smtp
