// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QObject>
#include <QTimer>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "mailcore/imapclient/imaptypes.h"
#include "mailcore/mailcore_export.h"
#include "mailcore/pool/connectionpool.h"

class QThreadPool;

namespace mailcore::detail {

/// Watches one folder for changes (B10 in docs/POOL.md), for ImapClient's
/// startMonitoring(). Lives in the client's thread and never blocks it:
/// opening happens on a task thread, answers come back as queued calls.
///
/// - With IDLE offered and a limit of 3 or more, it takes a connection of its
///   own (role Push), selects the folder and sits in IDLE: the server's
///   EXISTS/EXPUNGE/FETCH arrive at once. The main connection stays free for
///   short work. A dropped connection is replaced after a short pause.
/// - Otherwise it polls: STATUS through the pool every poll interval, and
///   reports a change of message count, unseen count or next UID.
class MAILCORE_EXPORT FolderWatch : public QObject
{
public:
    using OpenIdle = std::function<void(pool::PooledConnection &, const QString &folder, std::function<void()> changed,
                                        std::function<void(const Error &)> ended)>;
    using Status = std::function<QFuture<FolderStatus>(const QString &folder)>;

    /// `context`: the client, in whose thread this lives and which outlives it.
    FolderWatch(QObject *context, QString folder, std::shared_ptr<pool::ConnectionPool> pool, QThreadPool &tasks,
                OpenIdle openIdle, Status status, std::chrono::milliseconds pollInterval,
                std::function<void()> changed);
    ~FolderWatch() override; ///< gives the push connection back (closed)

    bool isPushing() const { return m_push.has_value(); }
    bool isPolling() const { return m_pollTimer.isActive(); }

private:
    using Post = std::function<void(std::function<void()>)>;
    Post poster() const;
    void tryPush();
    void pushStarted(pool::ConnectionPool::Use use);
    void pushEnded(const Error &error);
    void startPolling();
    void poll();

    QObject *m_context;
    QString m_folder;
    std::shared_ptr<pool::ConnectionPool> m_pool;
    QThreadPool &m_tasks;
    OpenIdle m_openIdle;
    Status m_status;
    std::function<void()> m_changed;
    std::optional<pool::ConnectionPool::Use> m_push;
    std::optional<FolderStatus> m_lastStatus;
    QTimer m_pollTimer;
    struct Alive;
    std::shared_ptr<Alive> m_alive; // whether this watch exists, for the threads that post to the client
};

/// B10: selects `folder` on the push connection `c` and keeps it in IDLE;
/// `changed` is called (in the I/O thread) for new, vanished or changed
/// messages, `ended` once when the loop stops (the connection closed, or the
/// server does not offer IDLE: BadArgument).
void idleOn(pool::PooledConnection &c, const QString &folder, std::function<void()> changed,
            std::function<void(const Error &)> ended);

} // namespace mailcore::detail
