// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include "mailcore/base/result.h"
#include "mailcore/mailcore_export.h"

// The DNS messages of an SRV lookup (RFC 1035, RFC 2782), pure: bytes in,
// values out, no sockets. Replies come from the network, so every length,
// offset and compression pointer is checked against the bytes received, and
// a name may not be followed through more pointers than a message can hold.
namespace mailcore::discovery {

/// One SRV record of an answer.
struct SrvRecord {
    quint16 priority = 0; ///< lower first
    quint16 weight = 0;   ///< among equal priorities, higher first
    quint16 port = 0;
    /// The host offering the service, without the final dot; empty for the
    /// target ".", which says the service is not offered at all.
    QString target;
    friend bool operator==(const SrvRecord &, const SrvRecord &) = default;
};

/// What a reply to one SRV question held.
struct DnsReply {
    quint16 id = 0;
    bool truncated = false;   ///< TC: the answer did not fit a datagram (ask over TCP)
    int responseCode = 0;     ///< RCODE: 0 no error, 3 no such name, others a server failure
    QList<SrvRecord> records; ///< the SRV answers for the name asked, in the reply's order
    friend bool operator==(const DnsReply &, const DnsReply &) = default;
};

/// The longest reply accepted (what TCP's two-byte length allows).
inline constexpr qsizetype maxDnsMessageSize = 65535;

/// A query for the SRV records of `name` ("_imaps._tcp.example.org"), with
/// recursion desired. A name that cannot be one (an empty label, a label over
/// 63 octets, over 255 in all) is a BadArgument error.
MAILCORE_EXPORT Result<QByteArray> buildSrvQuery(quint16 id, const QString &name);

/// Parses a reply to the query `id` for `name`. Answers of other types or for
/// other names are skipped; anything malformed (cut short, a pointer out of
/// range or forward, a name too long, a count the bytes cannot hold) is a
/// Protocol error that says what was wrong.
MAILCORE_EXPORT Result<DnsReply> parseSrvReply(QByteArrayView bytes, quint16 id, const QString &name);

/// The first "nameserver" of a resolv.conf text, or empty.
MAILCORE_EXPORT QString firstNameServer(QByteArrayView resolvConf);

} // namespace mailcore::discovery
