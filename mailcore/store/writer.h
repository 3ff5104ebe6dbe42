// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QFuture>
#include <QPromise>
#include <QSqlDatabase>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>

#include "mailcore/base/error.h"
#include "mailcore/mailcore_export.h"

namespace mailcore::store {

/// The store's one writer: a thread of its own with its own connection, that
/// runs changes one after another, each in a transaction. SQLite allows one
/// writer at a time; queuing them here, rather than letting threads take turns
/// at the file lock, keeps every caller (the GUI thread first) from waiting:
/// write() returns at once with a future.
class MAILCORE_EXPORT Writer
{
public:
    /// Starts the thread and opens `path` there (prepare() has made it ready).
    explicit Writer(QString path);
    /// Runs what is queued, then closes the connection and joins the thread.
    ~Writer();
    Writer(const Writer &) = delete;
    Writer &operator=(const Writer &) = delete;

    /// Any thread. Runs `change(db)` in the writer's thread inside a
    /// transaction and commits it. If `change` throws MailException (the
    /// store's helpers do on any failed statement) or the commit fails, the
    /// transaction is rolled back, nothing of it stays, and the future fails
    /// with that error. `committed`, if given, runs in the writer's thread
    /// after a successful commit (to tell readers that something changed).
    template <typename F>
    auto write(F change, std::function<void()> committed = {}) -> QFuture<std::invoke_result_t<F, QSqlDatabase &>>
    {
        using T = std::invoke_result_t<F, QSqlDatabase &>;
        auto promise = std::make_shared<QPromise<T>>();
        QFuture<T> future = promise->future();
        promise->start();
        enqueue(
            [this, promise, change = std::move(change), committed = std::move(committed)](QSqlDatabase *db) mutable {
                const Error failed = !db ? m_unavailable : transaction(*db, [&] {
                    if constexpr (std::is_void_v<T>)
                        change(*db);
                    else
                        promise->addResult(change(*db));
                });
                if (failed.isError()) {
                    // A value added before the failure is not kept: a failed future holds only the error.
                    promise->setException(MailException(failed));
                }
                promise->finish();
                if (!failed.isError() && committed)
                    committed();
            });
        return future;
    }

private:
    using Job = std::function<void(QSqlDatabase *)>; // null: the file could not be opened
    void enqueue(Job job);
    void run();
    /// Writer thread: `work` in a transaction; the error that undid it, or none.
    static Error transaction(QSqlDatabase &db, const std::function<void()> &work);

    QString m_path;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_jobs;
    bool m_stopping = false;
    Error m_unavailable;  // writer thread: why the file could not be opened
    std::thread m_thread; // last: starts after the members above exist
};

} // namespace mailcore::store
