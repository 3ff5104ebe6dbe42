// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// A damaged store is found when it opens, set aside (not deleted: the user
// may want it) and made anew; the report says so.

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include "mailcore/store/mailstore.h"
#include "store/storesamples.h"
#include "support/outcome.h"

using namespace mailcore;
using namespace mailcore::store;
using tandem::test::outcome;
using tandem::test::sampleMessage;

class TestStoreRecovery : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aFileThatIsNotADatabaseIsSetAsideAndRebuilt();
    void garbledPagesAreFoundAndTheFileIsSetAsideWithItsBodies();
    void aSoundFileIsKept();
    void aStoreThatCannotBeMadeIsAClearError();

private:
    /// A store at `path` with one folder of `count` messages and one large body; closed again.
    void makeStore(const QString &path, quint32 count);
    static std::unique_ptr<MailStore> open(const QString &path);
};

std::unique_ptr<MailStore> TestStoreRecovery::open(const QString &path)
{
    Result<std::unique_ptr<MailStore>> opened = MailStore::open(path);
    if (!opened)
        qFatal("%s", qPrintable(opened.error().toString()));
    return std::move(opened.value());
}

void TestStoreRecovery::makeStore(const QString &path, quint32 count)
{
    auto store = open(path);
    const qint64 inbox = tandem::test::accountWithInbox(*store);
    QVERIFY(inbox > 0);
    QList<StoredMessage> messages;
    for (quint32 uid = 1; uid <= count; ++uid)
        messages << sampleMessage(uid);
    QVERIFY(!outcome(store->saveMessages(inbox, messages)).isError());
    const qint64 first = store->message(inbox, 1).value()->id;
    QVERIFY(!outcome(store->saveBody(first, QByteArray(MailStore::kLargeBody + 1, 'x'))).isError());
} // closing the last connection checkpoints the WAL into the file

void TestStoreRecovery::aFileThatIsNotADatabaseIsSetAsideAndRebuilt()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("store.sqlite"));
    QByteArray garbage;
    for (int i = 0; i < 4096; ++i)
        garbage += char(i * 7919 % 251);
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(garbage);
    }
    auto store = open(path);
    const PrepareReport &report = store->openReport();
    QVERIFY(report.rebuilt);
    QVERIFY2(!report.damage.isEmpty(), "the report says what was wrong");
    QVERIFY(report.movedTo.startsWith(path + QStringLiteral(".damaged-")));
    QFile aside(report.movedTo);
    QVERIFY(aside.open(QIODevice::ReadOnly));
    QCOMPARE(aside.readAll(), garbage); // kept as it was
    // The new store works.
    QVERIFY(!outcome(store->addAccount(Account{0,
                                               QStringLiteral("A"),
                                               QStringLiteral("imap"),
                                               QStringLiteral("h"),
                                               993,
                                               QStringLiteral("tls"),
                                               QStringLiteral("u"),
                                               {}}))
                 .isError());
    QCOMPARE(store->accounts()->size(), 1);
}

void TestStoreRecovery::garbledPagesAreFoundAndTheFileIsSetAsideWithItsBodies()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("store.sqlite"));
    makeStore(path, 2000);
    QVERIFY(!QFileInfo::exists(path + QStringLiteral("-wal")) || QFileInfo(path + QStringLiteral("-wal")).size() == 0);
    const qint64 size = QFileInfo(path).size();
    QVERIFY(size > 64 * 1024);
    {
        // The middle half of the file overwritten, as a torn write or a bad disk would.
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.seek(size / 4);
        f.write(QByteArray(int(size / 2), '\xAB'));
    }
    auto store = open(path);
    const PrepareReport &report = store->openReport();
    QVERIFY2(report.rebuilt, "the damage was found");
    QVERIFY(!report.damage.isEmpty());
    QVERIFY(QFileInfo::exists(report.movedTo));
    QVERIFY2(QFileInfo(report.movedTo + QStringLiteral(".bodies")).isDir(), "the bodies went aside with it");
    QVERIFY(!QFileInfo::exists(path + QStringLiteral(".bodies")));
    QVERIFY(store->accounts()->isEmpty()); // a new, empty store: the next sync fills it
}

void TestStoreRecovery::aSoundFileIsKept()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("store.sqlite"));
    makeStore(path, 50);
    auto store = open(path);
    QVERIFY(!store->openReport().rebuilt);
    QCOMPARE(store->openReport().versionFound, store->openReport().version);
    QCOMPARE(store->accounts()->size(), 1);
    QCOMPARE(QDir(dir.path()).entryList({QStringLiteral("*.damaged-*")}).size(), 0);
}

void TestStoreRecovery::aStoreThatCannotBeMadeIsAClearError()
{
    QTest::failOnWarning(QRegularExpression(QStringLiteral(".*"))); // nothing left behind in use, no noise
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("no-such-folder/store.sqlite"));
    const Result<std::unique_ptr<MailStore>> opened = MailStore::open(path);
    QVERIFY(!opened);
    QCOMPARE(opened.error().code(), ErrorCode::Io);
    QVERIFY2(opened.error().message().contains(path), qPrintable(opened.error().message()));
}

QTEST_GUILESS_MAIN(TestStoreRecovery)
#include "tst_store_recovery.moc"
