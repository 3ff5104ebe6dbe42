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
    ++m_begun;
    if (m_running++ == 0) {
        for (const Observer &o : m_observers)
            o.call(true);
    }
}

int InteractiveWork::observe(std::function<void(bool)> whileRunning)
{
    std::lock_guard lock(m_mutex);
    if (m_running > 0)
        whileRunning(true);
    m_observers.push_back({m_nextToken, std::move(whileRunning)});
    return m_nextToken++;
}

void InteractiveWork::forget(int token)
{
    std::lock_guard lock(m_mutex);
    auto it = std::find_if(m_observers.begin(), m_observers.end(),
                           [token](const Observer &o) { return o.token == token; });
    if (it == m_observers.end())
        return;
    if (m_running > 0)
        it->call(false);
    m_observers.erase(it);
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
        const bool wasRunning = m_running > 0;
        m_running = std::max(0, m_running - 1);
        none = m_running == 0;
        if (wasRunning && none) {
            for (const Observer &o : m_observers)
                o.call(false);
        }
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
