// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/discovery/discovery.h"

#include <algorithm>

#include "mailcore/discovery/stages.h"

namespace mailcore::discovery {

namespace {

int rank(Protocol protocol)
{
    switch (protocol) {
    case Protocol::Imap: return 0;
    case Protocol::Pop3: return 1;
    case Protocol::Smtp: return 2;
    }
    return 3;
}

int rank(Security security)
{
    switch (security) {
    case Security::ImplicitTls: return 0; // RFC 8314: implicit TLS is preferred
    case Security::StartTls: return 1;
    case Security::Plain: return 2;
    }
    return 3;
}

// Best first; stable, so a source's own order (SRV priority and weight, the
// autoconfig file's order) decides among equals.
void orderBestFirst(QList<ServerCandidate> &candidates)
{
    std::stable_sort(candidates.begin(), candidates.end(), [](const ServerCandidate &a, const ServerCandidate &b) {
        return std::pair(rank(a.protocol), rank(a.endpoint.security))
            < std::pair(rank(b.protocol), rank(b.endpoint.security));
    });
}

} // namespace

QString protocolName(Protocol protocol)
{
    switch (protocol) {
    case Protocol::Imap: return QStringLiteral("IMAP");
    case Protocol::Pop3: return QStringLiteral("POP3");
    case Protocol::Smtp: return QStringLiteral("SMTP");
    }
    return {};
}

QString describe(const ServerCandidate &candidate)
{
    const Endpoint &endpoint = candidate.endpoint;
    const QString security = endpoint.security == Security::ImplicitTls ? QStringLiteral("TLS")
        : endpoint.security == Security::StartTls                       ? QStringLiteral("STARTTLS")
                                                                        : QStringLiteral("no encryption");
    return QStringLiteral("%1 %2 port %3, %4")
        .arg(protocolName(candidate.protocol), endpoint.host)
        .arg(endpoint.port)
        .arg(security);
}

DiscoveryReport discover(const QString &emailAddress, const DiscoveryOptions &options)
{
    DiscoveryReport report;
    const std::optional<AddressParts> parts = splitAddress(emailAddress);
    if (!parts) {
        report.steps << QStringLiteral("\"%1\" is not an e-mail address: nothing to look up.").arg(emailAddress);
        return report;
    }
    using Stage = StageResult (*)(const StageRequest &, QStringList &);
    for (Stage stage : {&fromAutoconfig, &fromDnsSrv, &fromGuesses}) {
        const StageRequest request{emailAddress.trimmed(), *parts, options, report.incoming.isEmpty(),
                                   report.outgoing.isEmpty()};
        if (!request.wantIncoming && !request.wantOutgoing)
            break;
        StageResult found = stage(request, report.steps);
        if (request.wantIncoming)
            report.incoming = std::move(found.incoming);
        if (request.wantOutgoing)
            report.outgoing = std::move(found.outgoing);
    }
    orderBestFirst(report.incoming);
    orderBestFirst(report.outgoing);
    if (report.incoming.isEmpty())
        report.steps << QStringLiteral("No incoming server was found: enter it by hand.");
    if (report.outgoing.isEmpty())
        report.steps << QStringLiteral("No outgoing server was found: enter it by hand.");
    return report;
}

} // namespace mailcore::discovery
