// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Private to mailcore/mime: undoing format=flowed (RFC 3676). GMime has no
// decoder for it; it is a text transformation on already-decoded lines.

#include <QString>

namespace mailcore::mime::detail {

/// Joins soft-broken lines of a format=flowed text. Quoted paragraphs keep
/// their depth, written as "> > " style prefixes ("> " per level).
QString unflow(const QString &text, bool delSp);

} // namespace mailcore::mime::detail
