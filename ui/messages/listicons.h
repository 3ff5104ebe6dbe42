// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QIcon>

namespace tandem::ui {

/// The small marks of the message list, painted here so they look the same
/// on every system (icon themes differ and may be missing altogether).
QIcon flagIcon();
QIcon attachmentIcon();

} // namespace tandem::ui
