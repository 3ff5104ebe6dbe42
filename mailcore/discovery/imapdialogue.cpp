// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/discovery/protocoldialogues.h"
#include "mailcore/imap/parser.h"

namespace mailcore::discovery {

namespace {

// Greeting, CAPABILITY (unless the greeting carried it), STARTTLS when
// required, CAPABILITY again over TLS, LOGOUT.
class ImapDialogue final : public ProbeDialogue
{
public:
    using ProbeDialogue::ProbeDialogue;

    Step received(QByteArrayView bytes) override
    {
        Step out;
        while (!bytes.isEmpty() && !m_failed) {
            const imap::ResponseParser::Result result = m_parser.feed(bytes);
            bytes = bytes.sliced(result.consumed);
            if (result.status == imap::ParseStatus::NeedMore)
                break;
            if (result.status == imap::ParseStatus::Error)
                return fail(
                    ErrorCode::Protocol,
                    QStringLiteral("%1 does not answer as an IMAP server: %2").arg(m_host, result.error.description));
            if (movesOn(out, handle(result.response)))
                return out;
        }
        return out;
    }

    Step secured() override
    {
        m_secured = true;
        m_parser.reset();
        return capability();
    }

private:
    enum class State { Greeting, Capability, StartTls };

    Step capability()
    {
        m_state = State::Capability;
        m_capabilities.clear();
        return Step{"p1 CAPABILITY\r\n", Next::Wait, {}};
    }

    void takeCapabilities(const imap::ByteList &list)
    {
        m_capabilities.clear();
        for (const QByteArray &capability : list)
            m_capabilities << QString::fromLatin1(capability);
    }

    Step proceed()
    {
        Step step = afterCapabilities(m_capabilities.contains(QLatin1String("STARTTLS")), "p2 STARTTLS\r\n",
                                      "p3 LOGOUT\r\n");
        if (step.next == Next::Wait)
            m_state = State::StartTls;
        return step;
    }

    Step handle(const imap::Response &response)
    {
        const imap::StatusResponse *status = response.status();
        if (status && status->status == imap::Status::Bye)
            return fail(ErrorCode::ServerRefused,
                        QStringLiteral("%1 closed the connection: %2").arg(m_host, status->text));
        switch (m_state) {
        case State::Greeting:
            if (!status || response.isTagged())
                return fail(ErrorCode::Protocol, QStringLiteral("%1 did not greet as an IMAP server").arg(m_host));
            m_greeting = status->text;
            if (status->status == imap::Status::PreAuth && m_security == Security::StartTls)
                return fail(ErrorCode::Tls,
                            QStringLiteral("%1 logs in without a password (PREAUTH), so STARTTLS "
                                           "cannot be used")
                                .arg(m_host));
            if (status->code.kind == imap::ResponseCode::Kind::Capability) {
                takeCapabilities(status->code.list);
                return proceed();
            }
            return capability();
        case State::Capability:
            if (const auto *data = response.get<imap::CapabilityData>())
                takeCapabilities(data->capabilities);
            if (!response.isTagged())
                return {};
            if (!status || status->status != imap::Status::Ok)
                return fail(ErrorCode::ServerRefused, QStringLiteral("%1 refused CAPABILITY").arg(m_host));
            if (status->code.kind == imap::ResponseCode::Kind::Capability)
                takeCapabilities(status->code.list);
            return proceed();
        case State::StartTls:
            if (!response.isTagged())
                return {};
            if (!status || status->status != imap::Status::Ok)
                return fail(ErrorCode::Tls,
                            QStringLiteral("%1 refused STARTTLS: %2").arg(m_host, status ? status->text : QString()));
            return Step{{}, Next::StartTls, {}};
        }
        return {};
    }

    imap::ResponseParser m_parser;
    State m_state = State::Greeting;
};

} // namespace

std::unique_ptr<ProbeDialogue> makeImapDialogue(Security security, const QString &host)
{
    return std::make_unique<ImapDialogue>(security, host);
}

} // namespace mailcore::discovery
