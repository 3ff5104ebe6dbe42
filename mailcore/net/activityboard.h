// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <functional>
#include <memory>
#include <mutex>

#include "mailcore/base/connectionactivity.h"

namespace mailcore {

/// A connection's activity as other threads see it: its session publishes in
/// the I/O thread, anyone reads, and a listener (the pool's monitor) is told
/// of each change. The same for IMAP, POP3 and SMTP connections.
class ActivityBoard
{
public:
    /// I/O thread.
    /// Called for every read of a busy connection, so it allocates nothing:
    /// the listener is shared, not copied.
    void publish(const ConnectionActivity &activity)
    {
        std::shared_ptr<const std::function<void()>> listener;
        {
            std::lock_guard lock(m_mutex);
            m_activity = activity;
            listener = m_listener;
        }
        if (listener && *listener) // outside the lock: it may read current()
            (*listener)();
    }
    /// Any thread.
    ConnectionActivity current() const
    {
        std::lock_guard lock(m_mutex);
        return m_activity;
    }
    /// Any thread; called in the I/O thread after each publish().
    void setListener(std::function<void()> listener)
    {
        auto shared = std::make_shared<const std::function<void()>>(std::move(listener));
        std::lock_guard lock(m_mutex);
        m_listener = std::move(shared);
    }

private:
    mutable std::mutex m_mutex;
    ConnectionActivity m_activity;
    std::shared_ptr<const std::function<void()>> m_listener;
};

} // namespace mailcore
