// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QStandardItemModel>

#include "mailcore/base/error.h"
#include "mailcore/imapclient/imaptypes.h"

namespace mailcore {
class ImapClient;
}

namespace tandem::ui {

/// The account's folders as a tree (split on the server's delimiter), with the
/// special-use icon and the unread count of each. Filled asynchronously: LIST
/// through the pool, with the counts (STATUS again for one folder after a
/// change); results arrive in the GUI thread, stale ones (an older client) are dropped.
class FolderModel : public QStandardItemModel
{
    Q_OBJECT

public:
    enum Roles {
        FolderNameRole = Qt::UserRole + 1, ///< QString: the full name to give ImapClient
        FolderRoleRole,                    ///< int: mailcore::FolderRole
        UnreadRole,                        ///< int: unseen messages, -1 until known
        TotalRole,                         ///< int: messages, -1 until known
    };

    explicit FolderModel(QObject *parent = nullptr);

    /// Forgets every folder and lists those of `client` (nullptr: stays empty).
    void setClient(mailcore::ImapClient *client);
    /// Lists again with the same client.
    void reload();
    /// Asks STATUS again for one folder (e.g. after a message was read).
    void refreshStatus(const QString &folder);

    QModelIndex indexOfFolder(const QString &name) const;

Q_SIGNALS:
    void foldersLoaded();
    void statusLoaded(const QString &folder);
    void loadFailed(const mailcore::Error &error);

private:
    void showFolders(const QList<mailcore::FolderInfo> &folders);
    void showStatus(const QString &folder, const mailcore::FolderStatus &status);
    QStandardItem *parentFor(const mailcore::FolderInfo &folder);

    mailcore::ImapClient *m_client = nullptr;
    quint64 m_generation = 0; ///< bumped on every setClient()/reload(): older answers are ignored
    QHash<QString, QStandardItem *> m_items;
};

} // namespace tandem::ui
