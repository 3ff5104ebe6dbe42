// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QString>

#include "mailcore/base/result.h"

namespace mailcore {

/// `value` as UTF-8 for one argument of a line-based command (a POP3 or SMTP
/// user name, a password). Refused with ErrorCode::BadArgument, naming
/// `what`, when it is empty or holds CR, LF or NUL: each could end the
/// command early and let the rest run as a command the user never asked
/// for. Spaces and tabs are refused too unless `allowSpaces`.
MAILCORE_EXPORT Result<QByteArray> commandArgument(const QString &value, const QString &what, bool allowSpaces);

/// The SASL PLAIN response (RFC 4616), base64: `authorizationId` (may be
/// empty), NUL, `user`, NUL, `password`; each checked as commandArgument().
MAILCORE_EXPORT Result<QByteArray> saslPlainResponse(const QString &user, const QString &password,
                                                     const QString &authorizationId);

/// AUTH PLAIN on a line-based protocol (POP3: RFC 5034 §4, SMTP: RFC 4954 §4).
struct AuthPlainCommand {
    /// "AUTH PLAIN <response>" when that line with its CR LF fits in the
    /// protocol's command length, else "AUTH PLAIN" alone; without CR LF.
    QByteArray line;
    /// The response and CR LF, to send after the server's empty challenge,
    /// when it did not fit on the line; empty otherwise.
    QByteArray continuation;
    /// What to log: the response never appears.
    QByteArray logLine;
};

/// The AUTH PLAIN command for saslPlainResponse(), `maxCommandLength` being the
/// longest command line (CR LF included) the protocol allows.
Result<AuthPlainCommand> authPlainCommand(const QString &user, const QString &password, const QString &authorizationId,
                                          qsizetype maxCommandLength);

} // namespace mailcore
