// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/discovery/probedialogue.h"

#include "mailcore/discovery/protocoldialogues.h"

namespace mailcore::discovery {

ProbeDialogue::~ProbeDialogue() = default;

std::unique_ptr<ProbeDialogue> ProbeDialogue::create(Protocol protocol, Security security, const QString &host)
{
    switch (protocol) {
    case Protocol::Imap: return makeImapDialogue(security, host);
    case Protocol::Pop3: return makePop3Dialogue(security, host);
    case Protocol::Smtp: return makeSmtpDialogue(security, host);
    }
    Q_UNREACHABLE();
}

bool ProbeDialogue::movesOn(Step &out, Step step)
{
    out.write += step.write;
    if (step.next == Next::Wait)
        return false;
    step.write = out.write;
    out = std::move(step);
    return true;
}

ProbeDialogue::Step ProbeDialogue::afterCapabilities(bool offered, QByteArray startTlsCommand, QByteArray goodbye)
{
    if (m_security == Security::StartTls && !m_secured) {
        // Never downgrade: without STARTTLS this candidate is not usable at all.
        if (!offered)
            return fail(
                ErrorCode::Tls,
                QStringLiteral("%1 does not offer STARTTLS, so it cannot be used securely on this port").arg(m_host));
        return Step{std::move(startTlsCommand), Next::Wait, {}};
    }
    return Step{std::move(goodbye), Next::Finished, {}};
}

ProbeDialogue::Step ProbeDialogue::fail(ErrorCode code, const QString &message)
{
    m_failed = true;
    return Step{{}, Next::Failed, Error(code, message)};
}

} // namespace mailcore::discovery
