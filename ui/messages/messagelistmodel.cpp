#include "ui/messages/messagelistmodel.h"

#include <QFont>
#include <QLocale>

#include "mailcore/imapclient.h"
#include "ui/messages/listicons.h"
#include "ui/futureresult.h"
#include "ui/workerpool.h"

namespace tandem::ui {

using mailcore::MessageSummary;
using Row = MessageListModel::Row;

namespace {

/// Worker thread: the list's rows from the server's summaries, newest UID first.
QList<Row> toRows(const QList<MessageSummary> &summaries)
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
    std::sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) { return a.uid > b.uid; });
    return rows;
}

} // namespace

MessageListModel::MessageListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

MessageListModel::~MessageListModel() = default;

void MessageListModel::setFolder(mailcore::ImapClient *client, const QString &folder)
{
    const quint64 generation = ++m_generation;
    beginResetModel();
    m_client = client;
    m_folder = folder;
    m_rows.clear();
    m_rowOfUid.clear();
    m_uids.clear();
    m_remaining = 0;
    m_loading = false;
    endResetModel();
    if (!client || folder.isEmpty())
        return;
    // The counts for whoever shows them, and every UID of the folder (one
    // UID SEARCH ALL) to cut into pages; both are short work for the server.
    whenFinished(this, client->folderStatusAsync(folder), [this, generation, folder](QFuture<mailcore::FolderStatus> future) {
        const auto status = takeResult(future);
        if (generation != m_generation)
            return;
        if (status)
            Q_EMIT folderOpened(folder, status.value());
        else
            Q_EMIT loadFailed(status.error()); // the rows may still come; only the counts are missing
    });
    m_loading = true;
    whenFinished(this, client->allUidsAsync(folder), [this, generation](QFuture<QList<quint32>> future) {
        const auto uids = takeResult(future);
        if (generation != m_generation)
            return;
        m_loading = false;
        if (!uids) {
            Q_EMIT loadFailed(uids.error());
            return;
        }
        m_uids = uids.value();
        std::sort(m_uids.begin(), m_uids.end());
        m_remaining = m_uids.size();
        fetchMore({});
    });
}

bool MessageListModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_client && !m_loading && m_remaining > 0;
}

void MessageListModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    const quint64 generation = m_generation;
    // The next page from the newest end of the UIDs not listed yet: one UID
    // range, which holds exactly these messages (UIDs only grow).
    const qsizetype first = std::max<qsizetype>(0, m_remaining - qsizetype(m_pageSize));
    const quint32 low = m_uids.at(first);
    const quint32 high = m_uids.at(m_remaining - 1);
    m_loading = true;
    QFuture<QList<Row>> page = m_client->listMessagesAsync(m_folder, low, high).then(
        workerPool(), [](const QList<MessageSummary> &summaries) { return toRows(summaries); });
    whenFinished(this, page, [this, generation, first](QFuture<QList<Row>> future) {
        const auto rows = takeResult(future);
        if (generation != m_generation)
            return;
        m_loading = false;
        if (!rows) {
            m_remaining = 0; // stop paging; the user can open the folder again
            Q_EMIT loadFailed(rows.error());
            return;
        }
        m_remaining = first;
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

int MessageListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int MessageListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

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
            return row.fromName.isEmpty() ? row.fromAddress : QStringLiteral("%1 <%2>").arg(row.fromName, row.fromAddress);
        if (index.column() == SubjectColumn)
            return row.subject;
        return {};
    case SortRole:
        switch (index.column()) {
        case FlagColumn: return row.flagged;
        case AttachmentColumn: return row.attachments;
        case SubjectColumn: return row.subject.toCaseFolded();
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
        case DateColumn: return tr("When the server received the message");
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
