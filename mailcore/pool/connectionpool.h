// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QDeadlineTimer>
#include <QThread>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "mailcore/base/poolsnapshot.h"
#include "mailcore/base/result.h"
#include "mailcore/mailcore_export.h"
#include "mailcore/pool/budgetticket.h"
#include "mailcore/pool/pooledconnection.h"

namespace mailcore::pool {

/// Which connection a task wants (S15 in docs/POOL.md): short work (a flag change,
/// a delete, a NOOP) goes to the main connection so a click never waits behind
/// a download; long work (appending, sending, a page of summaries) gets an
/// extra one of its own. Pipelined work (one independent read, such as fetching
/// one message) shares an extra with other pipelined operations, so that many
/// separate calls travel pipelined on few connections (B02 across callers).
/// Bulk work (a chunk of a download, background work nobody is waiting to see
/// at once) is long work in the background lane (issue 15): it gets an extra of
/// its own and never the main connection while the limit allows an extra, not
/// even the main connection's place before it is opened, so interactive work
/// (everything else) never queues behind it; at a limit of 1 (S06) it shares
/// the main connection, where its commands give way to interactive ones.
enum class Work { Short, Long, Pipelined, Bulk };

/// How many pipelined operations may share one extra connection at once:
/// the IMAP session's pipeline window, so none of them waits on the wire.
constexpr int kPipelinedPerConnection = 16;

/// The connections of one client to one server, and who may use them. Any
/// thread may call any method; the bookkeeping is guarded by one std::mutex
/// (ThreadSanitizer understands it), and connections are opened and closed
/// outside that lock.
///
/// - The *main* connection is created on first need (S03), shared by every
///   caller through its own command queue (S05, S10), and kept (S04).
/// - *Extra* connections are exclusive to one task at a time, opened on demand
///   while the count stays within the limit (S02, S07), kept for reuse for
///   `idleTime` (B04), then logged out.
/// - *Thread-bound* connections belong to the thread that asked (S11).
/// - When nothing can be had, the caller waits (S08), cancellably.
class MAILCORE_EXPORT ConnectionPool
{
public:
    using Factory = std::function<std::shared_ptr<PooledConnection>()>;
    using IsCancelled = std::function<bool()>;

    /// A connection handed out for some work; give exclusive ones back with release().
    struct Use {
        std::shared_ptr<PooledConnection> connection;
        int id = 0;
        bool exclusive = false; ///< an extra of its own: give it back with release()
        bool shared = false;    ///< one of the pipelined users of an extra: release() too
    };

    ConnectionPool(Factory factory, int limit);
    /// A pool shared as its users share it. Its last owner may let go in one
    /// of its connections' I/O threads (a continuation of a reply held it);
    /// destroyed there, the pool would wait for that thread, busy with the
    /// destruction (its reaper closes the connection, which joins the
    /// thread): so it is then destroyed on a thread of its own.
    static std::shared_ptr<ConnectionPool> create(Factory factory, int limit);
    ~ConnectionPool(); ///< dispose()

    int limit() const;
    /// S01: a limit below 1 is refused (ErrorCode::BadArgument) and the old one stays.
    Error setLimit(int limit);
    void setIdleTime(std::chrono::milliseconds idleTime);
    /// B09: every connection opened from now on also takes a place in `budget`.
    void setSharedBudget(std::shared_ptr<AccountBudget> budget);

    /// The main connection, opened first if needed (S03, S04); replaced when it died (B06).
    Result<Use> main(const IsCancelled &cancelled = {}, QDeadlineTimer deadline = QDeadlineTimer::Forever);
    /// Whether the main connection is open or being opened.
    bool hasMain() const;
    /// A connection for one task (S09, S15, B01). Short work, or a limit of 1
    /// (S06), gets the main connection. Long and bulk work get a free extra,
    /// preferring one that has `folder` selected, else a new one while the
    /// limit allows (bulk work: leaving a place for the main connection), else
    /// wait until one is released (S08).
    Result<Use> acquire(Work work, const QString &folder, const IsCancelled &cancelled = {},
                        QDeadlineTimer deadline = QDeadlineTimer::Forever);
    /// Gives an exclusive or pipelined use back (no-op for the main connection).
    void release(const Use &use);
    /// The same, by what release() needs; for continuations that must not
    /// keep the connection alive (they may run in its own I/O thread).
    void release(int id, bool exclusive, bool shared);

    /// B07: while the watch stands, the pool looks at `cancelled` every tick
    /// (100 ms); once it is true, the exclusive connection `use` is closed, so
    /// that whatever it has on the wire stops at once, and is replaced on next
    /// need. Shared connections are never closed for one operation. Returns a
    /// token for unwatch().
    int watch(const Use &use, IsCancelled cancelled);
    void unwatch(int token);

    /// B10: a connection of its own for IMAP IDLE on one folder, opened now,
    /// only while it leaves the main connection and at least one extra place
    /// (a limit of 3 or more); nullopt otherwise, and the caller polls
    /// instead. It counts in the limit; release() closes it.
    std::optional<Result<Use>> openPush(const IsCancelled &cancelled = {});

    /// S11: a connection of `thread`'s own, waiting until the quota allows one.
    Result<Use> createBound(QThread *thread, const IsCancelled &cancelled = {},
                            QDeadlineTimer deadline = QDeadlineTimer::Forever);
    /// Logs out and closes `thread`'s connection, freeing its quota.
    void releaseBound(QThread *thread);
    /// `thread`'s own connection, if it has one.
    std::optional<Use> bound(QThread *thread) const;

    /// S14: wakes every waiter (they fail with ErrorCode::Cancelled), logs out of
    /// every connection and closes it. Idempotent.
    void dispose();
    bool isDisposed() const;

    /// Everything but tasksRunning, which the client counts.
    PoolSnapshot snapshot() const;
    /// Called on any thread, possibly with the pool's lock held, whenever the
    /// snapshot may have changed: keep it cheap and never call back into the pool.
    void setChangeListener(std::function<void()> listener);
    /// Tells the listener; for connections whose activity changed.
    void notifyChanged();

private:
    struct Slot {
        int id = 0;
        PoolConnectionInfo::Role role = PoolConnectionInfo::Role::Extra;
        std::shared_ptr<PooledConnection> connection;
        bool opening = true;
        bool busy = false; // exclusive to one task or lease
        int users = 0;     // pipelined operations sharing it (Work::Pipelined)
        QThread *thread = nullptr;
        std::chrono::steady_clock::time_point lastUsed;
        std::chrono::steady_clock::time_point openedAt;
        std::shared_ptr<BudgetTicket> ticket; // B09: its place in the shared budget, given back with the slot
    };
    using Lock = std::unique_lock<std::mutex>;

    /// Opens a connection in a place reserved under the lock. nullopt: the
    /// server refused it for too many connections, the limit was lowered (B05),
    /// and the caller should wait for a place instead.
    std::optional<Result<Use>> open(Lock &lock, PoolConnectionInfo::Role role, QThread *thread, bool shared,
                                    const IsCancelled &isCancelled);
    std::optional<Result<Use>> takeExtra(Lock &lock, Work work, const QString &folder, const IsCancelled &isCancelled);
    void closeCancelled();
    int effectiveLimit() const;
    bool promoteIdleExtraToMain(Lock &lock);
    Result<Use> waitFor(Lock &lock, const std::function<std::optional<Result<Use>>()> &attempt,
                        const IsCancelled &cancelled, QDeadlineTimer deadline);
    void dropDead(Lock &lock);
    void changed(); ///< wakes waiters and tells the listener
    void closeLater(std::vector<std::shared_ptr<PooledConnection>> &&connections);
    void buryClosed(Lock &lock); ///< reaper thread: destroys closed connections
    void reaperLoop();
    int countLocked() const;
    Slot *slotById(int id);
    Slot *mainSlot(); ///< the main connection's slot, nullptr while there is none

    Factory m_factory;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<Slot> m_slots;
    int m_limit;
    int m_serverLimit = 0; // B05: lowered after a refusal; 0 = the server has said nothing
    int m_waiting = 0;
    int m_nextId = 1;
    struct Watch {
        int token = 0;
        int connectionId = 0;
        IsCancelled cancelled;
    };
    std::vector<Watch> m_watches;
    int m_nextWatch = 1;
    bool m_disposed = false;
    std::chrono::milliseconds m_idleTime{60'000};
    std::thread m_reaper;
    std::vector<std::shared_ptr<PooledConnection>> m_graveyard; // closed, to be destroyed by the reaper
    static constexpr int kMaxLonelyRefusals = 5;
    int m_lonelyRefusals = 0;
    std::shared_ptr<AccountBudget> m_budget; // B05: refusals in a row while none of ours was open
    /// The change listener, shared with the connections so they can report
    /// activity; set() waits for a running call, so after set({}) nobody is told.
    struct Notifier {
        std::mutex mutex; // its own: the listener is called under m_mutex too
        std::function<void()> listener;
        void set(std::function<void()> f)
        {
            std::lock_guard lock(mutex);
            listener = std::move(f);
        }
        void notify()
        {
            std::lock_guard lock(mutex);
            if (listener)
                listener();
        }
    };
    std::shared_ptr<Notifier> m_notifier = std::make_shared<Notifier>();
};

} // namespace mailcore::pool
