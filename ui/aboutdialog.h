// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QDialog>

namespace tandem::ui {

/// Help > About: the product name, its version and the library versions it runs on.
class AboutDialog : public QDialog
{
    Q_OBJECT

public:
    explicit AboutDialog(QWidget *parent = nullptr);

    /// The text shown, e.g. "Tandem 0.1.0"; tests read it.
    static QString versionText();
};

} // namespace tandem::ui
