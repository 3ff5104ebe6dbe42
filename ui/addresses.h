// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QList>
#include <QString>

#include "mailcore/mime/types.h"

namespace tandem::ui {

/// Typed addresses ("Ann <ann@example.org>, bob@example.org") as mailboxes;
/// what cannot be read as one is left out (and `unreadable` says so). The
/// composer's fields, mailto: links and an account's other addresses.
QList<mailcore::mime::MailAddress> addressesIn(const QString &typed, bool *unreadable = nullptr);

} // namespace tandem::ui
