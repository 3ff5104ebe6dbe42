// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/pop3/commands.h"

#include "mailcore/base/commandargument.h"

namespace mailcore::pop3 {

namespace {

Command make(QByteArray line, Expect expect, QByteArray logLine = {})
{
    Command command;
    command.logLine = logLine.isEmpty() ? line : std::move(logLine);
    command.bytes = std::move(line) + "\r\n";
    command.expect = expect;
    return command;
}

Error badArgument(const QString &what) { return Error(ErrorCode::BadArgument, what); }

Result<Command> withMessage(const char *verb, int message, Expect expect)
{
    if (message < 1)
        return badArgument(QStringLiteral("message numbers start at 1"));
    return make(QByteArray(verb) + ' ' + QByteArray::number(message), expect);
}

Result<Command> limited(Command command)
{
    if (command.bytes.size() > Commands::MaxCommandLength)
        return badArgument(QStringLiteral("command longer than 255 octets"));
    return command;
}

} // namespace

Command Commands::capa() { return make("CAPA", Expect::MultiLine); }
Command Commands::stls() { return make("STLS", Expect::SingleLine); }
Command Commands::authCancel() { return make("*", Expect::SingleLine); }
Command Commands::stat() { return make("STAT", Expect::SingleLine); }
Command Commands::list() { return make("LIST", Expect::MultiLine); }
Command Commands::uidl() { return make("UIDL", Expect::MultiLine); }
Command Commands::rset() { return make("RSET", Expect::SingleLine); }
Command Commands::noop() { return make("NOOP", Expect::SingleLine); }
Command Commands::quit() { return make("QUIT", Expect::SingleLine); }

Result<Command> Commands::user(const QString &name)
{
    const Result<QByteArray> arg = commandArgument(name, QStringLiteral("user name"), false);
    if (!arg)
        return arg.error();
    return limited(make("USER " + arg.value(), Expect::SingleLine));
}

Result<Command> Commands::pass(const QString &password)
{
    const Result<QByteArray> arg = commandArgument(password, QStringLiteral("password"), true);
    if (!arg)
        return arg.error();
    return limited(make("PASS " + arg.value(), Expect::SingleLine, "PASS ***"));
}

Result<Command> Commands::authPlain(const QString &user, const QString &password, const QString &authorizationId)
{
    const Result<AuthPlainCommand> auth = authPlainCommand(user, password, authorizationId, MaxCommandLength);
    if (!auth)
        return auth.error();
    // A response too long for the command line goes after the "+".
    Command command = make(auth->line, Expect::SaslStep, auth->logLine);
    command.continuation = auth->continuation;
    return command;
}

Result<Command> Commands::list(int message) { return withMessage("LIST", message, Expect::SingleLine); }
Result<Command> Commands::uidl(int message) { return withMessage("UIDL", message, Expect::SingleLine); }
Result<Command> Commands::retr(int message) { return withMessage("RETR", message, Expect::Message); }
Result<Command> Commands::dele(int message) { return withMessage("DELE", message, Expect::SingleLine); }

Result<Command> Commands::top(int message, int lines)
{
    if (message < 1)
        return badArgument(QStringLiteral("message numbers start at 1"));
    if (lines < 0)
        return badArgument(QStringLiteral("TOP needs a line count of 0 or more"));
    return make("TOP " + QByteArray::number(message) + ' ' + QByteArray::number(lines), Expect::Message);
}

} // namespace mailcore::pop3
