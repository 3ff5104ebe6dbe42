// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/client/connectionlease.h"

namespace mailcore {

ConnectionLease::ConnectionLease(Error error)
    : m_error(std::move(error))
{
}

ConnectionLease::ConnectionLease(std::function<void()> releaser)
    : m_releaser(std::move(releaser))
{
}

ConnectionLease::ConnectionLease(ConnectionLease &&other) noexcept
    : m_releaser(std::exchange(other.m_releaser, {}))
    , m_error(std::move(other.m_error))
{
}

ConnectionLease &ConnectionLease::operator=(ConnectionLease &&other) noexcept
{
    if (this != &other) {
        release();
        m_releaser = std::exchange(other.m_releaser, {});
        m_error = std::move(other.m_error);
    }
    return *this;
}

ConnectionLease::~ConnectionLease() { release(); }

void ConnectionLease::release()
{
    if (auto releaser = std::exchange(m_releaser, {}))
        releaser();
}

} // namespace mailcore
