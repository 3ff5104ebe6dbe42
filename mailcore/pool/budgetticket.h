// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <memory>

#include "mailcore/base/accountbudget.h"

namespace mailcore {

/// One place taken from a budget, given back when the last copy goes.
class BudgetTicket
{
public:
    explicit BudgetTicket(std::shared_ptr<AccountBudget> budget)
        : m_budget(std::move(budget))
    {
    }
    ~BudgetTicket()
    {
        if (m_budget)
            m_budget->give();
    }
    BudgetTicket(const BudgetTicket &) = delete;
    BudgetTicket &operator=(const BudgetTicket &) = delete;

private:
    std::shared_ptr<AccountBudget> m_budget;
};

} // namespace mailcore
