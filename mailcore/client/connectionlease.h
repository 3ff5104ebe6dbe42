// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <functional>

#include "mailcore/base/error.h"
#include "mailcore/mailcore_export.h"

namespace mailcore {

/// A connection of the calling thread's own (S11 in docs/POOL.md), from
/// CredentialsByHostClient::createConnection(). While it lives, every
/// synchronous operation of that thread uses this connection. Destroying it,
/// or release(), logs out, closes it and frees its place in the limit.
/// Move-only; release it on the thread that created it.
class MAILCORE_EXPORT ConnectionLease
{
public:
    ConnectionLease() = default;
    explicit ConnectionLease(Error error);
    explicit ConnectionLease(std::function<void()> releaser);
    ConnectionLease(ConnectionLease &&other) noexcept;
    ConnectionLease &operator=(ConnectionLease &&other) noexcept;
    ConnectionLease(const ConnectionLease &) = delete;
    ConnectionLease &operator=(const ConnectionLease &) = delete;
    ~ConnectionLease();

    /// False when createConnection() failed; error() says why.
    bool isValid() const { return bool(m_releaser); }
    const Error &error() const { return m_error; }
    void release();

private:
    std::function<void()> m_releaser;
    Error m_error;
};

} // namespace mailcore
