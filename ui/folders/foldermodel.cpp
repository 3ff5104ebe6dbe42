// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/folders/foldermodel.h"

#include <QFont>

#include <algorithm>

#include "mailcore/store/mailstore.h"
#include "ui/folders/foldericons.h"
#include "ui/messages/messagelistmodel.h"

namespace tandem::ui {

using mailcore::FolderRole;
using mailcore::store::Folder;

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

QString lastSegment(const Folder &folder)
{
    if (folder.role == FolderRole::Inbox)
        return QObject::tr("Inbox");
    if (folder.delimiter.isEmpty())
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
    item->setToolTip(QObject::tr("%1: %2 messages, %3 unread")
                         .arg(item->data(FolderModel::FolderNameRole).toString())
                         .arg(item->data(FolderModel::TotalRole).toInt())
                         .arg(unread));
}

/// Whether two lists make the same tree (only counts may differ).
bool sameTree(const QList<Folder> &a, const QList<Folder> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].id != b[i].id || a[i].name != b[i].name || a[i].role != b[i].role || a[i].selectable != b[i].selectable
            || a[i].delimiter != b[i].delimiter)
            return false;
    }
    return true;
}

} // namespace

FolderModel::FolderModel(QObject *parent)
    : QStandardItemModel(parent)
{
}

void FolderModel::setStore(mailcore::store::MailStore *store, qint64 accountId)
{
    if (m_store)
        disconnect(&m_store->events(), nullptr, this, nullptr);
    m_store = store;
    m_accountId = accountId;
    m_shown.clear();
    if (m_store) {
        connect(&m_store->events(), &mailcore::store::StoreEvents::foldersChanged, this, &FolderModel::reload);
        connect(&m_store->events(), &mailcore::store::StoreEvents::messagesChanged, this, &FolderModel::recount);
    }
    reload();
}

void FolderModel::reload()
{
    if (!m_store) {
        clear();
        m_items.clear();
        m_itemOfId.clear();
        return;
    }
    mailcore::Result<QList<Folder>> folders = m_store->folders(m_accountId);
    if (!folders) {
        Q_EMIT loadFailed(folders.error());
        return;
    }
    showFolders(std::move(folders.value()));
}

QModelIndex FolderModel::indexOfFolder(const QString &name) const
{
    QStandardItem *item = m_items.value(name);
    return item ? item->index() : QModelIndex();
}

qint64 FolderModel::folderId(const QString &name) const
{
    const QStandardItem *item = m_items.value(name);
    return item ? item->data(FolderIdRole).toLongLong() : 0;
}

void FolderModel::showFolders(QList<Folder> folders)
{
    std::stable_sort(folders.begin(), folders.end(), [](const Folder &a, const Folder &b) {
        const int ra = rank(a.role), rb = rank(b.role);
        return ra != rb ? ra < rb : a.name.localeAwareCompare(b.name) < 0;
    });
    // Only a change of the tree rebuilds it: a sync re-marks every folder it
    // passes, and a rebuild would lose the selection and what is expanded.
    if (!sameTree(folders, m_shown)) {
        clear();
        m_items.clear();
        m_itemOfId.clear();
        for (const Folder &folder : std::as_const(folders)) {
            // A placeholder made for an earlier child becomes the real folder.
            QStandardItem *item = m_items.value(folder.name);
            const bool placeholder = item != nullptr;
            if (!item)
                item = new QStandardItem;
            item->setIcon(folderIcon(folder.role));
            item->setText(lastSegment(folder));
            item->setEditable(false);
            item->setFlags(folder.selectable ? item->flags() | Qt::ItemIsSelectable | Qt::ItemIsDropEnabled
                                             : item->flags() & ~(Qt::ItemIsSelectable | Qt::ItemIsDropEnabled));
            item->setDragEnabled(false);
            item->setData(lastSegment(folder), Qt::UserRole);
            item->setData(folder.name, FolderNameRole);
            item->setData(int(folder.role), FolderRoleRole);
            item->setData(folder.id, FolderIdRole);
            item->setData(0, UnreadRole);
            item->setData(0, TotalRole);
            if (!placeholder) {
                parentFor(folder)->appendRow(item);
                m_items.insert(folder.name, item);
            }
            m_itemOfId.insert(folder.id, item);
        }
        m_shown = folders;
    }
    recount(0);
    Q_EMIT foldersLoaded();
}

void FolderModel::recount(qint64 folderId)
{
    if (!m_store || (folderId != 0 && !m_itemOfId.contains(folderId)))
        return;
    const auto counts = m_store->folderCounts(m_accountId, folderId);
    if (!counts)
        return; // the names stay; the counts come with the next change
    for (auto it = m_itemOfId.cbegin(); it != m_itemOfId.cend(); ++it) {
        if (folderId != 0 && it.key() != folderId)
            continue;
        const mailcore::store::FolderCounts c = counts.value().value(it.key());
        it.value()->setData(c.unread, UnreadRole);
        it.value()->setData(c.messages, TotalRole);
        showCount(it.value());
    }
}

QStandardItem *FolderModel::parentFor(const Folder &folder)
{
    if (folder.delimiter.isEmpty() || !folder.name.contains(folder.delimiter))
        return invisibleRootItem();
    const QString parentName = folder.name.section(folder.delimiter, 0, -2);
    if (QStandardItem *parent = m_items.value(parentName))
        return parent;
    // A parent the server did not list (it may not exist): a placeholder that cannot be opened.
    Folder placeholder;
    placeholder.name = parentName;
    placeholder.delimiter = folder.delimiter;
    auto *item = new QStandardItem(folderIcon(FolderRole::None), lastSegment(placeholder));
    item->setEditable(false);
    item->setFlags(item->flags() & ~(Qt::ItemIsSelectable | Qt::ItemIsDropEnabled | Qt::ItemIsDragEnabled));
    item->setData(lastSegment(placeholder), Qt::UserRole);
    parentFor(placeholder)->appendRow(item);
    m_items.insert(parentName, item);
    return item;
}

Qt::DropActions FolderModel::supportedDropActions() const { return Qt::MoveAction | Qt::CopyAction; }

QStringList FolderModel::mimeTypes() const { return {QString::fromLatin1(MessageListModel::kMimeType)}; }

bool FolderModel::canDropMimeData(const QMimeData *data, Qt::DropAction action, int, int,
                                  const QModelIndex &parent) const
{
    const QString target = parent.data(FolderNameRole).toString();
    const MessageListModel::Dragged dragged = MessageListModel::draggedFrom(data);
    return (action == Qt::MoveAction || action == Qt::CopyAction) && !target.isEmpty()
        && (parent.flags() & Qt::ItemIsDropEnabled) && !dragged.uids.isEmpty() && dragged.folder != target;
}

bool FolderModel::dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                               const QModelIndex &parent)
{
    if (!canDropMimeData(data, action, row, column, parent))
        return false;
    const MessageListModel::Dragged dragged = MessageListModel::draggedFrom(data);
    Q_EMIT messagesDropped(dragged.folder, dragged.folderId, dragged.uids, parent.data(FolderNameRole).toString(),
                           action == Qt::CopyAction);
    // The dragging view cannot remove rows from the message list (it has no
    // removeRows()): the store's change removes them.
    return true;
}

} // namespace tandem::ui
