// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/smtp/parser.h"

namespace mailcore::smtp {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Reads 1 to 3 digits at pos; returns -1 if there are none or more than 3.
int readNumber(QByteArrayView text, qsizetype &pos)
{
    int value = 0;
    const qsizetype start = pos;
    while (pos < text.size() && isDigit(text.at(pos)) && pos - start < 4)
        value = value * 10 + (text.at(pos++) - '0');
    const qsizetype digits = pos - start;
    return digits >= 1 && digits <= 3 ? value : -1;
}

// RFC 3463 "class.subject.detail" at the start of the text, followed by a space or
// the end. The class must agree with the reply code's first digit, which keeps
// ordinary text such as "2.5 seconds" in a 550 reply from being taken for one.
bool takeEnhanced(QByteArrayView &text, int codeClass, EnhancedStatus &status)
{
    if (text.size() < 5 || text.at(0) - '0' != codeClass || text.at(1) != '.')
        return false;
    qsizetype pos = 2;
    const int subject = readNumber(text, pos);
    if (subject < 0 || pos >= text.size() || text.at(pos) != '.')
        return false;
    ++pos;
    const int detail = readNumber(text, pos);
    if (detail < 0 || (pos < text.size() && text.at(pos) != ' '))
        return false;
    status = EnhancedStatus{codeClass, subject, detail};
    text = text.sliced(qMin(pos + 1, text.size()));
    return true;
}

} // namespace

ReplyParser::ReplyParser(ReplyLimits limits)
    : m_limits(limits)
{
}

ParseResult ReplyParser::next()
{
    for (;;) {
        if (hasFailed()) {
            ParseResult result;
            result.status = ParseResult::Status::Error;
            result.error = m_in.error;
            return result;
        }
        const LineInput::Line line = m_in.peekLine(m_limits.maxLineLength);
        if (line.status == LineInput::Line::TooLong)
            return fail(ErrorCode::Limit,
                        QStringLiteral("SMTP reply line longer than %1 bytes").arg(m_limits.maxLineLength));
        if (line.status == LineInput::Line::Incomplete)
            return {};
        bool final = false;
        const Error error = parseLine(line.text, final);
        m_in.pos = line.next;
        if (error.isError())
            return fail(error.code(), error.message());
        m_in.compact();
        if (final) {
            ParseResult result;
            result.status = ParseResult::Status::Reply;
            result.reply = std::move(m_current);
            m_current = Reply();
            return result;
        }
    }
}

Error ReplyParser::parseLine(QByteArrayView line, bool &final)
{
    auto protocol = [&line](const QString &what) {
        return Error(ErrorCode::Protocol,
                     what + QStringLiteral(": ") + QString::fromLatin1(line.first(qMin<qsizetype>(line.size(), 40))));
    };
    if (line.contains('\0'))
        return protocol(QStringLiteral("NUL byte in SMTP reply"));
    // RFC 5321 §4.2: the first digit is 2-5, the second 0-5, the third 0-9.
    if (line.size() < 3 || line.at(0) < '2' || line.at(0) > '5' || line.at(1) < '0' || line.at(1) > '5'
        || !isDigit(line.at(2)))
        return protocol(QStringLiteral("malformed SMTP reply line"));
    if (line.size() > 3 && line.at(3) != ' ' && line.at(3) != '-')
        return protocol(QStringLiteral("malformed SMTP reply line"));
    const int code = (line.at(0) - '0') * 100 + (line.at(1) - '0') * 10 + (line.at(2) - '0');
    if (!m_current.lines.isEmpty() && code != m_current.code)
        return protocol(QStringLiteral("reply code changed inside a multi-line reply"));
    if (m_current.lines.size() >= m_limits.maxLines)
        return Error(ErrorCode::Limit, QStringLiteral("SMTP reply longer than %1 lines").arg(m_limits.maxLines));

    m_current.code = code;
    final = line.size() == 3 || line.at(3) == ' ';
    QByteArrayView text = line.sliced(qMin<qsizetype>(4, line.size()));
    EnhancedStatus status;
    if (takeEnhanced(text, code / 100, status) && !m_current.enhanced.isValid())
        m_current.enhanced = status;
    m_current.lines.append(text.toByteArray());
    return {};
}

ParseResult ReplyParser::fail(ErrorCode code, const QString &message)
{
    m_in.fail(Error(code, message));
    m_current = Reply();
    return next(); // the Error result, as every later call reports it
}

} // namespace mailcore::smtp
