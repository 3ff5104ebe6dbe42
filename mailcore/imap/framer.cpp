// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/imap/framer.h"

namespace mailcore::imap {

Error ProtocolError::toError() const
{
    return Error(ErrorCode::Protocol,
                 QStringLiteral("malformed IMAP response at byte %1: %2").arg(position).arg(description));
}

ResponseFramer::ResponseFramer(ParserLimits limits)
    : m_limits(limits)
{
}

void ResponseFramer::reset()
{
    m_frame = {};
    m_lineStart = 0;
    m_inLiteral = false;
    m_literalSize = 0;
    m_literalBytesInResponse = 0;
    m_streamPos = 0;
    m_literal = {};
    m_failed = false;
}

ResponseFramer::Result ResponseFramer::fail(QString description, qsizetype consumed)
{
    m_failed = true;
    Result r;
    r.status = ParseStatus::Error;
    r.consumed = consumed;
    r.error = ProtocolError{std::move(description), m_streamPos};
    return r;
}

// Status responses and continuation requests end in free text, which may end in
// "{5}" without announcing anything; only data responses carry literals.
bool ResponseFramer::lineMayCarryLiteral() const
{
    const QByteArray &t = m_frame.text;
    if (t.startsWith('+'))
        return false;
    const qsizetype sp = t.indexOf(' ');
    if (sp < 0)
        return true;
    qsizetype end = sp + 1;
    while (end < t.size() && t[end] != ' ' && t[end] != '\r' && t[end] != '\n' && t[end] != '[')
        ++end;
    const QByteArray word = t.mid(sp + 1, end - sp - 1).toUpper();
    return !(word == "OK" || word == "NO" || word == "BAD" || word == "BYE" || word == "PREAUTH");
}

bool ResponseFramer::startLiteralIfAnnounced(qsizetype lineStart, QString *error)
{
    QByteArrayView line = QByteArrayView(m_frame.text).sliced(lineStart);
    line.chop(1); // LF
    if (line.endsWith('\r'))
        line.chop(1);
    if (!line.endsWith('}'))
        return false;
    if (lineStart == 0 && !lineMayCarryLiteral())
        return false;
    const qsizetype open = line.lastIndexOf('{');
    if (open < 0)
        return false;
    QByteArrayView digits = line.sliced(open + 1, line.size() - open - 2);
    if (digits.endsWith('+') || digits.endsWith('-'))
        digits.chop(1);
    if (digits.isEmpty())
        return false;
    for (char c : digits) {
        if (c < '0' || c > '9')
            return false; // "{abc}" is just text
    }
    // Decide before converting: 20 digits can overflow 64 bits, and nothing
    // announced above the limit may be allocated, so reject at once.
    qint64 size = 0;
    for (char c : digits) {
        size = size * 10 + (c - '0');
        if (size > m_limits.maxLiteralSize) {
            *error = QStringLiteral("literal of %1 bytes exceeds the limit of %2 bytes")
                         .arg(QString::fromLatin1(digits.first(std::min<qsizetype>(digits.size(), 24))))
                         .arg(m_limits.maxLiteralSize);
            return false;
        }
    }
    if (m_literalBytesInResponse + size > m_limits.maxResponseLiteralBytes) {
        *error = QStringLiteral("literals of this response exceed the limit of %1 bytes")
                     .arg(m_limits.maxResponseLiteralBytes);
        return false;
    }
    m_literalBytesInResponse += size;
    if (size == 0) {
        m_frame.literals.append(Frame::Literal{m_frame.text.size(), QByteArray("")});
        return true;
    }
    m_inLiteral = true;
    m_literalSize = size;
    m_literal = QByteArray();
    // Exactly the announced size (bounded above): appending then never
    // reallocates, so a 20 MB body costs 20 MB, copied once from the socket.
    m_literal.reserve(qsizetype(size));
    return true;
}

ResponseFramer::Result ResponseFramer::feed(QByteArrayView input)
{
    if (m_failed)
        return fail(QStringLiteral("the stream already failed; reset() first"), 0);
    qsizetype pos = 0;
    while (pos < input.size()) {
        if (m_inLiteral) {
            const qsizetype take = qsizetype(std::min<qint64>(m_literalSize - m_literal.size(), input.size() - pos));
            m_literal.append(input.sliced(pos, take));
            pos += take;
            m_streamPos += take;
            if (m_literal.size() < m_literalSize)
                break;
            m_frame.literals.append(Frame::Literal{m_frame.text.size(), std::move(m_literal)});
            m_literal = QByteArray();
            m_inLiteral = false;
            m_lineStart = m_frame.text.size();
            continue;
        }
        const QByteArrayView rest = input.sliced(pos);
        const qsizetype lf = rest.indexOf('\n');
        const qsizetype take = lf < 0 ? rest.size() : lf + 1;
        if (m_frame.text.size() + take > m_limits.maxLineLength) {
            m_streamPos += m_limits.maxLineLength - m_frame.text.size();
            return fail(QStringLiteral("response text longer than %1 bytes").arg(m_limits.maxLineLength), pos + take);
        }
        m_frame.text.append(rest.first(take));
        pos += take;
        m_streamPos += take;
        if (lf < 0)
            break;
        QString error;
        const bool literal = startLiteralIfAnnounced(m_lineStart, &error);
        if (!error.isEmpty())
            return fail(error, pos);
        if (literal) {
            m_lineStart = m_frame.text.size();
            continue;
        }
        Result r;
        r.status = ParseStatus::Complete;
        r.consumed = pos;
        r.frame = std::move(m_frame);
        reset();
        return r;
    }
    Result r;
    r.status = ParseStatus::NeedMore;
    r.consumed = pos;
    return r;
}

} // namespace mailcore::imap
