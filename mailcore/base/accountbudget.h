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
    explicit AccountBudget(int limit)
        : m_limit(limit < 1 ? 1 : limit)
    {
    }

    int limit() const { return m_limit; }
    int inUse() const { return m_inUse; }

    /// One place, if there is one left. A refusal marks the budget starved,
    /// so that the other clients give up the extra connections they keep idle.
    bool tryTake();
    void give();
    bool isStarved() const { return m_starved; }

private:
    const int m_limit;
    std::atomic<int> m_inUse{0};
    std::atomic<bool> m_starved{false};
};

} // namespace mailcore
