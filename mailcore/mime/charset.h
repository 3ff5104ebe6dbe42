// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Private to mailcore/mime: body text from its declared charset to QString.

#include <QByteArray>
#include <QString>

namespace mailcore::mime::detail {

/// Converts `bytes` declared as `charset` (any name or alias GMime knows).
/// When the declared charset is unknown, missing, or does not fit the bytes,
/// falls back to UTF-8 (if the bytes are valid UTF-8 and nothing was declared),
/// then windows-1252, then Latin-1, which never fails.
QString decodeText(const QByteArray &bytes, const QByteArray &charset);

/// Strict conversion with iconv (through GMime's alias table); false if the
/// charset is unknown or the bytes are not valid in it.
bool convertStrict(const QByteArray &bytes, const char *charset, QString *out);

} // namespace mailcore::mime::detail
