// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/store/writer.h"

#include "mailcore/net/threadpriority.h"

#include <QSqlError>

#if defined(__linux__)
#include <pthread.h>
#endif

#include <atomic>

#include "mailcore/store/database.h"

namespace mailcore::store {

Writer::Writer(QString path)
    : m_path(std::move(path))
    , m_thread([this] { run(); })
{
}

Writer::~Writer()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

void Writer::enqueue(Job job)
{
    {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back(std::move(job));
    }
    m_wake.notify_one();
}

Error Writer::transaction(QSqlDatabase &db, const std::function<void()> &work)
{
    if (!db.transaction())
        return sqlError(QStringLiteral("starting a change"), db.lastError());
    try {
        work();
    } catch (const MailException &e) {
        db.rollback();
        return e.error();
    }
    if (!db.commit()) {
        const Error failed = sqlError(QStringLiteral("saving a change"), db.lastError());
        db.rollback();
        return failed;
    }
    return {};
}

void Writer::run()
{
#if defined(__linux__)
    pthread_setname_np(pthread_self(), "store-writer"); // for top -H, perf, gdb
#endif
    // Below the program's main thread, like mailcore's other threads: a
    // download writes thousands of bodies, and the window must not wait for
    // the CPU behind them.
    net::lowerCurrentThreadPriority();
    static std::atomic<int> counter{0};
    Result<std::unique_ptr<Connection>> connection = Connection::open(
        m_path, QStringLiteral("tandem-store-writer-%1").arg(++counter));
    if (!connection)
        m_unavailable = connection.error(); // every change fails with it: none is lost silently
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_jobs.empty(); });
            if (m_jobs.empty())
                break; // stopping, and everything queued is done
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        job(connection ? &connection.value()->db() : nullptr);
    }
}

} // namespace mailcore::store
