// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QSqlDatabase>
#include <QString>

#include <optional>

struct sqlite3;
struct sqlite3_stmt;

namespace mailcore::store {

/// A statement on SQLite's own API, through the handle of a Qt Sql connection:
/// for the writer's bulk rows (a first sync's summaries), where Qt Sql's
/// binding (every value a QVariant, copied and looked up by placeholder) cost
/// as much CPU as SQLite's own work. Everything else stays on QSqlQuery.
/// Writer thread only, inside its transaction; errors throw MailException
/// (the transaction is then rolled back).
class RawStatement
{
public:
    /// Prepared on `db`'s SQLite handle; nullopt when the driver gives none
    /// (not QSQLITE), and the caller takes the QSqlQuery path instead.
    static std::optional<RawStatement> prepare(QSqlDatabase &db, const char *sql);
    ~RawStatement();
    RawStatement(RawStatement &&other) noexcept;
    RawStatement &operator=(RawStatement &&) = delete;
    RawStatement(const RawStatement &) = delete;
    RawStatement &operator=(const RawStatement &) = delete;

    // Parameters count from 1, as in SQLite. The text is not copied: it must
    // stay alive and unchanged until run() returns.
    void bind(int index, qint64 value);
    void bind(int index, const QString &text); ///< a null QString binds ''
    /// Steps to the end and resets for the next row. The error names the row:
    /// `what` with its %1 replaced by `number` ("saving message %1"), made
    /// only on failure.
    void run(const char *what, qint64 number);
    /// The rowid of the last row this connection inserted.
    qint64 lastInsertId() const;

private:
    RawStatement(sqlite3 *db, sqlite3_stmt *statement);
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_statement = nullptr;
};

} // namespace mailcore::store
