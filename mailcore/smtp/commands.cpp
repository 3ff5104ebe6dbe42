// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/smtp/commands.h"

#include "mailcore/base/commandargument.h"

namespace mailcore::smtp {

namespace {

Error badArgument(const QString &what) { return Error(ErrorCode::BadArgument, what); }

Command make(QByteArray line, QByteArray logLine = {})
{
    Command command;
    command.logLine = logLine.isEmpty() ? line : std::move(logLine);
    command.bytes = std::move(line) + "\r\n";
    return command;
}

Result<Command> limited(Command command)
{
    if (command.bytes.size() > Commands::MaxCommandLength)
        return badArgument(QStringLiteral("command longer than 512 octets"));
    return command;
}

bool isControl(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F;
}

// CR, LF and NUL in any argument would end the command early and let the rest
// run as a command of its own; other control characters have no place either.
Error checkNoControls(const QByteArray &bytes, const QString &what)
{
    for (char c : bytes) {
        if (c == '\r' || c == '\n' || c == '\0')
            return badArgument(what + QStringLiteral(" contains CR, LF or NUL"));
        if (isControl(c))
            return badArgument(what + QStringLiteral(" contains a control character"));
    }
    return {};
}

Result<Command> heloCommand(const char *verb, const QString &domain)
{
    const QByteArray bytes = domain.toUtf8();
    if (bytes.isEmpty())
        return badArgument(QStringLiteral("EHLO/HELO domain is empty"));
    if (const Error error = checkNoControls(bytes, QStringLiteral("domain")); error.isError())
        return error;
    for (char c : bytes) {
        if (c == ' ' || c == '<' || c == '>' || static_cast<unsigned char>(c) >= 0x80)
            return badArgument(QStringLiteral("EHLO/HELO domain must be an ASCII host name or address literal"));
    }
    return limited(make(QByteArray(verb) + ' ' + bytes));
}

} // namespace

Error Commands::checkAddress(const QString &address, bool smtpUtf8)
{
    const QByteArray bytes = address.toUtf8();
    if (const Error error = checkNoControls(bytes, QStringLiteral("address")); error.isError())
        return error;
    qsizetype pos = 0;
    bool quoted = false;
    if (bytes.startsWith('"')) {
        // Quoted local part: spaces and "@" are allowed inside, a backslash escapes the next octet.
        quoted = true;
        for (pos = 1; pos < bytes.size() && bytes.at(pos) != '"'; ++pos) {
            if (bytes.at(pos) == '\\')
                ++pos;
        }
        if (pos >= bytes.size())
            return badArgument(QStringLiteral("address has an unterminated quoted local part"));
        ++pos;
        if (pos >= bytes.size() || bytes.at(pos) != '@')
            return badArgument(QStringLiteral("quoted local part must be followed by \"@\""));
    }
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        const char c = bytes.at(i);
        // "<" and ">" would close the path early, even inside quotes some servers split on them.
        if (c == '<' || c == '>')
            return badArgument(QStringLiteral("address contains \"<\" or \">\""));
        if (static_cast<unsigned char>(c) >= 0x80 && !smtpUtf8)
            return badArgument(QStringLiteral("non-ASCII address needs SMTPUTF8"));
        if (i >= pos && (c == ' ' || c == '\t' || c == '"'))
            return badArgument(QStringLiteral("address contains a space or quote outside a quoted local part"));
    }
    const qsizetype at = bytes.lastIndexOf('@');
    if (bytes.compare("postmaster", Qt::CaseInsensitive) == 0)
        return {}; // RFC 5321 §4.5.1: a bare "Postmaster" is a valid recipient
    if (at < (quoted ? pos : 1) || at == bytes.size() - 1)
        return badArgument(QStringLiteral("address must be local-part@domain"));
    if (bytes.indexOf('@', pos) != at)
        return badArgument(QStringLiteral("address has more than one \"@\" outside quotes"));
    return {};
}

Result<Command> Commands::ehlo(const QString &domain) { return heloCommand("EHLO", domain); }
Result<Command> Commands::helo(const QString &domain) { return heloCommand("HELO", domain); }
Command Commands::startTls() { return make("STARTTLS"); }
Command Commands::authLogin() { return make("AUTH LOGIN"); }
Command Commands::authCancel() { return make("*"); }
Command Commands::data() { return make("DATA"); }
Command Commands::rset() { return make("RSET"); }
Command Commands::noop() { return make("NOOP"); }
Command Commands::quit() { return make("QUIT"); }

Result<Command> Commands::authPlain(const QString &user, const QString &password, const QString &authorizationId)
{
    const Result<AuthPlainCommand> auth = authPlainCommand(user, password, authorizationId, MaxCommandLength);
    if (!auth)
        return auth.error();
    // A response too long for the command line goes after the empty 334.
    Command command = make(auth->line, auth->logLine);
    command.continuation = auth->continuation;
    return command;
}

Result<Command> Commands::authLoginUser(const QString &user)
{
    const Result<QByteArray> checked = commandArgument(user, QStringLiteral("user name"), true);
    if (!checked)
        return checked.error();
    // RFC 4954: SASL responses are not bound by the 512-octet command line limit.
    return make(checked.value().toBase64(), "(AUTH LOGIN user name)");
}

Result<Command> Commands::authLoginPassword(const QString &password)
{
    const Result<QByteArray> checked = commandArgument(password, QStringLiteral("password"), true);
    if (!checked)
        return checked.error();
    return make(checked.value().toBase64(), "***");
}

Result<Command> Commands::mailFrom(const QString &reversePath, const MailOptions &options,
                                   const Capabilities &capabilities)
{
    if (options.smtpUtf8 && !capabilities.smtpUtf8)
        return badArgument(QStringLiteral("the server does not offer SMTPUTF8"));
    if (options.eightBitMime && !capabilities.eightBitMime)
        return badArgument(QStringLiteral("the server does not offer 8BITMIME"));
    if (!reversePath.isEmpty()) {
        if (const Error error = checkAddress(reversePath, options.smtpUtf8); error.isError())
            return error;
    }
    if (capabilities.size && capabilities.maxSize > 0 && options.size > capabilities.maxSize)
        return Error(ErrorCode::Limit,
                     QStringLiteral("message of %1 bytes is above the server's limit of %2")
                         .arg(options.size)
                         .arg(capabilities.maxSize));
    QByteArray line = "MAIL FROM:<" + reversePath.toUtf8() + '>';
    if (capabilities.size && options.size >= 0)
        line += " SIZE=" + QByteArray::number(options.size);
    if (options.eightBitMime)
        line += " BODY=8BITMIME";
    if (options.smtpUtf8)
        line += " SMTPUTF8";
    return limited(make(line));
}

Result<Command> Commands::rcptTo(const QString &address, bool smtpUtf8)
{
    if (address.isEmpty())
        return badArgument(QStringLiteral("recipient address is empty"));
    if (const Error error = checkAddress(address, smtpUtf8); error.isError())
        return error;
    return limited(make("RCPT TO:<" + address.toUtf8() + '>'));
}

} // namespace mailcore::smtp
