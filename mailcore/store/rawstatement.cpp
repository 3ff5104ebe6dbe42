// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/store/rawstatement.h"

#include <QSqlDriver>

#include <sqlite3.h>

#include "mailcore/store/database.h"

namespace mailcore::store {

namespace {

Error failure(const QString &what, sqlite3 *db, int code)
{
    return sqliteError(what, code, QString::fromUtf8(sqlite3_errmsg(db)));
}

} // namespace

std::optional<RawStatement> RawStatement::prepare(QSqlDatabase &db, const char *sql)
{
    // QSQLITE hands out its connection as a QVariant holding "sqlite3*"
    // (QSqlDriver::handle()). Debian's Qt uses the system SQLite, the one
    // this file is linked against, so the handle is ours to use.
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return std::nullopt;
    sqlite3 *connection = *static_cast<sqlite3 *const *>(handle.constData());
    if (!connection)
        return std::nullopt;
    sqlite3_stmt *statement = nullptr;
    if (const int code = sqlite3_prepare_v2(connection, sql, -1, &statement, nullptr); code != SQLITE_OK)
        throw MailException(failure(QString::fromLatin1(sql).left(60), connection, code));
    return RawStatement(connection, statement);
}

RawStatement::RawStatement(sqlite3 *db, sqlite3_stmt *statement)
    : m_db(db)
    , m_statement(statement)
{
}

RawStatement::RawStatement(RawStatement &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr))
    , m_statement(std::exchange(other.m_statement, nullptr))
{
}

RawStatement::~RawStatement() { sqlite3_finalize(m_statement); }

void RawStatement::bind(int index, qint64 value) { sqlite3_bind_int64(m_statement, index, value); }

void RawStatement::bind(int index, const QString &text)
{
    // UTF-16 as QString holds it, not copied (SQLITE_STATIC): SQLite converts
    // it to the database's UTF-8 once, while stepping.
    static const char16_t empty = 0;
    const void *data = text.isNull() ? static_cast<const void *>(&empty) : static_cast<const void *>(text.constData());
    sqlite3_bind_text16(m_statement, index, data, int(text.size() * sizeof(char16_t)), SQLITE_STATIC);
}

void RawStatement::run(const char *what, qint64 number)
{
    const int code = sqlite3_step(m_statement);
    if (code != SQLITE_DONE && code != SQLITE_ROW) {
        const Error failed = failure(QString::fromLatin1(what).arg(number), m_db,
                                     code); // before the reset, which may change the message
        sqlite3_reset(m_statement);
        throw MailException(failed);
    }
    sqlite3_reset(m_statement);
}

qint64 RawStatement::lastInsertId() const { return sqlite3_last_insert_rowid(m_db); }

} // namespace mailcore::store
