// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "mailcore/base/poolsnapshot.h"
#include "mailcore/mailcore_export.h"

namespace mailcore::pool {

/// Takes the pool's snapshots for the poolChanged() signal (B08) on a thread
/// of its own, at most one per interval however often the pool changes.
///
/// Why a thread: a snapshot takes the pool's lock and every connection's
/// activity lock, which the connections' I/O threads take all the time. Taken
/// on the GUI thread, one such wait behind a preempted I/O thread cost a
/// frame (50 ms seen in tools/bench/gui). Here nobody who draws waits for it;
/// the GUI thread only receives the finished copy.
class MAILCORE_EXPORT SnapshotPublisher
{
public:
    using Take = std::function<PoolSnapshot()>;
    using Deliver = std::function<void(const PoolSnapshot &)>;

    /// `take` and `deliver` run on the publisher's thread; `deliver` hands the
    /// snapshot on (the client posts it to its own thread).
    SnapshotPublisher(Take take, Deliver deliver);
    ~SnapshotPublisher(); ///< stop()

    /// Any thread, cheap, never blocks for long: something changed.
    void notify();
    void setInterval(std::chrono::milliseconds interval);
    std::chrono::milliseconds interval() const { return std::chrono::milliseconds(m_intervalMs.load()); }
    /// Ends the thread; a change not yet published is dropped. Idempotent.
    void stop();

private:
    void run();

    Take m_take;
    Deliver m_deliver;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_pending = false;
    bool m_stopping = false;
    std::atomic<int> m_intervalMs{100};
    std::thread m_thread;
};

} // namespace mailcore::pool
