// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QFuture>

#include "mailcore/base/error.h"

namespace mailcore::store {

/// Waits for a store write and says how it ended: the syncs go on only once
/// a step is committed (or stop with why it was not). Worker threads only.
template <typename T>
Error committed(QFuture<T> future)
{
    try {
        future.waitForFinished();
    } catch (const MailException &e) {
        return e.error();
    }
    return {};
}

} // namespace mailcore::store
