// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QSqlDatabase>
#include <QString>

#include "mailcore/base/error.h"
#include "mailcore/base/result.h"
#include "mailcore/mailcore_export.h"
#include "mailcore/store/records.h"

class QSqlQuery;
class QSqlError;

namespace mailcore::store {

/// One SQLite connection to the store file, for the thread that opens it
/// (Qt Sql's rule: a connection is used only in the thread that made it).
/// Every connection gets the same settings: WAL (readers never wait for the
/// writer), foreign keys, a busy timeout.
class MAILCORE_EXPORT Connection
{
public:
    /// Opens `path` (creating the file if it does not exist). `name` must be
    /// unique in the process; the connection is removed when this goes.
    static Result<std::unique_ptr<Connection>> open(const QString &path, const QString &name);
    ~Connection();
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    QSqlDatabase &db() { return m_db; }

private:
    Connection(QSqlDatabase db, QString name);
    QSqlDatabase m_db;
    QString m_name;
};

/// The store's error for a failed statement: ErrorCode::Io, and a message that
/// says what a person can do about it (a full disk, a damaged file).
MAILCORE_EXPORT Error sqlError(const QString &what, const QSqlError &error);
/// The same from SQLite's own result code and message (RawStatement).
Error sqliteError(const QString &what, int code, const QString &text);
/// Runs a prepared (and bound) query; false and `error` set when it failed.
MAILCORE_EXPORT bool run(QSqlQuery &query, const QString &what, Error &error);
/// Runs `query`, throwing MailException(sqlError(...)) when it fails: for work
/// inside a Writer transaction, which rolls back on the throw.
MAILCORE_EXPORT void runOrThrow(QSqlQuery &query, const QString &what);
/// Runs one statement without parameters, throwing like runOrThrow().
MAILCORE_EXPORT void execOrThrow(QSqlDatabase &db, const QString &sql);

/// The schema version of the open database (PRAGMA user_version); 0 when new.
MAILCORE_EXPORT Result<int> schemaVersion(QSqlDatabase &db);
/// Brings the database from its version up to `target` (default: the newest),
/// each step in a transaction of its own. A database newer than this program
/// knows is refused (an older Tandem must not write into a newer schema).
MAILCORE_EXPORT Error migrate(QSqlDatabase &db, int target = -1);

/// Makes `path` ready before anyone uses it: checks the file (PRAGMA
/// quick_check, and that it is a database at all); a damaged one is moved
/// aside with a timestamp and a new one made (the server still has the mail;
/// the caller tells the user), then creates or migrates the schema. Fails
/// only when the file can be neither used nor replaced.
MAILCORE_EXPORT Result<PrepareReport> prepare(const QString &path);

} // namespace mailcore::store
