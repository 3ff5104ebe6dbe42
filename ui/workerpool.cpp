// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/workerpool.h"

#include <QThread>
#include <QThreadPool>

namespace tandem::ui {

QThreadPool *workerPool()
{
    static QThreadPool pool;
    static const bool configured = [] {
        pool.setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
        return true;
    }();
    Q_UNUSED(configured);
    return &pool;
}

} // namespace tandem::ui
