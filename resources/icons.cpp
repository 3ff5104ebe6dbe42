// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "resources/icons.h"

#include <QDir>
#include <QGuiApplication>
#include <QIcon>

namespace tandem::resources {

namespace {
const QString kIconRoot = QStringLiteral(":/org/tandem/Tandem/icons");
const QString kFallbackTheme = QStringLiteral("tandem-fallback");
} // namespace

QStringList ownActionIconNames()
{
    QStringList names;
    const QDir actions(kIconRoot + QStringLiteral("/") + kFallbackTheme + QStringLiteral("/16x16/actions"));
    for (const QString &file : actions.entryList({QStringLiteral("*.png")}, QDir::Files, QDir::Name))
        names << file.chopped(4);
    return names;
}

void useTandemIcons()
{
    QGuiApplication::setWindowIcon(QIcon(kIconRoot + QStringLiteral("/tandem.ico")));
    // The fallback theme is asked after the desktop's theme and the themes it
    // inherits; its index.theme inherits Adwaita for everything else (folder
    // icons), the theme a desktop-less session most often has.
    QStringList paths = QIcon::themeSearchPaths();
    if (!paths.contains(kIconRoot))
        paths << kIconRoot;
    QIcon::setThemeSearchPaths(paths);
    QIcon::setFallbackThemeName(kFallbackTheme);
}

} // namespace tandem::resources
