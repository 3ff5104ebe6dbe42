// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/base/accountbudget.h"

namespace mailcore {

bool AccountBudget::tryTake()
{
    int used = m_inUse;
    while (used < m_limit) {
        if (m_inUse.compare_exchange_weak(used, used + 1)) {
            m_starved = false;
            return true;
        }
    }
    m_starved = true;
    return false;
}

void AccountBudget::give() { --m_inUse; }

} // namespace mailcore
