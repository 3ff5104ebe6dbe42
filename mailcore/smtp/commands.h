// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QString>

#include "mailcore/base/error.h"
#include "mailcore/base/result.h"
#include "mailcore/mailcore_export.h"
#include "mailcore/smtp/capabilities.h"

namespace mailcore::smtp {

/// One command ready to send: the exact bytes and a loggable form.
struct Command {
    QByteArray bytes;
    /// Bytes to send after a 334 reply, or empty. Only AUTH PLAIN uses it, when
    /// the initial response would not fit the 512-octet command line.
    QByteArray continuation;
    /// A loggable form without CR LF; secrets replaced by "***".
    QByteArray logLine;
};

/// What MAIL FROM should declare about the message.
struct MailOptions {
    /// Message size in octets for RFC 1870 SIZE=; -1 when unknown.
    qint64 size = -1;
    /// The message has 8-bit text (BODY=8BITMIME, RFC 6152).
    bool eightBitMime = false;
    /// Addresses or headers need UTF-8 (SMTPUTF8, RFC 6531).
    bool smtpUtf8 = false;
};

/// Builders for every SMTP command the client sends. Arguments are checked
/// first: CR, LF or NUL (command injection), "<" ">" and unquoted spaces in
/// addresses, and non-ASCII without SMTPUTF8 are refused with BadArgument.
class MAILCORE_EXPORT Commands
{
public:
    /// RFC 5321 §4.5.3.1.4: a command line is at most 512 octets including CR LF.
    static constexpr qsizetype MaxCommandLength = 512;

    /// domain is a host name or an address literal such as "[127.0.0.1]".
    static Result<Command> ehlo(const QString &domain);
    static Result<Command> helo(const QString &domain);
    static Command startTls();
    /// RFC 4954 AUTH PLAIN with the initial response when it fits on the line.
    static Result<Command> authPlain(const QString &user, const QString &password, const QString &authorizationId = {});
    /// AUTH LOGIN, then authLoginUser() after the first 334, authLoginPassword() after the second.
    static Command authLogin();
    static Result<Command> authLoginUser(const QString &user);
    static Result<Command> authLoginPassword(const QString &password);
    /// "*": cancels a SASL exchange (RFC 4954).
    static Command authCancel();
    /// MAIL FROM. An empty reversePath is the null path "<>" (bounces). SIZE= is
    /// added when the server offers SIZE; a size above its limit is a Limit error;
    /// 8BITMIME / SMTPUTF8 requested but not offered are BadArgument, since the
    /// message would have to be re-encoded first.
    static Result<Command> mailFrom(const QString &reversePath, const MailOptions &options,
                                    const Capabilities &capabilities);
    static Result<Command> rcptTo(const QString &address, bool smtpUtf8 = false);
    static Command data();
    static Command rset();
    static Command noop();
    static Command quit();

    /// The address checks used by mailFrom and rcptTo; None when acceptable.
    static Error checkAddress(const QString &address, bool smtpUtf8);
};

} // namespace mailcore::smtp
