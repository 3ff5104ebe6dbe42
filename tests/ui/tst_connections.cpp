// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The Connections panel without a server: its model, its chart and its summary
// fed with made-up pool snapshots (the live behaviour against Dovecot is in
// tst_download.cpp).

#include <QHeaderView>
#include <QImage>
#include <QTableView>
#include <QTest>

#include "mailcore/imapclient/imapclient.h"
#include "ui/connections/connectionsdock.h"
#include "ui/connections/connectionsmodel.h"
#include "ui/connections/poolchart.h"

using mailcore::ConnectionActivity;
using mailcore::PoolConnectionInfo;
using mailcore::PoolSnapshot;
using tandem::ui::ConnectionsDock;
using tandem::ui::ConnectionsModel;
using tandem::ui::PoolChart;

namespace {

PoolConnectionInfo connection(int id, PoolConnectionInfo::Role role, ConnectionActivity::State state, quint64 bytesIn,
                              qint64 openedAtMs)
{
    PoolConnectionInfo c;
    c.id = id;
    c.role = role;
    c.state = state;
    c.folder = QStringLiteral("INBOX");
    c.activity.state = state;
    c.activity.command = state == ConnectionActivity::State::Busy ? QStringLiteral("UID FETCH") : QString();
    c.activity.queueDepth = state == ConnectionActivity::State::Busy ? 4 : 0;
    c.activity.bytesIn = bytesIn;
    c.openedAtMs = openedAtMs;
    return c;
}

int countColor(const QImage &image, const QColor &color)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            if (image.pixelColor(x, y) == color)
                ++n;
        }
    }
    return n;
}

/// A client that never connects: nothing here runs an operation, and the
/// pool connects lazily (S03). Its poolChanged signal is emitted by hand.
std::unique_ptr<mailcore::ImapClient> quietClient()
{
    mailcore::Endpoint endpoint;
    endpoint.host = QStringLiteral("127.0.0.1");
    endpoint.port = 9; // never dialled
    return std::make_unique<mailcore::ImapClient>(endpoint, QStringLiteral("nobody"), QStringLiteral("unused"));
}

} // namespace

class TestConnections : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void modelShowsEveryColumnAndTheRateFromSuccessiveSnapshots();
    void rateFallsToZeroWhenNothingMoves();
    void everyColumnHeaderExplainsItself();
    void dockShowsTheLimitAndALoweredLimit();
    void dockFollowsTheClientsSignal();
    void chartPaintsTheSamplesAndTheLimit();
};

void TestConnections::modelShowsEveryColumnAndTheRateFromSuccessiveSnapshots()
{
    ConnectionsModel model;
    const qint64 t0 = 1'000'000;
    PoolSnapshot s;
    s.limit = 10;
    s.connections = {connection(1, PoolConnectionInfo::Role::Main, ConnectionActivity::State::Idle, 1000, t0 - 65'000),
                     connection(2, PoolConnectionInfo::Role::Extra, ConnectionActivity::State::Busy, 0, t0)};
    model.setSnapshot(s, t0);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.busyCount(), 1);

    // One second later the extra has received 500 KiB: 500 KiB/s.
    s.connections[1].activity.bytesIn = 500 * 1024;
    model.setSnapshot(s, t0 + 1000);
    const auto cell = [&](int row, int column) { return model.data(model.index(row, column)).toString(); };
    QCOMPARE(cell(1, ConnectionsModel::Id), QStringLiteral("2"));
    QCOMPARE(cell(1, ConnectionsModel::Role), QStringLiteral("extra"));
    QCOMPARE(cell(1, ConnectionsModel::State), QStringLiteral("busy"));
    QCOMPARE(cell(1, ConnectionsModel::Folder), QStringLiteral("INBOX"));
    QCOMPARE(cell(1, ConnectionsModel::Command), QStringLiteral("UID FETCH"));
    QCOMPARE(cell(1, ConnectionsModel::Queue), QStringLiteral("4"));
    QCOMPARE(model.data(model.index(1, 0), ConnectionsModel::BytesPerSecondRole).toDouble(), 500.0 * 1024);
    QCOMPARE(cell(1, ConnectionsModel::Rate), ConnectionsModel::formatRate(500.0 * 1024));
    QVERIFY2(cell(1, ConnectionsModel::Rate).contains(QStringLiteral("/s")),
             qPrintable(cell(1, ConnectionsModel::Rate)));
    QCOMPARE(cell(0, ConnectionsModel::Role), QStringLiteral("main"));
    QCOMPARE(cell(0, ConnectionsModel::Rate), QStringLiteral("0"));
    QCOMPARE(cell(0, ConnectionsModel::Age), QStringLiteral("1 min 06 s"));
    QCOMPARE(cell(1, ConnectionsModel::Age), QStringLiteral("1 s"));
}

void TestConnections::rateFallsToZeroWhenNothingMoves()
{
    ConnectionsModel model;
    PoolSnapshot s;
    s.connections = {connection(7, PoolConnectionInfo::Role::Extra, ConnectionActivity::State::Busy, 0, 1)};
    model.setSnapshot(s, 10'000);
    s.connections[0].activity.bytesIn = 10'000;
    model.setSnapshot(s, 11'000);
    QVERIFY(model.data(model.index(0, 0), ConnectionsModel::BytesPerSecondRole).toDouble() > 0);
    // The dock's timer replays the unchanged snapshot: after the 1 s window the rate is 0.
    model.setSnapshot(s, 12'000);
    model.setSnapshot(s, 13'500);
    QCOMPARE(model.data(model.index(0, 0), ConnectionsModel::BytesPerSecondRole).toDouble(), 0.0);
}

void TestConnections::everyColumnHeaderExplainsItself()
{
    ConnectionsModel model;
    for (int column = 0; column < ConnectionsModel::ColumnCount; ++column) {
        QVERIFY(!model.headerData(column, Qt::Horizontal, Qt::DisplayRole).toString().isEmpty());
        QVERIFY2(model.headerData(column, Qt::Horizontal, Qt::ToolTipRole).toString().size() > 20,
                 qPrintable(QStringLiteral("column %1 has no tooltip").arg(column)));
    }
}

void TestConnections::dockShowsTheLimitAndALoweredLimit()
{
    auto client = quietClient();
    ConnectionsDock dock(client.get());
    QVERIFY2(dock.summaryText().contains(QStringLiteral("Limit 10")), qPrintable(dock.summaryText()));
    QVERIFY(!dock.summaryText().contains(QStringLiteral("lowered")));

    PoolSnapshot s = client->poolSnapshot();
    s.limit = 12;
    s.loweredLimit = 6;
    s.tasksWaiting = 3;
    Q_EMIT client->poolChanged(s);
    QVERIFY2(dock.summaryText().contains(QStringLiteral("Limit 12")), qPrintable(dock.summaryText()));
    QVERIFY2(dock.summaryText().contains(QStringLiteral("lowered by the server to 6")), qPrintable(dock.summaryText()));
    QVERIFY2(dock.summaryText().contains(QStringLiteral("3 waiting")), qPrintable(dock.summaryText()));
    QVERIFY(!dock.summaryText().contains(QStringLiteral("downloads")));

    s.bulkWidth = 4; // a bulk fetch chose four connections (issue 15's adaptive width)
    Q_EMIT client->poolChanged(s);
    QVERIFY2(dock.summaryText().contains(QStringLiteral("downloads on 4 connection")), qPrintable(dock.summaryText()));
}

void TestConnections::dockFollowsTheClientsSignal()
{
    auto client = quietClient();
    ConnectionsDock dock(client.get());
    dock.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dock));
    QCOMPARE(dock.table()->model(), dock.model());
    QCOMPARE(dock.model()->rowCount(), 0);

    PoolSnapshot s = client->poolSnapshot();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    s.connections = {connection(1, PoolConnectionInfo::Role::Main, ConnectionActivity::State::Idle, 0, now),
                     connection(2, PoolConnectionInfo::Role::Extra, ConnectionActivity::State::Busy, 0, now),
                     connection(3, PoolConnectionInfo::Role::Extra, ConnectionActivity::State::Busy, 0, now)};
    s.connectionCount = 3;
    s.inUse = 2;
    Q_EMIT client->poolChanged(s);
    QCOMPARE(dock.model()->rowCount(), 3);
    QCOMPARE(dock.model()->busyCount(), 2);
    const size_t before = dock.chart()->samples().size();
    // Nothing happens, yet the one-second timer keeps the chart moving: a
    // sample comes without any signal (late on a busy machine, which the
    // deadline allows for; never without the timer).
    QTRY_VERIFY_WITH_TIMEOUT(dock.chart()->samples().size() > before, 30000);
    QCOMPARE(dock.chart()->samples().back().inUse, 2);
}

void TestConnections::chartPaintsTheSamplesAndTheLimit()
{
    PoolChart chart;
    chart.resize(400, 200);
    chart.setLimits(10, 6);
    const qint64 t0 = 5'000'000;
    for (int i = 0; i <= 120; ++i)
        chart.addSample(t0 + i * 1000, i < 60 ? 1 : 8, i < 60 ? 0 : 4);
    QVERIFY(chart.samples().size() >= 121);
    const QImage image = chart.grab().toImage().convertToFormat(QImage::Format_RGB32);
    QCOMPARE(image.size(), QSize(400, 200));
    // Both series and the lowered limit appear in their colours.
    QVERIFY2(countColor(image, QColor(0x1f, 0x77, 0xb4)) > 100, "the in-use line is drawn");
    QVERIFY2(countColor(image, QColor(0xe6, 0x7e, 0x22)) > 100, "the waiting line is drawn");
    QVERIFY2(countColor(image, QColor(0xc0, 0x39, 0x2b)) > 50, "the lowered limit is drawn");

    // Samples older than the window are dropped (one is kept for the left edge).
    chart.setWindowMs(60'000);
    chart.addSample(t0 + 121'000, 0, 0);
    QVERIFY(chart.samples().front().atMs >= t0 + 121'000 - 61'000);
}

QTEST_MAIN(TestConnections)
#include "tst_connections.moc"
