// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/store/database.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

#include <atomic>

#include "mailcore/base/logging.h"
#include "mailcore/store/schema.h"

namespace mailcore::store {

namespace {

// SQLite's primary result codes that tell a person something.
constexpr int kSqliteCorrupt = 11;
constexpr int kSqliteFull = 13;
constexpr int kSqliteNotADatabase = 26;

int sqliteCode(const QSqlError &error)
{
    return error.nativeErrorCode().toInt() & 0xff; // extended codes keep the primary one in the low byte
}

bool meansDamaged(const QSqlError &error)
{
    const int code = sqliteCode(error);
    return code == kSqliteCorrupt || code == kSqliteNotADatabase;
}

} // namespace

Connection::Connection(QSqlDatabase db, QString name)
    : m_db(std::move(db))
    , m_name(std::move(name))
{
}

Connection::~Connection()
{
    m_db.close();
    m_db = QSqlDatabase(); // the last handle must go before the connection is removed
    QSqlDatabase::removeDatabase(m_name);
}

Result<std::unique_ptr<Connection>> Connection::open(const QString &path, const QString &name)
{
    // Made inside the Connection: no other handle may outlive it (removeDatabase would warn).
    std::unique_ptr<Connection> connection(
        new Connection(QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name), name));
    QSqlDatabase &db = connection->db();
    db.setDatabaseName(path);
    // Busy: the writer holds the lock only for a transaction's commit; a
    // reader or a second writer waits that long rather than failing.
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    if (!db.open())
        return sqlError(QStringLiteral("open %1").arg(path), db.lastError());
    {
        QSqlQuery query(db);
        // In WAL mode synchronous NORMAL loses at most the last transactions at
        // a power cut, never consistency; FULL would sync at every commit.
        // Temporary data (statement journals of every upsert batch, sorts)
        // stays in memory: Debian's SQLite would write it to files in
        // /var/tmp, a disk write per transaction with mail in it.
        for (const QString &pragma :
             {QStringLiteral("PRAGMA journal_mode = WAL"), QStringLiteral("PRAGMA foreign_keys = ON"),
              QStringLiteral("PRAGMA synchronous = NORMAL"), QStringLiteral("PRAGMA temp_store = MEMORY")}) {
            if (!query.exec(pragma))
                return sqlError(QStringLiteral("open %1").arg(path), query.lastError());
        }
    }
    return connection;
}

Error sqlError(const QString &what, const QSqlError &error)
{
    return sqliteError(what, sqliteCode(error), error.text());
}

Error sqliteError(const QString &what, int code, const QString &text)
{
    QString reason;
    switch (code & 0xff) {
    case kSqliteFull: reason = QStringLiteral("the disk is full"); break;
    case kSqliteCorrupt:
    case kSqliteNotADatabase: reason = QStringLiteral("the database file is damaged"); break;
    default: break;
    }
    const QString detail = text.trimmed();
    return Error(ErrorCode::Io,
                 QStringLiteral("local store: %1 failed: %2")
                     .arg(what, reason.isEmpty() ? detail : reason + QStringLiteral(" (") + detail + QLatin1Char(')')));
}

bool run(QSqlQuery &query, const QString &what, Error &error)
{
    if (query.exec())
        return true;
    error = sqlError(what, query.lastError());
    return false;
}

void runOrThrow(QSqlQuery &query, const QString &what)
{
    if (!query.exec())
        throw MailException(sqlError(what, query.lastError()));
}

void execOrThrow(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql))
        throw MailException(sqlError(sql.left(60), query.lastError()));
}

Result<int> schemaVersion(QSqlDatabase &db)
{
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return sqlError(QStringLiteral("reading the schema version"), query.lastError());
    return query.value(0).toInt();
}

Error migrate(QSqlDatabase &db, int target)
{
    if (target < 0)
        target = newestVersion();
    const Result<int> found = schemaVersion(db);
    if (!found)
        return found.error();
    if (found.value() > newestVersion())
        return Error(ErrorCode::Io,
                     QStringLiteral("local store: the database is of version %1, newer than this "
                                    "program knows (%2); use a newer Tandem or another file")
                         .arg(found.value())
                         .arg(newestVersion()));
    for (const Migration &step : migrations()) {
        if (step.version <= found.value() || step.version > target)
            continue;
        if (!db.transaction())
            return sqlError(QStringLiteral("starting migration %1").arg(step.version), db.lastError());
        try {
            for (const QString &statement : step.statements)
                execOrThrow(db, statement);
            execOrThrow(db, QStringLiteral("PRAGMA user_version = %1").arg(step.version));
        } catch (const MailException &e) {
            db.rollback();
            return Error(ErrorCode::Io,
                         QStringLiteral("migration to version %1 (%2): %3")
                             .arg(step.version)
                             .arg(step.purpose, e.error().message()));
        }
        if (!db.commit())
            return sqlError(QStringLiteral("migration %1").arg(step.version), db.lastError());
        qCInfo(log::store) << "store schema now at version" << step.version << "(" << step.purpose << ")";
    }
    return {};
}

namespace {

QString uniqueName(const char *purpose)
{
    static std::atomic<int> counter{0};
    return QStringLiteral("tandem-store-%1-%2").arg(QLatin1String(purpose)).arg(++counter);
}

/// Empty when the file is sound (or new); else what is wrong with it. Only
/// damage counts: a file that cannot be opened for another reason (no
/// permission) is left where it is, and opening it fails later with that reason.
QString damageOf(const QString &path)
{
    if (!QFileInfo::exists(path))
        return {};
    const QString name = uniqueName("check");
    QString damage;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
        if (db.open()) {
            QSqlQuery query(db);
            // quick_check reads every page (O(N); unlike integrity_check it does
            // not cross-check indexes against tables): enough for a torn or garbled file.
            if (!query.exec(QStringLiteral("PRAGMA quick_check"))) {
                if (meansDamaged(query.lastError()))
                    damage = query.lastError().text();
            } else {
                QStringList problems;
                while (query.next()) {
                    if (const QString line = query.value(0).toString(); line != QLatin1String("ok"))
                        problems << line;
                }
                damage = problems.join(QStringLiteral("; ")).left(500);
            }
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return damage;
}

/// Moves `path` and its companions (-wal, -shm, the bodies folder) aside.
Result<QString> moveAside(const QString &path)
{
    const QString aside = path + QStringLiteral(".damaged-")
        + QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    for (const QString &suffix :
         {QString(), QStringLiteral("-wal"), QStringLiteral("-shm"), QStringLiteral(".bodies")}) {
        if (QFileInfo::exists(path + suffix) && !QDir().rename(path + suffix, aside + suffix))
            return Error(ErrorCode::Io,
                         QStringLiteral("local store: the damaged %1 could not be moved aside").arg(path + suffix));
    }
    return aside;
}

} // namespace

Result<PrepareReport> prepare(const QString &path)
{
    PrepareReport report;
    if (const QString damage = damageOf(path); !damage.isEmpty()) {
        qCWarning(log::store) << "the store" << path << "is damaged:" << damage << "- moving it aside, rebuilding";
        const Result<QString> aside = moveAside(path);
        if (!aside)
            return aside.error();
        report.rebuilt = true;
        report.movedTo = aside.value();
        report.damage = damage;
    }
    const auto connection = Connection::open(path, uniqueName("prepare"));
    if (!connection)
        return connection.error();
    QSqlDatabase &db = connection.value()->db();
    const Result<int> found = schemaVersion(db);
    if (!found)
        return found.error();
    report.versionFound = found.value();
    if (const Error migrated = migrate(db); migrated.isError())
        return migrated;
    report.version = newestVersion();
    return report;
}

} // namespace mailcore::store
