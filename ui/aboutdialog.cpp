// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/aboutdialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QVBoxLayout>

#include "mailcore/version.h"

namespace tandem::ui {

AboutDialog::AboutDialog(QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("About Tandem"));

    auto *title = new QLabel(QStringLiteral("<h2>%1</h2>").arg(versionText().toHtmlEscaped()));
    title->setObjectName(QStringLiteral("aboutVersion"));
    auto *blurb = new QLabel(tr("A mail client that uses every connection your server allows.<br>"
                                "Built with Qt %1, running on Qt %2.")
                                 .arg(QLatin1String(QT_VERSION_STR), QLatin1String(qVersion())));
    blurb->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(blurb);
    layout->addWidget(buttons);
}

QString AboutDialog::versionText() { return QStringLiteral("Tandem %1").arg(QLatin1String(MAILCORE_VERSION_STRING)); }

} // namespace tandem::ui
