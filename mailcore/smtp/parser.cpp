#include "mailcore/smtp/parser.h"

namespace mailcore::smtp {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

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

void ReplyParser::feed(QByteArrayView bytes)
{
    if (!hasFailed())
        m_buffer.append(bytes.data(), bytes.size());
}

ParseResult ReplyParser::next()
{
    for (;;) {
        if (hasFailed()) {
            ParseResult result;
            result.status = ParseResult::Status::Error;
            result.error = m_error;
            return result;
        }
        const qsizetype lf = m_buffer.indexOf('\n', m_pos);
        const qsizetype available = (lf < 0 ? m_buffer.size() : lf) - m_pos;
        // +1: a CR before the LF is not part of the line.
        if (available > m_limits.maxLineLength + 1)
            return fail(ErrorCode::Limit,
                        QStringLiteral("SMTP reply line longer than %1 bytes").arg(m_limits.maxLineLength));
        if (lf < 0) {
            if (m_pos == m_buffer.size()) {
                m_buffer.clear();
                m_pos = 0;
            }
            return {};
        }
        QByteArrayView line(m_buffer.constData() + m_pos, lf - m_pos);
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.size() > m_limits.maxLineLength)
            return fail(ErrorCode::Limit,
                        QStringLiteral("SMTP reply line longer than %1 bytes").arg(m_limits.maxLineLength));
        bool final = false;
        const Error error = parseLine(line, final);
        m_pos = lf + 1;
        if (error.isError())
            return fail(error.code(), error.message());
        if (m_pos > 4096 && m_pos > m_buffer.size() / 2) {
            m_buffer.remove(0, m_pos);
            m_pos = 0;
        }
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
                     what + QStringLiteral(": ")
                         + QString::fromLatin1(line.first(qMin<qsizetype>(line.size(), 40))));
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
    m_error = Error(code, message);
    m_buffer.clear();
    m_pos = 0;
    m_current = Reply();
    ParseResult result;
    result.status = ParseResult::Status::Error;
    result.error = m_error;
    return result;
}

} // namespace mailcore::smtp
