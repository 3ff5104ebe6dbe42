// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/folders/foldermodel.h"

#include <QFont>

#include <algorithm>

#include "mailcore/imapclient/imapclient.h"
#include "ui/folders/foldericons.h"
#include "ui/futureresult.h"

namespace tandem::ui {

using mailcore::FolderInfo;
using mailcore::FolderRole;

namespace {

/// Inbox first, then the special-use folders in a fixed order, then the rest by name.
int rank(FolderRole role)
{
    switch (role) {
    case FolderRole::Inbox: return 0;
    case FolderRole::Drafts: return 1;
    case FolderRole::Sent: return 2;
    case FolderRole::Archive: return 3;
    case FolderRole::Flagged: return 4;
    case FolderRole::All: return 5;
    case FolderRole::Junk: return 6;
    case FolderRole::Trash: return 7;
    case FolderRole::None: break;
    }
    return 8;
}

QString lastSegment(const FolderInfo &folder)
{
    if (folder.role == FolderRole::Inbox)
        return QObject::tr("Inbox");
    if (folder.delimiter.isNull())
        return folder.name;
    return folder.name.section(folder.delimiter, -1);
}

void showCount(QStandardItem *item)
{
    const int unread = item->data(FolderModel::UnreadRole).toInt();
    const QString base = item->data(Qt::UserRole).toString();
    item->setText(unread > 0 ? QStringLiteral("%1 (%2)").arg(base).arg(unread) : base);
    QFont font = item->font();
    font.setBold(unread > 0);
    item->setFont(font);
    const int total = item->data(FolderModel::TotalRole).toInt();
    if (total >= 0)
        item->setToolTip(QObject::tr("%1: %2 messages, %3 unread")
                             .arg(item->data(FolderModel::FolderNameRole).toString())
                             .arg(total)
                             .arg(std::max(0, unread)));
}

} // namespace

FolderModel::FolderModel(QObject *parent)
    : QStandardItemModel(parent)
{
}

void FolderModel::setClient(mailcore::ImapClient *client)
{
    m_client = client;
    reload();
}

void FolderModel::reload()
{
    const quint64 generation = ++m_generation;
    clear();
    m_items.clear();
    if (!m_client)
        return;
    whenFinished(this, m_client->listFoldersAsync(), [this, generation](QFuture<QList<FolderInfo>> future) {
        const auto folders = takeResult(future);
        if (generation != m_generation)
            return;
        if (folders)
            showFolders(folders.value());
        else
            Q_EMIT loadFailed(folders.error());
    });
}

void FolderModel::refreshStatus(const QString &folder)
{
    if (!m_client || !m_items.contains(folder))
        return;
    const quint64 generation = m_generation;
    whenFinished(this, m_client->folderStatusAsync(folder),
                 [this, generation, folder](QFuture<mailcore::FolderStatus> future) {
                     // A folder whose STATUS fails keeps showing no count; the list itself is fine.
                     const auto status = takeResult(future);
                     if (generation == m_generation && status)
                         showStatus(folder, status.value());
                 });
}

QModelIndex FolderModel::indexOfFolder(const QString &name) const
{
    QStandardItem *item = m_items.value(name);
    return item ? item->index() : QModelIndex();
}

void FolderModel::showFolders(const QList<FolderInfo> &unsorted)
{
    QList<FolderInfo> folders = unsorted;
    std::stable_sort(folders.begin(), folders.end(), [](const FolderInfo &a, const FolderInfo &b) {
        const int ra = rank(a.role), rb = rank(b.role);
        return ra != rb ? ra < rb : a.name.localeAwareCompare(b.name) < 0;
    });
    for (const FolderInfo &folder : std::as_const(folders)) {
        // A placeholder made for an earlier child becomes the real folder.
        QStandardItem *item = m_items.value(folder.name);
        const bool placeholder = item != nullptr;
        if (!item)
            item = new QStandardItem;
        item->setIcon(folderIcon(folder.role));
        item->setText(lastSegment(folder));
        item->setEditable(false);
        item->setFlags(item->flags() | Qt::ItemIsSelectable);
        item->setData(lastSegment(folder), Qt::UserRole);
        item->setData(folder.name, FolderNameRole);
        item->setData(int(folder.role), FolderRoleRole);
        item->setData(-1, UnreadRole);
        item->setData(-1, TotalRole);
        if (!folder.selectable)
            item->setFlags(item->flags() & ~Qt::ItemIsSelectable);
        if (!placeholder) {
            parentFor(folder)->appendRow(item);
            m_items.insert(folder.name, item);
        }
    }
    Q_EMIT foldersLoaded();
    // LIST brings the counts (LIST-STATUS or STATUS per folder inside the client).
    for (const FolderInfo &folder : std::as_const(folders)) {
        if (folder.messages && folder.unseen)
            showStatus(folder.name, mailcore::FolderStatus{*folder.messages, *folder.unseen, 0, 0});
        else if (folder.selectable)
            refreshStatus(folder.name);
    }
}

QStandardItem *FolderModel::parentFor(const FolderInfo &folder)
{
    if (folder.delimiter.isNull() || !folder.name.contains(folder.delimiter))
        return invisibleRootItem();
    const QString parentName = folder.name.section(folder.delimiter, 0, -2);
    if (QStandardItem *parent = m_items.value(parentName))
        return parent;
    // A parent the server did not list (it may not exist): a placeholder that cannot be opened.
    FolderInfo placeholder;
    placeholder.name = parentName;
    placeholder.delimiter = folder.delimiter;
    auto *item = new QStandardItem(folderIcon(FolderRole::None), lastSegment(placeholder));
    item->setEditable(false);
    item->setFlags(item->flags() & ~Qt::ItemIsSelectable);
    item->setData(lastSegment(placeholder), Qt::UserRole);
    parentFor(placeholder)->appendRow(item);
    m_items.insert(parentName, item);
    return item;
}

void FolderModel::showStatus(const QString &folder, const mailcore::FolderStatus &status)
{
    QStandardItem *item = m_items.value(folder);
    if (!item)
        return;
    item->setData(int(status.unseen), UnreadRole);
    item->setData(int(status.messages), TotalRole);
    showCount(item);
    Q_EMIT statusLoaded(folder);
}

} // namespace tandem::ui
