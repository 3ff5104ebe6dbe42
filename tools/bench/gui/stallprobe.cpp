// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "stallprobe.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace tandem::bench {

StallProbe::StallProbe(int intervalMs, QObject *parent)
    : QObject(parent)
{
    // PreciseTimer: a coarse timer may fire up to 5% late on purpose, which
    // would count as a stall that never happened.
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &StallProbe::tick);
}

void StallProbe::start()
{
    m_gapsUs.clear();
    m_longestUs = 0;
    m_longestAtUs = 0;
    m_clock.start();
    m_lastUs = 0;
    m_timer.start();
}

void StallProbe::stop() { m_timer.stop(); }

void StallProbe::tick()
{
    const qint64 now = m_clock.nsecsElapsed() / 1000;
    const qint64 gap = now - m_lastUs;
    m_lastUs = now;
    m_gapsUs << gap;
    if (m_reportOverUs > 0 && gap > m_reportOverUs) {
        timespec ts{};
        clock_gettime(CLOCK_MONOTONIC, &ts);
        std::fprintf(stderr, "stall: %.1f ms ending at monotonic %ld.%06ld\n", gap / 1000.0, long(ts.tv_sec),
                     long(ts.tv_nsec / 1000));
    }
    if (gap > m_longestUs) {
        m_longestUs = gap;
        m_longestAtUs = now;
    }
}

double StallProbe::longestGapMs() const { return m_longestUs / 1000.0; }

double StallProbe::percentileGapMs(double fraction) const
{
    if (m_gapsUs.isEmpty())
        return 0;
    QList<qint64> sorted = m_gapsUs;
    std::sort(sorted.begin(), sorted.end());
    const qsizetype i = std::clamp<qsizetype>(qsizetype(fraction * double(sorted.size())), 0, sorted.size() - 1);
    return sorted.at(i) / 1000.0;
}

int StallProbe::gapsLongerThan(double ms) const
{
    return int(std::count_if(m_gapsUs.cbegin(), m_gapsUs.cend(), [ms](qint64 us) { return us > ms * 1000.0; }));
}

} // namespace tandem::bench
