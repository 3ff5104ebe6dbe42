// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QList>

#include "mailcore/base/result.h"
#include "mailcore/mailcore_export.h"
#include "mailcore/smtp/reply.h"

namespace mailcore::smtp {

/// What a server offered in its EHLO reply. Keywords are case-insensitive.
struct MAILCORE_EXPORT Capabilities {
    /// The first line: the server's domain and greeting text.
    QByteArray greeting;
    bool pipelining = false;          ///< RFC 2920
    bool startTls = false;            ///< RFC 3207
    bool eightBitMime = false;        ///< RFC 6152
    bool smtpUtf8 = false;            ///< RFC 6531
    bool enhancedStatusCodes = false; ///< RFC 2034
    bool chunking = false;            ///< RFC 3030
    bool binaryMime = false;          ///< RFC 3030
    bool dsn = false;                 ///< RFC 3461
    bool size = false;                ///< RFC 1870 SIZE offered
    /// RFC 1870 fixed maximum message size; 0 when SIZE has no (valid) number.
    qint64 maxSize = 0;
    /// Upper-cased mechanisms from "AUTH ..." and the pre-RFC "AUTH=..." form.
    QList<QByteArray> authMechanisms;
    /// Every keyword line after the greeting, as received.
    QList<QByteArray> lines;

    bool hasAuth(QByteArrayView mechanism) const;

    /// Parses a 250 reply to EHLO; anything else is an error (the reply's own
    /// error for 4xx/5xx, Protocol otherwise). Unknown keywords are kept in lines.
    static Result<Capabilities> fromEhlo(const Reply &reply);
};

} // namespace mailcore::smtp
