// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QIcon>

#include "mailcore/imapclient/imaptypes.h"

namespace tandem::ui {

/// The icon of a folder by its special-use role: the desktop's icon theme when
/// it has one (freedesktop names), else the style's own icons, so every role
/// still looks different on a bare system.
QIcon folderIcon(mailcore::FolderRole role);

} // namespace tandem::ui
