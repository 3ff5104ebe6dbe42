// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Private to mailcore/mime: a workaround for GMime 3.2.13. When it decodes
// adjacent RFC 2047 "B" encoded-words of one charset it joins their base64 text
// first, so padding ('=') inside the joined text cuts off everything after it:
// "=?utf-8?B?w6k=?= =?utf-8?B?w6g=?=" decodes to "é" instead of "éè". Such
// words are very common (long subjects, names) and GMime writes them itself.
// Before GMime sees a header block, each run of such words is rewritten as one
// word holding the joined bytes, which GMime decodes correctly (and which keeps
// a multi-byte character split between two words whole).

#include <QByteArray>

namespace mailcore::mime::detail {

/// Returns `headers` with runs of adjacent same-charset B words merged, or
/// `headers` itself (shared, not copied) when there is nothing to merge.
QByteArray mergeAdjacentBase64Words(const QByteArray &headers);

} // namespace mailcore::mime::detail
