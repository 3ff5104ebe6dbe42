// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/messages/messagelistmodel.h"

#include <QFont>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QMimeData>
#include <QSet>

#include "mailcore/store/mailstore.h"
#include "ui/coalescer.h"
#include "ui/messages/listicons.h"

namespace tandem::ui {

using mailcore::store::SortColumn;
using mailcore::store::StoredMessage;

namespace {

SortColumn storeKey(int column)
{
    switch (column) {
    case MessageListModel::FlagColumn: return SortColumn::Flagged;
    case MessageListModel::AttachmentColumn: return SortColumn::Attachments;
    case MessageListModel::SubjectColumn: return SortColumn::Subject;
    case MessageListModel::FromColumn: return SortColumn::Sender;
    case MessageListModel::SizeColumn: return SortColumn::Size;
    }
    return SortColumn::Date;
}

bool has(const StoredMessage &m, const char *flag) { return m.summary.flags.contains(flag); }

QString senderName(const StoredMessage &m)
{
    return m.summary.from.isEmpty() ? QString() : m.summary.from.first().name;
}

QString senderAddress(const StoredMessage &m)
{
    return m.summary.from.isEmpty() ? QString() : m.summary.from.first().address;
}

/// The sender's Date: header when it has a readable one, else when the server got it.
QDateTime shownDate(const StoredMessage &m)
{
    return m.summary.date.isValid() ? m.summary.date : m.summary.internalDate;
}

} // namespace

MessageListModel::MessageListModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_refresh(new Coalescer(
          std::chrono::milliseconds(100), [this] { refresh(); }, this))
{
}

MessageListModel::~MessageListModel() = default;

void MessageListModel::setFolder(mailcore::store::MailStore *store, qint64 folderId, const QString &folder)
{
    if (m_store != store) {
        if (m_store)
            disconnect(&m_store->events(), nullptr, this, nullptr);
        m_store = store;
        if (m_store)
            connect(&m_store->events(), &mailcore::store::StoreEvents::messagesChanged, this,
                    &MessageListModel::storeChanged);
    }
    m_folderId = store ? folderId : 0;
    m_folder = m_folderId ? folder : QString();
    listFirstPage();
}

void MessageListModel::sort(int column, Qt::SortOrder order)
{
    if (storeKey(column) == m_sortKey && order == m_sortOrder && !m_rows.isEmpty())
        return;
    m_sortKey = storeKey(column);
    m_sortOrder = order;
    listFirstPage();
}

void MessageListModel::listFirstPage()
{
    beginResetModel();
    m_rows.clear();
    m_rowOfUid.clear();
    m_total = 0;
    endResetModel();
    if (!m_folderId)
        return;
    countMessages();
    const auto page = m_store->messages(m_folderId, m_sortKey, m_sortOrder, 0, m_pageSize);
    if (!page) {
        Q_EMIT loadFailed(page.error());
        return;
    }
    if (!page.value().isEmpty()) {
        beginInsertRows({}, 0, int(page.value().size()) - 1);
        m_rows = page.value();
        reindex();
        endInsertRows();
    }
    Q_EMIT pageLoaded(int(m_rows.size()));
}

void MessageListModel::countMessages()
{
    const auto count = m_store->messageCount(m_folderId);
    m_total = count ? count.value() : int(m_rows.size());
}

bool MessageListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_folderId && m_rows.size() < m_total;
}

void MessageListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    // By key after the last row listed: as fast at row 90,000 as at row 200.
    const auto page = m_rows.isEmpty()
        ? m_store->messages(m_folderId, m_sortKey, m_sortOrder, 0, m_pageSize)
        : m_store->messagesAfter(m_folderId, m_sortKey, m_sortOrder, m_rows.last(), m_pageSize);
    if (!page) {
        Q_EMIT loadFailed(page.error());
        return;
    }
    if (page.value().isEmpty()) {
        m_total = int(m_rows.size()); // rows went meanwhile: nothing more to list
        return;
    }
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(page.value().size()) - 1);
    m_rows += page.value();
    reindex();
    endInsertRows();
    Q_EMIT pageLoaded(int(page.value().size()));
}

void MessageListModel::storeChanged(qint64 folderId)
{
    if (folderId == m_folderId && m_store)
        m_refresh->request();
}

void MessageListModel::refresh()
{
    if (!m_store || !m_folderId)
        return;
    countMessages();
    // The rows listed, read again (at least a page: new mail at the top of
    // an empty or short list shows without scrolling).
    const int window = std::max(int(m_rows.size()), m_pageSize);
    const auto fresh = m_store->messages(m_folderId, m_sortKey, m_sortOrder, 0, window);
    if (!fresh) {
        Q_EMIT loadFailed(fresh.error());
        return;
    }
    applyRows(fresh.value());
    Q_EMIT refreshed();
}

void MessageListModel::applyRows(const QList<StoredMessage> &fresh)
{
    // Gone: removed bottom up, so the rows above keep their numbers.
    QSet<quint32> freshUids;
    for (const StoredMessage &m : fresh)
        freshUids.insert(m.summary.uid);
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (freshUids.contains(m_rows[row].summary.uid))
            continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }
    reindex();
    // Then row by row in the new order: the same message is redrawn if it
    // changed, a new one inserted, one that moved (a sort by flag) taken out
    // of its old place and put in its new one.
    for (int row = 0; row < int(fresh.size()); ++row) {
        const StoredMessage &m = fresh[row];
        if (row < m_rows.size() && m_rows[row].summary.uid == m.summary.uid) {
            if (!(m_rows[row] == m)) {
                m_rows[row] = m;
                Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
            }
            continue;
        }
        if (const auto it = m_rowOfUid.constFind(m.summary.uid); it != m_rowOfUid.cend()) {
            const int old = it.value(); // below `row`: everything above is in place already
            beginRemoveRows({}, old, old);
            m_rows.removeAt(old);
            endRemoveRows();
        }
        beginInsertRows({}, row, row);
        m_rows.insert(row, m);
        endInsertRows();
        reindex();
    }
    if (m_rows.size() > fresh.size()) { // pushed below the window: listed again by fetchMore
        beginRemoveRows({}, int(fresh.size()), int(m_rows.size()) - 1);
        m_rows.resize(fresh.size());
        endRemoveRows();
        reindex();
    }
}

void MessageListModel::reindex()
{
    m_rowOfUid.clear();
    m_rowOfUid.reserve(m_rows.size());
    for (int row = 0; row < int(m_rows.size()); ++row)
        m_rowOfUid.insert(m_rows[row].summary.uid, row);
}

QModelIndex MessageListModel::indexOfUid(quint32 uid, int column) const
{
    const auto it = m_rowOfUid.constFind(uid);
    return it == m_rowOfUid.cend() ? QModelIndex() : index(it.value(), column);
}

const StoredMessage *MessageListModel::messageOfUid(quint32 uid) const
{
    const auto it = m_rowOfUid.constFind(uid);
    return it == m_rowOfUid.cend() ? nullptr : &m_rows[it.value()];
}

int MessageListModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

int MessageListModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant MessageListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const StoredMessage &m = m_rows.at(index.row());
    const bool seen = has(m, "\\Seen");
    const bool flagged = has(m, "\\Flagged");
    switch (role) {
    case UidRole: return m.summary.uid;
    case UnreadRole: return !seen;
    case FlaggedRole: return flagged;
    case Qt::FontRole:
        if (!seen) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() == FlagColumn && flagged)
            return flagIcon();
        if (index.column() == AttachmentColumn && m.summary.hasAttachments())
            return attachmentIcon();
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == FromColumn)
            return senderName(m).isEmpty() ? senderAddress(m)
                                           : QStringLiteral("%1 <%2>").arg(senderName(m), senderAddress(m));
        if (index.column() == SubjectColumn)
            return m.summary.subject;
        return {};
    case SortRole:
        switch (index.column()) {
        case FlagColumn: return flagged;
        case AttachmentColumn: return m.summary.hasAttachments();
        case SubjectColumn: return m.summary.subject;
        case FromColumn: return (senderName(m).isEmpty() ? senderAddress(m) : senderName(m)).toCaseFolded();
        case DateColumn: return shownDate(m);
        case SizeColumn: return m.summary.size;
        }
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case SubjectColumn: return m.summary.subject.isEmpty() ? tr("(no subject)") : m.summary.subject;
        case FromColumn: return senderName(m).isEmpty() ? senderAddress(m) : senderName(m);
        case DateColumn: {
            const QDateTime local = shownDate(m).toLocalTime();
            const QLocale locale;
            return QString(locale.toString(local.date(), QLocale::ShortFormat) + QLatin1Char(' ')
                           + locale.toString(local.time(), QStringLiteral("HH:mm")));
        }
        case SizeColumn:
            return QLocale().formattedDataSize(qint64(m.summary.size), 1, QLocale::DataSizeTraditionalFormat);
        }
        return {};
    }
    return {};
}

Qt::ItemFlags MessageListModel::flags(const QModelIndex &index) const
{
    return QAbstractTableModel::flags(index) | (index.isValid() ? Qt::ItemIsDragEnabled : Qt::NoItemFlags);
}

QStringList MessageListModel::mimeTypes() const { return {QString::fromLatin1(kMimeType)}; }

QMimeData *MessageListModel::mimeData(const QModelIndexList &indexes) const
{
    QJsonArray uids;
    QSet<int> rows;
    for (const QModelIndex &index : indexes) {
        if (index.isValid() && !rows.contains(index.row())) {
            rows.insert(index.row());
            uids << qint64(m_rows.at(index.row()).summary.uid);
        }
    }
    auto *data = new QMimeData;
    data->setData(QString::fromLatin1(kMimeType),
                  QJsonDocument(QJsonObject{{QStringLiteral("folder"), m_folder},
                                            {QStringLiteral("folderId"), m_folderId},
                                            {QStringLiteral("uids"), uids}})
                      .toJson(QJsonDocument::Compact));
    return data;
}

MessageListModel::Dragged MessageListModel::draggedFrom(const QMimeData *data)
{
    Dragged dragged;
    if (!data || !data->hasFormat(QString::fromLatin1(kMimeType)))
        return dragged;
    const QJsonObject o = QJsonDocument::fromJson(data->data(QString::fromLatin1(kMimeType))).object();
    dragged.folder = o.value(QStringLiteral("folder")).toString();
    dragged.folderId = o.value(QStringLiteral("folderId")).toInteger();
    for (const QJsonValue &uid : o.value(QStringLiteral("uids")).toArray())
        dragged.uids << quint32(uid.toInteger());
    return dragged;
}

QVariant MessageListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DecorationRole) {
        if (section == FlagColumn)
            return flagIcon();
        if (section == AttachmentColumn)
            return attachmentIcon();
        return {};
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case FlagColumn: return tr("Flagged");
        case AttachmentColumn: return tr("Has attachments");
        case DateColumn: return tr("The date the sender gave (when the server received it, if none)");
        }
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SubjectColumn: return tr("Subject");
    case FromColumn: return tr("From");
    case DateColumn: return tr("Date");
    case SizeColumn: return tr("Size");
    }
    return {};
}

} // namespace tandem::ui
