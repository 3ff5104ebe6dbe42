// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QSortFilterProxyModel>

namespace tandem::ui {

class MessageListModel;

/// Between the message list and its view. A sort by a column the server can
/// sort (subject, sender, date, size) goes to the model, which orders the
/// whole folder on the server and lists it again; the proxy then keeps the
/// model's order. The flag and attachment columns, which IMAP cannot sort by,
/// and every column on a server without SORT, are ordered here, over the rows
/// listed so far. GUI thread.
class MessageSortProxy : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit MessageSortProxy(MessageListModel *messages, QObject *parent = nullptr);

    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    /// Whether the last sort was done by the server (false: here).
    bool sortedOnServer() const { return m_sortedOnServer; }

private:
    MessageListModel *m_messages;
    bool m_serverCanSort = true; ///< until a server says it cannot
    bool m_sortedOnServer = false;
};

} // namespace tandem::ui
