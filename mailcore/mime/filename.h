// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QString>

#include "mailcore/mailcore_export.h"

namespace mailcore::mime {

/// The longest name safeFileName() returns, in UTF-8 bytes: below the 255
/// bytes of Linux file systems, with room for a " (2)" a save dialog may add.
inline constexpr qsizetype MaxFileNameBytes = 200;

/// `proposed` (a name from a message: an attachment's file name, a subject)
/// made safe to offer to a save dialog or to join to a folder the user chose:
/// path separators ('/' and '\') become '_'; control characters become spaces
/// and invisible formatting characters (bidirectional overrides that can
/// disguise "exe.txt" as "txt.exe", zero-width spaces) are dropped; white space
/// is collapsed; leading dots and spaces go (no hidden file, no "." or ".."); a
/// name over MaxFileNameBytes is shortened, keeping its extension. Empty when
/// nothing usable is left. Message::attachments() names are already safe.
MAILCORE_EXPORT QString safeFileName(const QString &proposed);

/// A safe file name for a message with this subject: "<subject>.eml", made
/// safe as safeFileName(), or "message.eml" when the subject leaves nothing.
MAILCORE_EXPORT QString messageFileName(const QString &subject);

} // namespace mailcore::mime
