// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Private to mailcore (not installed).

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <vector>

#include <QtGlobal>

#include "mailcore/mailcore_export.h"

namespace mailcore::client {

/// The interactive operations of one client that have not finished yet (a
/// click: short and pipelined work, synchronous calls), and where bulk work
/// waits for them (issue 15's lanes). A click's cost on a busy machine is
/// mostly the server's and the CPU's time while every bulk connection keeps
/// them busy; so between two batches a bulk chunk yields while a click runs,
/// and the server and the cores work on the click first. The yield is bounded,
/// so a stream of clicks slows a download but never stops it.
class MAILCORE_EXPORT InteractiveWork
{
public:
    void begins();
    void ends();
    bool running() const;
    /// How many interactive operations have begun so far: a bulk job that
    /// sees it move knows the user acted meanwhile (AdaptiveWidth).
    quint64 begun() const;
    /// Returns at once when no interactive operation runs, else once none
    /// does, `longest` has passed, or `cancelled()` (looked at every few ms).
    void yieldTo(std::chrono::milliseconds longest, const std::function<bool()> &cancelled = {});

    /// `whileRunning(true)` when the first interactive operation begins,
    /// `(false)` when the last ends; at once with true if one runs now, and
    /// with false on forget() if one runs then. Called with the lock held, in
    /// order: it must only post (a bulk connection's read hold).
    int observe(std::function<void(bool running)> whileRunning);
    void forget(int token);

private:
    struct Observer {
        int token = 0;
        std::function<void(bool)> call;
    };
    std::vector<Observer> m_observers;
    int m_nextToken = 1;
    mutable std::mutex m_mutex;
    std::condition_variable m_none;
    int m_running = 0;
    quint64 m_begun = 0;
};

} // namespace mailcore::client
