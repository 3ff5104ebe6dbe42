// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QTimer>

namespace tandem::bench {

/// Measures how long the GUI thread is kept from its event loop: a timer asks
/// to fire every `intervalMs`; each gap between two firings beyond the
/// interval is time the thread spent elsewhere (painting, slots, waiting).
/// Lives in, and must be used from, the thread it measures.
class StallProbe : public QObject
{
    Q_OBJECT

public:
    explicit StallProbe(int intervalMs = 5, QObject *parent = nullptr);

    void start();
    void stop();

    int ticks() const { return int(m_gapsUs.size()); }
    double longestGapMs() const;
    /// The gap below which `fraction` (0..1) of the gaps fall.
    double percentileGapMs(double fraction) const;
    int gapsLongerThan(double ms) const;
    /// Gaps longer than this are also written to stderr with the
    /// CLOCK_MONOTONIC time they ended (to find them in a `perf record -k
    /// CLOCK_MONOTONIC` trace); 0: none.
    void setReportGapsOverMs(double ms) { m_reportOverUs = qint64(ms * 1000); }
    /// When the longest gap ended, in ms since start().
    double longestGapAtMs() const { return m_longestAtUs / 1000.0; }

private:
    void tick();

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastUs = 0;
    qint64 m_longestAtUs = 0;
    qint64 m_longestUs = 0;
    QList<qint64> m_gapsUs;
    qint64 m_reportOverUs = 0;
};

} // namespace tandem::bench
