// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// B08's publisher on its own: snapshots are taken on a thread of the
// publisher's, spaced by the interval, and whoever reports a change (an I/O
// thread) never waits for a snapshot being taken. No server needed.
//
// Nothing here sleeps to let something happen: the publisher's calls are
// held or released by the test (a lock, a gate), and the test waits for what
// it expects to see (a snapshot taken, a version published).

#include <QTest>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
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
    std::atomic<bool> taking{false};
    std::atomic<int> taken{0};
    SnapshotPublisher publisher(
        [&] {
            taking = true;
            std::lock_guard wait(poolLock);
            ++taken;
            return PoolSnapshot{};
        },
        [](const PoolSnapshot &) {});
    publisher.setInterval(1ms);
    publisher.notify();
    QTRY_VERIFY(taking.load()); // the publisher is inside the snapshot, blocked

    // A reporter (an I/O thread) reports 10,000 changes meanwhile. Were it to
    // wait for the snapshot, it would never end while the lock is held.
    std::atomic<bool> reported{false};
    std::thread reporter([&] {
        for (int i = 0; i < 10'000; ++i)
            publisher.notify();
        reported = true;
    });
    const bool ended = QTest::qWaitFor([&] { return reported.load(); }, 30000);
    QCOMPARE(taken.load(), 0); // still blocked: the reports went on beside it
    held.unlock();
    reporter.join();
    QVERIFY2(ended, "the reports ended while a snapshot was blocked");
    QTRY_VERIFY(taken.load() >= 1);
}

void TestSnapshotPublisher::b08_snapshotsAreTakenOffTheReportingThreadsAndSpaced()
{
    std::mutex mutex;
    std::vector<Clock::time_point> deliveries;
    std::vector<int> versions;
    std::vector<std::thread::id> takenOn;
    std::atomic<int> version{0}; // one more per report
    SnapshotPublisher publisher(
        [&] {
            std::lock_guard lock(mutex);
            takenOn.push_back(std::this_thread::get_id());
            PoolSnapshot s;
            s.connectionCount = version.load();
            return s;
        },
        [&](const PoolSnapshot &s) {
            std::lock_guard lock(mutex);
            deliveries.push_back(Clock::now());
            versions.push_back(s.connectionCount);
        });
    publisher.setInterval(50ms);
    const auto delivered = [&] {
        std::lock_guard lock(mutex);
        return deliveries.size();
    };

    // Four "I/O threads" report changes as fast as they can, until five
    // snapshots were published while they went on (however fast the machine).
    std::atomic<bool> stop{false};
    std::vector<std::thread> reporters;
    std::vector<std::thread::id> reporterIds;
    for (int i = 0; i < 4; ++i) {
        reporters.emplace_back([&] {
            while (!stop) {
                ++version;
                publisher.notify();
            }
        });
        reporterIds.push_back(reporters.back().get_id());
    }
    const bool published = QTest::qWaitFor([&] { return delivered() >= 5; }, 30000);
    stop = true;
    for (std::thread &t : reporters)
        t.join();
    QVERIFY2(published, "changes were published while they went on");
    // The last report is published too, after the reporters stopped.
    const int last = version.load();
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            std::lock_guard lock(mutex);
            return versions.back() == last;
        }(),
        10000);

    std::lock_guard lock(mutex);
    // Coalesced: far fewer snapshots than reports, never two within the
    // interval (a busy machine can only space them more).
    QVERIFY2(size_t(last) > 10 * deliveries.size(),
             qPrintable(QStringLiteral("%1 snapshots for %2 reports").arg(deliveries.size()).arg(last)));
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
    // The test holds the snapshot open, reports the change right then, and
    // lets it finish, a few times over.
    std::mutex mutex;
    std::condition_variable cv;
    int version = 0;
    bool holdNext = false; // the next snapshot waits inside until let go
    bool inside = false;
    std::atomic<int> lastPublished{-1};
    SnapshotPublisher publisher(
        [&] {
            std::unique_lock lock(mutex);
            PoolSnapshot s;
            s.connectionCount = version;
            if (holdNext) {
                holdNext = false;
                inside = true;
                cv.notify_all();
                cv.wait(lock, [&] { return !inside; });
            }
            return s;
        },
        [&](const PoolSnapshot &s) { lastPublished = s.connectionCount; });
    publisher.setInterval(1ms);

    for (int round = 1; round <= 5; ++round) {
        const int taken = 2 * round - 1;
        const int during = 2 * round;
        {
            std::lock_guard lock(mutex);
            version = taken;
            holdNext = true;
        }
        publisher.notify();
        // The publisher is inside the snapshot of `taken`...
        std::unique_lock lock(mutex);
        QVERIFY2(cv.wait_for(lock, 30s, [&] { return inside; }), "a snapshot was taken");
        // ...when the next change comes and is reported.
        version = during;
        lock.unlock();
        publisher.notify();
        lock.lock();
        inside = false;
        cv.notify_all();
        lock.unlock();
        QTRY_COMPARE_WITH_TIMEOUT(lastPublished.load(), during, 10000);
    }
}

void TestSnapshotPublisher::b08_stopEndsAtOnceWhileASnapshotIsDue()
{
    std::atomic<int> taken{0};
    auto publisher = std::make_unique<SnapshotPublisher>(
        [&] {
            ++taken;
            return PoolSnapshot{};
        },
        [](const PoolSnapshot &) {});
    publisher->setInterval(1h);
    publisher->notify();
    QTRY_COMPARE(taken.load(), 1); // the first at once...
    publisher->notify();           // ...the next not for an hour
    // stop() on another thread, so that a stop() that sat out the interval
    // fails here instead of hanging the test (the deadline is far below the
    // hour and far above what a loaded machine needs to end a thread).
    std::atomic<bool> stopped{false};
    std::thread stopper([&] {
        publisher->stop();
        stopped = true;
    });
    if (!QTest::qWaitFor([&] { return stopped.load(); }, 60000)) {
        stopper.detach();
        (void)publisher.release(); // left to the stuck stop(); the process ends with the test
        QFAIL("stop() sat out the interval");
    }
    stopper.join();
    QCOMPARE(taken.load(), 1); // and the change that was due is dropped
}

QTEST_GUILESS_MAIN(TestSnapshotPublisher)
#include "tst_snapshot_publisher.moc"
