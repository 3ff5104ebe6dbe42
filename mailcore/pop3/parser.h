// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QQueue>

#include "mailcore/base/error.h"
#include "mailcore/base/lineinput.h"
#include "mailcore/mailcore_export.h"
#include "mailcore/pop3/reply.h"

namespace mailcore::pop3 {

/// Bounds on what a server can make the parser hold. Exceeding one is an
/// ErrorCode::Limit event, never unbounded memory.
struct ReplyLimits {
    /// Longest status line, and longest line of a MultiLine (CAPA/LIST/UIDL)
    /// reply, CR LF excluded. RFC 2449 allows 512; real servers stay far below.
    qsizetype maxLineLength = 8192;
    /// Largest payload of a buffered reply (MultiLine, Message). Bigger messages
    /// must be fetched with Expect::MessageStreamed.
    qsizetype maxReplySize = 32 * 1024 * 1024;
    /// Largest streamed message; 0 means no limit (memory stays bounded anyway,
    /// since chunks are handed out as they arrive).
    qint64 maxStreamedSize = 0;
};

/// One step of output from ReplyParser::next().
struct ParserEvent {
    enum class Type {
        NeedMoreData, ///< feed more bytes
        Reply,        ///< a complete reply (for MessageStreamed: its status line only)
        DataChunk,    ///< MessageStreamed: the next piece of dot-unstuffed message data
        DataEnd,      ///< MessageStreamed: the "." line was seen; the reply is complete
        Error,        ///< the stream is broken; the connection must be closed
    };

    Type type = Type::NeedMoreData;
    pop3::Reply reply;     ///< Type::Reply
    QByteArray data;       ///< Type::DataChunk
    mailcore::Error error; ///< Type::Error
};

/// Incremental POP3 reply parser: bytes in, replies out, no I/O.
///
/// Usage: for every command sent, call expect() with the reply kind it gets (in
/// sending order, so pipelined commands simply queue several); feed() what the
/// socket delivered; then call next() until it says NeedMoreData. Input may be
/// split anywhere. Once next() reports an Error, every later call reports the same
/// error: a broken stream is never resynchronised.
class MAILCORE_EXPORT ReplyParser
{
public:
    explicit ReplyParser(ReplyLimits limits = {});

    /// Queues the kind of the next not-yet-expected reply. The greeting is a SingleLine.
    void expect(Expect kind);
    /// Replies expected but not yet complete (the one being parsed included).
    qsizetype pendingReplies() const { return m_expected.size(); }

    /// Appends received bytes. Call next() until NeedMoreData afterwards: the
    /// parser holds on to what it has not handed out yet.
    void feed(QByteArrayView bytes) { m_in.append(bytes); }
    ParserEvent next();

    bool hasFailed() const { return m_in.failed(); }
    /// Bytes received but not yet parsed. After "+OK" to STLS this must be 0:
    /// anything else was injected before the TLS handshake and must not be trusted.
    qsizetype bufferedBytes() const { return m_in.unread(); }

private:
    enum class State { StatusLine, Payload, StreamEnd };
    // Where the payload scanner is inside the current line.
    enum class LineState { Start, Dot, DotCr, Middle };

    ParserEvent parseStatusLine();
    ParserEvent scanPayload();
    bool scanPayloadBytes(QByteArray &out);
    void enterLineData(qsizetype lineLength, bool afterCr);
    ParserEvent fail(ErrorCode code, const QString &message);

    ReplyLimits m_limits;
    QQueue<Expect> m_expected;
    LineInput m_in;
    State m_state = State::StatusLine;
    LineState m_lineState = LineState::Start;
    qsizetype m_lineLength = 0;
    bool m_prevCr = false;
    qint64 m_payloadSize = 0;
    Reply m_current; // the buffered reply being collected
};

} // namespace mailcore::pop3
