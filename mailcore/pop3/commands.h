// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QString>

#include "mailcore/base/result.h"
#include "mailcore/mailcore_export.h"
#include "mailcore/pop3/reply.h"

namespace mailcore::pop3 {

/// One command ready to send: the exact bytes, what to log instead, and the reply
/// kind to pass to ReplyParser::expect().
struct Command {
    QByteArray bytes;
    /// Bytes to send after a "+" continuation, or empty. Only AUTH PLAIN uses it,
    /// when the initial response would make the line longer than RFC 2449's 255 octets.
    QByteArray continuation;
    /// A loggable form without CR LF; secrets replaced by "***".
    QByteArray logLine;
    Expect expect = Expect::SingleLine;
};

/// Builders for every POP3 command the client sends. Arguments are checked
/// before anything is built: CR, LF or NUL (which would let an argument smuggle
/// in a second command) and spaces where the grammar has no room for them are
/// refused with ErrorCode::BadArgument. Text is sent as UTF-8.
class MAILCORE_EXPORT Commands
{
public:
    /// RFC 2449: lines the client sends are at most 255 octets including CR LF.
    static constexpr qsizetype MaxCommandLength = 255;

    static Command capa();
    static Command stls();
    static Result<Command> user(const QString &name);
    /// Spaces are allowed: RFC 1939 lets the server take the rest of the line as the password.
    static Result<Command> pass(const QString &password);
    /// RFC 5034 AUTH PLAIN with the initial response on the command line when it fits.
    static Result<Command> authPlain(const QString &user, const QString &password, const QString &authorizationId = {});
    /// "*": cancels a SASL exchange (RFC 5034).
    static Command authCancel();
    static Command stat();
    static Command list();
    static Result<Command> list(int message);
    static Command uidl();
    static Result<Command> uidl(int message);
    /// TOP n lines (Expect::Message).
    static Result<Command> top(int message, int lines);
    /// RETR (Expect::Message; set expect to MessageStreamed to receive it in chunks).
    static Result<Command> retr(int message);
    static Result<Command> dele(int message);
    static Command rset();
    static Command noop();
    static Command quit();
};

} // namespace mailcore::pop3
