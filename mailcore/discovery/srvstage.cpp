// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include <QFile>

#include <algorithm>

#include "mailcore/discovery/dnsclient.h"
#include "mailcore/discovery/stages.h"

namespace mailcore::discovery {

namespace {

struct Service {
    const char *label;
    Protocol protocol;
    Security security;
};

// RFC 6186 and RFC 8314, the implicit-TLS form of each first.
constexpr Service services[] = {
    {"_imaps._tcp", Protocol::Imap, Security::ImplicitTls},
    {"_imap._tcp", Protocol::Imap, Security::StartTls},
    {"_pop3s._tcp", Protocol::Pop3, Security::ImplicitTls},
    {"_pop3._tcp", Protocol::Pop3, Security::StartTls},
    {"_submissions._tcp", Protocol::Smtp, Security::ImplicitTls},
    {"_submission._tcp", Protocol::Smtp, Security::StartTls},
};

QString systemNameServer()
{
    QFile file(QStringLiteral("/etc/resolv.conf"));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return firstNameServer(file.read(64 * 1024));
}

// Lower priority first; among equals the heavier first (RFC 2782 picks among
// equals at random by weight; a wizard wants the same answer every time).
void orderByPriority(QList<SrvRecord> &records)
{
    std::stable_sort(records.begin(), records.end(), [](const SrvRecord &a, const SrvRecord &b) {
        return a.priority != b.priority ? a.priority < b.priority : a.weight > b.weight;
    });
}

} // namespace

StageResult fromDnsSrv(const StageRequest &request, QStringList &steps)
{
    StageResult result;
    NameServer server{request.options.nameServer, request.options.nameServerPort};
    if (server.address.isEmpty())
        server.address = systemNameServer();
    if (server.address.isEmpty()) {
        steps << QStringLiteral("DNS: no name server is configured, so no SRV record was looked up.");
        return result;
    }
    for (const Service &service : services) {
        const bool outgoing = service.protocol == Protocol::Smtp;
        if (outgoing ? !request.wantOutgoing : !request.wantIncoming)
            continue;
        const QString name = QLatin1String(service.label) + QLatin1Char('.') + request.parts.domain;
        const Result<DnsReply> reply = lookupSrv(name, server, request.options.timeout);
        if (!reply) {
            steps << QStringLiteral("DNS SRV %1: %2.").arg(name, reply.error().message());
            // A server that does not answer will not answer the next question either.
            if (reply.error().code() == ErrorCode::Timeout || reply.error().code() == ErrorCode::Network
                || reply.error().code() == ErrorCode::BadArgument) {
                steps << QStringLiteral("DNS: no further SRV record was looked up.");
                break;
            }
            continue;
        }
        if (reply->responseCode == 3 || (reply->responseCode == 0 && reply->records.isEmpty())) {
            steps << QStringLiteral("DNS SRV %1: no such record.").arg(name);
            continue;
        }
        if (reply->responseCode != 0) {
            steps << QStringLiteral("DNS SRV %1: the name server failed (response code %2).")
                         .arg(name)
                         .arg(reply->responseCode);
            continue;
        }
        QList<SrvRecord> records = reply->records;
        orderByPriority(records);
        for (const SrvRecord &record : std::as_const(records)) {
            if (record.target.isEmpty() || record.port == 0) {
                steps << QStringLiteral("DNS SRV %1: the domain says this service is not offered.").arg(name);
                continue;
            }
            ServerCandidate candidate;
            candidate.protocol = service.protocol;
            candidate.endpoint.host = record.target;
            candidate.endpoint.port = record.port;
            candidate.endpoint.security = service.security;
            candidate.userName = request.address;
            candidate.source = Source::DnsSrv;
            (outgoing ? result.outgoing : result.incoming) << candidate;
            steps << QStringLiteral("DNS SRV %1 names %2.").arg(name, describe(candidate));
        }
    }
    return result;
}

} // namespace mailcore::discovery
