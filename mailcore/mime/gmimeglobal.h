// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Private to mailcore/mime: the one place that initialises GMime and makes the
// parser and format options every parse and build uses.

#include <QByteArray>

#include "mailcore/mime/gptr.h"

namespace mailcore::mime::detail {

/// Initialises GMime once per process, thread-safely. Every entry point of
/// mailcore/mime calls this before touching GMime.
void ensureGMime();

/// Tolerant options for real-world mail: loose RFC 2047/2231 and address
/// parsing, and the charsets tried for undeclared 8-bit header text.
ParserOptionsPtr makeParserOptions();

/// CRLF line endings, RFC 2231 parameters: what goes on the wire.
FormatOptionsPtr makeWireFormatOptions();

/// Converts a GMime string (UTF-8, may be null) to QString.
QString fromGMime(const char *text);
/// The UTF-8 bytes GMime takes, with CR and LF replaced by spaces so no
/// caller-supplied value can inject a header.
QByteArray toHeaderUtf8(const QString &text);

} // namespace mailcore::mime::detail
