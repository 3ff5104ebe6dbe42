// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Proves the test environment's keychain: QtKeychain reaches a real Secret
// Service (gnome-keyring under dbus-run-session) and stores, reads and deletes.

#include <QEventLoop>
#include <QTest>
#include <QUuid>

#include <qt6keychain/keychain.h>

namespace {

template <typename Job>
bool runJob(Job &job)
{
    QEventLoop loop;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    job.start();
    loop.exec();
    return job.error() == QKeychain::NoError;
}

} // namespace

class TestKeychain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void storesReadsAndDeletesAPassword();
};

void TestKeychain::storesReadsAndDeletesAPassword()
{
    const QString service = QStringLiteral("org.tandem.Tandem.test");
    const QString key = QStringLiteral("alice@127.0.0.1/") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString secret = QStringLiteral("s3cret-ünïcode-%1").arg(QUuid::createUuid().toString());

    QKeychain::WritePasswordJob write(service);
    write.setAutoDelete(false);
    write.setInsecureFallback(false); // never plain text: a missing keychain must fail here
    write.setKey(key);
    write.setTextData(secret);
    QVERIFY2(runJob(write),
             qPrintable(QStringLiteral("no keychain: ") + write.errorString()
                        + QStringLiteral(" (run under tools/with-keyring.sh)")));

    QKeychain::ReadPasswordJob read(service);
    read.setAutoDelete(false);
    read.setKey(key);
    QVERIFY2(runJob(read), qPrintable(read.errorString()));
    QCOMPARE(read.textData(), secret);

    QKeychain::DeletePasswordJob remove(service);
    remove.setAutoDelete(false);
    remove.setKey(key);
    QVERIFY2(runJob(remove), qPrintable(remove.errorString()));

    QKeychain::ReadPasswordJob readAgain(service);
    readAgain.setAutoDelete(false);
    readAgain.setKey(key);
    QVERIFY(!runJob(readAgain));
    QCOMPARE(readAgain.error(), QKeychain::EntryNotFound);
}

QTEST_GUILESS_MAIN(TestKeychain)
#include "tst_keychain.moc"
