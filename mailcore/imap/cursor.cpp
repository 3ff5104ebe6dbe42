// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/imap/cursor.h"

namespace mailcore::imap::detail {

bool isAtomChar(char c)
{
    const uchar u = uchar(c);
    if (u <= 0x20 || u >= 0x7f)
        return false; // CTL, SP, and 8-bit (not CHAR)
    switch (c) {
    case '(':
    case ')':
    case '{':
    case '%':
    case '*':
    case '"':
    case '\\':
    case ']': return false;
    default: return true;
    }
}

Cursor::Cursor(const Frame &frame, const ParserLimits &limits)
    : m_frame(frame)
    , m_text(frame.text)
    , m_limits(limits)
{
}

qint64 Cursor::streamPosition(qsizetype textPosition) const
{
    qint64 pos = textPosition;
    for (const Frame::Literal &l : m_frame.literals) {
        if (l.offset <= textPosition)
            pos += l.data.size();
    }
    return pos;
}

void Cursor::fail(const QString &what) const { throw ParseFailure{what, m_pos}; }

bool Cursor::atLineEnd() const
{
    const char c = peek();
    return c == '\n' || (c == '\r' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '\n');
}

bool Cursor::atEnd() const
{
    if (!atLineEnd())
        return false;
    return m_pos + (peek() == '\r' ? 2 : 1) == m_text.size();
}

void Cursor::expectEnd()
{
    if (!atEnd())
        fail("unexpected data before the end of the response");
}

void Cursor::expect(char c)
{
    if (peek() != c || m_pos >= m_text.size()) {
        if (c == ')' && atLineEnd())
            fail("unbalanced parentheses: missing ')'");
        fail(QStringLiteral("expected '%1'").arg(QLatin1Char(c)));
    }
    ++m_pos;
}

bool Cursor::consumeIf(char c)
{
    if (m_pos < m_text.size() && m_text[m_pos] == c) {
        ++m_pos;
        return true;
    }
    return false;
}

bool Cursor::consumeKeyword(QByteArrayView keyword)
{
    if (m_pos + keyword.size() > m_text.size())
        return false;
    const QByteArrayView here = QByteArrayView(m_text).sliced(m_pos, keyword.size());
    if (here.compare(keyword, Qt::CaseInsensitive) != 0)
        return false;
    const qsizetype after = m_pos + keyword.size();
    if (after < m_text.size() && isAtomChar(m_text[after]) && m_text[after] != '[')
        return false;
    m_pos = after;
    return true;
}

QByteArray Cursor::atom(bool allowBracket)
{
    const qsizetype start = m_pos;
    while (m_pos < m_text.size() && (isAtomChar(m_text[m_pos]) || (allowBracket && m_text[m_pos] == ']')))
        ++m_pos;
    if (m_pos == start)
        fail("expected an atom");
    return m_text.mid(start, m_pos - start);
}

QByteArray Cursor::fetchItemName()
{
    const qsizetype start = m_pos;
    while (m_pos < m_text.size() && isAtomChar(m_text[m_pos]) && m_text[m_pos] != '[')
        ++m_pos;
    if (m_pos == start)
        fail("expected a FETCH item");
    return m_text.mid(start, m_pos - start);
}

QByteArray Cursor::flag()
{
    if (consumeIf('\\')) {
        if (consumeIf('*'))
            return QByteArrayLiteral("\\*");
        return '\\' + atom();
    }
    return atom();
}

quint64 Cursor::number()
{
    const qsizetype start = m_pos;
    quint64 value = 0;
    while (m_pos < m_text.size() && m_text[m_pos] >= '0' && m_text[m_pos] <= '9') {
        // number64 (RFC 9051) is at most 2^63-1; anything longer is an attack or a bug.
        const quint64 digit = quint64(m_text[m_pos] - '0');
        if (value > (quint64(0x7FFFFFFFFFFFFFFF) - digit) / 10)
            fail("number too large");
        value = value * 10 + digit;
        ++m_pos;
    }
    if (m_pos == start)
        fail("expected a number");
    return value;
}

quint32 Cursor::number32()
{
    const quint64 v = number();
    if (v > 0xFFFFFFFFu)
        fail("number does not fit in 32 bits");
    return quint32(v);
}

quint32 Cursor::nzNumber32()
{
    const quint32 v = number32();
    if (v == 0)
        fail("expected a non-zero number");
    return v;
}

QByteArray Cursor::quoted()
{
    expect('"');
    QByteArray out(""); // "" is empty but not null: null means NIL
    while (true) {
        if (m_pos >= m_text.size() || atLineEnd())
            fail("unterminated quoted string");
        const char c = m_text[m_pos++];
        if (c == '"')
            return out;
        if (c == '\0' || c == '\r' || c == '\n')
            fail("forbidden character in a quoted string");
        if (c == '\\') {
            if (m_pos >= m_text.size() || (m_text[m_pos] != '"' && m_text[m_pos] != '\\'))
                fail("invalid escape in a quoted string");
            out += m_text[m_pos++];
            continue;
        }
        out += c;
    }
}

QByteArray Cursor::literal()
{
    const qsizetype start = m_pos;
    consumeIf('~'); // literal8 (RFC 3516), allowed wherever we accept a literal
    expect('{');
    const quint64 size = number();
    if (!consumeIf('+'))
        consumeIf('-');
    expect('}');
    if (!atLineEnd())
        fail("a literal announcement must end its line");
    m_pos += peek() == '\r' ? 2 : 1;
    if (m_nextLiteral >= m_frame.literals.size() || m_frame.literals[m_nextLiteral].offset != m_pos) {
        m_pos = start;
        fail("literal announced where the framer saw none");
    }
    const Frame::Literal &l = m_frame.literals[m_nextLiteral++];
    if (quint64(l.data.size()) != size) {
        m_pos = start;
        fail("literal size mismatch");
    }
    return l.data; // implicitly shared: no copy of the bytes
}

QByteArray Cursor::string()
{
    const char c = peek();
    if (c == '"')
        return quoted();
    if (c == '{' || c == '~')
        return literal();
    fail("expected a string");
}

bool Cursor::consumeNil() { return consumeKeyword("NIL"); }

QByteArray Cursor::nstring()
{
    if (consumeNil())
        return QByteArray();
    return string();
}

QByteArray Cursor::astring()
{
    const char c = peek();
    if (c == '"' || c == '{' || c == '~')
        return string();
    return atom(true);
}

QByteArray Cursor::lenientNString()
{
    const char c = peek();
    if (c == '"' || c == '{' || c == '~')
        return string();
    QByteArray a = atom();
    if (a.compare("NIL", Qt::CaseInsensitive) == 0)
        return QByteArray();
    return a;
}

SequenceSet Cursor::sequenceSet()
{
    const qsizetype start = m_pos;
    while (m_pos < m_text.size()) {
        const char c = m_text[m_pos];
        if (!((c >= '0' && c <= '9') || c == ':' || c == ',' || c == '*'))
            break;
        ++m_pos;
    }
    auto set = SequenceSet::parse(QByteArrayView(m_text).sliced(start, m_pos - start));
    if (!set) {
        m_pos = start;
        fail("malformed sequence set");
    }
    return *set;
}

void Cursor::enterList()
{
    expect('(');
    if (++m_depth > m_limits.maxNestingDepth)
        fail(QStringLiteral("lists nested deeper than %1").arg(m_limits.maxNestingDepth));
}

bool Cursor::enterListOrNil()
{
    if (consumeNil())
        return false;
    enterList();
    return true;
}

void Cursor::leaveList()
{
    expect(')');
    --m_depth;
}

bool Cursor::leaveListIf()
{
    if (consumeIf(')')) {
        --m_depth;
        return true;
    }
    if (m_pos >= m_text.size() || atLineEnd())
        fail("unbalanced parentheses: missing ')'");
    return false;
}

void Cursor::skipValue()
{
    const char c = peek();
    if (c == '(') {
        enterList();
        while (!leaveListIf()) {
            skipValue();
            consumeIf(' ');
        }
        return;
    }
    if (c == '"' || c == '{' || c == '~') {
        string();
        return;
    }
    // An atom-like token; sections ("BODY[1]<0>") may carry spaces inside brackets.
    const qsizetype start = m_pos;
    while (m_pos < m_text.size()) {
        const char d = m_text[m_pos];
        if (d == '[') {
            until(']');
            ++m_pos;
            continue;
        }
        if (!isAtomChar(d) && d != '\\' && d != '*' && d != '%')
            break;
        ++m_pos;
    }
    if (m_pos == start)
        fail("unexpected character");
}

QByteArray Cursor::restOfLine()
{
    const qsizetype start = m_pos;
    while (m_pos < m_text.size() && !atLineEnd()) {
        if (m_text[m_pos] == '\0' || m_text[m_pos] == '\r')
            fail("NUL or CR in text");
        ++m_pos;
    }
    return m_text.mid(start, m_pos - start);
}

QByteArray Cursor::until(char stop)
{
    const qsizetype start = m_pos;
    while (m_pos < m_text.size() && m_text[m_pos] != stop) {
        if (atLineEnd())
            fail(QStringLiteral("missing '%1'").arg(QLatin1Char(stop)));
        ++m_pos;
    }
    if (m_pos >= m_text.size())
        fail(QStringLiteral("missing '%1'").arg(QLatin1Char(stop)));
    return m_text.mid(start, m_pos - start);
}

} // namespace mailcore::imap::detail
