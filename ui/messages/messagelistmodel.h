// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QAbstractTableModel>
#include <QHash>

#include "mailcore/base/error.h"
#include "mailcore/store/records.h"

namespace mailcore::store {
class MailStore;
}

namespace tandem::ui {

class Coalescer;

/// The messages of one folder as the local store has them, in the order
/// chosen, read a page at a time as the view scrolls to the end
/// (canFetchMore/fetchMore). Every column sorts in the store (an index per
/// column), and the next page is read by key after the last row listed, so
/// a 100,000-message folder opens with one page and costs the same deep down.
///
/// Live: when the store says the folder changed (a sync added, removed or
/// re-flagged rows, the user read one), the rows listed are read again and
/// only what differs is inserted, removed or redrawn, so the selection and
/// the scroll position stay. Reads run in the GUI thread: a page is about a
/// millisecond in WAL mode and never waits for the store's writer.
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
    static constexpr int DefaultPageSize = 200;

    explicit MessageListModel(QObject *parent = nullptr);
    ~MessageListModel() override;

    /// Shows the folder `folderId` (named `folder`) of `store` from its first
    /// row in the current order; nullptr or 0: nothing.
    void setFolder(mailcore::store::MailStore *store, qint64 folderId, const QString &folder);
    QString folder() const { return m_folder; }
    qint64 folderId() const { return m_folderId; }
    /// Rows per page (tests use small pages to see the paging).
    void setPageSize(int rows) { m_pageSize = std::max(1, rows); }
    /// How many of the folder's messages are not listed yet.
    int remainingToList() const { return std::max(0, m_total - int(m_rows.size())); }
    /// The folder's messages, listed or not.
    int totalMessages() const { return m_total; }
    /// Orders the folder by `column` and lists it again from the top.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    QModelIndex indexOfUid(quint32 uid, int column = SubjectColumn) const;
    /// The stored row of a listed message.
    const mailcore::store::StoredMessage *messageOfUid(quint32 uid) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    /// Rows are dragged onto a folder as kMimeType: the folder, its id and the UIDs.
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    static constexpr const char *kMimeType = "application/x-tandem-messages";
    /// What mimeData() carries, read back; `uids` empty if `data` is not ours.
    struct Dragged {
        QString folder;
        qint64 folderId = 0;
        QList<quint32> uids;
    };
    static Dragged draggedFrom(const QMimeData *data);
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

Q_SIGNALS:
    /// A page was listed (after setFolder(), sort() or fetchMore()).
    void pageLoaded(int rowsAdded);
    /// The rows listed were read again after a change in the store.
    void refreshed();
    void loadFailed(const mailcore::Error &error);

private:
    void listFirstPage();
    /// The store changed `folderId`: the rows listed are read again (coalesced: see m_refresh).
    void storeChanged(qint64 folderId);
    void refresh();
    void applyRows(const QList<mailcore::store::StoredMessage> &fresh);
    void reindex();
    void countMessages();

    mailcore::store::MailStore *m_store = nullptr;
    qint64 m_folderId = 0;
    QString m_folder;
    QList<mailcore::store::StoredMessage> m_rows;
    QHash<quint32, int> m_rowOfUid;
    int m_total = 0;
    int m_pageSize = DefaultPageSize;
    mailcore::store::SortColumn m_sortKey = mailcore::store::SortColumn::Date;
    Qt::SortOrder m_sortOrder = Qt::DescendingOrder;
    Coalescer *m_refresh; ///< at most one re-read per 100 ms, however many commits
};

} // namespace tandem::ui
