// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include "mailcore/base/error.h"
#include "mailcore/base/lineinput.h"
#include "mailcore/mailcore_export.h"
#include "mailcore/smtp/reply.h"

namespace mailcore::smtp {

/// Bounds on one reply; exceeding one is an ErrorCode::Limit error.
struct ReplyLimits {
    /// RFC 5321 §4.5.3.1.5 allows 512 octets per reply line; leave room for
    /// servers that exceed it without letting one hold unbounded memory.
    qsizetype maxLineLength = 4096;
    /// EHLO replies are the longest in practice (~20 lines).
    qsizetype maxLines = 256;
};

/// Result of ReplyParser::next().
struct ParseResult {
    enum class Status { NeedMoreData, Reply, Error };
    Status status = Status::NeedMoreData;
    smtp::Reply reply;
    mailcore::Error error;
};

/// Incremental SMTP reply parser: bytes in, complete replies out, no I/O.
/// SMTP replies say themselves where they end ("250-" continues, "250 " ends),
/// so unlike POP3 no expectation is needed. Matching replies to pipelined
/// commands (RFC 2920: in order) is the connection's job.
/// Once an Error is returned the parser stays failed: the connection must close.
class MAILCORE_EXPORT ReplyParser
{
public:
    explicit ReplyParser(ReplyLimits limits = {});

    /// Appends received bytes; nothing more is taken once the parser has failed.
    void feed(QByteArrayView bytes) { m_in.append(bytes); }
    ParseResult next();

    bool hasFailed() const { return m_in.failed(); }
    /// Bytes received and not parsed yet. After "220" to STARTTLS this must be 0;
    /// anything else was injected before the handshake (CVE-2011-0411 class).
    qsizetype bufferedBytes() const { return m_in.unread(); }

private:
    ParseResult fail(ErrorCode code, const QString &message);
    Error parseLine(QByteArrayView line, bool &final);

    ReplyLimits m_limits;
    LineInput m_in;
    Reply m_current; // lines of a multi-line reply seen so far
};

} // namespace mailcore::smtp
