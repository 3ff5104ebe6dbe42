// "Download folder" against the kit's real Dovecot, watched through the
// Connections dock: it fetches every message, the dock sees the pool at work
// and back at rest, and Cancel stops it within a second.
//
// The kit's largest folder (alice's INBOX, 120 messages) is below one bulk
// chunk (200 UIDs, mailcore B03), so the pool rightly fetches it on one
// connection. To see several connections at work the test fills a folder of
// its own in carol's mailbox (no other test uses carol's IMAP mailbox).

#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTest>

#include "mailcore/imapclient/imapclient.h"
#include "support/kitenv.h"
#include "support/outcome.h"
#include "ui/connections/connectionsdock.h"
#include "ui/connections/connectionsmodel.h"
#include "ui/download/folderdownload.h"

using mailcore::ImapClient;
using tandem::test::KitEnv;
using tandem::ui::ConnectionsDock;
using tandem::ui::FolderDownload;

namespace {

const QString kBigFolder = QStringLiteral("Download test");
// Ten bulk chunks' worth (200 UIDs each): nine extras at work with the limit
// at 10; with the limit at 2, one chunk of which only 400 messages are on the
// wire at once (4 UID FETCH of 100): a cancel then has most of it to stop.
constexpr int kBigFolderSize = 2000;
constexpr int kCarol = 2;

QByteArray seedMessage(int n)
{
    QByteArray m = "From: Seed <seed@example.org>\r\nTo: carol@example.org\r\n"
                   "Subject: download test " + QByteArray::number(n) + "\r\n"
                   "Message-ID: <download-test-" + QByteArray::number(n) + "@example.org>\r\n"
                   "Date: Mon, 02 Mar 2026 10:00:00 +0000\r\n\r\n";
    for (int line = 0; line < 40; ++line)
        m += "Line " + QByteArray::number(line) + " of message " + QByteArray::number(n) + ", some words to fill it.\r\n";
    return m;
}

/// Whether the dock shows the pool at rest: no busy row, nothing in use or waiting.
bool atRest(const ConnectionsDock &dock)
{
    const mailcore::PoolSnapshot &s = dock.model()->snapshot();
    return dock.model()->busyCount() == 0 && s.inUse == 0 && s.tasksWaiting == 0 && s.tasksRunning == 0;
}

} // namespace

class TestDownload : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void downloadsEveryMessageOfAFolder();
    void dockShowsSeveralConnectionsBusyWhileItRunsThenIdle();
    void cancelStopsTheDownloadWithinASecond();
    void cancelWhileListingStopsToo();
    void missingFolderFailsWithTheServersError();

private:
    std::unique_ptr<ImapClient> client(int user = 0) const;
    KitEnv m_env;
};

std::unique_ptr<ImapClient> TestDownload::client(int user) const
{
    mailcore::Endpoint endpoint;
    endpoint.host = m_env.host();
    endpoint.port = m_env.port(QStringLiteral("TANDEM_KIT_IMAPS_PORT"));
    QFile ca(m_env.caCertificatePath());
    if (ca.open(QIODevice::ReadOnly))
        endpoint.tls.extraCaCertificatesPem = {ca.readAll()};
    return std::make_unique<ImapClient>(endpoint, m_env.user(user), m_env.password(user));
}

void TestDownload::initTestCase()
{
    m_env = KitEnv::load();
    if (!m_env.isValid())
        QFAIL(qPrintable(m_env.error()));
    // Fill carol's test folder up to its size (the kit may have been used before).
    auto carol = client(kCarol);
    auto status = carol->folderStatus(kBigFolder);
    if (!status) {
        const mailcore::Error created = carol->createFolder(kBigFolder);
        QVERIFY2(!created.isError(), qPrintable(created.toString()));
        status = carol->folderStatus(kBigFolder);
        QVERIFY2(status, qPrintable(status.error().toString()));
    }
    QList<QFuture<quint32>> appends;
    for (int n = int(status.value().messages); n < kBigFolderSize; ++n)
        appends << carol->appendMessageAsync(kBigFolder, seedMessage(n));
    for (const QFuture<quint32> &append : std::as_const(appends)) {
        const mailcore::Error error = tandem::test::outcome(append, 120000);
        QVERIFY2(!error.isError(), qPrintable(error.toString()));
    }
    status = carol->folderStatus(kBigFolder);
    QVERIFY(status);
    QCOMPARE(int(status.value().messages), kBigFolderSize);
}

void TestDownload::downloadsEveryMessageOfAFolder()
{
    auto alice = client();
    ConnectionsDock dock(alice.get());
    FolderDownload download(alice.get());
    QSignalSpy progress(&download, &FolderDownload::progress);
    QSignalSpy finished(&download, &FolderDownload::finished);
    download.start(QStringLiteral("INBOX"));
    QVERIFY(download.isRunning());
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QCOMPARE(finished.at(0).at(1).toString(), QString());
    QVERIFY(!download.isRunning());
    const QList<QVariant> last = progress.last();
    QCOMPARE(last.at(1).toInt(), 120); // the small corpus's INBOX
    QCOMPARE(last.at(0).toInt(), 120);
    QTRY_VERIFY_WITH_TIMEOUT(atRest(dock), 5000);
}

void TestDownload::dockShowsSeveralConnectionsBusyWhileItRunsThenIdle()
{
    auto carol = client(kCarol);
    QCOMPARE(carol->maxConnectionsPerServer(), 10);
    ConnectionsDock dock(carol.get());
    dock.resize(700, 400);
    dock.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dock));
    int mostBusy = 0;
    int mostRows = 0;
    // Connected after the dock, so the dock's model already shows this snapshot.
    connect(carol.get(), &ImapClient::poolChanged, this, [&] {
        mostBusy = std::max(mostBusy, dock.model()->busyCount());
        mostRows = std::max(mostRows, dock.model()->rowCount());
    });
    FolderDownload download(carol.get());
    QSignalSpy finished(&download, &FolderDownload::finished);
    int done = 0;
    connect(&download, &FolderDownload::progress, this, [&](int d, int) { done = d; });
    download.start(kBigFolder);
    QVERIFY(finished.wait(120000));
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QCOMPARE(finished.at(0).at(1).toString(), QString());
    QCOMPARE(done, kBigFolderSize);
    qInfo("at most %d connections busy, %d rows", mostBusy, mostRows);
    QVERIFY2(mostBusy > 1, qPrintable(QStringLiteral("at most %1 busy rows").arg(mostBusy)));
    QVERIFY(mostRows > 2);
    // Back to rest: no busy row, nothing in use, nothing waiting.
    QTRY_VERIFY_WITH_TIMEOUT(atRest(dock), 5000);
    QVERIFY2(dock.summaryText().contains(QStringLiteral("0 waiting")), qPrintable(dock.summaryText()));
}

void TestDownload::cancelStopsTheDownloadWithinASecond()
{
    auto carol = client(kCarol);
    // One extra connection: the whole folder is one chunk of which only 400
    // messages are on the wire at a time, so a cancel has most of it to stop.
    QVERIFY(!carol->setMaxConnectionsPerServer(2).isError());
    ConnectionsDock dock(carol.get());
    FolderDownload download(carol.get());
    QSignalSpy finished(&download, &FolderDownload::finished);
    const auto bytesIn = [&] {
        quint64 sum = 0;
        for (const mailcore::PoolConnectionInfo &c : carol->poolSnapshot().connections)
            sum += c.activity.bytesIn;
        return sum;
    };
    QElapsedTimer sinceCancel;
    quint64 bytesAtCancel = 0;
    int progressAfterCancel = 0;
    // Cancel mid-transfer: as soon as the dock's signal shows messages coming in.
    connect(carol.get(), &ImapClient::poolChanged, this, [&] {
        if (!sinceCancel.isValid() && download.isRunning() && bytesIn() > 200'000) {
            bytesAtCancel = bytesIn();
            sinceCancel.start();
            download.cancel();
        }
    });
    connect(&download, &FolderDownload::progress, this, [&] {
        if (sinceCancel.isValid())
            ++progressAfterCancel;
    });
    qint64 stoppedAfterMs = -1;
    connect(&download, &FolderDownload::finished, this, [&] { stoppedAfterMs = sinceCancel.elapsed(); });
    download.start(kBigFolder);
    QVERIFY(finished.wait(60000));
    QVERIFY2(sinceCancel.isValid(), "cancel() was called mid-transfer");
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QVERIFY2(stoppedAfterMs >= 0 && stoppedAfterMs < 1000,
             qPrintable(QStringLiteral("stopped %1 ms after cancel()").arg(stoppedAfterMs)));
    QVERIFY(!download.isRunning());
    QCOMPARE(progressAfterCancel, 0);
    QTRY_VERIFY_WITH_TIMEOUT(atRest(dock), 5000);
    // The pool really stopped: what was on the wire at cancel() drained, and
    // nothing after it was asked for, so most of the folder never came.
    const quint64 received = bytesIn();
    qint64 folderBytes = 0;
    for (int n = 0; n < kBigFolderSize; ++n)
        folderBytes += seedMessage(n).size();
    qInfo("stopped %lld ms after cancel(); %llu bytes in at cancel, %llu in the end, of %lld", stoppedAfterMs,
          static_cast<unsigned long long>(bytesAtCancel), static_cast<unsigned long long>(received), folderBytes);
    QVERIFY2(double(received) < 0.7 * double(folderBytes),
             qPrintable(QStringLiteral("%1 of %2 bytes received").arg(received).arg(folderBytes)));

    // The widget can be used again right away.
    download.start(QStringLiteral("INBOX"));
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.size(), 2);
    QCOMPARE(finished.at(1).at(0).toBool(), false);
}

void TestDownload::cancelWhileListingStopsToo()
{
    auto carol = client(kCarol);
    FolderDownload download(carol.get());
    QSignalSpy finished(&download, &FolderDownload::finished);
    QSignalSpy progress(&download, &FolderDownload::progress);
    download.start(kBigFolder);
    download.cancel(); // the UIDs are not even asked for yet
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    for (const QList<QVariant> &p : std::as_const(progress))
        QCOMPARE(p.at(0).toInt(), 0);
}

void TestDownload::missingFolderFailsWithTheServersError()
{
    auto carol = client(kCarol);
    FolderDownload download(carol.get());
    QSignalSpy finished(&download, &FolderDownload::finished);
    download.start(QStringLiteral("No such folder"));
    QVERIFY(finished.wait(30000));
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QVERIFY2(!finished.at(0).at(1).toString().isEmpty(), "the error is reported");
}

QTEST_MAIN(TestDownload)
#include "tst_download.moc"
