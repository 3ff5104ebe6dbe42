// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QList>
#include <QString>

#include "mailcore/mime/types.h"

namespace tandem::ui {

/// What the message view says above a signed or encrypted message: which
/// scheme, and that Tandem neither verifies signatures nor decrypts yet (so a
/// hidden signature part is never taken for a checked one). Empty for a
/// message with neither.
QString securityNote(const QList<mailcore::mime::SecurityInfo> &security);

} // namespace tandem::ui
