// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// AdaptiveWidth (issue 15): a bulk job's width from the throughput of its
// batches, fed with made-up batch times (no server, no clock).
#include <QTest>

#include "mailcore/client/adaptivewidth.h"

using mailcore::client::AdaptiveWidth;
using namespace std::chrono_literals;

namespace {

/// Feeds batches of `units` each, one every `perBatch(width)` (the time a
/// batch takes at that width), until the width settles or `most` batches
/// are done; returns the widths it went through. `clicks`: how many
/// interactive operations had begun by batch i (none if not given).
QList<int> run(AdaptiveWidth &w, AdaptiveWidth::Clock::time_point &now,
               const std::function<std::chrono::microseconds(int width)> &perBatch, int most = 1000,
               const std::function<quint64(int batch)> &clicks = {})
{
    QList<int> widths{w.width()};
    for (int i = 0; i < most && !w.settled(); ++i) {
        // `width` connections each finish a batch per batch time: the job
        // sees one every perBatch / width.
        now += perBatch(w.width()) / w.width();
        const int width = w.batchDone(100, clicks ? clicks(i) : 0, now);
        if (width != widths.last())
            widths << width;
    }
    return widths;
}

} // namespace

class TestAdaptiveWidth : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void startsAtTwoOrTheMostAllowed()
    {
        QCOMPARE(AdaptiveWidth(8).width(), 2);
        QCOMPARE(AdaptiveWidth(1).width(), 1);
        QVERIFY(AdaptiveWidth(1).settled()); // nothing to choose
        QCOMPARE(AdaptiveWidth(2).width(), 2);
        QVERIFY(AdaptiveWidth(2).settled());
        QCOMPARE(AdaptiveWidth(0).width(), 1); // never below one
    }

    void aLatencyBoundJobWidensToTheMost()
    {
        // Each connection waits on the link: a batch takes 40 ms whatever
        // the width, so each doubling doubles the throughput.
        auto now = AdaptiveWidth::Clock::time_point{};
        AdaptiveWidth w(8, now);
        QCOMPARE(run(w, now, [](int) { return 40ms; }), (QList<int>{2, 4, 8}));
        QVERIFY(w.settled());
        QCOMPARE(w.width(), 8);
    }

    void aCpuBoundJobStaysWhereMoreStopsPaying()
    {
        // Two cores: past two connections a batch takes as much longer as
        // there are more of them; four bring nothing, so back to two.
        auto now = AdaptiveWidth::Clock::time_point{};
        AdaptiveWidth w(8, now);
        QCOMPARE(run(w, now, [](int width) { return 10ms * std::max(1, width / 2); }), (QList<int>{2, 4, 2}));
        QVERIFY(w.settled());
        QCOMPARE(w.width(), 2);
    }

    void aSmallGainIsNotWorthAnotherDoubling()
    {
        // Four are 5% faster than two: under the 10% it takes.
        auto now = AdaptiveWidth::Clock::time_point{};
        AdaptiveWidth w(8, now);
        const auto perBatch = [](int width) {
            return width >= 4 ? std::chrono::microseconds(10000 * width * 100 / 2 / 105) : 10000us;
        };
        QCOMPARE(run(w, now, perBatch), (QList<int>{2, 4, 2}));
        QCOMPARE(w.width(), 2);
    }

    void theMostIsNeverPassedAndIsKeptWhenItPays()
    {
        // Limit 5: three extras at most; 2 -> 3 (not 4), and three pay.
        auto now = AdaptiveWidth::Clock::time_point{};
        AdaptiveWidth w(3, now);
        QCOMPARE(run(w, now, [](int) { return 40ms; }), (QList<int>{2, 3}));
        QVERIFY(w.settled());
        QCOMPARE(w.width(), 3);
    }

    void itDoesNotWidenWhileTheUserActsAndDoesOnceIdle()
    {
        // Latency-bound, so wider pays; a click every 3 batches for the
        // first 40 batches keeps it at two, then it widens.
        auto now = AdaptiveWidth::Clock::time_point{};
        AdaptiveWidth w(8, now);
        int widened = -1;
        const QList<int> widths = run(
            w, now, [](int) { return 40ms; }, 1000,
            [&](int batch) {
                if (widened < 0 && w.width() > 2)
                    widened = batch;
                return quint64(std::min(batch, 40) / 3);
            });
        QCOMPARE(widths, (QList<int>{2, 4, 8}));
        QVERIFY2(widened > 40, qPrintable(QString::number(widened)));
    }

    void theFirstRoundAtAWidthIsNotCounted()
    {
        // At width 2 the first two batches are slow (logins): were they
        // counted, four would look better than two when they are not.
        auto now = AdaptiveWidth::Clock::time_point{};
        AdaptiveWidth w(8, now);
        int batches = 0;
        const QList<int> widths = run(w, now, [&](int width) {
            ++batches;
            if (batches <= 2)
                return 500ms; // the first round: logins
            return 10ms * std::max(1, width / 2);
        });
        QCOMPARE(widths, (QList<int>{2, 4, 2}));
    }
};

QTEST_GUILESS_MAIN(TestAdaptiveWidth)
#include "tst_adaptive_width.moc"
