// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/discovery/autoconfig.h"
#include "mailcore/discovery/httpfetch.h"
#include "mailcore/discovery/stages.h"

namespace mailcore::discovery {

StageResult fromAutoconfig(const StageRequest &request, QStringList &steps)
{
    StageResult result;
    const DiscoveryOptions &options = request.options;
    for (const QUrl &url : autoconfigUrls(options.autoconfigUrls, request.address)) {
        // Plain http only where a program (a test) named the URL itself.
        if (options.autoconfigUrls.isEmpty() && url.scheme() != QLatin1String("https"))
            continue;
        const QString where = url.toString(QUrl::RemoveQuery);
        const Result<QByteArray> document = fetchDocument(url, options.timeout, maxAutoconfigSize,
                                                          options.extraCaCertificatesPem);
        if (!document) {
            steps << QStringLiteral("Autoconfig file %1: %2.").arg(where, document.error().message());
            continue;
        }
        const Result<AutoconfigServers> servers = parseAutoconfig(document.value(), request.address);
        if (!servers) {
            steps << QStringLiteral("Autoconfig file %1: %2.").arg(where, servers.error().message());
            continue;
        }
        for (const QString &skipped : servers->skipped)
            steps << QStringLiteral("Autoconfig file %1: skipped %2.").arg(where, skipped);
        for (const ServerCandidate &server : servers->servers) {
            QList<ServerCandidate> &list = server.protocol == Protocol::Smtp ? result.outgoing : result.incoming;
            list << server;
            steps << QStringLiteral("Autoconfig file %1 names %2.").arg(where, describe(server));
        }
        return result;
    }
    if (result.incoming.isEmpty() && result.outgoing.isEmpty())
        steps << QStringLiteral("No autoconfig file was found.");
    return result;
}

} // namespace mailcore::discovery
