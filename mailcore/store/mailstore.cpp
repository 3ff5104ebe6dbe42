// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/store/mailstore.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "mailcore/store/database.h"
#include "mailcore/store/rawstatement.h"
#include "mailcore/store/rows.h"
#include "mailcore/store/searchtext.h"
#include "mailcore/store/storeevents.h"
#include "mailcore/store/writer.h"

namespace mailcore::store {

namespace {

qint64 now() { return QDateTime::currentSecsSinceEpoch(); }

/// A prepared query on `db`, its values bound in order. (A null QString binds
/// as SQL NULL: the statements write text columns through coalesce(?, '').)
QSqlQuery prepared(QSqlDatabase &db, const QString &sql, const QVariantList &values = {})
{
    QSqlQuery query(db);
    if (!query.prepare(sql))
        throw MailException(sqlError(sql.left(60), query.lastError()));
    for (const QVariant &v : values)
        query.addBindValue(v);
    return query;
}

/// The column a list is sorted by.
QString sortKey(SortColumn column)
{
    switch (column) {
    case SortColumn::Arrival: return QStringLiteral("m.internal_date");
    case SortColumn::Sender: return QStringLiteral("m.sender");
    case SortColumn::Subject: return QStringLiteral("m.subject");
    case SortColumn::Size: return QStringLiteral("m.size");
    case SortColumn::Flagged: return QStringLiteral("m.flagged");
    case SortColumn::Attachments: return QStringLiteral("m.has_attachments");
    case SortColumn::Date: break;
    }
    return QStringLiteral("m.sent_date");
}

/// A row's value in that column, as the database holds it.
QVariant sortValue(SortColumn column, const StoredMessage &m)
{
    switch (column) {
    case SortColumn::Arrival: return rows::secondsOf(m.summary.internalDate);
    case SortColumn::Sender: return rows::senderSortKey(m.summary);
    case SortColumn::Subject: return m.summary.subject;
    case SortColumn::Size: return m.summary.size;
    case SortColumn::Flagged: return rows::hasFlag(m.summary.flags, "\\Flagged");
    case SortColumn::Attachments: return m.summary.hasAttachments();
    case SortColumn::Date: break;
    }
    return rows::secondsOf(m.summary.date);
}

QString orderBy(SortColumn column, Qt::SortOrder order)
{
    const QString direction = order == Qt::AscendingOrder ? QStringLiteral("ASC") : QStringLiteral("DESC");
    // The UID breaks ties, so a page boundary never shows a row twice.
    return sortKey(column) + QLatin1Char(' ') + direction + QStringLiteral(", m.uid ") + direction;
}

/// The body files of the messages `where` selects (the writer removes them
/// once the rows are gone for good).
QStringList bodyFilesOf(QSqlDatabase &db, const QString &where, const QVariantList &values)
{
    QSqlQuery query = prepared(
        db,
        QStringLiteral("SELECT b.file FROM bodies b JOIN messages m ON m.id = b.message WHERE b.file IS NOT NULL AND ")
            + where,
        values);
    runOrThrow(query, QStringLiteral("listing body files"));
    QStringList files;
    while (query.next())
        files << query.value(0).toString();
    return files;
}

void removeFiles(const QString &folder, const QStringList &files)
{
    for (const QString &file : files)
        QFile::remove(folder + QLatin1Char('/') + file);
}

/// Reads run through this: a failed statement is an error value, not a throw.
template <typename F>
auto reading(Result<QSqlDatabase> db, F read) -> Result<std::invoke_result_t<F, QSqlDatabase &>>
{
    if (!db)
        return db.error();
    try {
        return read(db.value());
    } catch (const MailException &e) {
        return e.error();
    }
}

/// Inserts a message row, or updates it when the folder has its UID.
QString upsertMessageSql()
{
    return QStringLiteral(
        "INSERT INTO messages (folder_id, uid, flags, seen, flagged, modseq, internal_date, size,"
        " sent_date, subject, sender, addresses, message_id, in_reply_to, refs, structure,"
        " has_attachments) VALUES (?, ?, coalesce(?, ''), ?, ?, ?, ?, ?, ?, coalesce(?, ''), coalesce(?, ''),"
        " coalesce(?, ''), coalesce(?, ''), coalesce(?, ''), coalesce(?, ''), coalesce(?, ''), ?)"
        " ON CONFLICT (folder_id, uid) DO UPDATE SET flags = excluded.flags,"
        " seen = excluded.seen, flagged = excluded.flagged, modseq = excluded.modseq,"
        " internal_date = excluded.internal_date, size = excluded.size,"
        " sent_date = excluded.sent_date, subject = excluded.subject, sender = excluded.sender,"
        " addresses = excluded.addresses, message_id = excluded.message_id,"
        " in_reply_to = excluded.in_reply_to, refs = excluded.refs,"
        " structure = excluded.structure, has_attachments = excluded.has_attachments"
        " RETURNING id");
}

/// A message row as the statements bind it: computed in the caller's thread
/// (addresses and parts as JSON, the sort and search keys), so that the
/// store's one writer thread only binds and steps.
struct PreparedRow {
    qint64 folderId = 0;
    quint32 uid = 0;
    QString flags;
    bool seen = false;
    bool flagged = false;
    quint64 modseq = 0;
    qint64 internalDate = 0;
    quint64 size = 0;
    qint64 sentDate = 0;
    QString subject; ///< also for the search index
    QString sender;
    QString addresses;
    QString messageId;
    QString inReplyTo;
    QString refs;
    QString structure;
    bool hasAttachments = false;
    QString people; ///< for the search index

    /// upsertMessageSql()'s values, in order.
    QVariantList values() const
    {
        return {folderId, uid,    flags,     seen,      flagged,   modseq, internalDate, size,          sentDate,
                subject,  sender, addresses, messageId, inReplyTo, refs,   structure,    hasAttachments};
    }
};

PreparedRow prepareRow(qint64 folderId, const StoredMessage &m)
{
    const MessageSummary &s = m.summary;
    return {folderId,
            s.uid,
            rows::flagsText(s.flags),
            rows::hasFlag(s.flags, "\\Seen"),
            rows::hasFlag(s.flags, "\\Flagged"),
            m.modseq,
            rows::secondsOf(s.internalDate),
            s.size,
            rows::secondsOf(s.date),
            s.subject,
            rows::senderSortKey(s),
            rows::addressesJson(s),
            s.messageId,
            s.inReplyTo,
            s.references.join(QLatin1Char(' ')),
            rows::partsJson(s.parts),
            s.hasAttachments(),
            searchtext::peopleOf(s)};
}

QList<PreparedRow> prepareRows(qint64 folderId, const QList<StoredMessage> &messages)
{
    QList<PreparedRow> out;
    out.reserve(messages.size());
    for (const StoredMessage &m : messages)
        out << prepareRow(folderId, m);
    return out;
}

/// An account's columns, in the order addAccount() and saveAccount() bind them.
QVariantList accountValues(const Account &account)
{
    return {account.name,
            account.protocol,
            account.host,
            account.port,
            account.security,
            account.userName,
            QString::fromUtf8(QJsonDocument(account.settings).toJson(QJsonDocument::Compact))};
}

/// Its row id.
qint64 upsertMessage(QSqlQuery &query, const PreparedRow &row)
{
    const QVariantList values = row.values();
    for (int i = 0; i < values.size(); ++i)
        query.bindValue(i, values.at(i));
    runOrThrow(query, QStringLiteral("saving message %1").arg(row.uid));
    if (!query.next())
        throw MailException(
            Error(ErrorCode::Internal, QStringLiteral("saving message %1 returned no id").arg(row.uid)));
    const qint64 id = query.value(0).toLongLong();
    query.finish();
    return id;
}

/// The search index's statements for message rows: a new row's entry is
/// inserted; a known row's subject and people are updated (the body's text,
/// if indexed, stays).
struct HeaderIndex {
    QSqlQuery update;
    QSqlQuery insert;

    explicit HeaderIndex(QSqlDatabase &db)
        : update(prepared(db,
                          QStringLiteral("UPDATE message_text SET subject = coalesce(?, ''), people = coalesce(?, '')"
                                         " WHERE rowid = ?")))
        , insert(prepared(db,
                          QStringLiteral("INSERT INTO message_text (rowid, subject, people, body)"
                                         " VALUES (?, coalesce(?, ''), coalesce(?, ''), '')")))
    {
    }

    void index(qint64 id, const PreparedRow &row, bool knownNew)
    {
        if (!knownNew) {
            update.bindValue(0, row.subject);
            update.bindValue(1, row.people);
            update.bindValue(2, id);
            runOrThrow(update, QStringLiteral("indexing message %1").arg(row.uid));
            if (update.numRowsAffected() > 0)
                return;
        }
        insert.bindValue(0, id);
        insert.bindValue(1, row.subject);
        insert.bindValue(2, row.people);
        runOrThrow(insert, QStringLiteral("indexing message %1").arg(row.uid));
    }
};

/// Whether the folder holds none of these UIDs yet (a first sync's batch):
/// then every row is new and its index entry a plain insert.
bool noneStored(QSqlDatabase &db, qint64 folderId, const QList<PreparedRow> &rows)
{
    if (rows.isEmpty())
        return true;
    const auto [low, high] = std::minmax_element(
        rows.cbegin(), rows.cend(), [](const PreparedRow &a, const PreparedRow &b) { return a.uid < b.uid; });
    QSqlQuery query = prepared(
        db, QStringLiteral("SELECT 1 FROM messages WHERE folder_id = ? AND uid BETWEEN ? AND ? LIMIT 1"),
        {folderId, low->uid, high->uid});
    runOrThrow(query, QStringLiteral("looking for stored messages"));
    return !query.next();
}

/// Whether no UID comes twice in `rows` (a plain INSERT would then fail
/// where the upsert keeps the last).
bool distinctUids(const QList<PreparedRow> &rows)
{
    std::vector<quint32> uids;
    uids.reserve(size_t(rows.size()));
    for (const PreparedRow &row : rows)
        uids.push_back(row.uid);
    std::sort(uids.begin(), uids.end());
    return std::adjacent_find(uids.begin(), uids.end()) == uids.end();
}

/// Rows none of which the folder holds yet (a first sync's batch), on
/// SQLite's own API: a plain INSERT (an upsert with RETURNING cost SQLite
/// twice the work: measured 0.22 s against 0.12 s for 10,000 rows), then
/// their search entries. False when the driver offers no SQLite handle: the
/// caller upserts instead.
bool insertNewRows(QSqlDatabase &db, const QList<PreparedRow> &rows)
{
    std::optional<RawStatement> insert = RawStatement::prepare(
        db,
        "INSERT INTO messages (folder_id, uid, flags, seen, flagged, modseq, internal_date, size, sent_date,"
        " subject, sender, addresses, message_id, in_reply_to, refs, structure, has_attachments)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert)
        return false;
    QList<qint64> ids;
    ids.reserve(rows.size());
    for (const PreparedRow &row : rows) {
        insert->bind(1, row.folderId);
        insert->bind(2, qint64(row.uid));
        insert->bind(3, row.flags);
        insert->bind(4, qint64(row.seen));
        insert->bind(5, qint64(row.flagged));
        insert->bind(6, qint64(row.modseq));
        insert->bind(7, row.internalDate);
        insert->bind(8, qint64(row.size));
        insert->bind(9, row.sentDate);
        insert->bind(10, row.subject);
        insert->bind(11, row.sender);
        insert->bind(12, row.addresses);
        insert->bind(13, row.messageId);
        insert->bind(14, row.inReplyTo);
        insert->bind(15, row.refs);
        insert->bind(16, row.structure);
        insert->bind(17, qint64(row.hasAttachments));
        insert->run("saving message %1", row.uid);
        ids << insert->lastInsertId();
    }
    // The search index after all the rows, not row by row: FTS5 keeps a
    // transaction's entries in memory and flushes them when another table is
    // written in between (measured: half the batch's time when interleaved).
    std::optional<RawStatement> index = RawStatement::prepare(
        db, "INSERT INTO message_text (rowid, subject, people, body) VALUES (?, ?, ?, '')");
    Q_ASSERT(index); // the same handle as the insert's
    for (qsizetype i = 0; i < rows.size(); ++i) {
        index->bind(1, ids.at(i));
        index->bind(2, rows.at(i).subject);
        index->bind(3, rows.at(i).people);
        index->run("indexing message %1", rows.at(i).uid);
    }
    return true;
}

void indexBody(QSqlDatabase &db, qint64 id, const QString &text)
{
    QSqlQuery query = prepared(db, QStringLiteral("UPDATE message_text SET body = coalesce(?, '') WHERE rowid = ?"),
                               {text, id});
    runOrThrow(query, QStringLiteral("indexing the text of message %1").arg(id));
}

/// Writes a raw message for a row: small ones into the database, large ones
/// as a file beside it named by the row's id only (nothing from the network
/// reaches the path), written beside and renamed over: never half a file.
void writeBody(QSqlDatabase &db, const QString &bodyFolder, qint64 messageId, const QByteArray &raw)
{
    QVariant data{QMetaType(QMetaType::QByteArray)}; // NULL unless small
    QVariant file{QMetaType(QMetaType::QString)};
    if (raw.size() > MailStore::kLargeBody) {
        const QString name = QStringLiteral("%1/%2.eml").arg(messageId % 256, 2, 16, QLatin1Char('0')).arg(messageId);
        const QString target = bodyFolder + QLatin1Char('/') + name;
        QDir().mkpath(QFileInfo(target).absolutePath());
        QSaveFile out(target);
        if (!out.open(QIODevice::WriteOnly) || out.write(raw) != raw.size() || !out.commit())
            throw MailException(Error(
                ErrorCode::Io, QStringLiteral("local store: writing %1 failed: %2").arg(target, out.errorString())));
        file = name;
    } else {
        data = raw;
    }
    QSqlQuery query = prepared(db,
                               QStringLiteral("INSERT OR REPLACE INTO bodies (message, size, data, file, fetched_at)"
                                              " VALUES (?, ?, ?, ?, ?)"),
                               {messageId, raw.size(), data, file, now()});
    runOrThrow(query, QStringLiteral("saving the body of message %1").arg(messageId));
}

} // namespace

namespace {

/// The read connections of one store, one per thread that reads (Qt Sql's
/// rule: a connection is used only by the thread that made it). A thread's
/// connection is closed when that thread ends (ThreadReaders, below), so a
/// new thread never finds the connection of an ended one, even where the
/// system hands it the same thread id or QThread address.
struct ReaderRegistry {
    std::mutex mutex;
    std::map<std::thread::id, std::unique_ptr<Connection>> byThread;
};

/// Per thread: the stores it reads from. At the thread's end its connections
/// are closed there, in the thread that made them.
struct ThreadReaders {
    std::vector<std::weak_ptr<ReaderRegistry>> registries;
    ~ThreadReaders()
    {
        for (const std::weak_ptr<ReaderRegistry> &weak : registries) {
            if (const std::shared_ptr<ReaderRegistry> registry = weak.lock()) {
                std::unique_ptr<Connection> mine;
                {
                    const std::lock_guard lock(registry->mutex);
                    if (auto it = registry->byThread.find(std::this_thread::get_id()); it != registry->byThread.end()) {
                        mine = std::move(it->second);
                        registry->byThread.erase(it);
                    }
                }
                // closed here, outside the lock
            }
        }
    }
};

thread_local ThreadReaders threadReaders;

} // namespace

struct MailStore::Private {
    QString path;
    PrepareReport report;
    StoreEvents events; // before the writer: its last jobs may still announce
    std::unique_ptr<Writer> writer;
    std::shared_ptr<ReaderRegistry> readers = std::make_shared<ReaderRegistry>();

    QString bodyFolder() const { return path + QStringLiteral(".bodies"); }

    /// What a committed change tells the readers.
    std::function<void()> foldersChanged()
    {
        return [this] { Q_EMIT events.foldersChanged(); };
    }
    std::function<void()> messagesChanged(qint64 folderId)
    {
        return [this, folderId] { Q_EMIT events.messagesChanged(folderId); };
    }
    std::function<void()> folderAndMessagesChanged(qint64 folderId)
    {
        return [this, folderId] {
            Q_EMIT events.foldersChanged();
            Q_EMIT events.messagesChanged(folderId);
        };
    }

    /// The calling thread's read connection, made on its first read.
    Result<QSqlDatabase> reader()
    {
        static std::atomic<int> counter{0};
        const std::thread::id self = std::this_thread::get_id();
        {
            const std::lock_guard lock(readers->mutex);
            if (const auto it = readers->byThread.find(self); it != readers->byThread.end())
                return it->second->db();
        }
        // Opened outside the lock: opening waits for the file (and may wait
        // for the writer's lock), and the other threads' reads, the GUI
        // thread's first, must not wait behind it (measured: 24 ms blocked).
        Result<std::unique_ptr<Connection>> opened = Connection::open(
            path, QStringLiteral("tandem-store-reader-%1").arg(++counter));
        if (!opened)
            return opened.error();
        const std::lock_guard lock(readers->mutex);
        const auto it = readers->byThread.emplace(self, std::move(opened.value())).first;
        threadReaders.registries.push_back(readers); // closed when this thread ends
        return it->second->db();
    }
};

MailStore::MailStore(std::unique_ptr<Private> d)
    : d(std::move(d))
{
}

MailStore::~MailStore()
{
    d->writer.reset(); // what is queued is written first
    const std::lock_guard lock(d->readers->mutex);
    d->readers->byThread.clear();
}

Result<std::unique_ptr<MailStore>> MailStore::open(const QString &path)
{
    Result<PrepareReport> report = prepare(path);
    if (!report)
        return report.error();
    auto d = std::make_unique<Private>();
    d->path = path;
    d->report = report.value();
    d->writer = std::make_unique<Writer>(path);
    return std::unique_ptr<MailStore>(new MailStore(std::move(d)));
}

QString MailStore::path() const { return d->path; }

const PrepareReport &MailStore::openReport() const { return d->report; }

StoreEvents &MailStore::events() { return d->events; }

QFuture<qint64> MailStore::addAccount(Account account)
{
    return d->writer->write(
        [account = std::move(account)](QSqlDatabase &db) {
            QSqlQuery query = prepared(
                db,
                QStringLiteral(
                    "INSERT INTO accounts (name, protocol, host, port, security, user_name,"
                    " settings) VALUES (coalesce(?, ''), ?, coalesce(?, ''), ?, coalesce(?, ''), coalesce(?, ''), ?)"),
                accountValues(account));
            runOrThrow(query, QStringLiteral("adding an account"));
            return query.lastInsertId().toLongLong();
        },
        d->foldersChanged());
}

QFuture<void> MailStore::saveAccount(Account account)
{
    return d->writer->write(
        [account = std::move(account)](QSqlDatabase &db) {
            QSqlQuery query = prepared(
                db,
                QStringLiteral("UPDATE accounts SET name = coalesce(?, ''), protocol = ?, host = coalesce(?, ''),"
                               " port = ?, security = coalesce(?, ''), user_name = coalesce(?, ''), settings = ?"
                               " WHERE id = ?"),
                accountValues(account) << account.id);
            runOrThrow(query, QStringLiteral("saving account %1").arg(account.name));
        },
        d->foldersChanged());
}

namespace {
/// Inserts or updates one folder by (account, name); its id.
qint64 upsertFolder(QSqlDatabase &db, const Folder &folder)
{
    QSqlQuery query = prepared(
        db,
        QStringLiteral("INSERT INTO folders (account_id, name, delimiter, role, selectable, uid_validity, uid_next,"
                       " highest_modseq, server_count, server_unseen, synced_at)"
                       " VALUES (?, ?, coalesce(?, ''), coalesce(?, ''), ?, ?, ?, ?, ?, ?, ?)"
                       " ON CONFLICT (account_id, name) DO UPDATE SET delimiter = excluded.delimiter,"
                       " role = excluded.role, selectable = excluded.selectable,"
                       " uid_validity = excluded.uid_validity, uid_next = excluded.uid_next,"
                       " highest_modseq = excluded.highest_modseq, server_count = excluded.server_count,"
                       " server_unseen = excluded.server_unseen, synced_at = excluded.synced_at"
                       " RETURNING id"),
        {folder.accountId, folder.name, folder.delimiter, rows::roleName(folder.role), folder.selectable,
         folder.uidValidity, folder.uidNext, folder.highestModseq, folder.serverCount, folder.serverUnseen, now()});
    runOrThrow(query, QStringLiteral("saving folder %1").arg(folder.name));
    if (!query.next())
        throw MailException(Error(ErrorCode::Internal, QStringLiteral("saving a folder returned no id")));
    return query.value(0).toLongLong();
}
} // namespace

QFuture<qint64> MailStore::saveFolder(Folder folder)
{
    return d->writer->write([folder = std::move(folder)](QSqlDatabase &db) { return upsertFolder(db, folder); },
                            d->foldersChanged());
}

QFuture<QList<qint64>> MailStore::saveFolders(QList<Folder> folders)
{
    return d->writer->write(
        [folders = std::move(folders)](QSqlDatabase &db) {
            QList<qint64> ids;
            ids.reserve(folders.size());
            for (const Folder &folder : folders)
                ids << upsertFolder(db, folder);
            return ids;
        },
        d->foldersChanged());
}

QFuture<void> MailStore::renameFolder(qint64 folderId, QString newName)
{
    return d->writer->write(
        [folderId, newName = std::move(newName)](QSqlDatabase &db) {
            QSqlQuery query = prepared(db, QStringLiteral("UPDATE folders SET name = ? WHERE id = ?"),
                                       {newName, folderId});
            runOrThrow(query, QStringLiteral("renaming a folder to %1").arg(newName));
        },
        d->foldersChanged());
}

QFuture<void> MailStore::removeAccount(qint64 accountId)
{
    return d->writer->write(
        [this, accountId](QSqlDatabase &db) {
            const QStringList files = bodyFilesOf(
                db, QStringLiteral("m.folder_id IN (SELECT id FROM folders WHERE account_id = ?)"), {accountId});
            // Its folders, messages, bodies, Outbox, queued actions and what
            // the pool learned go with it (ON DELETE CASCADE).
            QSqlQuery query = prepared(db, QStringLiteral("DELETE FROM accounts WHERE id = ?"), {accountId});
            runOrThrow(query, QStringLiteral("removing an account"));
            removeFiles(d->bodyFolder(), files); // as removeFolder(): after a rollback the rows would be refetched
        },
        d->foldersChanged());
}

QFuture<void> MailStore::removeFolder(qint64 folderId)
{
    return d->writer->write(
        [this, folderId](QSqlDatabase &db) {
            const QStringList files = bodyFilesOf(db, QStringLiteral("m.folder_id = ?"), {folderId});
            QSqlQuery query = prepared(db, QStringLiteral("DELETE FROM folders WHERE id = ?"), {folderId});
            runOrThrow(query, QStringLiteral("removing a folder"));
            removeFiles(d->bodyFolder(),
                        files); // a rollback after this would leave rows without files: they are refetched
        },
        d->foldersChanged());
}

QFuture<void> MailStore::resetFolder(qint64 folderId, quint32 uidValidity)
{
    return d->writer->write(
        [this, folderId, uidValidity](QSqlDatabase &db) {
            const QStringList files = bodyFilesOf(db, QStringLiteral("m.folder_id = ?"), {folderId});
            QSqlQuery drop = prepared(db, QStringLiteral("DELETE FROM messages WHERE folder_id = ?"), {folderId});
            runOrThrow(drop, QStringLiteral("dropping a folder's messages"));
            QSqlQuery mark = prepared(
                db,
                QStringLiteral("UPDATE folders SET uid_validity = ?, uid_next = 0, highest_modseq = 0"
                               " WHERE id = ?"),
                {uidValidity, folderId});
            runOrThrow(mark, QStringLiteral("recording a folder's new UIDVALIDITY"));
            removeFiles(d->bodyFolder(), files);
        },
        d->folderAndMessagesChanged(folderId));
}

QFuture<void> MailStore::saveMessages(qint64 folderId, QList<StoredMessage> messages)
{
    // Encoded here, in the caller's thread: the writer is the store's one
    // thread for every change, and a first sync feeds it 10,000 rows.
    QList<PreparedRow> rows = prepareRows(folderId, messages);
    return d->writer->write(
        [folderId, rows = std::move(rows)](QSqlDatabase &db) {
            // New and each UID once: a row's index entry is certainly new. A
            // batch naming a UID twice upserts it twice (one row, one entry).
            const bool allNew = noneStored(db, folderId, rows) && distinctUids(rows);
            if (allNew && insertNewRows(db, rows))
                return;
            QSqlQuery query = prepared(db, upsertMessageSql());
            QList<qint64> ids;
            ids.reserve(rows.size());
            for (const PreparedRow &row : rows)
                ids << upsertMessage(query, row);
            // The search index after all the rows, not row by row: FTS5
            // keeps a transaction's entries in memory and flushes them when
            // another table is written in between (measured: half the
            // batch's time when interleaved).
            HeaderIndex index(db);
            for (qsizetype i = 0; i < rows.size(); ++i)
                index.index(ids.at(i), rows.at(i), allNew);
        },
        d->messagesChanged(folderId));
}

QFuture<void> MailStore::setFlags(qint64 folderId, QList<std::pair<quint32, QList<QByteArray>>> flags)
{
    return d->writer->write(
        [folderId, flags = std::move(flags)](QSqlDatabase &db) {
            QSqlQuery query = prepared(
                db,
                QStringLiteral("UPDATE messages SET flags = coalesce(?, ''), seen = ?, flagged = ?"
                               " WHERE folder_id = ? AND uid = ?"));
            for (const auto &[uid, list] : flags) {
                query.bindValue(0, rows::flagsText(list));
                query.bindValue(1, rows::hasFlag(list, "\\Seen"));
                query.bindValue(2, rows::hasFlag(list, "\\Flagged"));
                query.bindValue(3, folderId);
                query.bindValue(4, uid);
                runOrThrow(query, QStringLiteral("saving the flags of %1").arg(uid));
            }
        },
        d->messagesChanged(folderId));
}

QFuture<void> MailStore::removeMessages(qint64 folderId, QList<quint32> uids)
{
    return d->writer->write(
        [this, folderId, uids = std::move(uids)](QSqlDatabase &db) {
            QStringList files;
            QSqlQuery query = prepared(db, QStringLiteral("DELETE FROM messages WHERE folder_id = ? AND uid = ?"));
            for (const quint32 uid : uids) {
                files << bodyFilesOf(db, QStringLiteral("m.folder_id = ? AND m.uid = ?"), {folderId, uid});
                query.bindValue(0, folderId);
                query.bindValue(1, uid);
                runOrThrow(query, QStringLiteral("removing message %1").arg(uid));
            }
            removeFiles(d->bodyFolder(), files);
        },
        d->messagesChanged(folderId));
}

QFuture<void> MailStore::saveBody(qint64 messageId, QByteArray raw)
{
    // Parsed for the index here, in the caller's thread: the writer's thread
    // only writes.
    QString text = searchtext::bodyOf(raw);
    return d->writer->write([this, messageId, raw = std::move(raw), text = std::move(text)](QSqlDatabase &db) {
        writeBody(db, d->bodyFolder(), messageId, raw);
        indexBody(db, messageId, text);
    });
}

QFuture<qint64> MailStore::saveDownloaded(qint64 accountId, qint64 folderId, QByteArray uidl, StoredMessage message,
                                          QByteArray raw)
{
    QString text = searchtext::bodyOf(raw);
    return d->writer->write(
        [this, accountId, folderId, uidl = std::move(uidl), message = std::move(message), raw = std::move(raw),
         text = std::move(text)](QSqlDatabase &db) mutable {
            // The row, its body and the record that it came: one transaction, so
            // a crash leaves all three or none (and the message is fetched again).
            QSqlQuery next = prepared(
                db, QStringLiteral("SELECT coalesce(max(uid), 0) + 1 FROM messages WHERE folder_id = ?"), {folderId});
            runOrThrow(next, QStringLiteral("numbering a downloaded message"));
            message.summary.uid = next.next() ? next.value(0).toUInt() : 1;
            QSqlQuery insert = prepared(db, upsertMessageSql());
            const PreparedRow row = prepareRow(folderId, message);
            const qint64 messageId = upsertMessage(insert, row);
            HeaderIndex(db).index(messageId, row, false);
            writeBody(db, d->bodyFolder(), messageId, raw);
            indexBody(db, messageId, text);
            QSqlQuery record = prepared(
                db,
                QStringLiteral("INSERT OR REPLACE INTO pop3_downloads (account_id, uidl, message,"
                               " downloaded_at, deleted_on_server) VALUES (?, ?, ?, ?, 0)"),
                {accountId, QString::fromLatin1(uidl), messageId, now()});
            runOrThrow(record, QStringLiteral("recording download %1").arg(QString::fromLatin1(uidl)));
            return messageId;
        },
        d->messagesChanged(folderId));
}

QFuture<void> MailStore::markDeletedOnServer(qint64 accountId, QList<QByteArray> uidls)
{
    return d->writer->write([accountId, uidls = std::move(uidls)](QSqlDatabase &db) {
        QSqlQuery query = prepared(
            db, QStringLiteral("UPDATE pop3_downloads SET deleted_on_server = 1 WHERE account_id = ? AND uidl = ?"));
        for (const QByteArray &uidl : uidls) {
            query.bindValue(0, accountId);
            query.bindValue(1, QString::fromLatin1(uidl));
            runOrThrow(query, QStringLiteral("recording a deletion on the server"));
        }
    });
}

Result<QHash<QByteArray, Pop3Download>> MailStore::pop3Downloads(qint64 accountId)
{
    return reading(d->reader(), [accountId](QSqlDatabase &db) {
        QSqlQuery query = prepared(db,
                                   QStringLiteral("SELECT uidl, coalesce(message, 0), downloaded_at, deleted_on_server"
                                                  " FROM pop3_downloads WHERE account_id = ?"),
                                   {accountId});
        runOrThrow(query, QStringLiteral("reading the POP3 downloads"));
        QHash<QByteArray, Pop3Download> out;
        while (query.next()) {
            out.insert(query.value(0).toString().toLatin1(),
                       Pop3Download{query.value(1).toLongLong(), rows::timeOf(query.value(2).toLongLong()),
                                    query.value(3).toBool()});
        }
        return out;
    });
}

QFuture<qint64> MailStore::queueOutgoing(OutboxEntry entry)
{
    return d->writer->write([entry = std::move(entry)](QSqlDatabase &db) {
        QSqlQuery query = prepared(
            db,
            QStringLiteral("INSERT INTO outbox (account_id, message, sender, recipients, state,"
                           " created_at) VALUES (?, ?, coalesce(?, ''), ?, 'waiting', ?)"),
            {entry.accountId, entry.message, entry.sender,
             QString::fromUtf8(
                 QJsonDocument(QJsonArray::fromStringList(entry.recipients)).toJson(QJsonDocument::Compact)),
             now()});
        runOrThrow(query, QStringLiteral("putting a message in the Outbox"));
        return query.lastInsertId().toLongLong();
    });
}

namespace {

/// One statement on an Outbox row.
std::function<void(QSqlDatabase &)> outboxChange(qint64 id, QString sql, QVariantList values, QString what)
{
    return [id, sql = std::move(sql), values = std::move(values), what = std::move(what)](QSqlDatabase &db) {
        QVariantList all = values;
        all << id;
        QSqlQuery query = prepared(db, sql, all);
        runOrThrow(query, what);
    };
}

} // namespace

QFuture<void> MailStore::markSending(qint64 id)
{
    return d->writer->write(outboxChange(id, QStringLiteral("UPDATE outbox SET state = 'sending' WHERE id = ?"), {},
                                         QStringLiteral("marking a message as being sent")));
}

QFuture<void> MailStore::markSent(qint64 id)
{
    return d->writer->write(outboxChange(id,
                                         QStringLiteral("UPDATE outbox SET state = 'sent', sent_at = ? WHERE id = ?"),
                                         {now()}, QStringLiteral("marking a message as sent")));
}

QFuture<void> MailStore::failOutgoing(qint64 id, QString error)
{
    return d->writer->write(outboxChange(id,
                                         QStringLiteral("UPDATE outbox SET state = 'waiting', attempts = attempts + 1,"
                                                        " last_error = coalesce(?, '') WHERE id = ?"),
                                         {error}, QStringLiteral("recording why a message was not sent")));
}

QFuture<void> MailStore::holdOutgoing(qint64 id, bool held)
{
    return d->writer->write(
        outboxChange(id,
                     held ? QStringLiteral("UPDATE outbox SET state = 'held' WHERE state = 'waiting' AND id = ?")
                          : QStringLiteral("UPDATE outbox SET state = 'waiting' WHERE state = 'held' AND id = ?"),
                     {}, QStringLiteral("holding a message of the Outbox")));
}

QFuture<void> MailStore::removeOutgoing(qint64 id)
{
    return d->writer->write(outboxChange(id, QStringLiteral("DELETE FROM outbox WHERE id = ?"), {},
                                         QStringLiteral("removing a message from the Outbox")));
}

Result<QList<mime::MailAddress>> MailStore::correspondents(qint64 accountId, int limit)
{
    return reading(d->reader(), [accountId, limit](QSqlDatabase &db) {
        // addresses is {"from": [[name, address, group], ...], "to": ..., "cc": ...}.
        QSqlQuery query = prepared(
            db,
            QStringLiteral("SELECT max(json_extract(a.value, '$[0]')), json_extract(a.value, '$[1]'), count(*) AS seen"
                           " FROM messages m JOIN folders f ON f.id = m.folder_id,"
                           " json_each(m.addresses) k, json_each(k.value) a"
                           " WHERE f.account_id = ? AND json_extract(a.value, '$[1]') LIKE '%@%'"
                           " GROUP BY lower(json_extract(a.value, '$[1]')) ORDER BY seen DESC LIMIT ?"),
            {accountId, limit});
        runOrThrow(query, QStringLiteral("reading the correspondents"));
        QList<mime::MailAddress> out;
        while (query.next())
            out << mime::MailAddress{query.value(0).toString(), query.value(1).toString(), {}};
        return out;
    });
}

Result<QList<OutboxEntry>> MailStore::outbox(qint64 accountId)
{
    return reading(d->reader(), [accountId](QSqlDatabase &db) {
        QSqlQuery query = prepared(db,
                                   QStringLiteral("SELECT id, account_id, message, sender, recipients, state, attempts,"
                                                  " last_error, created_at, sent_at, sent_copy_done FROM outbox"
                                                  " WHERE account_id = ? ORDER BY id"),
                                   {accountId});
        runOrThrow(query, QStringLiteral("reading the Outbox"));
        QList<OutboxEntry> out;
        while (query.next()) {
            OutboxEntry e;
            e.id = query.value(0).toLongLong();
            e.accountId = query.value(1).toLongLong();
            e.message = query.value(2).toByteArray();
            e.sender = query.value(3).toString();
            for (const QJsonValue &r : QJsonDocument::fromJson(query.value(4).toString().toUtf8()).array())
                e.recipients << r.toString();
            const QString state = query.value(5).toString();
            e.state = state == QLatin1String("sending") ? OutboxEntry::State::Sending
                : state == QLatin1String("sent")        ? OutboxEntry::State::Sent
                : state == QLatin1String("held")        ? OutboxEntry::State::Held
                                                        : OutboxEntry::State::Waiting;
            e.attempts = query.value(6).toInt();
            e.lastError = query.value(7).toString();
            e.createdAt = rows::timeOf(query.value(8).toLongLong());
            e.sentAt = rows::timeOf(query.value(9).toLongLong());
            e.sentCopyDone = query.value(10).toBool();
            out << e;
        }
        return out;
    });
}

QFuture<void> MailStore::rememberConnectionLimit(QString protocol, QString host, int port, QString user, int limit)
{
    return d->writer->write([=](QSqlDatabase &db) {
        QSqlQuery query = prepared(
            db,
            QStringLiteral("INSERT OR REPLACE INTO server_limits (protocol, host, port, user_name,"
                           " connection_limit, learned_at) VALUES (?, ?, ?, ?, ?, ?)"),
            {protocol, host, port, user, limit, now()});
        runOrThrow(query, QStringLiteral("remembering the connection limit of %1").arg(host));
    });
}

QFuture<qint64> MailStore::queueAction(qint64 accountId, OfflineAction action)
{
    return d->writer->write([accountId, action = std::move(action)](QSqlDatabase &db) {
        QStringList uids;
        for (const quint32 uid : action.uids)
            uids << QString::number(uid);
        QSqlQuery query = prepared(db,
                                   QStringLiteral("INSERT INTO pending_actions (account_id, kind, folder, target, uids,"
                                                  " flags, argument, created_at) VALUES (?, ?, coalesce(?, ''),"
                                                  " coalesce(?, ''), coalesce(?, ''), coalesce(?, ''), ?, ?)"),
                                   {accountId, rows::actionName(action.kind), action.folder, action.target,
                                    uids.join(QLatin1Char(',')), rows::flagsText(action.flags), action.message, now()});
        runOrThrow(query, QStringLiteral("keeping an action for later"));
        return query.lastInsertId().toLongLong();
    });
}

QFuture<void> MailStore::finishAction(qint64 actionId)
{
    return d->writer->write([actionId](QSqlDatabase &db) {
        QSqlQuery query = prepared(db, QStringLiteral("DELETE FROM pending_actions WHERE id = ?"), {actionId});
        runOrThrow(query, QStringLiteral("removing a sent action"));
    });
}

QFuture<void> MailStore::failAction(qint64 actionId, QString error)
{
    return d->writer->write([actionId, error = std::move(error)](QSqlDatabase &db) {
        QSqlQuery query = prepared(db,
                                   QStringLiteral("UPDATE pending_actions SET attempts = attempts + 1,"
                                                  " last_error = coalesce(?, '') WHERE id = ?"),
                                   {error, actionId});
        runOrThrow(query, QStringLiteral("recording a failed action"));
    });
}

Result<QList<OfflineAction>> MailStore::pendingActions(qint64 accountId)
{
    return reading(d->reader(), [accountId](QSqlDatabase &db) {
        QSqlQuery query = prepared(db,
                                   QStringLiteral("SELECT id, kind, folder, target, uids, flags, argument, attempts,"
                                                  " last_error FROM pending_actions WHERE account_id = ? ORDER BY id"),
                                   {accountId});
        runOrThrow(query, QStringLiteral("reading the actions waiting to be sent"));
        QList<OfflineAction> actions;
        while (query.next()) {
            OfflineAction a;
            a.id = query.value(0).toLongLong();
            a.kind = rows::actionFromName(query.value(1).toString());
            a.folder = query.value(2).toString();
            a.target = query.value(3).toString();
            for (const QString &uid : query.value(4).toString().split(QLatin1Char(','), Qt::SkipEmptyParts))
                a.uids << uid.toUInt();
            a.flags = rows::flagsFromText(query.value(5).toString());
            a.message = query.value(6).toByteArray();
            a.attempts = query.value(7).toInt();
            a.lastError = query.value(8).toString();
            actions << a;
        }
        return actions;
    });
}

Result<QList<Account>> MailStore::accounts()
{
    return reading(d->reader(), [](QSqlDatabase &db) {
        QSqlQuery query = prepared(
            db,
            QStringLiteral("SELECT id, name, protocol, host, port, security, user_name, settings FROM accounts"
                           " ORDER BY id"));
        runOrThrow(query, QStringLiteral("reading the accounts"));
        QList<Account> list;
        while (query.next()) {
            list << Account{
                query.value(0).toLongLong(), query.value(1).toString(),
                query.value(2).toString(),   query.value(3).toString(),
                query.value(4).toInt(),      query.value(5).toString(),
                query.value(6).toString(),   QJsonDocument::fromJson(query.value(7).toString().toUtf8()).object()};
        }
        return list;
    });
}

Result<QList<Folder>> MailStore::folders(qint64 accountId)
{
    return reading(d->reader(), [accountId](QSqlDatabase &db) {
        QSqlQuery query = prepared(
            db, QStringLiteral("SELECT %1 FROM folders WHERE account_id = ? ORDER BY name").arg(rows::folderColumns()),
            {accountId});
        runOrThrow(query, QStringLiteral("reading the folders"));
        QList<Folder> list;
        while (query.next())
            list << rows::folderFrom(query);
        return list;
    });
}

Result<std::optional<Folder>> MailStore::folder(qint64 accountId, const QString &name)
{
    return reading(d->reader(), [accountId, &name](QSqlDatabase &db) -> std::optional<Folder> {
        QSqlQuery query = prepared(
            db, QStringLiteral("SELECT %1 FROM folders WHERE account_id = ? AND name = ?").arg(rows::folderColumns()),
            {accountId, name});
        runOrThrow(query, QStringLiteral("reading folder %1").arg(name));
        if (!query.next())
            return std::nullopt;
        return rows::folderFrom(query);
    });
}

Result<QList<StoredMessage>> MailStore::messages(qint64 folderId, SortColumn column, Qt::SortOrder order, int offset,
                                                 int limit)
{
    return reading(d->reader(), [=](QSqlDatabase &db) {
        QSqlQuery query = prepared(db,
                                   QStringLiteral("SELECT %1 FROM messages m WHERE m.folder_id = ? ORDER BY %2"
                                                  " LIMIT ? OFFSET ?")
                                       .arg(rows::messageColumns(), orderBy(column, order)),
                                   {folderId, limit, offset});
        runOrThrow(query, QStringLiteral("reading messages"));
        QList<StoredMessage> list;
        while (query.next())
            list << rows::messageFrom(query);
        return list;
    });
}

Result<QList<StoredMessage>> MailStore::messagesAfter(qint64 folderId, SortColumn column, Qt::SortOrder order,
                                                      const StoredMessage &last, int limit)
{
    return reading(d->reader(), [&](QSqlDatabase &db) {
        // By key, not by offset: the index goes straight to the row after
        // `last` however deep it is (OFFSET steps over every row before).
        const QString after = order == Qt::AscendingOrder ? QStringLiteral(">") : QStringLiteral("<");
        QSqlQuery query = prepared(db,
                                   QStringLiteral("SELECT %1 FROM messages m WHERE m.folder_id = ?"
                                                  " AND (%2, m.uid) %3 (coalesce(?, ''), ?)"
                                                  " ORDER BY %4 LIMIT ?")
                                       .arg(rows::messageColumns(), sortKey(column), after, orderBy(column, order)),
                                   {folderId, sortValue(column, last), last.summary.uid, limit});
        runOrThrow(query, QStringLiteral("reading messages"));
        QList<StoredMessage> list;
        while (query.next())
            list << rows::messageFrom(query);
        return list;
    });
}

Result<QHash<quint32, qint64>> MailStore::withoutBody(qint64 folderId, int limit)
{
    return reading(d->reader(), [=](QSqlDatabase &db) {
        QSqlQuery query = prepared(db,
                                   QStringLiteral("SELECT uid, id FROM (SELECT m.uid, m.id FROM messages m"
                                                  " WHERE m.folder_id = ? ORDER BY m.internal_date DESC, m.uid DESC"
                                                  " LIMIT ?) n WHERE NOT EXISTS (SELECT 1 FROM bodies b"
                                                  " WHERE b.message = n.id)"),
                                   {folderId, limit});
        runOrThrow(query, QStringLiteral("reading the messages without a body"));
        QHash<quint32, qint64> out;
        while (query.next())
            out.insert(query.value(0).toUInt(), query.value(1).toLongLong());
        return out;
    });
}

Result<StoredMessage> MailStore::message(qint64 accountId, const QString &folder, quint32 uid)
{
    const Result<std::optional<Folder>> f = this->folder(accountId, folder);
    if (!f)
        return f.error();
    if (!f.value())
        return Error(ErrorCode::NotFound, QStringLiteral("the store has no folder %1").arg(folder));
    const Result<std::optional<StoredMessage>> row = message(f.value()->id, uid);
    if (!row)
        return row.error();
    if (!row.value())
        return Error(ErrorCode::NotFound, QStringLiteral("the store has no message %1 in %2").arg(uid).arg(folder));
    return *row.value();
}

Result<std::optional<StoredMessage>> MailStore::message(qint64 folderId, quint32 uid)
{
    return reading(d->reader(), [=](QSqlDatabase &db) -> std::optional<StoredMessage> {
        QSqlQuery query = prepared(
            db,
            QStringLiteral("SELECT %1 FROM messages m WHERE m.folder_id = ? AND m.uid = ?").arg(rows::messageColumns()),
            {folderId, uid});
        runOrThrow(query, QStringLiteral("reading message %1").arg(uid));
        if (!query.next())
            return std::nullopt;
        return rows::messageFrom(query);
    });
}

Result<QHash<qint64, FolderCounts>> MailStore::folderCounts(qint64 accountId, qint64 folderId)
{
    return reading(d->reader(), [=](QSqlDatabase &db) {
        QSqlQuery query = prepared(db,
                                   QStringLiteral("SELECT m.folder_id, count(*), sum(m.seen = 0) FROM messages m"
                                                  " JOIN folders f ON f.id = m.folder_id"
                                                  " WHERE f.account_id = ? AND (? = 0 OR f.id = ?)"
                                                  " GROUP BY m.folder_id"),
                                   {accountId, folderId, folderId});
        runOrThrow(query, QStringLiteral("counting messages"));
        QHash<qint64, FolderCounts> out;
        while (query.next())
            out.insert(query.value(0).toLongLong(), FolderCounts{query.value(1).toInt(), query.value(2).toInt()});
        return out;
    });
}

Result<QList<quint32>> MailStore::uids(qint64 folderId)
{
    return reading(d->reader(), [folderId](QSqlDatabase &db) {
        QSqlQuery query = prepared(db, QStringLiteral("SELECT uid FROM messages WHERE folder_id = ? ORDER BY uid"),
                                   {folderId});
        runOrThrow(query, QStringLiteral("reading UIDs"));
        QList<quint32> list;
        while (query.next())
            list << query.value(0).toUInt();
        return list;
    });
}

Result<int> MailStore::messageCount(qint64 folderId)
{
    return reading(d->reader(), [folderId](QSqlDatabase &db) {
        QSqlQuery query = prepared(db, QStringLiteral("SELECT count(*) FROM messages WHERE folder_id = ?"), {folderId});
        runOrThrow(query, QStringLiteral("counting messages"));
        return query.next() ? query.value(0).toInt() : 0;
    });
}

Result<std::optional<QByteArray>> MailStore::body(qint64 messageId)
{
    return reading(d->reader(), [this, messageId](QSqlDatabase &db) -> std::optional<QByteArray> {
        QSqlQuery query = prepared(db, QStringLiteral("SELECT data, file, size FROM bodies WHERE message = ?"),
                                   {messageId});
        runOrThrow(query, QStringLiteral("reading a body"));
        if (!query.next())
            return std::nullopt;
        if (query.value(1).isNull())
            return query.value(0).toByteArray();
        QFile file(d->bodyFolder() + QLatin1Char('/') + query.value(1).toString());
        if (!file.open(QIODevice::ReadOnly))
            return std::nullopt; // gone (removed by hand): fetched again
        QByteArray raw = file.readAll();
        if (raw.size() != query.value(2).toLongLong())
            return std::nullopt; // not what was written: fetched again
        return raw;
    });
}

Result<QList<StoredMessage>> MailStore::search(qint64 accountId, const QString &words, qint64 folderId, int limit)
{
    const QString match = searchtext::queryOf(words);
    if (match.isEmpty())
        return QList<StoredMessage>();
    return reading(d->reader(), [&](QSqlDatabase &db) {
        QSqlQuery query = prepared(db,
                                   QStringLiteral("SELECT %1 FROM message_text t JOIN messages m ON m.id = t.rowid"
                                                  " JOIN folders f ON f.id = m.folder_id"
                                                  " WHERE message_text MATCH ? AND f.account_id = ?"
                                                  " AND (? = 0 OR m.folder_id = ?)"
                                                  " ORDER BY m.sent_date DESC, m.id DESC LIMIT ?")
                                       .arg(rows::messageColumns()),
                                   {match, accountId, folderId, folderId, limit});
        runOrThrow(query, QStringLiteral("searching for %1").arg(words));
        QList<StoredMessage> found;
        while (query.next())
            found << rows::messageFrom(query);
        return found;
    });
}

Result<std::optional<int>> MailStore::connectionLimit(const QString &protocol, const QString &host, int port,
                                                      const QString &user)
{
    return reading(d->reader(), [&](QSqlDatabase &db) -> std::optional<int> {
        QSqlQuery query = prepared(db,
                                   QStringLiteral("SELECT connection_limit FROM server_limits WHERE protocol = ?"
                                                  " AND host = ? AND port = ? AND user_name = ?"),
                                   {protocol, host, port, user});
        runOrThrow(query, QStringLiteral("reading a connection limit"));
        if (!query.next())
            return std::nullopt;
        return query.value(0).toInt();
    });
}

} // namespace mailcore::store
