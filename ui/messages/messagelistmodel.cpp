// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/messages/messagelistmodel.h"

#include <QFont>
#include <QLocale>
#include <QRegularExpression>

#include <functional>
#include <optional>

#include "mailcore/imapclient/imapclient.h"
#include "ui/futureresult.h"
#include "ui/messages/listicons.h"
#include "ui/workerpool.h"

namespace tandem::ui {

using mailcore::MessageSummary;
using Row = MessageListModel::Row;

namespace {

/// Worker thread: the list's rows from the server's summaries, in the order of
/// `page` (the UIDs asked for); UIDs the server no longer has are left out.
QList<Row> toRows(const QList<MessageSummary> &summaries, const QList<quint32> &page)
{
    QList<Row> rows;
    rows.reserve(summaries.size());
    for (const MessageSummary &s : summaries) {
        Row row;
        row.uid = s.uid;
        row.subject = s.subject;
        if (!s.from.isEmpty()) {
            row.fromName = s.from.first().name;
            row.fromAddress = s.from.first().address;
        }
        // The sender's Date: header when it has a readable one, else when the server got it.
        row.date = s.date.isValid() ? s.date : s.internalDate;
        row.size = s.size;
        row.seen = s.flags.contains("\\Seen");
        row.flagged = s.flags.contains("\\Flagged");
        row.answered = s.flags.contains("\\Answered");
        row.attachments = s.hasAttachments() ? 1 : 0;
        rows << row;
    }
    QHash<quint32, qsizetype> position;
    for (qsizetype i = 0; i < page.size(); ++i)
        position.insert(page[i], i);
    std::sort(rows.begin(), rows.end(), [&](const Row &a, const Row &b) {
        return position.value(a.uid, page.size()) < position.value(b.uid, page.size());
    });
    return rows;
}

/// The subject as a server sorts it (RFC 5256 section 2.1, "base subject"):
/// without the "Re:", "Fwd:" and "[list]" prefixes and the "(fwd)" suffix a
/// reply or a forward adds, ASCII letters in one case (i;ascii-casemap). So
/// rows ordered here (a server without SORT) agree with a server's order.
QString baseSubject(QString subject)
{
    static const QRegularExpression trailer(QStringLiteral("(\\s*\\(fwd\\))+\\s*$"),
                                            QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression leader(
        QStringLiteral("^\\s*(?:(?:re|fwd?)\\s*(?:\\[[^\\[\\]]*\\])?\\s*:|\\[[^\\[\\]]*\\](?=\\s*\\S))"),
        QRegularExpression::CaseInsensitiveOption);
    subject = subject.simplified();
    for (;;) {
        const QString before = subject;
        subject.remove(trailer);
        subject.remove(leader);
        subject = subject.trimmed();
        if (subject == before)
            break;
    }
    QString folded = subject;
    for (QChar &c : folded) {
        if (c.unicode() < 128)
            c = c.toUpper();
    }
    return folded;
}

/// The RFC 5256 key a column sorts by on the server.
std::optional<mailcore::SortKey> serverKey(int column)
{
    switch (column) {
    case MessageListModel::SubjectColumn: return mailcore::SortKey::Subject;
    case MessageListModel::FromColumn: return mailcore::SortKey::DisplayFrom; // the name, as shown
    case MessageListModel::DateColumn: return mailcore::SortKey::Date; // the Date: header, else arrival, as shown
    case MessageListModel::SizeColumn: return mailcore::SortKey::Size;
    }
    return std::nullopt;
}

} // namespace

MessageListModel::MessageListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

MessageListModel::~MessageListModel() = default;

void MessageListModel::setFolder(mailcore::ImapClient *client, const QString &folder)
{
    m_client = client;
    m_folder = folder;
    clearRows();
    const quint64 generation = m_generation;
    if (!client || folder.isEmpty())
        return;
    // The counts for whoever shows them; both this and the sorted UIDs are
    // short work for the server.
    whenFinished(this, client->folderStatusAsync(folder),
                 [this, generation, folder](QFuture<mailcore::FolderStatus> future) {
                     const auto status = takeResult(future);
                     if (generation != m_generation)
                         return;
                     if (status)
                         Q_EMIT folderOpened(folder, status.value());
                     else
                         Q_EMIT loadFailed(status.error()); // the rows may still come; only the counts are missing
                 });
    listFolder();
}

void MessageListModel::sort(int column, Qt::SortOrder order)
{
    if (!sortsOnServer(column) || (column == m_sortColumn && order == m_sortOrder))
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    if (!m_client || m_folder.isEmpty())
        return; // the next folder opens in this order
    clearRows();
    listFolder();
}

void MessageListModel::clearRows()
{
    ++m_generation; // answers to requests made before are dropped
    beginResetModel();
    m_rows.clear();
    m_rowOfUid.clear();
    m_order.clear();
    m_next = 0;
    m_loading = false;
    endResetModel();
}

bool MessageListModel::sortsOnServer(int column) { return serverKey(column).has_value(); }

void MessageListModel::listFolder()
{
    // Every UID of the folder in the order shown (one UID SORT), to cut into pages.
    const quint64 generation = m_generation;
    const int column = m_sortColumn;
    const Qt::SortOrder order = m_sortOrder;
    m_loading = true;
    whenFinished(this, m_client->sortedUidsAsync(m_folder, *serverKey(column), order),
                 [this, generation, column, order](QFuture<QList<quint32>> future) {
                     const auto sorted = takeResult(future);
                     if (generation != m_generation)
                         return;
                     if (sorted)
                         return orderListed(sorted.value());
                     if (sorted.error().code() != mailcore::ErrorCode::ServerRefused) {
                         m_loading = false;
                         Q_EMIT loadFailed(sorted.error());
                         return;
                     }
                     // The server refused to sort: newest first, and the view orders what is listed.
                     Q_EMIT serverSortUnavailable(column, order);
                     whenFinished(this, m_client->allUidsAsync(m_folder),
                                  [this, generation](QFuture<QList<quint32>> all) {
                                      auto uids = takeResult(all);
                                      if (generation != m_generation)
                                          return;
                                      if (!uids) {
                                          m_loading = false;
                                          Q_EMIT loadFailed(uids.error());
                                          return;
                                      }
                                      std::sort(uids.value().begin(), uids.value().end(), std::greater<>());
                                      orderListed(uids.value());
                                  });
                 });
}

void MessageListModel::orderListed(QList<quint32> uids)
{
    m_loading = false;
    m_order = std::move(uids);
    m_next = 0;
    fetchMore({});
}

bool MessageListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_client && !m_loading && m_next < m_order.size();
}

void MessageListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    const quint64 generation = m_generation;
    const QList<quint32> page = m_order.mid(m_next, qsizetype(m_pageSize));
    m_loading = true;
    QFuture<QList<Row>> rows = m_client->listMessagesAsync(m_folder, page)
                                   .then(workerPool(), [page](const QList<MessageSummary> &summaries) {
                                       return toRows(summaries, page);
                                   });
    whenFinished(this, rows, [this, generation, listed = page.size()](QFuture<QList<Row>> future) {
        const auto rows = takeResult(future);
        if (generation != m_generation)
            return;
        m_loading = false;
        if (!rows) {
            m_next = m_order.size(); // stop paging; the user can open the folder again
            Q_EMIT loadFailed(rows.error());
            return;
        }
        m_next += listed;
        appendRows(rows.value());
    });
}

void MessageListModel::appendRows(const QList<Row> &rows)
{
    if (!rows.isEmpty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(rows.size()) - 1);
        for (const Row &row : rows) {
            m_rowOfUid.insert(row.uid, int(m_rows.size()));
            m_rows << row;
        }
        endInsertRows();
    }
    Q_EMIT pageLoaded(int(rows.size()));
}

QModelIndex MessageListModel::indexOfUid(quint32 uid, int column) const
{
    const auto it = m_rowOfUid.constFind(uid);
    return it == m_rowOfUid.cend() ? QModelIndex() : index(*it, column);
}

void MessageListModel::setSeen(quint32 uid, bool seen)
{
    const auto it = m_rowOfUid.constFind(uid);
    if (it == m_rowOfUid.cend() || m_rows[*it].seen == seen)
        return;
    m_rows[*it].seen = seen;
    rowChanged(uid);
}

void MessageListModel::rowChanged(quint32 uid)
{
    const int row = m_rowOfUid.value(uid);
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

int MessageListModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

int MessageListModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant MessageListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case UidRole: return row.uid;
    case UnreadRole: return !row.seen;
    case FlaggedRole: return row.flagged;
    case Qt::FontRole:
        if (!row.seen) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() == FlagColumn && row.flagged)
            return flagIcon();
        if (index.column() == AttachmentColumn && row.attachments > 0)
            return attachmentIcon();
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == FromColumn)
            return row.fromName.isEmpty() ? row.fromAddress
                                          : QStringLiteral("%1 <%2>").arg(row.fromName, row.fromAddress);
        if (index.column() == SubjectColumn)
            return row.subject;
        return {};
    case SortRole:
        switch (index.column()) {
        case FlagColumn: return row.flagged;
        case AttachmentColumn: return row.attachments;
        case SubjectColumn: return baseSubject(row.subject);
        case FromColumn: return (row.fromName.isEmpty() ? row.fromAddress : row.fromName).toCaseFolded();
        case DateColumn: return row.date;
        case SizeColumn: return row.size;
        }
        return {};
    case Qt::DisplayRole:
        switch (index.column()) {
        case SubjectColumn: return row.subject.isEmpty() ? tr("(no subject)") : row.subject;
        case FromColumn: return row.fromName.isEmpty() ? row.fromAddress : row.fromName;
        case DateColumn: {
            const QDateTime local = row.date.toLocalTime();
            const QLocale locale;
            return QString(locale.toString(local.date(), QLocale::ShortFormat) + QLatin1Char(' ')
                           + locale.toString(local.time(), QStringLiteral("HH:mm")));
        }
        case SizeColumn: return QLocale().formattedDataSize(qint64(row.size), 1, QLocale::DataSizeTraditionalFormat);
        }
        return {};
    }
    return {};
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
