// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/pool/connectionpool.h"

#include <QDateTime>
#include <QScopeGuard>

#include <algorithm>
#include <thread>

#include "mailcore/base/logging.h"
#include "mailcore/net/sessionhost.h"

namespace mailcore::pool {

using Role = PoolConnectionInfo::Role;
using Clock = std::chrono::steady_clock;

namespace {

// How often a waiter looks at its cancellation flag: cancellation is a plain
// callback (a QPromise's isCanceled()), it cannot notify the condition variable.
constexpr std::chrono::milliseconds kCancelPoll{20};

Error cancelled() { return Error(ErrorCode::Cancelled, QStringLiteral("the client was disposed")); }

} // namespace

ConnectionPool::ConnectionPool(Factory factory, int limit)
    : m_factory(std::move(factory))
    , m_limit(std::max(1, limit))
{
    m_reaper = std::thread([this] { reaperLoop(); });
}

std::shared_ptr<ConnectionPool> ConnectionPool::create(Factory factory, int limit)
{
    return std::shared_ptr<ConnectionPool>(new ConnectionPool(std::move(factory), limit), [](ConnectionPool *pool) {
        if (!net::inSessionThread()) {
            delete pool;
            return;
        }
        std::thread([pool] { delete pool; }).detach();
    });
}

ConnectionPool::~ConnectionPool()
{
    dispose();
    if (m_reaper.joinable())
        m_reaper.join(); // it destroys what dispose() closed
}

int ConnectionPool::limit() const
{
    std::lock_guard lock(m_mutex);
    return m_limit;
}

Error ConnectionPool::setLimit(int limit)
{
    if (limit < 1)
        return Error(
            ErrorCode::BadArgument,
            QStringLiteral("maxConnectionsPerServer must be at least 1 (got %1); it stays as it was").arg(limit));
    {
        std::lock_guard lock(m_mutex);
        m_limit = limit;
    }
    changed(); // a higher limit may let a waiter in
    return {};
}

void ConnectionPool::setSharedBudget(std::shared_ptr<AccountBudget> budget)
{
    std::lock_guard lock(m_mutex);
    m_budget = std::move(budget);
}

void ConnectionPool::setIdleTime(std::chrono::milliseconds idleTime)
{
    {
        std::lock_guard lock(m_mutex);
        m_idleTime = idleTime;
    }
    changed();
}

int ConnectionPool::countLocked() const { return int(m_slots.size()); }

ConnectionPool::Slot *ConnectionPool::slotById(int id)
{
    auto it = std::find_if(m_slots.begin(), m_slots.end(), [id](const Slot &s) { return s.id == id; });
    return it == m_slots.end() ? nullptr : &*it;
}

namespace {
/// The main connection's slot in `slots` (const or not), or its end.
template <typename Slots>
auto findMain(Slots &slots)
{
    return std::find_if(slots.begin(), slots.end(), [](const auto &s) { return s.role == Role::Main; });
}
} // namespace

ConnectionPool::Slot *ConnectionPool::mainSlot()
{
    auto it = findMain(m_slots);
    return it == m_slots.end() ? nullptr : &*it;
}

void ConnectionPool::dropDead(Lock &)
{
    // A connection that closed (dropped by the server, timed out) frees its
    // place; whoever needs one next opens a fresh one (B06).
    std::erase_if(m_slots, [](const Slot &s) {
        return !s.opening && !s.busy && s.users == 0 && s.role != Role::ThreadBound && !s.connection->isUsable();
    });
}

int ConnectionPool::effectiveLimit() const { return m_serverLimit > 0 ? std::min(m_limit, m_serverLimit) : m_limit; }

namespace {
/// Tells a waiting thread that a connection's login ended.
struct OpenSignal {
    std::mutex mutex;
    std::condition_variable cv;
    bool done = false;
    void set()
    {
        std::lock_guard lock(mutex);
        done = true;
        cv.notify_all();
    }
    bool waitFor(std::chrono::milliseconds timeout)
    {
        std::unique_lock lock(mutex);
        return cv.wait_for(lock, timeout, [this] { return done; });
    }
};
} // namespace

std::optional<Result<ConnectionPool::Use>> ConnectionPool::open(Lock &lock, Role role, QThread *thread, bool shared,
                                                                const IsCancelled &isCancelled)
{
    // B09: a place in the account's shared budget first; none left means
    // waiting, like a place of our own limit.
    std::shared_ptr<BudgetTicket> ticket;
    if (m_budget) {
        if (!m_budget->tryTake())
            return std::nullopt;
        ticket = std::make_shared<BudgetTicket>(m_budget);
    }
    // Reserve the place first, so the quota counts it while it opens.
    Slot slot;
    slot.ticket = std::move(ticket);
    slot.id = m_nextId++;
    slot.role = role;
    slot.thread = thread;
    slot.busy = role != Role::Main && !shared;
    slot.users = shared ? 1 : 0;
    slot.connection = m_factory();
    slot.lastUsed = slot.openedAt = Clock::now();
    const int id = slot.id;
    std::shared_ptr<PooledConnection> connection = slot.connection;
    m_slots.push_back(std::move(slot));
    // The connection may outlive the pool (a task still holds it): it keeps
    // the notifier alive, which is silenced when the client goes.
    connection->setActivityListener([notifier = m_notifier] { notifier->notify(); });
    notifyChanged();

    lock.unlock();
    Error error;
    QFuture<void> login = connection->open();
    // B07: whoever asked may give up while the server is slow to answer. The
    // wait wakes when the login ends or every kCancelPoll to look at that.
    auto signal = std::make_shared<OpenSignal>();
    login.then(QtFuture::Launch::Sync, [signal](QFuture<void>) { signal->set(); }).onCanceled([signal] {
        signal->set();
    });
    while (!signal->waitFor(kCancelPoll)) {
        if (isCancelled && isCancelled()) {
            connection->close();
            error = Error(ErrorCode::Cancelled, QStringLiteral("cancelled while connecting"));
            break;
        }
    }
    if (!error.isError()) {
        try {
            login.waitForFinished();
        } catch (const MailException &e) {
            error = e.error();
        }
    }
    lock.lock();

    Slot *opened = slotById(id);
    if (!opened) // disposed meanwhile
        return cancelled();
    if (error.isError()) {
        std::erase_if(m_slots, [id](const Slot &s) { return s.id == id; });
        changed();
        if (error.code() == ErrorCode::Limit && !m_slots.empty()) {
            // B05: the server allows no more than we have now. Carry on with
            // those; the operation waits for one of them instead of failing.
            // Count only those logged in: others may still be on their way
            // and be refused just the same.
            m_serverLimit = int(
                std::count_if(m_slots.cbegin(), m_slots.cend(), [](const Slot &s) { return !s.opening; }));
            m_serverLimit = std::max(1, m_serverLimit);
            qCInfo(log::pool) << "the server refused another connection; limit lowered to" << m_serverLimit << "("
                              << error.message() << ")";
            return std::nullopt;
        }
        if (error.code() == ErrorCode::Limit && m_limit > 1 && m_lonelyRefusals < kMaxLonelyRefusals) {
            // Refused with none of ours open: the server is full with other
            // programs' connections (or counts ours that just closed). Wait
            // for a place a few times, longer each time, before giving up.
            // (With a limit of 1 the refusal is the answer: POP3's locked
            // maildrop, for one.)
            ++m_lonelyRefusals;
            m_serverLimit = 1;
            qCInfo(log::pool) << "the server refused our only connection; trying again (" << error.message() << ")";
            lock.unlock();
            std::this_thread::sleep_for(kCancelPoll * 5 * m_lonelyRefusals);
            lock.lock();
            return std::nullopt;
        }
        qCInfo(log::pool) << "could not open a connection:" << error.toString();
        return Result<Use>(error);
    }
    opened->opening = false;
    m_lonelyRefusals = 0;
    changed();
    return Result<Use>(Use{connection, id, role != Role::Main && !shared, shared});
}

Result<ConnectionPool::Use> ConnectionPool::waitFor(Lock &lock,
                                                    const std::function<std::optional<Result<Use>>()> &attempt,
                                                    const IsCancelled &isCancelled, QDeadlineTimer deadline)
{
    bool counted = false;
    auto uncount = qScopeGuard([&] {
        if (counted)
            --m_waiting;
    });
    for (;;) {
        if (m_disposed)
            return cancelled();
        dropDead(lock);
        if (auto result = attempt()) {
            notifyChanged();
            return *result;
        }
        if (isCancelled && isCancelled())
            return Error(ErrorCode::Cancelled, QStringLiteral("cancelled while waiting for a connection"));
        if (deadline.hasExpired())
            return Error(ErrorCode::Timeout, QStringLiteral("no connection became free in time"));
        if (!counted) {
            counted = true;
            ++m_waiting;
            notifyChanged();
        }
        m_changed.wait_for(lock, kCancelPoll);
    }
}

bool ConnectionPool::promoteIdleExtraToMain(Lock &)
{
    // The main connection can be missing while extras exist: its login was the
    // one the server refused (B05), or it died. A free extra takes its role.
    auto idle = std::find_if(m_slots.begin(), m_slots.end(), [](const Slot &s) {
        return s.role == Role::Extra && !s.busy && s.users == 0 && !s.opening;
    });
    if (idle == m_slots.end())
        return false;
    idle->role = Role::Main;
    return true;
}

bool ConnectionPool::hasMain() const
{
    std::lock_guard lock(m_mutex);
    return findMain(m_slots) != m_slots.end();
}

Result<ConnectionPool::Use> ConnectionPool::main(const IsCancelled &isCancelled, QDeadlineTimer deadline)
{
    Lock lock(m_mutex);
    return waitFor(
        lock,
        [&]() -> std::optional<Result<Use>> {
            if (Slot *main = mainSlot()) {
                if (main->opening)
                    return std::nullopt; // another caller is opening it: wait for that
                main->lastUsed = Clock::now();
                return Result<Use>(Use{main->connection, main->id, false});
            }
            if (countLocked() >= effectiveLimit()) {
                if (promoteIdleExtraToMain(lock))
                    return std::nullopt; // found as the main one on the next attempt
                return std::nullopt;     // every place is taken by busy extras or leases
            }
            return open(lock, Role::Main, nullptr, false, isCancelled);
        },
        isCancelled, deadline);
}

Result<ConnectionPool::Use> ConnectionPool::acquire(Work work, const QString &folder, const IsCancelled &isCancelled,
                                                    QDeadlineTimer deadline)
{
    {
        Lock lock(m_mutex);
        if (effectiveLimit() == 1 || work == Work::Short) {
            lock.unlock();
            return main(isCancelled, deadline);
        }
    }
    Lock lock(m_mutex);
    return waitFor(
        lock,
        [&]() -> std::optional<Result<Use>> {
            // S04: the main connection is the first one created; the first task
            // opens it and runs on it (shared), later long tasks get extras.
            // Bulk work leaves it, and its place, to interactive work.
            // A limit lowered to 1 while this task waited (B05): there will never
            // be an extra, so the task shares the main connection like under S06.
            const bool onlyMain = effectiveLimit() <= 1;
            Slot *main = mainSlot();
            if (!main && (work != Work::Bulk || onlyMain)) {
                if (countLocked() < effectiveLimit())
                    return open(lock, Role::Main, nullptr, false, isCancelled);
                promoteIdleExtraToMain(lock); // then wait: the next attempt finds it
                return std::nullopt;
            }
            if (onlyMain) {
                if (main->opening)
                    return std::nullopt;
                main->lastUsed = Clock::now();
                return Result<Use>(Use{main->connection, main->id, false});
            }
            return takeExtra(lock, work, folder, isCancelled);
        },
        isCancelled, deadline);
}

std::optional<Result<ConnectionPool::Use>> ConnectionPool::takeExtra(Lock &lock, Work work, const QString &folder,
                                                                     const IsCancelled &isCancelled)
{
    // B01: among the extras this work may use, one that already has the
    // folder selected wins; then the least shared one.
    const bool exclusive = work != Work::Pipelined;
    const auto usable = [&](const Slot &s) {
        // A connection that just died still has users whose failures are being
        // reported: never hand it out again (they retry elsewhere, B06).
        if (s.role != Role::Extra || s.opening || s.busy || !s.connection->isUsable())
            return false;
        return exclusive ? s.users == 0 : s.users < kPipelinedPerConnection;
    };
    const auto better = [&](const Slot &a, const Slot &b) {
        const bool aHas = !folder.isEmpty() && a.connection->selectedFolder() == folder;
        const bool bHas = !folder.isEmpty() && b.connection->selectedFolder() == folder;
        if (a.users != b.users && (a.users == 0 || b.users == 0))
            return a.users < b.users; // an unshared connection first
        if (aHas != bHas)
            return aHas;
        return a.users < b.users;
    };
    Slot *best = nullptr;
    for (Slot &s : m_slots) {
        if (usable(s) && (!best || better(s, *best)))
            best = &s;
    }
    // Pipelined work spreads over new connections before it piles onto a shared one.
    // Bulk work keeps the place of a main connection not opened yet.
    const int reserved = work == Work::Bulk && !mainSlot() ? 1 : 0;
    const bool roomForMore = countLocked() + reserved < effectiveLimit();
    if (best && (exclusive || best->users == 0 || !roomForMore)) {
        best->lastUsed = Clock::now();
        if (exclusive) {
            best->busy = true;
            return Result<Use>(Use{best->connection, best->id, true, false});
        }
        ++best->users;
        return Result<Use>(Use{best->connection, best->id, false, true});
    }
    if (roomForMore)
        return open(lock, Role::Extra, nullptr, work == Work::Pipelined, isCancelled);
    return std::nullopt;
}

void ConnectionPool::release(const Use &use) { release(use.id, use.exclusive, use.shared); }

void ConnectionPool::release(int id, bool exclusive, bool shared)
{
    if (!exclusive && !shared)
        return;
    std::vector<std::shared_ptr<PooledConnection>> surplus;
    {
        std::lock_guard lock(m_mutex);
        if (Slot *slot = slotById(id)) {
            if (exclusive)
                slot->busy = false;
            else
                slot->users = std::max(0, slot->users - 1);
            slot->lastUsed = Clock::now();
            // Over a limit the server lowered (B05), or the user lowered: an
            // extra that comes back is closed instead of kept.
            const bool push = slot->role == Role::Push; // watched one folder: of no use to anyone else
            if (push
                || (slot->role == Role::Extra && !slot->busy && slot->users == 0 && countLocked() > effectiveLimit())) {
                surplus.push_back(slot->connection);
                std::erase_if(m_slots, [&](const Slot &s) { return s.id == id; });
            }
        }
    }
    closeLater(std::move(surplus));
    changed();
}

int ConnectionPool::watch(const Use &use, IsCancelled cancelled)
{
    std::lock_guard lock(m_mutex);
    const int token = m_nextWatch++;
    if (use.exclusive && cancelled)
        m_watches.push_back(Watch{token, use.id, std::move(cancelled)});
    return token;
}

void ConnectionPool::unwatch(int token)
{
    std::lock_guard lock(m_mutex);
    std::erase_if(m_watches, [token](const Watch &w) { return w.token == token; });
}

void ConnectionPool::closeCancelled()
{
    std::vector<std::shared_ptr<PooledConnection>> doomed;
    {
        std::lock_guard lock(m_mutex);
        std::erase_if(m_watches, [&](const Watch &w) {
            if (!w.cancelled())
                return false;
            if (Slot *slot = slotById(w.connectionId)) {
                qCDebug(log::pool) << "operation cancelled on connection" << slot->id << ": closing it";
                doomed.push_back(slot->connection);
            }
            return true;
        });
    }
    // The task that holds it sees its commands fail as cancelled, gives it
    // back, and the dead connection is dropped (dropDead) and replaced on need.
    closeLater(std::move(doomed));
}

std::optional<Result<ConnectionPool::Use>> ConnectionPool::openPush(const IsCancelled &isCancelled)
{
    Lock lock(m_mutex);
    if (m_disposed)
        return Result<Use>(cancelled());
    dropDead(lock);
    const bool hasMain = mainSlot() != nullptr;
    // Places left after this one: the main connection's (taken or to come) and one for long work.
    if (effectiveLimit() < 3 || countLocked() + (hasMain ? 0 : 1) + 1 >= effectiveLimit())
        return std::nullopt;
    std::optional<Result<Use>> opened = open(lock, Role::Push, nullptr, false, isCancelled);
    if (!opened)
        return std::nullopt; // refused for the number of connections (B05): poll instead
    return opened;
}

Result<ConnectionPool::Use> ConnectionPool::createBound(QThread *thread, const IsCancelled &isCancelled,
                                                        QDeadlineTimer deadline)
{
    Lock lock(m_mutex);
    return waitFor(
        lock,
        [&]() -> std::optional<Result<Use>> {
            const bool hasMain = mainSlot() != nullptr;
            if (countLocked() + (hasMain ? 0 : 1) < effectiveLimit())
                return open(lock, Role::ThreadBound, thread, false, isCancelled);
            // An idle extra gives its place up to the thread that asks.
            auto idle = std::find_if(m_slots.begin(), m_slots.end(), [](const Slot &s) {
                return s.role == Role::Extra && !s.busy && s.users == 0 && !s.opening;
            });
            if (idle != m_slots.end()) {
                std::vector<std::shared_ptr<PooledConnection>> retired{idle->connection};
                m_slots.erase(idle);
                lock.unlock();
                closeLater(std::move(retired));
                lock.lock();
                return open(lock, Role::ThreadBound, thread, false, isCancelled);
            }
            return std::nullopt;
        },
        isCancelled, deadline);
}

void ConnectionPool::releaseBound(QThread *thread)
{
    std::vector<std::shared_ptr<PooledConnection>> retired;
    {
        std::lock_guard lock(m_mutex);
        auto it = std::find_if(m_slots.begin(), m_slots.end(),
                               [thread](const Slot &s) { return s.role == Role::ThreadBound && s.thread == thread; });
        if (it == m_slots.end())
            return;
        retired.push_back(it->connection);
        m_slots.erase(it);
    }
    closeLater(std::move(retired)); // logs out before the quota is handed on
    changed();
}

std::optional<ConnectionPool::Use> ConnectionPool::bound(QThread *thread) const
{
    std::lock_guard lock(m_mutex);
    for (const Slot &s : m_slots) {
        if (s.role == Role::ThreadBound && s.thread == thread && !s.opening)
            return Use{s.connection, s.id, false};
    }
    return std::nullopt;
}

void ConnectionPool::closeLater(std::vector<std::shared_ptr<PooledConnection>> &&connections)
{
    // Called without the lock held, from any thread, including a connection's
    // own I/O thread (a continuation that gives a connection back). close()
    // is safe anywhere; destroying a connection joins its I/O thread, which
    // must not happen in that thread, so the reaper thread does it. Whoever
    // still holds one (a task in the middle of its work) sees its commands
    // fail with "cancelled"; the last reference goes with the graveyard.
    for (const auto &connection : connections)
        connection->close();
    {
        std::lock_guard lock(m_mutex);
        for (auto &connection : connections)
            m_graveyard.push_back(std::move(connection));
    }
    connections.clear();
    m_changed.notify_all();
}

void ConnectionPool::buryClosed(Lock &lock)
{
    std::vector<std::shared_ptr<PooledConnection>> dead;
    dead.swap(m_graveyard);
    if (dead.empty())
        return;
    lock.unlock();
    dead.clear(); // logs out and joins their threads: never under the lock
    lock.lock();
}

void ConnectionPool::dispose()
{
    std::vector<std::shared_ptr<PooledConnection>> all;
    {
        std::lock_guard lock(m_mutex);
        if (m_disposed)
            return;
        m_disposed = true;
        for (Slot &s : m_slots)
            all.push_back(s.connection);
        m_slots.clear();
    }
    changed();
    closeLater(std::move(all));
}

bool ConnectionPool::isDisposed() const
{
    std::lock_guard lock(m_mutex);
    return m_disposed;
}

void ConnectionPool::reaperLoop()
{
    Lock lock(m_mutex);
    auto lastRites = qScopeGuard([&] { buryClosed(lock); }); // what dispose() closed
    while (!m_disposed) {
        m_changed.wait_for(lock, std::chrono::milliseconds(100));
        buryClosed(lock);
        if (!m_watches.empty()) {
            lock.unlock();
            closeCancelled();
            lock.lock();
        }
        const auto now = Clock::now();
        std::vector<std::shared_ptr<PooledConnection>> retired;
        std::erase_if(m_slots, [&](const Slot &s) {
            // Kept idle for reuse (B04), unless another client of the shared
            // budget needs the place (B09).
            const bool starving = m_budget && m_budget->isStarved();
            const bool expired = s.role == Role::Extra && !s.busy && s.users == 0 && !s.opening
                && (starving || now - s.lastUsed >= m_idleTime);
            if (expired)
                retired.push_back(s.connection);
            return expired;
        });
        if (!retired.empty()) {
            qCDebug(log::pool) << "closing" << retired.size() << "idle extra connection(s)";
            lock.unlock();
            closeLater(std::move(retired));
            changed();
            lock.lock();
        }
    }
}

PoolSnapshot ConnectionPool::snapshot() const
{
    std::lock_guard lock(m_mutex);
    PoolSnapshot snapshot;
    snapshot.limit = m_limit;
    snapshot.loweredLimit = m_serverLimit;
    snapshot.sharedBudget = m_budget ? m_budget->limit() : 0;
    snapshot.connectionCount = int(m_slots.size());
    snapshot.tasksWaiting = m_waiting;
    const auto now = Clock::now();
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    snapshot.takenAtMs = nowMs;
    const auto msAgo = [&](Clock::time_point t) {
        return nowMs - std::chrono::duration_cast<std::chrono::milliseconds>(now - t).count();
    };
    for (const Slot &s : m_slots) {
        PoolConnectionInfo info;
        info.id = s.id;
        info.role = s.role;
        info.activity = s.connection->activity();
        info.openedAtMs = msAgo(s.openedAt);
        info.folder = s.connection->selectedFolder();
        info.lastActivityMs = std::max(msAgo(s.lastUsed), info.activity.lastActivityMs);
        // The connection knows best while it opens, idles or closes; the pool
        // knows whether it is handed to someone.
        using State = PoolConnectionInfo::State;
        if (s.opening)
            info.state = info.activity.state == State::Authenticating ? State::Authenticating : State::Connecting;
        else if (info.activity.state == State::Idling || info.activity.state == State::Closing
                 || info.activity.state == State::Closed)
            info.state = info.activity.state;
        else if (s.busy || s.users > 0 || s.role == Role::ThreadBound || info.activity.queueDepth > 0)
            info.state = State::Busy;
        else
            info.state = State::Idle;
        if (s.busy || s.users > 0 || s.role == Role::ThreadBound || (s.role == Role::Main && info.state == State::Busy))
            ++snapshot.inUse;
        snapshot.connections << info;
    }
    return snapshot;
}

void ConnectionPool::setChangeListener(std::function<void()> listener) { m_notifier->set(std::move(listener)); }

void ConnectionPool::changed()
{
    m_changed.notify_all();
    notifyChanged();
}

void ConnectionPool::notifyChanged() { m_notifier->notify(); }

} // namespace mailcore::pool
