// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// A busy connection reports its activity to the pool's monitor after every
// read (B08): tens of thousands of times in a bulk download. Those reports
// allocate nothing once the command on the wire is known (issue 15, item 3):
// the command's name is the same string each time, and the monitor's
// listener is called, never copied (a copy of the pool's allocates).

#include <QTest>

#include <memory>

#include "mailcore/net/activityboard.h"
#include "mailcore/net/sessionhost.h"

using namespace mailcore;

namespace {

/// A session that only reports: the protocol parts are not needed here.
class ReportingSession : public net::HostedSession
{
public:
    ReportingSession()
        : HostedSession({})
    {
    }
    void report(const QByteArray &command) { publishActivity(ConnectionActivity::State::Busy, command, 2); }
    void shutdown(const Error &) override { }
    void goodbye() override { }

protected:
    void onTransportReady() override { }
    void onReceived() override { }
    void fail(const Error &) override { }
    void reportActivity() override { }
};

/// A listener that counts its calls and its copies.
struct CountingListener {
    std::shared_ptr<int> calls = std::make_shared<int>(0);
    std::shared_ptr<int> copies = std::make_shared<int>(0);
    CountingListener() = default;
    CountingListener(const CountingListener &other)
        : calls(other.calls)
        , copies(other.copies)
    {
        ++*copies;
    }
    CountingListener &operator=(const CountingListener &) = delete;
    void operator()() const { ++*calls; }
};

} // namespace

class TestActivityReports : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aReportOfTheSameCommandAllocatesNothing();
};

void TestActivityReports::aReportOfTheSameCommandAllocatesNothing()
{
    ActivityBoard board;
    CountingListener listener;
    board.setListener(listener);
    ReportingSession session;
    session.setActivitySink([&board](const ConnectionActivity &activity) { board.publish(activity); });
    const QByteArray fetch = QByteArrayLiteral("UID FETCH");
    session.report(fetch); // the first report of a command converts its name
    const QChar *name = board.current().command.constData();
    const int copiesBefore = *listener.copies;

    for (int read = 0; read < 1000; ++read) {
        session.report(fetch);
        QCOMPARE(board.current().command.constData(), name); // the same string, not a new one
    }
    QCOMPARE(*listener.copies, copiesBefore);
    QCOMPARE(*listener.calls, 1001);
    QCOMPARE(board.current().command, QStringLiteral("UID FETCH"));
    QCOMPARE(board.current().queueDepth, 2);
    // A new command is told as it is.
    session.report(QByteArrayLiteral("STORE"));
    QCOMPARE(board.current().command, QStringLiteral("STORE"));
}

QTEST_GUILESS_MAIN(TestActivityReports)
#include "tst_activity_reports.moc"
