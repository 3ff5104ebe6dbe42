// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/imap/commandwriter.h"

#include <QStringDecoder>

#include "mailcore/imap/cursor.h"
#include "mailcore/imap/utf7.h"

namespace mailcore::imap {

QByteArray Command::bytes() const
{
    QByteArray out;
    for (const CommandPiece &p : pieces)
        out += p.bytes;
    return out;
}

namespace detail {

namespace {

// Quoted strings stay short; beyond this a literal is cheaper to escape-check
// and some servers limit quoted string length.
constexpr qsizetype kMaxQuoted = 1024;
// LITERAL- (RFC 7888) allows non-synchronising literals up to this size.
constexpr qsizetype kLiteralMinusMax = 4096;

bool isValidUtf8(QByteArrayView v)
{
    QStringDecoder decoder(QStringDecoder::Utf8);
    (void)decoder.decode(v);
    return !decoder.hasError();
}

// For the log line only: one line, printable.
QByteArray escapedForLog(QByteArrayView v)
{
    QByteArray out = "\"";
    for (char c : v) {
        if (c == '\r')
            out += "\\r";
        else if (c == '\n')
            out += "\\n";
        else if (uchar(c) < 0x20 || c == 0x7f)
            out += "\\x" + QByteArray::number(uchar(c), 16).rightJustified(2, '0');
        else if (c == '"' || c == '\\')
            out += '\\' + QByteArray(1, c);
        else
            out += c;
    }
    return out + '"';
}

} // namespace

bool containsControlCharacter(const QString &value)
{
    for (QChar c : value) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            return true;
    }
    return false;
}

bool isAtomText(QByteArrayView value)
{
    if (value.isEmpty())
        return false;
    for (char c : value) {
        if (!isAtomChar(c))
            return false;
    }
    return true;
}

CommandWriter::CommandWriter(const QByteArray &tag, QByteArrayView name, const SerializerOptions &options)
    : m_options(options)
{
    m_command.tag = tag;
    m_command.name = name.toByteArray();
    if (tag.isEmpty() && name != "DONE") // only IDLE's DONE goes untagged
        fail(QStringLiteral("missing command tag"));
    if (!tag.isEmpty()) {
        // tag = 1*<any ASTRING-CHAR except "+">
        if (!isAtomText(tag) || tag.contains('+'))
            fail(QStringLiteral("invalid command tag"));
        raw(tag);
        space();
    }
    raw(name);
}

void CommandWriter::fail(const QString &message)
{
    if (!m_error.isError())
        m_error = Error(ErrorCode::BadArgument, message);
}

void CommandWriter::logText(QByteArrayView text, Sensitivity s)
{
    switch (s) {
    case Sensitivity::Normal: m_command.logLine += text; break;
    case Sensitivity::Secret: m_command.logLine += "***"; break;
    case Sensitivity::MessageBody: m_command.logLine += '<' + QByteArray::number(text.size()) + " bytes>"; break;
    }
}

void CommandWriter::raw(QByteArrayView text)
{
    m_current += text;
    m_command.logLine += text;
}

void CommandWriter::rawSecret(QByteArrayView text)
{
    m_current += text;
    logText(text, Sensitivity::Secret);
}

void CommandWriter::atom(QByteArrayView value, const char *what)
{
    if (!isAtomText(value)) {
        fail(QStringLiteral("%1 is not a valid IMAP atom").arg(QLatin1String(what)));
        return;
    }
    raw(value);
}

void CommandWriter::atoms(const QList<QByteArray> &values, const char *what)
{
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (i > 0)
            space();
        atom(values[i], what);
    }
}

void CommandWriter::flag(QByteArrayView value)
{
    const QByteArrayView body = value.startsWith('\\') ? value.sliced(1) : value;
    if (!isAtomText(body)) {
        fail(QStringLiteral("flag or keyword contains characters IMAP forbids"));
        return;
    }
    raw(value);
}

void CommandWriter::flagList(const QList<QByteArray> &flags)
{
    raw("(");
    for (qsizetype i = 0; i < flags.size(); ++i) {
        if (i > 0)
            space();
        flag(flags[i]);
    }
    raw(")");
}

void CommandWriter::string(QByteArrayView value, const char *what, Sensitivity s)
{
    if (value.contains('\0')) {
        // IMAP4rev1 text and literals exclude NUL; only BINARY's literal8 allows it.
        fail(QStringLiteral("%1 contains a NUL byte").arg(QLatin1String(what)));
        return;
    }
    bool needLiteral = value.size() > kMaxQuoted || value.contains('\r') || value.contains('\n');
    bool eightBit = false;
    for (char c : value)
        eightBit |= uchar(c) >= 0x80;
    if (eightBit && !(m_options.utf8Accept && isValidUtf8(value)))
        needLiteral = true;
    if (needLiteral) {
        literal(value, s);
        return;
    }
    QByteArray quoted;
    quoted.reserve(value.size() + 2);
    quoted += '"';
    for (char c : value) {
        if (c == '"' || c == '\\')
            quoted += '\\';
        quoted += c;
    }
    quoted += '"';
    m_current += quoted;
    logText(quoted, s);
}

void CommandWriter::string(const QString &value, const char *what, Sensitivity s)
{
    string(QByteArrayView(value.toUtf8()), what, s);
}

void CommandWriter::astring(QByteArrayView value, const char *what, Sensitivity s)
{
    if (s == Sensitivity::Normal && isAtomText(value)) {
        raw(value);
        return;
    }
    string(value, what, s);
}

void CommandWriter::nstring(const QString &value, const char *what)
{
    if (value.isNull())
        raw("NIL");
    else
        string(value, what);
}

void CommandWriter::mailbox(const QString &name)
{
    if (name.compare(QLatin1String("INBOX"), Qt::CaseInsensitive) == 0) {
        raw("INBOX");
        return;
    }
    // Encoded (mUTF-7, or a literal under UTF8=ACCEPT) a control character
    // would travel safely, but a server may echo the name back decoded in a
    // LIST or STATUS reply and break the session on it: refused up front.
    if (containsControlCharacter(name)) {
        fail(QStringLiteral("mailbox name contains a control character (CR, LF, NUL...)"));
        return;
    }
    const QByteArray encoded = m_options.utf8Accept ? name.toUtf8() : encodeMailboxName(name);
    astring(encoded, "mailbox name");
}

void CommandWriter::mailboxes(const QString &first, const QString &second)
{
    mailbox(first);
    space();
    mailbox(second);
}

void CommandWriter::literal(QByteArrayView value, Sensitivity s)
{
    if (value.contains('\0')) {
        fail(QStringLiteral("literal contains a NUL byte"));
        return;
    }
    const bool nonSync = m_options.literalPlus || (m_options.literalMinus && value.size() <= kLiteralMinusMax);
    const QByteArray size = QByteArray::number(value.size());
    const QByteArray announce = '{' + size + (nonSync ? "+}" : "}");
    m_current += announce + "\r\n";
    m_command.logLine += announce;
    if (!nonSync) {
        m_command.pieces.append(CommandPiece{m_current, m_currentWaits});
        m_current.clear();
        m_currentWaits = true;
    }
    m_current += value;
    if (s == Sensitivity::Normal)
        m_command.logLine += escapedForLog(value);
    else
        logText(value, s);
}

Command CommandWriter::finish()
{
    if (m_error.isError()) {
        Command c;
        c.tag = m_command.tag;
        c.name = m_command.name;
        c.error = m_error;
        c.logLine = m_command.name + " (not sent: " + m_error.message().toUtf8() + ')';
        return c;
    }
    m_current += "\r\n";
    m_command.pieces.append(CommandPiece{m_current, m_currentWaits});
    m_current.clear();
    return m_command;
}

} // namespace detail
} // namespace mailcore::imap
