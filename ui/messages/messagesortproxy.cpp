// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/messages/messagesortproxy.h"

#include "ui/messages/messagelistmodel.h"

namespace tandem::ui {

MessageSortProxy::MessageSortProxy(MessageListModel *messages, QObject *parent)
    : QSortFilterProxyModel(parent)
    , m_messages(messages)
{
    setSourceModel(messages);
    setSortRole(MessageListModel::SortRole);
    connect(messages, &MessageListModel::serverSortUnavailable, this, [this](int column, Qt::SortOrder order) {
        m_serverCanSort = false;
        m_sortedOnServer = false;
        QSortFilterProxyModel::sort(column, order);
    });
}

void MessageSortProxy::sort(int column, Qt::SortOrder order)
{
    if (m_serverCanSort && MessageListModel::sortsOnServer(column)) {
        m_sortedOnServer = true;
        QSortFilterProxyModel::sort(-1); // the model's order, which is the server's
        m_messages->sort(column, order);
        return;
    }
    m_sortedOnServer = false;
    QSortFilterProxyModel::sort(column, order);
}

} // namespace tandem::ui
