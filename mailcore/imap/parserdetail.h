// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QDateTime>

#include "mailcore/imap/cursor.h"
#include "mailcore/imap/response.h"

// Internal: the parsing functions shared between parser.cpp (response
// structure, status codes, mailbox data) and fetchparser.cpp (message data).

namespace mailcore::imap::detail {

/// "(" flag *(SP flag) ")" ; empty list allowed.
ByteList parseFlagList(Cursor &c);
/// "* n FETCH" has been read; parses " (...)".
FetchData parseFetch(Cursor &c, quint32 sequence);
Envelope parseEnvelope(Cursor &c);
BodyStructure parseBody(Cursor &c);
/// "dd-Mon-yyyy hh:mm:ss +zzzz" (day may be space-padded); invalid QDateTime on error.
QDateTime parseInternalDate(QByteArrayView text);

} // namespace mailcore::imap::detail
