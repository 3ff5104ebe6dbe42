// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QHash>
#include <QSet>
#include <QStandardItemModel>

#include "mailcore/base/error.h"
#include "mailcore/store/records.h"

namespace mailcore::store {
class MailStore;
}

namespace tandem::ui {

class Coalescer;

/// The folders of every account in the local store: one top-level node per
/// account (its name), under it the account's folders as a tree (split on the
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
        AccountIdRole,                     ///< qint64: the store's id of the account (every row has it)
    };

    explicit FolderModel(QObject *parent = nullptr);

    /// Shows the accounts of `store` (nullptr: none) and follows its changes.
    void setStore(mailcore::store::MailStore *store);
    /// Reads the folders again.
    void reload();

    /// The folder `name` of account `accountId` (0: the first account listed).
    QModelIndex indexOfFolder(const QString &name, qint64 accountId = 0) const;
    /// The store's id of that folder; 0 if it has none.
    qint64 folderId(const QString &name, qint64 accountId = 0) const;
    /// The account of the folder with the store's id `folderId`; 0 if none is shown.
    qint64 accountOfFolder(qint64 folderId) const;
    /// The node of account `accountId`.
    QModelIndex indexOfAccount(qint64 accountId) const;
    /// The accounts' ids, in the order shown.
    QList<qint64> accountIds() const;

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
    /// An account and its folders, as read from the store.
    struct Listed {
        mailcore::store::Account account;
        QList<mailcore::store::Folder> folders;
    };
    void showAccounts(QList<Listed> accounts);
    void addFolders(QStandardItem *accountItem, const QList<mailcore::store::Folder> &folders);
    /// The store changed `folderId`'s messages: its counts are read again (coalesced: see m_recount).
    void storeChanged(qint64 folderId);
    /// New counts for `folderId` (0: every folder of every account).
    void recount(qint64 folderId);
    QStandardItem *parentFor(QStandardItem *accountItem, const mailcore::store::Folder &folder);
    qint64 resolved(qint64 accountId) const;

    mailcore::store::MailStore *m_store = nullptr;
    QHash<std::pair<qint64, QString>, QStandardItem *> m_items; ///< by account and full name
    QHash<qint64, QStandardItem *> m_itemOfId;
    QHash<qint64, QStandardItem *> m_accountItems;
    QList<Listed> m_shown;  ///< what the tree was built from
    QSet<qint64> m_changed; ///< folders whose counts are due
    Coalescer *m_recount;   ///< at most one count per 100 ms, however many commits
};

} // namespace tandem::ui
