// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/discovery/protocoldialogues.h"
#include "mailcore/smtp/capabilities.h"
#include "mailcore/smtp/parser.h"

namespace mailcore::discovery {

namespace {

// Greeting (220), EHLO, STARTTLS when required, EHLO again over TLS, QUIT.
// EHLO names an address literal, as the SMTP session does: the machine's name
// is nobody's business.
class SmtpDialogue final : public ProbeDialogue
{
public:
    using ProbeDialogue::ProbeDialogue;

    Step received(QByteArrayView bytes) override
    {
        m_parser.feed(bytes);
        Step out;
        while (!m_failed) {
            const smtp::ParseResult result = m_parser.next();
            if (result.status == smtp::ParseResult::Status::NeedMoreData)
                break;
            if (result.status == smtp::ParseResult::Status::Error)
                return fail(
                    ErrorCode::Protocol,
                    QStringLiteral("%1 does not answer as an SMTP server: %2").arg(m_host, result.error.message()));
            if (movesOn(out, handle(result.reply)))
                return out;
        }
        return out;
    }

    Step secured() override
    {
        m_secured = true;
        m_parser = smtp::ReplyParser();
        return ehlo();
    }

private:
    enum class State { Greeting, Ehlo, StartTls };

    Step ehlo()
    {
        m_state = State::Ehlo;
        m_capabilities.clear();
        return Step{"EHLO [127.0.0.1]\r\n", Next::Wait, {}};
    }

    Step handle(const smtp::Reply &reply)
    {
        switch (m_state) {
        case State::Greeting:
            if (reply.code != 220)
                return fail(ErrorCode::ServerRefused,
                            QStringLiteral("%1 turned the connection away: %2 %3")
                                .arg(m_host)
                                .arg(reply.code)
                                .arg(QString::fromUtf8(reply.text())));
            m_greeting = QString::fromUtf8(reply.text());
            return ehlo();
        case State::Ehlo: {
            const Result<smtp::Capabilities> capabilities = smtp::Capabilities::fromEhlo(reply);
            if (!capabilities)
                return fail(ErrorCode::ServerRefused,
                            QStringLiteral("%1 refused EHLO: %2").arg(m_host, capabilities.error().message()));
            for (const QByteArray &line : capabilities->lines)
                m_capabilities << QString::fromUtf8(line);
            Step step = afterCapabilities(capabilities->startTls, "STARTTLS\r\n", "QUIT\r\n");
            if (step.next == Next::Wait)
                m_state = State::StartTls;
            return step;
        }
        case State::StartTls:
            if (reply.code != 220)
                return fail(ErrorCode::Tls,
                            QStringLiteral("%1 refused STARTTLS: %2 %3")
                                .arg(m_host)
                                .arg(reply.code)
                                .arg(QString::fromUtf8(reply.text())));
            if (m_parser.bufferedBytes() != 0)
                return fail(
                    ErrorCode::Tls,
                    QStringLiteral("%1 sent data between its STARTTLS answer and the TLS handshake").arg(m_host));
            return Step{{}, Next::StartTls, {}};
        }
        return {};
    }

    smtp::ReplyParser m_parser;
    State m_state = State::Greeting;
};

} // namespace

std::unique_ptr<ProbeDialogue> makeSmtpDialogue(Security security, const QString &host)
{
    return std::make_unique<SmtpDialogue>(security, host);
}

} // namespace mailcore::discovery
