// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>

#include "mailcore/base/error.h"
#include "mailcore/mailcore_export.h"
#include "mailcore/mime/outgoing.h"

namespace mailcore::mime {

/// Writes an OutgoingMessage as wire-ready bytes: CRLF line endings, UTF-8,
/// RFC 2047 for non-ASCII headers, RFC 2231 for file names, a transfer encoding
/// per part chosen from its content (7bit, quoted-printable or base64) so no line
/// passes 998 octets, a Message-ID and a Date. Bcc is not written. Text parts
/// always end with a line break (one is added if missing).
class MAILCORE_EXPORT MessageBuilder
{
public:
    /// Returns the message, or empty bytes and *error (BadArgument for an
    /// address or header with CR/LF or no address at all, Io for an unreadable file).
    static QByteArray build(const OutgoingMessage &message, Error *error = nullptr);
};

} // namespace mailcore::mime
