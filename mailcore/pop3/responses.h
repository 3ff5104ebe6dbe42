// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <optional>

#include <QByteArray>
#include <QList>
#include <QMap>

#include "mailcore/base/result.h"
#include "mailcore/mailcore_export.h"
#include "mailcore/pop3/reply.h"

// Typed views of complete replies. Each function checks the reply fully and
// returns a Protocol error for anything malformed: the connection decides on
// -ERR (ServerRefused) versus garbage (Protocol) from the Error code alone.
namespace mailcore::pop3 {

struct Greeting {
    QByteArray text;
    /// The APOP timestamp including its angle brackets ("<1896.697@host>"), or empty.
    QByteArray apopTimestamp;
};

/// The CAPA reply (RFC 2449). Names are compared case-insensitively.
struct MAILCORE_EXPORT Capabilities {
    bool top = false;
    bool user = false;
    bool uidl = false;
    bool pipelining = false;
    bool stls = false;
    bool respCodes = false;
    bool authRespCode = false;
    bool utf8 = false;
    QList<QByteArray> saslMechanisms; ///< upper-cased, as listed after "SASL"
    QByteArray implementation;
    std::optional<int> loginDelaySeconds;
    /// Every capability line as received, for logging and for what is not modelled.
    QList<QByteArray> lines;

    bool hasSasl(QByteArrayView mechanism) const;
};

struct Stat {
    int count = 0;
    qint64 size = 0;
};

struct ListEntry {
    int number = 0;
    qint64 size = 0;
};

struct UidlEntry {
    int number = 0;
    QByteArray uid;
};

/// Each parser requires a +OK reply and says Protocol for anything malformed.
class MAILCORE_EXPORT Responses
{
public:
    /// The greeting; the APOP timestamp is the first "<...@...>" in its text.
    static Result<Greeting> greeting(const Reply &reply);
    /// CAPA (Expect::MultiLine).
    static Result<Capabilities> capabilities(const Reply &reply);
    /// STAT: "+OK count size".
    static Result<Stat> stat(const Reply &reply);
    /// LIST without argument (Expect::MultiLine): message number -> size.
    static Result<QMap<int, qint64>> list(const Reply &reply);
    /// LIST n (Expect::SingleLine): "+OK n size".
    static Result<ListEntry> listOne(const Reply &reply);
    /// UIDL without argument (Expect::MultiLine): message number -> unique id.
    /// Duplicate numbers or ids, and ids outside RFC 1939's rule, are Protocol errors:
    /// a sync keyed on these ids must not silently merge two messages.
    static Result<QMap<int, QByteArray>> uidl(const Reply &reply);
    /// UIDL n (Expect::SingleLine): "+OK n uid".
    static Result<UidlEntry> uidlOne(const Reply &reply);

    /// RFC 1939: 1 to 70 characters in 0x21..0x7E.
    static bool isValidUid(QByteArrayView uid);
};

} // namespace mailcore::pop3
