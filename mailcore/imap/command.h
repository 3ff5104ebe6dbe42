// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QList>

#include "mailcore/base/error.h"
#include "mailcore/mailcore_export.h"

namespace mailcore::imap {

/// What the server allows that changes how commands are written. Filled by the
/// connection from CAPABILITY / ENABLED.
struct SerializerOptions {
    bool literalPlus = false;  ///< LITERAL+ (RFC 7888): {n+} never waits
    bool literalMinus = false; ///< LITERAL- : {n+} up to 4096 bytes
    bool utf8Accept = false;   ///< UTF8=ACCEPT enabled (RFC 6855): UTF-8 in quoted strings
    bool saslIr = false;       ///< SASL-IR (RFC 4959): initial response on the AUTHENTICATE line
};

/// One piece of a command on the wire. A piece flagged waitForContinuation
/// may only be sent after the server's "+" for the synchronising literal that
/// the previous piece announced.
struct CommandPiece {
    QByteArray bytes;
    bool waitForContinuation = false;
    friend bool operator==(const CommandPiece &, const CommandPiece &) = default;
};

/// A serialized command: the exact bytes, split at synchronising literals, plus
/// a one-line form safe for logs (passwords as ***, message bodies as sizes).
/// A builder given an unusable argument returns a Command whose error is set
/// (ErrorCode::BadArgument) and whose pieces are empty: nothing to send.
struct MAILCORE_EXPORT Command {
    QByteArray tag;  ///< empty for DONE and SASL continuation lines
    QByteArray name; ///< "UID FETCH", "LOGIN", ...
    QList<CommandPiece> pieces;
    QByteArray logLine; ///< redacted; never holds a password
    Error error;

    bool isValid() const { return !error.isError() && !pieces.isEmpty(); }
    /// All pieces joined: what the server receives in the end.
    QByteArray bytes() const;
};

} // namespace mailcore::imap
