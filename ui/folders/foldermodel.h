// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QHash>
#include <QStandardItemModel>

#include "mailcore/base/error.h"
#include "mailcore/store/records.h"

namespace mailcore::store {
class MailStore;
}

namespace tandem::ui {

/// The account's folders as the local store has them, as a tree (split on the
/// server's delimiter), with the special-use icon and the unread count of
/// each. Live: the store's events redraw it as a sync adds, renames or removes
/// folders and as messages come, go or are read. Reads the store in the GUI
/// thread (a folder list and one count query: a few milliseconds in WAL mode,
/// never waiting for the writer).
class FolderModel : public QStandardItemModel
{
    Q_OBJECT

public:
    enum Roles {
        FolderNameRole = Qt::UserRole + 1, ///< QString: the full name to give ImapClient
        FolderRoleRole,                    ///< int: mailcore::FolderRole
        UnreadRole,                        ///< int: unread messages in the store
        TotalRole,                         ///< int: messages in the store
        FolderIdRole,                      ///< qint64: the store's id (0 for a node of the tree only)
    };

    explicit FolderModel(QObject *parent = nullptr);

    /// Shows the folders of `accountId` in `store` (nullptr: none) and follows its changes.
    void setStore(mailcore::store::MailStore *store, qint64 accountId);
    /// Reads the folders again.
    void reload();

    QModelIndex indexOfFolder(const QString &name) const;
    /// The store's id of the folder `name`; 0 if it has none.
    qint64 folderId(const QString &name) const;

    /// Messages dragged from the list (MessageListModel::mimeData) drop on a folder.
    Qt::DropActions supportedDropActions() const override;
    QStringList mimeTypes() const override;
    bool canDropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                         const QModelIndex &parent) const override;
    bool dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                      const QModelIndex &parent) override;

Q_SIGNALS:
    /// Messages were dropped on `target`: to be moved (or copied, with `copy`).
    void messagesDropped(const QString &folder, qint64 folderId, const QList<quint32> &uids, const QString &target,
                         bool copy);
    /// The list was read (again): the folders may be new.
    void foldersLoaded();
    /// The store could not be read.
    void loadFailed(const mailcore::Error &error);

private:
    void showFolders(QList<mailcore::store::Folder> folders);
    void recount(qint64 folderId);
    QStandardItem *parentFor(const mailcore::store::Folder &folder);

    mailcore::store::MailStore *m_store = nullptr;
    qint64 m_accountId = 0;
    QHash<QString, QStandardItem *> m_items;
    QHash<qint64, QStandardItem *> m_itemOfId;
    QList<mailcore::store::Folder> m_shown; ///< what the tree was built from
};

} // namespace tandem::ui
