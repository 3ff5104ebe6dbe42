// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/coalescer.h"

namespace tandem::ui {

Coalescer::Coalescer(std::chrono::milliseconds interval, std::function<void()> work, QObject *parent)
    : QObject(parent)
    , m_interval(interval)
    , m_work(std::move(work))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        m_lastRun.start();
        m_work();
    });
}

void Coalescer::request()
{
    if (m_timer.isActive())
        return; // a run is due: it will see this change too
    const auto sinceLast = std::chrono::milliseconds(m_lastRun.isValid() ? m_lastRun.elapsed() : m_interval.count());
    m_timer.start(sinceLast >= m_interval ? std::chrono::milliseconds(0) : m_interval - sinceLast);
}

} // namespace tandem::ui
