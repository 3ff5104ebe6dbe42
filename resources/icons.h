// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QStringList>

namespace tandem::resources {

/// The action icon names Tandem draws itself (resources/icons/actions/), found
/// through QIcon::fromTheme() once useTandemIcons() ran.
QStringList ownActionIconNames();

/// Sets the application's window icon and makes Tandem's own action icons the
/// fallback icon theme, so that QIcon::fromTheme() finds an icon for every
/// action the desktop's theme lacks (and, outside a desktop session, where
/// there is no theme at all). Call once, after the QApplication exists.
void useTandemIcons();

} // namespace tandem::resources
