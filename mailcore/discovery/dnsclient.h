// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QString>

#include <chrono>

#include "mailcore/base/result.h"
#include "mailcore/discovery/dnsmessage.h"
#include "mailcore/mailcore_export.h"

namespace mailcore::discovery {

/// Where SRV questions go: a DNS server's address and port.
struct NameServer {
    QString address; ///< an IP address
    quint16 port = 53;
};

/// Asks `server` for the SRV records of `name`: over UDP, sent a second time
/// when the first gets no answer within half of `timeout`, and over TCP when
/// the answer did not fit a datagram. Datagrams from elsewhere or for another
/// query are ignored. Blocking: runs an event loop of its own in the calling
/// thread. The error says in plain words what went wrong.
MAILCORE_EXPORT Result<DnsReply> lookupSrv(const QString &name, const NameServer &server,
                                           std::chrono::milliseconds timeout);

} // namespace mailcore::discovery
