// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include "mailcore/base/result.h"
#include "mailcore/mailcore_export.h"
#include "mailcore/smtp/commands.h"
#include "mailcore/smtp/envelope.h"

namespace mailcore::smtp {

/// An Envelope checked and encoded for the wire, before any byte is sent:
/// every RCPT TO built (so a bad address costs nothing on the connection), the
/// DATA payload dot-stuffed with CR LF line ends and the final ".", and what
/// MAIL FROM must declare. Only MAIL FROM waits for the server's capabilities.
struct MAILCORE_EXPORT PreparedMessage {
    QString from;
    QStringList recipients;
    QList<Command> rcptCommands; ///< one per recipient, same order
    QByteArray payload;          ///< everything sent after "354", ".\r\n" included
    MailOptions options;         ///< size (RFC 1870 definition), 8BITMIME, SMTPUTF8

    /// Any thread: pure. BadArgument for an empty recipient list, a bad address
    /// or NUL in the message; Limit for lines over 998 octets unless allowed.
    static Result<PreparedMessage> prepare(const Envelope &envelope);
};

} // namespace mailcore::smtp
