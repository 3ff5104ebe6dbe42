// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The store's schema: created new, migrated from every older version to the
// same result, refused when newer, rolled back when a step fails.

#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include "mailcore/store/database.h"
#include "mailcore/store/schema.h"

using namespace mailcore;
using namespace mailcore::store;

namespace {

std::unique_ptr<Connection> openConnection(const QString &path)
{
    static int counter = 0;
    Result<std::unique_ptr<Connection>> c = Connection::open(path, QStringLiteral("schema-test-%1").arg(++counter));
    if (!c)
        qFatal("%s", qPrintable(c.error().toString()));
    return std::move(c.value());
}

QString one(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql) || !query.next())
        return QStringLiteral("<%1>").arg(query.lastError().text());
    return query.value(0).toString();
}

/// Every table, index, trigger and view, as SQLite keeps their definitions.
QStringList schemaOf(const QString &path)
{
    auto c = openConnection(path);
    QSqlQuery query(c->db());
    query.exec(QStringLiteral("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"));
    QStringList rows;
    while (query.next())
        rows << QStringLiteral("%1 %2 on %3: %4")
                    .arg(query.value(0).toString(), query.value(1).toString(), query.value(2).toString(),
                         query.value(3).toString());
    return rows;
}

} // namespace

class TestStoreSchema : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void stepsAreNumberedOneByOne();
    void aNewFileIsAtTheNewestVersionInWalModeWithForeignKeys();
    void everyOlderVersionMigratesToTheSchemaOfANewFile_data();
    void everyOlderVersionMigratesToTheSchemaOfANewFile();
    void aNewerDatabaseIsRefusedAndLeftAlone();
    void aFailedStepLeavesTheFileAsItWas();
    void fullTextSearchIsAvailable();

private:
    QTemporaryDir m_dir;
    int m_files = 0;
    QString newPath() { return m_dir.filePath(QStringLiteral("store-%1.sqlite").arg(++m_files)); }
};

void TestStoreSchema::stepsAreNumberedOneByOne()
{
    int expected = 1;
    for (const Migration &step : migrations()) {
        QCOMPARE(step.version, expected++);
        QVERIFY(!step.purpose.isEmpty());
        QVERIFY(!step.statements.isEmpty());
    }
    QCOMPARE(newestVersion(), expected - 1);
}

void TestStoreSchema::aNewFileIsAtTheNewestVersionInWalModeWithForeignKeys()
{
    const QString path = newPath();
    const Result<PrepareReport> report = prepare(path);
    QVERIFY2(report, qPrintable(report.error().toString()));
    QCOMPARE(report->versionFound, 0);
    QCOMPARE(report->version, newestVersion());
    QVERIFY(!report->rebuilt);
    auto c = openConnection(path);
    QCOMPARE(one(c->db(), QStringLiteral("PRAGMA user_version")).toInt(), newestVersion());
    QCOMPARE(one(c->db(), QStringLiteral("PRAGMA journal_mode")), QStringLiteral("wal"));
    QCOMPARE(one(c->db(), QStringLiteral("PRAGMA foreign_keys")), QStringLiteral("1"));
    // Foreign keys hold: a folder of no account is refused.
    QSqlQuery orphan(c->db());
    QVERIFY(!orphan.exec(QStringLiteral("INSERT INTO folders (account_id, name) VALUES (42, 'INBOX')")));
}

void TestStoreSchema::everyOlderVersionMigratesToTheSchemaOfANewFile_data()
{
    QTest::addColumn<int>("from");
    for (int version = 0; version < newestVersion(); ++version)
        QTest::addRow("from version %d", version) << version;
}

void TestStoreSchema::everyOlderVersionMigratesToTheSchemaOfANewFile()
{
    QFETCH(int, from);
    const QString fresh = newPath();
    QVERIFY(prepare(fresh));

    const QString old = newPath();
    {
        auto c = openConnection(old);
        const Error built = migrate(c->db(), from);
        QVERIFY2(!built.isError(), qPrintable(built.toString()));
        QCOMPARE(one(c->db(), QStringLiteral("PRAGMA user_version")).toInt(), from);
    }
    const Result<PrepareReport> report = prepare(old);
    QVERIFY2(report, qPrintable(report.error().toString()));
    QCOMPARE(report->versionFound, from);
    QCOMPARE(report->version, newestVersion());
    QCOMPARE(schemaOf(old), schemaOf(fresh));
}

void TestStoreSchema::aNewerDatabaseIsRefusedAndLeftAlone()
{
    const QString path = newPath();
    QVERIFY(prepare(path));
    {
        auto c = openConnection(path);
        QSqlQuery(c->db()).exec(QStringLiteral("PRAGMA user_version = %1").arg(newestVersion() + 1));
    }
    const Result<PrepareReport> report = prepare(path);
    QVERIFY(!report);
    QCOMPARE(report.error().code(), ErrorCode::Io);
    QVERIFY2(report.error().message().contains(QStringLiteral("newer")), qPrintable(report.error().message()));
    auto c = openConnection(path);
    QCOMPARE(one(c->db(), QStringLiteral("PRAGMA user_version")).toInt(), newestVersion() + 1);
}

void TestStoreSchema::aFailedStepLeavesTheFileAsItWas()
{
    // A file at version 0 that already has a table of the first step's name:
    // the step fails half-way and must leave nothing of itself.
    const QString path = newPath();
    {
        auto c = openConnection(path);
        QVERIFY(QSqlQuery(c->db()).exec(QStringLiteral("CREATE TABLE identities (x)")));
    }
    const Result<PrepareReport> report = prepare(path);
    QVERIFY(!report);
    QVERIFY2(report.error().message().contains(QStringLiteral("version 1")), qPrintable(report.error().message()));
    auto c = openConnection(path);
    QCOMPARE(one(c->db(), QStringLiteral("PRAGMA user_version")).toInt(), 0);
    QCOMPARE(one(c->db(), QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name = 'accounts'")).toInt(), 0);
}

void TestStoreSchema::fullTextSearchIsAvailable()
{
    const QString path = newPath();
    QVERIFY(prepare(path));
    auto c = openConnection(path);
    QSqlQuery insert(c->db());
    QVERIFY2(
        insert.exec(QStringLiteral(
            "INSERT INTO message_text (rowid, subject, people, body) VALUES (7, 'Crème brûlée', 'Zoë', 'recipe')")),
        qPrintable(insert.lastError().text()));
    // Diacritics do not matter to the search.
    QCOMPARE(one(c->db(), QStringLiteral("SELECT rowid FROM message_text WHERE message_text MATCH 'creme'")),
             QStringLiteral("7"));
}

QTEST_GUILESS_MAIN(TestStoreSchema)
#include "tst_store_schema.moc"
