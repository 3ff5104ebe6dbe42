// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/client/adaptivewidth.h"

#include <algorithm>

#include "mailcore/base/logging.h"

namespace mailcore::client {

AdaptiveWidth::AdaptiveWidth(int most, Clock::time_point start)
    : m_most(std::max(1, most))
    , m_width(std::min(kStart, m_most))
{
    m_settled = m_width == m_most;
    measureFrom(start, 0);
}

int AdaptiveWidth::width() const
{
    std::lock_guard lock(m_mutex);
    return m_width;
}

bool AdaptiveWidth::settled() const
{
    std::lock_guard lock(m_mutex);
    return m_settled;
}

void AdaptiveWidth::measureFrom(Clock::time_point now, quint64 interactiveBegun)
{
    m_batches = 0;
    m_units = 0;
    m_countedSince = now;
    m_interactiveAtStart = interactiveBegun;
}

int AdaptiveWidth::batchDone(quint64 units, quint64 interactiveBegun, Clock::time_point now)
{
    std::lock_guard lock(m_mutex);
    if (m_settled)
        return m_width;
    ++m_batches;
    if (m_batches <= m_width) {
        // The first round at this width: connections logging in, pipelines
        // filling. Counting starts when it ends.
        m_countedSince = now;
        m_interactiveAtStart = interactiveBegun;
        return m_width;
    }
    m_units += units;
    if (m_batches < (1 + kMeasuredRounds) * m_width)
        return m_width;
    if (interactiveBegun != m_interactiveAtStart) {
        // The user acted meanwhile: no decision now, a new measurement at this width.
        measureFrom(now, interactiveBegun);
        m_batches = m_width; // its connections are warm: no settling round
        return m_width;
    }
    const double seconds = std::chrono::duration<double>(now - m_countedSince).count();
    const double rate = double(m_units) / std::max(seconds, 1e-6);
    qCDebug(log::pool) << "bulk width" << m_width << "measured" << rate << "units/s; best so far" << m_bestWidth
                       << m_bestRate;
    if (m_bestWidth == 0 || rate >= m_bestRate * kWorthwhileGain) {
        m_bestWidth = m_width;
        m_bestRate = rate;
        if (m_width < m_most) {
            m_width = std::min(2 * m_width, m_most);
            measureFrom(now, interactiveBegun);
            return m_width;
        }
    }
    m_width = m_bestWidth;
    m_settled = true;
    return m_width;
}

} // namespace mailcore::client
