// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/store/rememberedlimit.h"

#include "mailcore/client/credentialsbyhostclient.h"
#include "mailcore/store/committed.h"
#include "mailcore/store/mailstore.h"

namespace mailcore::store {

int applyRememberedLimit(MailStore &store, CredentialsByHostClient &client, const QString &protocol)
{
    const Endpoint &server = client.endpoint();
    const Result<std::optional<int>> known = store.connectionLimit(protocol, server.host, server.port, client.user());
    if (!known || !known.value())
        return 0;
    const int limit = *known.value();
    if (limit < client.maxConnectionsPerServer())
        client.setMaxConnectionsPerServer(limit);
    return limit;
}

int rememberLoweredLimit(MailStore &store, CredentialsByHostClient &client, const QString &protocol, int remembered)
{
    const int lowered = client.poolSnapshot().loweredLimit;
    if (lowered <= 0 || lowered == remembered)
        return remembered;
    const Endpoint &server = client.endpoint();
    const Error saved = committed(
        store.rememberConnectionLimit(protocol, server.host, server.port, client.user(), lowered));
    return saved.isError() ? remembered : lowered;
}

} // namespace mailcore::store
