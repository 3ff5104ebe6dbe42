// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <atomic>
#include <memory>

#include "mailcore/mailcore_export.h"

namespace mailcore {

/// One limit shared by several clients of the same account on the same
/// server (B09 in docs/POOL.md): an ImapClient and an SmtpClient of one mailbox, or
/// two ImapClients in one program. Give the same budget to each client with
/// CredentialsByHostClient::setSharedBudget() before their first operation;
/// every connection any of them opens then counts against it, on top of each
/// client's own maxConnectionsPerServer. Thread-safe.
class MAILCORE_EXPORT AccountBudget
{
public:
    /// A budget of `limit` connections; below 1 counts as 1.
    explicit AccountBudget(int limit)
        : m_limit(limit < 1 ? 1 : limit)
    {
    }

    /// How many connections the clients sharing it may have together.
    int limit() const { return m_limit; }
    /// How many places are taken now, by every client sharing it.
    int inUse() const { return m_inUse; }

    /// One place, if there is one left. A refusal marks the budget starved,
    /// so that the other clients give up the extra connections they keep idle.
    /// The pools call it; a program has no need to.
    bool tryTake();
    /// Gives back a place tryTake() gave. The pools call it when a connection closes.
    void give();
    /// True since the last refusal, until a place is taken again.
    bool isStarved() const { return m_starved; }

private:
    const int m_limit;
    std::atomic<int> m_inUse{0};
    std::atomic<bool> m_starved{false};
};

} // namespace mailcore
