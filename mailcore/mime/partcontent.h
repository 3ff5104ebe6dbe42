// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Private to mailcore/mime: decoding a part's content (transfer encoding undone)
// to memory, to a file, or only counting its bytes.

#include <QByteArray>
#include <QString>

#include <gmime/gmime.h>

#include "mailcore/base/error.h"

namespace mailcore::mime::detail {

/// Decoded bytes of a leaf part, or for a message/rfc822 part the embedded message.
QByteArray decodedContent(GMimeObject *part);

/// The number of decoded bytes, without keeping them.
qint64 decodedSize(GMimeObject *part);

/// Streams the decoded content into `filePath` (created or truncated).
Error writeDecoded(GMimeObject *part, const QString &filePath);

/// Lower-case "type/subtype" of a part.
QString mimeTypeOf(GMimeObject *part);

} // namespace mailcore::mime::detail
