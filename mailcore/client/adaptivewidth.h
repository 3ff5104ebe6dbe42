// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Private to mailcore (not installed).

#include <QtGlobal>

#include <chrono>
#include <mutex>

#include "mailcore/mailcore_export.h"

namespace mailcore::client {

/// How many connections one bulk job uses (issue 15). More connections are
/// not always faster: on a small machine the client and the server pay for
/// each one in CPU (eight were 1.1-1.4x slower than four on two cores), and
/// the logins of many at once take the CPU from the GUI. So a job starts on
/// two and doubles its width while the throughput it measures grows by a
/// tenth or more; when a width brings less, it goes back to the best one seen
/// and stays there. On a slow link (latency-bound) each doubling pays and the
/// job widens to `most`; on a busy CPU it stays narrow.
///
/// Throughput is measured per batch: after a width takes effect, its first
/// round of batches (one per connection: logins, a full pipeline) is not
/// counted; the next kMeasuredRounds rounds are. A measurement during which the user
/// acted (an interactive operation began) is not used: the job does not
/// widen while someone clicks, as its new connections would compete with
/// the click for the server and the cores (issue 13's GUI stalls); it
/// measures again, and widens once the user is idle.
class MAILCORE_EXPORT AdaptiveWidth
{
public:
    using Clock = std::chrono::steady_clock;

    /// `most`: the widest the job may go (the connections the limit leaves it), at least 1.
    explicit AdaptiveWidth(int most, Clock::time_point start = Clock::now());

    int width() const;
    /// Whether the width is final (no more measuring).
    bool settled() const;
    /// One batch done, `units` delivered by it (bytes, messages), at `now`;
    /// `interactiveBegun`: InteractiveWork::begun() now. Returns the width
    /// from now on.
    int batchDone(quint64 units, quint64 interactiveBegun, Clock::time_point now = Clock::now());

    static constexpr int kStart = 2;
    static constexpr double kWorthwhileGain = 1.1;
    /// Rounds (a batch per connection) counted per measurement. Two were too
    /// few: batches end in bursts (two in flight per connection), and on a
    /// loopback fetch two rounds measured 0.5x to 1.8x for the same width,
    /// so a job widened to eight where two are fastest (bulk at limit 10
    /// 1.13-1.25x the time at limit 4); four measure alike within 20%.
    static constexpr int kMeasuredRounds = 4;

private:
    void measureFrom(Clock::time_point now, quint64 interactiveBegun);

    mutable std::mutex m_mutex;
    const int m_most;
    int m_width;
    bool m_settled = false;
    int m_bestWidth = 0;
    double m_bestRate = 0;
    // The measurement at m_width: batches seen since the width took effect,
    // and the units and time of those counted.
    int m_batches = 0;
    quint64 m_units = 0;
    Clock::time_point m_countedSince;
    quint64 m_interactiveAtStart = 0; // InteractiveWork::begun() when the counting started
};

} // namespace mailcore::client
