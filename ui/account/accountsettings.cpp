// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/account/accountsettings.h"

namespace tandem::ui {

QString AccountSettings::accountId() const { return QStringLiteral("%1@%2:%3").arg(user, host).arg(port); }

mailcore::Endpoint AccountSettings::endpoint() const
{
    mailcore::Endpoint endpoint;
    endpoint.host = host;
    endpoint.port = port;
    endpoint.security = security;
    endpoint.tls.extraCaCertificatesPem = extraCaPem;
    endpoint.tls.pinnedSha256 = pinnedSha256;
    return endpoint;
}

} // namespace tandem::ui
