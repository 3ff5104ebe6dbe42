// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <chrono>
#include <functional>

namespace tandem::ui {

/// Runs `work` once soon after request(), however many requests came
/// meanwhile, and then at most once per `interval`: a burst of store events
/// (a sync committing batch after batch, a POP3 download storing message
/// after message) costs the GUI thread one re-read per interval, not one per
/// event. GUI thread.
class Coalescer : public QObject
{
public:
    Coalescer(std::chrono::milliseconds interval, std::function<void()> work, QObject *parent);

    /// `work` will run: at once (at the next turn of the event loop) if it
    /// has not run for `interval`, else when the interval is over.
    void request();
    /// Whether a run is due.
    bool isPending() const { return m_timer.isActive(); }

private:
    std::chrono::milliseconds m_interval;
    std::function<void()> m_work;
    QTimer m_timer;
    QElapsedTimer m_lastRun;
};

} // namespace tandem::ui
