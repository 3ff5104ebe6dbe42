// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Private to mailcore/mime: Message::parseHeaders without a GMimeMessage. A
// summary sync decodes 10,000 header blocks; building a GMimeMessage for each
// (its header objects, six address lists, a body part) and destroying it again
// was four fifths of the decoding time, and the fields themselves a fifth. So
// a plainly well-formed block (what an IMAP server sends for HEADER.FIELDS) is
// split into fields here and each field decoded by the very GMime function a
// GMimeMessage decodes it with; any other block goes the GMimeMessage way.

#include <QByteArray>

#include <optional>

#include "mailcore/mime/types.h"

namespace mailcore::mime::detail {

/// The headers of `block` (one header block, its end included or not), or
/// nullopt when a line is not a plain "Name: value" field or its folded
/// continuation: then only GMime's parser knows how to read it.
std::optional<MessageHeaders> decodeWellFormedHeaders(const QByteArray &block);

} // namespace mailcore::mime::detail
