// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <optional>

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include "mailcore/mailcore_export.h"

namespace mailcore::imap {

/// Modified UTF-7 for mailbox names (RFC 3501 5.1.3): printable US-ASCII stands
/// for itself ("&" is "&-"), everything else is UTF-16 in a "&...-" run using
/// base64 with "," instead of "/" and no padding.
MAILCORE_EXPORT QByteArray encodeMailboxName(const QString &name);

/// Strict decoder: returns nullopt for bytes outside printable US-ASCII, an
/// unterminated "&" run, characters outside the modified base64 alphabet,
/// non-zero padding bits, a run that encodes printable ASCII, or unpaired
/// surrogates. Callers that must show *something* (a LIST from a sloppy server)
/// fall back to the raw bytes; see decodeMailboxNameLenient().
MAILCORE_EXPORT std::optional<QString> decodeMailboxName(QByteArrayView encoded);

/// For display: the strict decoding when valid, otherwise the bytes read as
/// UTF-8 (servers with UTF8=ACCEPT enabled send UTF-8 names as they are).
MAILCORE_EXPORT QString decodeMailboxNameLenient(QByteArrayView encoded);

} // namespace mailcore::imap
