// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/pool/snapshotpublisher.h"

#include <algorithm>

#if defined(__linux__)
#include <pthread.h>
#endif

#include "mailcore/net/threadpriority.h"

namespace mailcore::pool {

SnapshotPublisher::SnapshotPublisher(Take take, Deliver deliver)
    : m_take(std::move(take))
    , m_deliver(std::move(deliver))
    , m_thread([this] { run(); })
{
}

SnapshotPublisher::~SnapshotPublisher() { stop(); }

void SnapshotPublisher::notify()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_pending)
            return; // already due: this change will be in that snapshot
        m_pending = true;
    }
    m_wake.notify_one();
}

void SnapshotPublisher::setInterval(std::chrono::milliseconds interval)
{
    m_intervalMs = int(std::max<qint64>(1, interval.count()));
}

void SnapshotPublisher::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    if (m_thread.joinable())
        m_thread.join();
}

void SnapshotPublisher::run()
{
#if defined(__linux__)
    pthread_setname_np(pthread_self(), "pool-snapshots"); // for top -H, perf, gdb
#endif
    net::lowerCurrentThreadPriority();
    using Clock = std::chrono::steady_clock;
    // The first change is published at once; later ones no sooner than one
    // interval after the one before.
    Clock::time_point earliest = Clock::now();
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_pending || m_stopping; });
        if (m_stopping)
            return;
        if (m_wake.wait_until(lock, earliest, [this] { return m_stopping; }))
            return;
        m_pending = false; // changes from now on are for the next snapshot
        lock.unlock();
        m_deliver(m_take());
        earliest = Clock::now() + std::chrono::milliseconds(m_intervalMs.load());
        lock.lock();
    }
}

} // namespace mailcore::pool
