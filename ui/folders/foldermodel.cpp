// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/folders/foldermodel.h"

#include <QFont>

#include <algorithm>

#include "mailcore/store/mailstore.h"
#include "ui/coalescer.h"
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
    , m_recount(new Coalescer(
          std::chrono::milliseconds(100),
          [this] {
              for (const qint64 folderId : std::exchange(m_changed, {}))
                  recount(folderId);
          },
          this))
{
}

void FolderModel::storeChanged(qint64 folderId)
{
    m_changed.insert(folderId);
    m_recount->request();
}

void FolderModel::setStore(mailcore::store::MailStore *store)
{
    if (m_store)
        disconnect(&m_store->events(), nullptr, this, nullptr);
    m_store = store;
    m_shown.clear();
    if (m_store) {
        connect(&m_store->events(), &mailcore::store::StoreEvents::foldersChanged, this, &FolderModel::reload);
        connect(&m_store->events(), &mailcore::store::StoreEvents::messagesChanged, this, &FolderModel::storeChanged);
    }
    reload();
}

void FolderModel::reload()
{
    if (!m_store) {
        showAccounts({});
        return;
    }
    mailcore::Result<QList<mailcore::store::Account>> accounts = m_store->accounts();
    if (!accounts) {
        Q_EMIT loadFailed(accounts.error());
        return;
    }
    QList<Listed> listed;
    for (const mailcore::store::Account &account : std::as_const(accounts.value())) {
        mailcore::Result<QList<Folder>> folders = m_store->folders(account.id);
        if (!folders) {
            Q_EMIT loadFailed(folders.error());
            return;
        }
        listed.append({account, std::move(folders.value())});
    }
    showAccounts(std::move(listed));
}

qint64 FolderModel::resolved(qint64 accountId) const
{
    return accountId != 0 || m_shown.isEmpty() ? accountId : m_shown.first().account.id;
}

QModelIndex FolderModel::indexOfFolder(const QString &name, qint64 accountId) const
{
    QStandardItem *item = m_items.value({resolved(accountId), name});
    return item ? item->index() : QModelIndex();
}

qint64 FolderModel::folderId(const QString &name, qint64 accountId) const
{
    const QStandardItem *item = m_items.value({resolved(accountId), name});
    return item ? item->data(FolderIdRole).toLongLong() : 0;
}

qint64 FolderModel::accountOfFolder(qint64 folderId) const
{
    const QStandardItem *item = m_itemOfId.value(folderId);
    return item ? item->data(AccountIdRole).toLongLong() : 0;
}

QModelIndex FolderModel::indexOfAccount(qint64 accountId) const
{
    QStandardItem *item = m_accountItems.value(accountId);
    return item ? item->index() : QModelIndex();
}

QList<qint64> FolderModel::accountIds() const
{
    QList<qint64> ids;
    for (const Listed &listed : m_shown)
        ids << listed.account.id;
    return ids;
}

void FolderModel::showAccounts(QList<Listed> accounts)
{
    for (Listed &listed : accounts) {
        std::stable_sort(listed.folders.begin(), listed.folders.end(), [](const Folder &a, const Folder &b) {
            const int ra = rank(a.role), rb = rank(b.role);
            return ra != rb ? ra < rb : a.name.localeAwareCompare(b.name) < 0;
        });
    }
    // Only a change of the tree rebuilds it: a sync re-marks every folder it
    // passes, and a rebuild would lose the selection and what is expanded.
    const bool same = accounts.size() == m_shown.size()
        && std::equal(accounts.cbegin(), accounts.cend(), m_shown.cbegin(), [](const Listed &a, const Listed &b) {
                          return a.account.id == b.account.id && a.account.name == b.account.name
                              && sameTree(a.folders, b.folders);
                      });
    if (!same) {
        clear();
        m_items.clear();
        m_itemOfId.clear();
        m_accountItems.clear();
        for (const Listed &listed : std::as_const(accounts)) {
            auto *item = new QStandardItem(QIcon::fromTheme(QStringLiteral("folder-remote")), listed.account.name);
            item->setEditable(false);
            item->setFlags(item->flags() & ~(Qt::ItemIsSelectable | Qt::ItemIsDropEnabled | Qt::ItemIsDragEnabled));
            item->setData(listed.account.name, Qt::UserRole);
            item->setData(listed.account.id, AccountIdRole);
            QFont bold = item->font();
            bold.setBold(true);
            item->setFont(bold);
            invisibleRootItem()->appendRow(item);
            m_accountItems.insert(listed.account.id, item);
            addFolders(item, listed.folders);
        }
        m_shown = std::move(accounts);
    }
    recount(0);
    Q_EMIT foldersLoaded();
}

void FolderModel::addFolders(QStandardItem *accountItem, const QList<Folder> &folders)
{
    const qint64 accountId = accountItem->data(AccountIdRole).toLongLong();
    for (const Folder &folder : folders) {
        // A placeholder made for an earlier child becomes the real folder.
        QStandardItem *item = m_items.value({accountId, folder.name});
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
        item->setData(accountId, AccountIdRole);
        item->setData(0, UnreadRole);
        item->setData(0, TotalRole);
        if (!placeholder) {
            parentFor(accountItem, folder)->appendRow(item);
            m_items.insert({accountId, folder.name}, item);
        }
        m_itemOfId.insert(folder.id, item);
    }
}

void FolderModel::recount(qint64 folderId)
{
    if (!m_store || (folderId != 0 && !m_itemOfId.contains(folderId)))
        return;
    const QList<qint64> accounts = folderId != 0
        ? QList<qint64>{m_itemOfId.value(folderId)->data(AccountIdRole).toLongLong()}
        : accountIds();
    for (const qint64 accountId : accounts) {
        const auto counts = m_store->folderCounts(accountId, folderId);
        if (!counts)
            continue; // the names stay; the counts come with the next change
        // A folder without messages is not in the counts: it shows 0.
        for (auto it = m_itemOfId.cbegin(); it != m_itemOfId.cend(); ++it) {
            if ((folderId != 0 && it.key() != folderId) || it.value()->data(AccountIdRole).toLongLong() != accountId)
                continue;
            const mailcore::store::FolderCounts c = counts.value().value(it.key());
            it.value()->setData(c.unread, UnreadRole);
            it.value()->setData(c.messages, TotalRole);
            showCount(it.value());
        }
    }
}

QStandardItem *FolderModel::parentFor(QStandardItem *accountItem, const Folder &folder)
{
    if (folder.delimiter.isEmpty() || !folder.name.contains(folder.delimiter))
        return accountItem;
    const qint64 accountId = accountItem->data(AccountIdRole).toLongLong();
    const QString parentName = folder.name.section(folder.delimiter, 0, -2);
    if (QStandardItem *parent = m_items.value({accountId, parentName}))
        return parent;
    // A parent the server did not list (it may not exist): a placeholder that cannot be opened.
    Folder placeholder;
    placeholder.name = parentName;
    placeholder.delimiter = folder.delimiter;
    auto *item = new QStandardItem(folderIcon(FolderRole::None), lastSegment(placeholder));
    item->setEditable(false);
    item->setFlags(item->flags() & ~(Qt::ItemIsSelectable | Qt::ItemIsDropEnabled | Qt::ItemIsDragEnabled));
    item->setData(lastSegment(placeholder), Qt::UserRole);
    item->setData(accountId, AccountIdRole);
    parentFor(accountItem, placeholder)->appendRow(item);
    m_items.insert({accountId, parentName}, item);
    return item;
}

Qt::DropActions FolderModel::supportedDropActions() const { return Qt::MoveAction | Qt::CopyAction; }

QStringList FolderModel::mimeTypes() const { return {QString::fromLatin1(MessageListModel::kMimeType)}; }

bool FolderModel::canDropMimeData(const QMimeData *data, Qt::DropAction action, int, int,
                                  const QModelIndex &parent) const
{
    const QString target = parent.data(FolderNameRole).toString();
    const MessageListModel::Dragged dragged = MessageListModel::draggedFrom(data);
    // Within one account: a move to another account's server is not one IMAP command.
    const QStandardItem *source = m_itemOfId.value(dragged.folderId);
    const bool sameAccount = source
        && source->data(AccountIdRole).toLongLong() == parent.data(AccountIdRole).toLongLong();
    return (action == Qt::MoveAction || action == Qt::CopyAction) && !target.isEmpty()
        && (parent.flags() & Qt::ItemIsDropEnabled) && !dragged.uids.isEmpty() && dragged.folder != target
        && sameAccount;
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
