// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/client/interactivework.h"

#include <algorithm>

namespace mailcore::client {

namespace {
// How often a yielding bulk task looks at its cancellation: a plain callback
// (a QPromise's isCanceled()) cannot wake the condition variable.
constexpr std::chrono::milliseconds kCancelPoll{20};
} // namespace

void InteractiveWork::begins()
{
    std::lock_guard lock(m_mutex);
    ++m_running;
    ++m_begun;
}

quint64 InteractiveWork::begun() const
{
    std::lock_guard lock(m_mutex);
    return m_begun;
}

void InteractiveWork::ends()
{
    bool none = false;
    {
        std::lock_guard lock(m_mutex);
        m_running = std::max(0, m_running - 1);
        none = m_running == 0;
    }
    if (none)
        m_none.notify_all();
}

bool InteractiveWork::running() const
{
    std::lock_guard lock(m_mutex);
    return m_running > 0;
}

void InteractiveWork::yieldTo(std::chrono::milliseconds longest, const std::function<bool()> &cancelled)
{
    const auto until = std::chrono::steady_clock::now() + longest;
    std::unique_lock lock(m_mutex);
    while (m_running > 0 && !(cancelled && cancelled())) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= until)
            return;
        m_none.wait_for(lock, std::min<std::chrono::steady_clock::duration>(until - now, kCancelPoll));
    }
}

} // namespace mailcore::client
