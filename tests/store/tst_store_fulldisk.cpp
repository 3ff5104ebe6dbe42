// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// A full disk: the store lives on a 2 MiB tmpfs (mounted in a user and mount
// namespace of the test's own, so no root is needed) and is filled until a
// write fails. The failure is a clear error, nothing already stored is lost,
// the failed change leaves nothing of itself, and once space is free again
// the store goes on.

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTest>

#include "mailcore/store/mailstore.h"
#include "store/storesamples.h"
#include "support/outcome.h"

using namespace mailcore;
using namespace mailcore::store;
using tandem::test::outcome;
using tandem::test::sampleMessage;

namespace {
const char *const kDirVariable = "TANDEM_FULLDISK_DIR";
}

class TestStoreFullDisk : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aFullDiskIsAClearErrorAndLosesNothing();

private:
    QString m_dir = qEnvironmentVariable(kDirVariable);
};

void TestStoreFullDisk::aFullDiskIsAClearErrorAndLosesNothing()
{
    const QString path = m_dir + QStringLiteral("/store.sqlite");
    // Room to give back later: a file that takes space until it is removed.
    const QString filler = m_dir + QStringLiteral("/filler");
    {
        QFile f(filler);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(QByteArray(256 * 1024, 'f')), 256 * 1024);
    }
    Result<std::unique_ptr<MailStore>> opened = MailStore::open(path);
    QVERIFY2(opened, qPrintable(opened.error().toString()));
    std::unique_ptr<MailStore> store = std::move(opened.value());
    const qint64 inbox = tandem::test::accountWithInbox(*store);
    QVERIFY(inbox > 0);

    int stored = 0;
    Error full;
    for (quint32 batch = 0; batch < 2000 && !full.isError(); ++batch) {
        QList<StoredMessage> rows;
        for (quint32 uid = batch * 100 + 1; uid <= batch * 100 + 100; ++uid)
            rows << sampleMessage(uid);
        full = outcome(store->saveMessages(inbox, rows));
        if (!full.isError())
            stored += 100;
    }
    QVERIFY2(full.isError(), "the 2 MiB disk never filled up");
    QCOMPARE(full.code(), ErrorCode::Io);
    QVERIFY2(full.message().contains(QStringLiteral("disk is full")), qPrintable(full.message()));
    QVERIFY(stored > 0);
    // Every committed batch is there; of the failed one, nothing.
    QCOMPARE(store->messageCount(inbox).value(), stored);

    // A large body (a file beside the database) fails as clearly.
    const qint64 first = store->message(inbox, 1).value()->id;
    const Error noRoom = outcome(store->saveBody(first, QByteArray(MailStore::kLargeBody + 1, 'x')));
    QCOMPARE(noRoom.code(), ErrorCode::Io);
    QVERIFY(!store->body(first).value().has_value());
    QCOMPARE(QDir(path + QStringLiteral(".bodies")).entryList(QDir::Files | QDir::NoDotAndDotDot, QDir::Name).size(),
             0);

    // Space again: the store goes on, and is sound when opened again.
    QVERIFY(QFile::remove(filler));
    QList<StoredMessage> more;
    for (quint32 uid = 900001; uid <= 900010; ++uid)
        more << sampleMessage(uid);
    const Error after = outcome(store->saveMessages(inbox, more));
    QVERIFY2(!after.isError(), qPrintable(after.toString()));
    store.reset();
    Result<std::unique_ptr<MailStore>> again = MailStore::open(path);
    QVERIFY2(again, qPrintable(again.error().toString()));
    QVERIFY(!again.value()->openReport().rebuilt);
    QCOMPARE(again.value()->messageCount(inbox).value(), stored + 10);
}

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty(kDirVariable)) {
        // Not yet on the small disk: run this program again in a user and
        // mount namespace of its own, with a 2 MiB tmpfs. No root needed
        // (Linux user namespaces); if that is refused, the test fails.
        QStringList args{QStringLiteral("--user"),
                         QStringLiteral("--map-root-user"),
                         QStringLiteral("--mount"),
                         QStringLiteral("sh"),
                         QStringLiteral("-c"),
                         QStringLiteral("d=$(mktemp -d) && mount -t tmpfs -o size=2m tmpfs \"$d\" && "
                                        "%1=\"$d\" exec \"$0\" \"$@\"")
                             .arg(QLatin1String(kDirVariable))};
        for (int i = 0; i < argc; ++i)
            args << QString::fromLocal8Bit(argv[i]);
        QProcess inside;
        inside.setProcessChannelMode(QProcess::ForwardedChannels);
        inside.start(QStringLiteral("unshare"), args);
        if (!inside.waitForStarted() || !inside.waitForFinished(-1)) {
            std::fprintf(stderr, "FAIL: cannot run unshare for the small disk: %s\n", qPrintable(inside.errorString()));
            return 1;
        }
        return inside.exitStatus() == QProcess::NormalExit ? inside.exitCode() : 1;
    }
    QCoreApplication app(argc, argv);
    TestStoreFullDisk test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_store_fulldisk.moc"
