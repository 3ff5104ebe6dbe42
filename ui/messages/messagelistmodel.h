// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>

#include "mailcore/base/error.h"
#include "mailcore/imapclient/imaptypes.h"

namespace mailcore {
class ImapClient;
}

namespace tandem::ui {

/// The messages of one folder in the order chosen, listed in pages of
/// DefaultPageSize as the view scrolls to the end (canFetchMore/fetchMore), so
/// a folder of 10,000 messages costs its UID list and one page until the user
/// scrolls. The order is the server's: the folder's UIDs come first, sorted
/// there (UID SORT, RFC 5256) by the column chosen with sort(), so the first
/// page of a sort by sender is the first of the whole folder, not of the rows
/// listed so far. Each page is then the summaries of its UIDs. A server that
/// cannot sort gets the newest UIDs first, and serverSortUnavailable() tells the
/// view to order the listed rows itself. Summaries arrive decoded; rows are
/// built on a worker thread and land in the GUI thread through a watcher.
class MessageListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { FlagColumn, AttachmentColumn, SubjectColumn, FromColumn, DateColumn, SizeColumn, ColumnCount };
    enum Roles {
        UidRole = Qt::UserRole + 1, ///< quint32
        SortRole,                   ///< what the column sorts by
        UnreadRole,                 ///< bool
        FlaggedRole,                ///< bool
    };
    static constexpr quint32 DefaultPageSize = 200;

    explicit MessageListModel(QObject *parent = nullptr);
    ~MessageListModel() override;

    /// Shows `folder` of `client` (nullptr: nothing) from its newest message.
    void setFolder(mailcore::ImapClient *client, const QString &folder);
    QString folder() const { return m_folder; }
    /// UIDs per page (tests use small pages to see the paging).
    void setPageSize(quint32 uids) { m_pageSize = std::max<quint32>(1, uids); }
    bool isLoading() const { return m_loading; }
    /// How many of the folder's messages are not listed yet.
    qsizetype remainingToList() const { return m_order.size() - m_next; }

    /// Orders the folder on the server by `column` (subject, sender, date,
    /// size) and lists it again from the top. The flag and attachment columns
    /// have no server sort key: ignored here (the view orders listed rows).
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    /// Whether sort() orders `column` on the server.
    static bool sortsOnServer(int column);

    QModelIndex indexOfUid(quint32 uid, int column = SubjectColumn) const;
    void setSeen(quint32 uid, bool seen);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    struct Row {
        quint32 uid = 0;
        QString subject;
        QString fromName;
        QString fromAddress;
        QDateTime date;
        quint64 size = 0;
        bool seen = false;
        bool flagged = false;
        bool answered = false;
        int attachments = 0; ///< 1 when BODYSTRUCTURE lists a file to save
    };

Q_SIGNALS:
    void folderOpened(const QString &folder, const mailcore::FolderStatus &status);
    void pageLoaded(int rowsAdded);
    void loadFailed(const mailcore::Error &error);
    /// The server could not sort (no SORT capability): the rows come newest
    /// first, and only the listed ones can be ordered, by the view.
    void serverSortUnavailable(int column, Qt::SortOrder order);

private:
    void clearRows(); ///< no rows, nothing listed, pending answers ignored
    void listFolder();
    void orderListed(QList<quint32> uids);
    void appendRows(const QList<Row> &rows);
    void rowChanged(quint32 uid);

    mailcore::ImapClient *m_client = nullptr;
    QString m_folder;
    QList<Row> m_rows;
    QHash<quint32, int> m_rowOfUid;
    quint32 m_pageSize = DefaultPageSize;
    QList<quint32> m_order; ///< every UID of the folder, in the order shown
    qsizetype m_next = 0;   ///< m_order[m_next...] are not listed yet
    int m_sortColumn = DateColumn;
    Qt::SortOrder m_sortOrder = Qt::DescendingOrder;
    bool m_loading = false;
    quint64 m_generation = 0;
};

} // namespace tandem::ui
