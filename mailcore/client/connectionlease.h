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
    /// An invalid lease with no connection and no error.
    ConnectionLease() = default;
    /// An invalid lease that says why there is no connection. Made by
    /// createConnection(); a program has no need to.
    explicit ConnectionLease(Error error);
    /// A valid lease; `releaser` gives the connection back, once. Made by
    /// createConnection(); a program has no need to.
    explicit ConnectionLease(std::function<void()> releaser);
    /// Takes over `other`'s connection; `other` becomes invalid.
    ConnectionLease(ConnectionLease &&other) noexcept;
    /// Releases this lease's connection, if any, then takes over `other`'s.
    ConnectionLease &operator=(ConnectionLease &&other) noexcept;
    /// Not copyable: one connection, one owner.
    ConnectionLease(const ConnectionLease &) = delete;
    /// Not copyable: one connection, one owner.
    ConnectionLease &operator=(const ConnectionLease &) = delete;
    /// release().
    ~ConnectionLease();

    /// False when createConnection() failed; error() says why. Also false
    /// once released or moved from.
    bool isValid() const { return bool(m_releaser); }
    /// Why createConnection() gave no connection: ErrorCode::BadArgument (S12,
    /// S13, or the thread has a lease already), Timeout (the deadline passed) or
    /// what opening the connection failed with. No error otherwise.
    const Error &error() const { return m_error; }
    /// Logs the connection out, closes it and frees its place. Nothing when
    /// invalid, or when the client is gone already.
    void release();

private:
    std::function<void()> m_releaser;
    Error m_error;
};

} // namespace mailcore
