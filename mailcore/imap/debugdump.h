// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>

#include "mailcore/imap/response.h"
#include "mailcore/mailcore_export.h"

namespace mailcore::imap {

/// A stable one-line text form of a parsed response, for debug logs and for
/// tests to compare whole structures at a glance. Message bodies are replaced
/// by their size unless `includeBodies` (tests only: bodies are never logged).
MAILCORE_EXPORT QByteArray describe(const Response &response, bool includeBodies = false);
MAILCORE_EXPORT QByteArray describe(const BodyStructure &body);
MAILCORE_EXPORT QByteArray describe(const Envelope &envelope);

} // namespace mailcore::imap
