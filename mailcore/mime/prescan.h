// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Private to mailcore/mime: a cheap pass over the raw bytes that refuses input
// GMime should never see. GMime parses nested parts recursively and checks every
// line against every open boundary, so the number of containers must be bounded
// before it starts; the other limits are enforced while walking the parsed tree.

#include <QByteArray>

#include "mailcore/base/error.h"

namespace mailcore::mime::detail {

/// Offset just past the blank line that ends the top-level header block
/// (raw.size() if there is none).
qsizetype headerBlockEnd(const QByteArray &raw);

/// Checks the message size, the header block size and the number of declared
/// multipart/message containers against mime::limits.
Error checkLimits(const QByteArray &raw);

} // namespace mailcore::mime::detail
