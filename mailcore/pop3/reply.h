// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QList>

#include "mailcore/base/error.h"
#include "mailcore/mailcore_export.h"

namespace mailcore::pop3 {

/// What the next reply from the server is expected to look like. POP3 replies do
/// not say whether data follows, so the caller, who knows the command it sent,
/// must tell the parser (ReplyParser::expect) before the reply arrives.
enum class Expect {
    SingleLine,      ///< +OK / -ERR (USER, PASS, STAT, DELE, LIST n, greeting...)
    SaslStep,        ///< like SingleLine, but a "+ " continuation is also valid (AUTH)
    MultiLine,       ///< +OK then short text lines up to ".": CAPA, LIST, UIDL
    Message,         ///< +OK then message data up to ".", buffered: TOP, small RETR
    MessageStreamed, ///< as Message, but the data is handed out in chunks (big RETR)
};

/// One POP3 reply: the status line and, for buffered multi-line replies, the data.
struct MAILCORE_EXPORT Reply {
    enum class Status { Ok, Err, Continuation };

    Status status = Status::Err;
    /// RFC 2449 extended response code without brackets ("IN-USE", "SYS/TEMP"), or empty.
    QByteArray code;
    /// The rest of the status line; for a continuation, the (still base64) challenge.
    QByteArray text;
    /// True when data follows (or, for buffered replies, was collected into payload).
    bool hasPayload = false;
    /// Dot-unstuffed data of a buffered multi-line reply, line ends kept as received,
    /// the final "." line removed. Binary safe.
    QByteArray payload;

    bool isOk() const { return status == Status::Ok; }
    bool isErr() const { return status == Status::Err; }
    bool isContinuation() const { return status == Status::Continuation; }

    /// The payload split into lines, without CR LF; for CAPA, LIST and UIDL.
    QList<QByteArray> payloadLines() const;

    /// True for -ERR codes that say "try again later" ([IN-USE], [LOGIN-DELAY],
    /// [SYS/TEMP]), so a pool can back off instead of giving up.
    bool isTransientFailure() const;

    /// The Error an -ERR stands for: Auth for [AUTH], ServerRefused otherwise,
    /// with the server's text; None for +OK.
    Error toError() const;

    friend bool operator==(const Reply &, const Reply &) = default;
};

} // namespace mailcore::pop3
