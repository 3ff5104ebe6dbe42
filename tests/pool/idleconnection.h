// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// For the pool's tests without a server (S08's waits, B10's folder watch).

#include <QFuture>

#include <atomic>

#include "mailcore/pool/connectionpool.h"

namespace tandem::test {

/// A pooled connection that opens at once and does nothing.
class IdleConnection : public mailcore::pool::PooledConnection
{
public:
    QFuture<void> open() override { return QtFuture::makeReadyFuture(); }
    bool isUsable() const override { return !m_closed; }
    void close() override { m_closed = true; }

private:
    std::atomic<bool> m_closed{false};
};

} // namespace tandem::test
