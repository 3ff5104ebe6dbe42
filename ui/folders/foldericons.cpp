// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/folders/foldericons.h"

#include <QApplication>
#include <QStyle>

namespace tandem::ui {

namespace {

struct IconChoice {
    const char *themeName;
    QStyle::StandardPixmap fallback;
};

IconChoice choiceFor(mailcore::FolderRole role)
{
    using mailcore::FolderRole;
    switch (role) {
    case FolderRole::Inbox: return {"mail-inbox", QStyle::SP_DriveNetIcon};
    case FolderRole::Sent: return {"mail-send", QStyle::SP_ArrowRight};
    case FolderRole::Drafts: return {"document-edit", QStyle::SP_FileDialogDetailedView};
    case FolderRole::Trash: return {"user-trash", QStyle::SP_TrashIcon};
    case FolderRole::Junk: return {"mail-mark-junk", QStyle::SP_MessageBoxWarning};
    case FolderRole::Archive: return {"folder-documents", QStyle::SP_DirLinkIcon};
    case FolderRole::All: return {"folder-saved-search", QStyle::SP_FileDialogContentsView};
    case FolderRole::Flagged: return {"mail-mark-important", QStyle::SP_DialogYesButton};
    case FolderRole::None: break;
    }
    return {"folder", QStyle::SP_DirIcon};
}

} // namespace

QIcon folderIcon(mailcore::FolderRole role)
{
    const IconChoice choice = choiceFor(role);
    return QIcon::fromTheme(QLatin1String(choice.themeName), QApplication::style()->standardIcon(choice.fallback));
}

} // namespace tandem::ui
