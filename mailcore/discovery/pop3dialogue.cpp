// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/discovery/protocoldialogues.h"
#include "mailcore/pop3/parser.h"

namespace mailcore::discovery {

namespace {

// Greeting, CAPA, STLS when required, CAPA again over TLS, QUIT. A server
// without CAPA (RFC 1939 only) is asked for STLS all the same.
class Pop3Dialogue final : public ProbeDialogue
{
public:
    Pop3Dialogue(Security security, const QString &host)
        : ProbeDialogue(security, host)
    {
        m_parser.expect(pop3::Expect::SingleLine);
    }

    Step received(QByteArrayView bytes) override
    {
        m_parser.feed(bytes);
        Step out;
        while (!m_failed) {
            const pop3::ParserEvent event = m_parser.next();
            if (event.type == pop3::ParserEvent::Type::NeedMoreData)
                break;
            if (event.type != pop3::ParserEvent::Type::Reply)
                return fail(
                    ErrorCode::Protocol,
                    QStringLiteral("%1 does not answer as a POP3 server: %2").arg(m_host, event.error.message()));
            if (movesOn(out, handle(event.reply)))
                return out;
        }
        return out;
    }

    Step secured() override
    {
        m_secured = true;
        m_parser = pop3::ReplyParser();
        return capa();
    }

private:
    enum class State { Greeting, Capa, Stls };

    Step capa()
    {
        m_state = State::Capa;
        m_capabilities.clear();
        m_parser.expect(pop3::Expect::MultiLine);
        return Step{"CAPA\r\n", Next::Wait, {}};
    }

    Step handle(const pop3::Reply &reply)
    {
        switch (m_state) {
        case State::Greeting:
            if (!reply.isOk())
                return fail(
                    ErrorCode::ServerRefused,
                    QStringLiteral("%1 turned the connection away: %2").arg(m_host, QString::fromUtf8(reply.text)));
            m_greeting = QString::fromUtf8(reply.text);
            return capa();
        case State::Capa: {
            for (const QByteArray &line : reply.payloadLines())
                m_capabilities << QString::fromUtf8(line);
            // Without CAPA nothing is known: STLS is then simply tried.
            const bool offered = !reply.isOk() || m_capabilities.contains(QLatin1String("STLS"), Qt::CaseInsensitive);
            Step step = afterCapabilities(offered, "STLS\r\n", "QUIT\r\n");
            if (step.next == Next::Wait) {
                m_state = State::Stls;
                m_parser.expect(pop3::Expect::SingleLine);
            }
            return step;
        }
        case State::Stls:
            if (!reply.isOk())
                return fail(ErrorCode::Tls,
                            QStringLiteral("%1 refused STLS: %2").arg(m_host, QString::fromUtf8(reply.text)));
            // Bytes after the go-ahead came before any encryption: not to be trusted.
            if (m_parser.bufferedBytes() != 0)
                return fail(ErrorCode::Tls,
                            QStringLiteral("%1 sent data between its STLS answer and the TLS handshake").arg(m_host));
            return Step{{}, Next::StartTls, {}};
        }
        return {};
    }

    pop3::ReplyParser m_parser;
    State m_state = State::Greeting;
};

} // namespace

std::unique_ptr<ProbeDialogue> makePop3Dialogue(Security security, const QString &host)
{
    return std::make_unique<Pop3Dialogue>(security, host);
}

} // namespace mailcore::discovery
