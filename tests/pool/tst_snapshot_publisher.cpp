// B08's publisher on its own: snapshots are taken on a thread of the
// publisher's, spaced by the interval, and whoever reports a change (an I/O
// thread) never waits for a snapshot being taken. No server needed.

#include <QElapsedTimer>
#include <QTest>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "mailcore/pool/snapshotpublisher.h"

using namespace std::chrono_literals;
using mailcore::PoolSnapshot;
using mailcore::pool::SnapshotPublisher;
using Clock = std::chrono::steady_clock;

class TestSnapshotPublisher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void b08_aSlowSnapshotNeverHoldsUpWhoReportsAChange();
    void b08_snapshotsAreTakenOffTheReportingThreadsAndSpaced();
    void b08_theLastChangeIsAlwaysPublished();
    void b08_stopEndsAtOnceWhileASnapshotIsDue();
};

void TestSnapshotPublisher::b08_aSlowSnapshotNeverHoldsUpWhoReportsAChange()
{
    // The snapshot waits for a lock the test holds, as a real one waits for
    // the pool's lock behind a busy thread.
    std::mutex poolLock;
    std::unique_lock held(poolLock);
    std::atomic<int> taken{0};
    SnapshotPublisher publisher([&] {
        std::lock_guard wait(poolLock);
        ++taken;
        return PoolSnapshot{};
    }, [](const PoolSnapshot &) {});
    publisher.setInterval(1ms);

    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < 10'000; ++i)
        publisher.notify();
    const qint64 notifyMs = clock.elapsed();
    QVERIFY2(notifyMs < 200, qPrintable(QStringLiteral("10,000 reports took %1 ms while a snapshot was blocked").arg(notifyMs)));
    QCOMPARE(taken.load(), 0);

    held.unlock();
    QTRY_VERIFY(taken.load() >= 1);
}

void TestSnapshotPublisher::b08_snapshotsAreTakenOffTheReportingThreadsAndSpaced()
{
    std::mutex mutex;
    std::vector<Clock::time_point> deliveries;
    std::vector<std::thread::id> takenOn;
    SnapshotPublisher publisher([&] {
        std::lock_guard lock(mutex);
        takenOn.push_back(std::this_thread::get_id());
        return PoolSnapshot{};
    }, [&](const PoolSnapshot &) {
        std::lock_guard lock(mutex);
        deliveries.push_back(Clock::now());
    });
    publisher.setInterval(50ms);

    // Four "I/O threads" report changes as fast as they can for 600 ms.
    std::vector<std::thread> reporters;
    std::vector<std::thread::id> reporterIds;
    const auto until = Clock::now() + 600ms;
    for (int i = 0; i < 4; ++i) {
        reporters.emplace_back([&] {
            while (Clock::now() < until)
                publisher.notify();
        });
        reporterIds.push_back(reporters.back().get_id());
    }
    for (std::thread &t : reporters)
        t.join();
    QTest::qWait(150); // the last one's snapshot

    std::lock_guard lock(mutex);
    QVERIFY(deliveries.size() >= 5);      // changes were published while they went on...
    QVERIFY2(deliveries.size() <= 15, qPrintable(QStringLiteral("%1 snapshots in 600 ms at a 50 ms interval").arg(deliveries.size())));
    for (size_t i = 1; i < deliveries.size(); ++i) {
        const auto apart = std::chrono::duration_cast<std::chrono::milliseconds>(deliveries[i] - deliveries[i - 1]);
        QVERIFY2(apart >= 49ms, qPrintable(QStringLiteral("snapshots %1 ms apart").arg(apart.count())));
    }
    for (const std::thread::id &id : takenOn) {
        QVERIFY(id != std::this_thread::get_id());
        QVERIFY(std::find(reporterIds.cbegin(), reporterIds.cend(), id) == reporterIds.cend());
    }
}

void TestSnapshotPublisher::b08_theLastChangeIsAlwaysPublished()
{
    // A change reported while a snapshot is being taken is in the next one:
    // the monitor must end up showing the pool at rest, not one step before.
    std::atomic<int> version{0};
    std::atomic<int> lastPublished{-1};
    SnapshotPublisher publisher([&] {
        PoolSnapshot s;
        s.connectionCount = version.load();
        std::this_thread::sleep_for(2ms); // changes land while it is taken
        return s;
    }, [&](const PoolSnapshot &s) { lastPublished = s.connectionCount; });
    publisher.setInterval(5ms);
    for (int i = 1; i <= 300; ++i) {
        version = i;
        publisher.notify();
        std::this_thread::sleep_for(std::chrono::microseconds(300));
    }
    QTRY_COMPARE(lastPublished.load(), 300);
}

void TestSnapshotPublisher::b08_stopEndsAtOnceWhileASnapshotIsDue()
{
    std::atomic<int> taken{0};
    SnapshotPublisher publisher([&] {
        ++taken;
        return PoolSnapshot{};
    }, [](const PoolSnapshot &) {});
    publisher.setInterval(10s);
    publisher.notify();
    QTRY_COMPARE(taken.load(), 1); // the first at once...
    publisher.notify();            // ...the next not for 10 s
    QElapsedTimer clock;
    clock.start();
    publisher.stop();
    QVERIFY2(clock.elapsed() < 1000, "stop() does not sit out the interval");
    QCOMPARE(taken.load(), 1);
}

QTEST_GUILESS_MAIN(TestSnapshotPublisher)
#include "tst_snapshot_publisher.moc"
