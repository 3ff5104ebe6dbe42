// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QFuture>
#include <QFutureWatcher>

#include <exception>

#include "mailcore/base/error.h"
#include "mailcore/base/result.h"

namespace tandem::ui {

// The UI hands every finished future to the GUI thread with whenFinished(),
// not with QFuture::then(context, ...): in Qt 6.4 a `then` whose context
// object dies before the future finishes asserts on the null context in the
// worker thread (and a `.then(ctx).onFailed(ctx)` pair does the same when the
// context dies with the continuation queued). A QFutureWatcher owned by the
// context simply goes away with it.

/// Calls `handler(QFuture<T>)` in `context`'s thread once `future` has
/// finished, unless `context` was destroyed before. GUI thread.
template <typename T, typename Handler>
void whenFinished(QObject *context, QFuture<T> future, Handler &&handler)
{
    auto *watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context,
                     [watcher, handler = std::forward<Handler>(handler)]() mutable {
                         QFuture<T> finished = watcher->future();
                         watcher->deleteLater();
                         handler(finished);
                     });
    watcher->setFuture(std::move(future));
}

/// The value of a finished future, or the Error it failed with. Never blocks:
/// call it only on a finished future (inside its continuation).
template <typename T>
mailcore::Result<T> takeResult(QFuture<T> &future)
{
    try {
        future.waitForFinished(); // finished already; rethrows the stored exception
    } catch (const mailcore::MailException &e) {
        return e.error();
    } catch (const std::exception &e) {
        return mailcore::Error(mailcore::ErrorCode::Internal, QString::fromLocal8Bit(e.what()));
    }
    if (future.resultCount() == 0)
        return mailcore::Error(mailcore::ErrorCode::Cancelled, QStringLiteral("the operation was cancelled"));
    return future.result();
}

/// The same for a future without a value: no error (isError() false) when it succeeded.
inline mailcore::Error takeError(QFuture<void> &future)
{
    try {
        future.waitForFinished();
    } catch (const mailcore::MailException &e) {
        return e.error();
    } catch (const std::exception &e) {
        return mailcore::Error(mailcore::ErrorCode::Internal, QString::fromLocal8Bit(e.what()));
    }
    if (future.isCanceled())
        return mailcore::Error(mailcore::ErrorCode::Cancelled, QStringLiteral("the operation was cancelled"));
    return {};
}

} // namespace tandem::ui
