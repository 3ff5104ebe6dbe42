// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/pop3/parser.h"

#include <cstring>

#include "mailcore/base/result.h"

namespace mailcore::pop3 {

namespace {

// RFC 2449 resp-code characters: printable ASCII without space and "]" ("/" separates levels).
bool isRespCodeChar(char c) { return c > 0x20 && c < 0x7F && c != ']' && c != '['; }

// Splits "[CODE] text" into code and text; anything else is plain text, since a
// server may well start an ordinary message with "[".
void splitRespCode(QByteArrayView rest, Reply &reply)
{
    if (rest.startsWith('[')) {
        const qsizetype close = rest.indexOf(']');
        if (close > 1) {
            const QByteArrayView code = rest.sliced(1, close - 1);
            bool valid = true;
            for (char c : code)
                valid = valid && isRespCodeChar(c);
            if (valid) {
                reply.code = code.toByteArray();
                rest = rest.sliced(close + 1);
                if (rest.startsWith(' '))
                    rest = rest.sliced(1);
            }
        }
    }
    reply.text = rest.toByteArray();
}

Result<Reply> parseStatus(QByteArrayView line)
{
    if (line.contains('\0'))
        return Error(ErrorCode::Protocol, QStringLiteral("NUL byte in a POP3 status line"));
    Reply reply;
    if (line.startsWith("+OK") && (line.size() == 3 || line.at(3) == ' ')) {
        reply.status = Reply::Status::Ok;
        splitRespCode(line.sliced(qMin<qsizetype>(4, line.size())), reply);
    } else if (line.startsWith("-ERR") && (line.size() == 4 || line.at(4) == ' ')) {
        reply.status = Reply::Status::Err;
        splitRespCode(line.sliced(qMin<qsizetype>(5, line.size())), reply);
    } else if (line == "+" || line.startsWith("+ ")) {
        // RFC 5034: "+" SP base64; some servers send a bare "+" for an empty challenge.
        reply.status = Reply::Status::Continuation;
        reply.text = line.sliced(qMin<qsizetype>(2, line.size())).toByteArray();
    } else {
        return Error(ErrorCode::Protocol,
                     QStringLiteral("malformed POP3 status line: ")
                         + QString::fromLatin1(line.first(qMin<qsizetype>(line.size(), 40))));
    }
    return reply;
}

} // namespace

ReplyParser::ReplyParser(ReplyLimits limits)
    : m_limits(limits)
{
}

void ReplyParser::expect(Expect kind) { m_expected.enqueue(kind); }

ParserEvent ReplyParser::next()
{
    if (hasFailed()) {
        ParserEvent event;
        event.type = ParserEvent::Type::Error;
        event.error = m_in.error;
        return event;
    }
    switch (m_state) {
    case State::StatusLine: return parseStatusLine();
    case State::Payload: return scanPayload();
    case State::StreamEnd: {
        m_state = State::StatusLine;
        ParserEvent event;
        event.type = ParserEvent::Type::DataEnd;
        return event;
    }
    }
    return fail(ErrorCode::Internal, QStringLiteral("unknown parser state"));
}

ParserEvent ReplyParser::parseStatusLine()
{
    if (m_in.unread() == 0)
        return {};
    if (m_expected.isEmpty())
        return fail(ErrorCode::Protocol, QStringLiteral("server sent data while no reply was expected"));

    const LineInput::Line line = m_in.peekLine(m_limits.maxLineLength);
    if (line.status == LineInput::Line::TooLong)
        return fail(ErrorCode::Limit,
                    QStringLiteral("POP3 status line longer than %1 bytes").arg(m_limits.maxLineLength));
    if (line.status == LineInput::Line::Incomplete)
        return {};
    Result<Reply> parsed = parseStatus(line.text);
    m_in.pos = line.next;
    m_in.compact();
    if (!parsed)
        return fail(parsed.error().code(), parsed.error().message());

    Reply reply = parsed.value();
    const Expect kind = m_expected.head();
    if (reply.isContinuation() && kind != Expect::SaslStep)
        return fail(ErrorCode::Protocol, QStringLiteral("unexpected \"+\" continuation"));

    const bool multiLine = kind == Expect::MultiLine || kind == Expect::Message || kind == Expect::MessageStreamed;
    // RFC 1939: an -ERR to a multi-line command is a single line.
    if (reply.isOk() && multiLine) {
        reply.hasPayload = true;
        m_state = State::Payload;
        m_lineState = LineState::Start;
        m_lineLength = 0;
        m_payloadSize = 0;
        if (kind == Expect::MessageStreamed) {
            ParserEvent event;
            event.type = ParserEvent::Type::Reply;
            event.reply = std::move(reply);
            return event;
        }
        m_current = std::move(reply);
        return scanPayload();
    }

    m_expected.dequeue();
    ParserEvent event;
    event.type = ParserEvent::Type::Reply;
    event.reply = std::move(reply);
    return event;
}

ParserEvent ReplyParser::scanPayload()
{
    const Expect kind = m_expected.head();
    if (kind == Expect::MessageStreamed) {
        QByteArray chunk;
        const bool ended = scanPayloadBytes(chunk);
        if (hasFailed())
            return next();
        if (ended)
            m_expected.dequeue();
        if (!chunk.isEmpty()) {
            if (ended)
                m_state = State::StreamEnd;
            ParserEvent event;
            event.type = ParserEvent::Type::DataChunk;
            event.data = std::move(chunk);
            return event;
        }
        if (ended) {
            m_state = State::StatusLine;
            ParserEvent event;
            event.type = ParserEvent::Type::DataEnd;
            return event;
        }
        return {};
    }

    const bool ended = scanPayloadBytes(m_current.payload);
    if (hasFailed())
        return next();
    if (!ended)
        return {};
    m_expected.dequeue();
    m_state = State::StatusLine;
    ParserEvent event;
    event.type = ParserEvent::Type::Reply;
    event.reply = std::move(m_current);
    m_current = Reply();
    return event;
}

// Consumes buffered payload bytes, appending the dot-unstuffed data to out.
// Returns true when the terminating "." line has been consumed. Works a byte
// at a time only at line starts; line bodies are copied in one piece, so a
// 20 MB message costs a few memchr calls per line, not a branch per byte.
// A line ends at LF (CR LF or bare LF); CR alone is data, so bare LF in
// message data is kept as it came and 8-bit and NUL bytes pass untouched.
bool ReplyParser::scanPayloadBytes(QByteArray &out)
{
    const Expect kind = m_expected.head();
    const bool checkLines = kind == Expect::MultiLine;
    const char *data = m_in.bytes.constData();
    const qsizetype end = m_in.bytes.size();
    const qsizetype outStart = out.size();
    bool ended = false;

    auto overLimit = [&](qsizetype more) {
        const qint64 size = m_payloadSize + (out.size() - outStart) + more;
        if (kind == Expect::MessageStreamed)
            return m_limits.maxStreamedSize > 0 && size > m_limits.maxStreamedSize;
        return size > m_limits.maxReplySize;
    };

    qsizetype &pos = m_in.pos;
    while (pos < end && !ended) {
        const char c = data[pos];
        switch (m_lineState) {
        case LineState::Start:
            if (c == '.') {
                m_lineState = LineState::Dot;
                ++pos;
            } else {
                enterLineData(0, false);
            }
            break;
        case LineState::Dot:
            if (c == '\r') {
                m_lineState = LineState::DotCr;
                ++pos;
            } else if (c == '\n') { // ".\n": tolerated as the end, like bare LF elsewhere
                ++pos;
                ended = true;
            } else {
                // Dot-stuffed line: the first "." is dropped, the rest is data.
                enterLineData(1, false);
            }
            break;
        case LineState::DotCr:
            if (c == '\n') {
                ++pos;
                ended = true;
            } else {
                // ".\r" then something else: an unstuffed line whose data starts with CR.
                out.append('\r');
                enterLineData(2, true);
            }
            break;
        case LineState::Middle: {
            const void *hit = std::memchr(data + pos, '\n', size_t(end - pos));
            const qsizetype stop = hit ? static_cast<const char *>(hit) - data + 1 : end;
            // Checked before copying, so a huge chunk is refused, not duplicated.
            if (overLimit(stop - pos)) {
                fail(ErrorCode::Limit, QStringLiteral("POP3 multi-line reply larger than the limit"));
                return false;
            }
            out.append(data + pos, stop - pos);
            // Raw line length without the LF; a CR right before the LF (or at the
            // end of what has arrived so far) is not counted either. m_prevCr
            // remembers that CR across chunks, so the count never depends on chunking.
            const qsizetype body = stop - pos - (hit ? 1 : 0);
            if (body > 0)
                m_prevCr = data[pos + body - 1] == '\r';
            m_lineLength += body;
            pos = stop;
            const qsizetype lineLength = m_lineLength - (m_prevCr ? 1 : 0);
            if (checkLines && lineLength > m_limits.maxLineLength) {
                fail(ErrorCode::Limit,
                     QStringLiteral("POP3 reply line longer than %1 bytes").arg(m_limits.maxLineLength));
                return false;
            }
            if (hit)
                m_lineState = LineState::Start;
            break;
        }
        }
    }
    m_payloadSize += out.size() - outStart;
    m_in.compact();
    return ended;
}

// Into the data of a payload line, `lineLength` bytes of it counted already
// (the "." of a dot-stuffed line, a CR that turned out to be data).
void ReplyParser::enterLineData(qsizetype lineLength, bool afterCr)
{
    m_lineState = LineState::Middle;
    m_lineLength = lineLength;
    m_prevCr = afterCr;
}

ParserEvent ReplyParser::fail(ErrorCode code, const QString &message)
{
    m_in.fail(Error(code, message));
    m_current = Reply();
    return next(); // the Error event, as every later call reports it
}

} // namespace mailcore::pop3
