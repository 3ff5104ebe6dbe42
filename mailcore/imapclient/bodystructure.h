// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Private to mailcore (not installed; exported for tests): the server's
// BODYSTRUCTURE as the flat part list of MessageSummary.

#include <QList>

#include "mailcore/imap/response.h"
#include "mailcore/imapclient/imaptypes.h"
#include "mailcore/mailcore_export.h"

namespace mailcore::imapops {

/// The leaf parts of `body` with their IMAP section numbers (RFC 3501 6.4.5):
/// a single-part message is "1"; the children of a multipart are numbered
/// 1..n below their parent's number. An attached message is one leaf.
MAILCORE_EXPORT QList<MessagePart> partsOf(const imap::BodyStructure &body);

/// A part's file name from its Content-Disposition "filename" or Content-Type
/// "name" parameter, decoded: RFC 2231 (continuations, charset'lang'%XX) and
/// RFC 2047 encoded words.
MAILCORE_EXPORT QString fileNameOf(const imap::BodyStructure &part);

/// True when `section` ("2", "1.2", "2.MIME") names a part of `body`, by the
/// numbering of partsOf(); the part inside an attached message counts too.
MAILCORE_EXPORT bool hasSection(const imap::BodyStructure &body, QByteArrayView section);

} // namespace mailcore::imapops
