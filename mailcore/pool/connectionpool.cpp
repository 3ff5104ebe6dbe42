#include "mailcore/pool/connectionpool.h"

#include <QDateTime>
#include <QScopeGuard>

#include <algorithm>

#include "mailcore/logging.h"

namespace mailcore::pool {

using Role = PoolConnectionInfo::Role;
using Clock = std::chrono::steady_clock;

namespace {

// How often a waiter looks at its cancellation flag: cancellation is a plain
// callback (a QPromise's isCanceled()), it cannot notify the condition variable.
constexpr std::chrono::milliseconds kCancelPoll{20};

Error cancelled()
{
    return Error(ErrorCode::Cancelled, QStringLiteral("the client was disposed"));
}

} // namespace

ConnectionPool::ConnectionPool(Factory factory, int limit)
    : m_factory(std::move(factory))
    , m_limit(std::max(1, limit))
{
    m_reaper = std::thread([this] { reaperLoop(); });
}

ConnectionPool::~ConnectionPool()
{
    dispose();
    if (m_reaper.joinable())
        m_reaper.join();
}

int ConnectionPool::limit() const
{
    std::lock_guard lock(m_mutex);
    return m_limit;
}

Error ConnectionPool::setLimit(int limit)
{
    if (limit < 1)
        return Error(ErrorCode::BadArgument,
                     QStringLiteral("maxConnectionsPerServer must be at least 1 (got %1); it stays as it was").arg(limit));
    {
        std::lock_guard lock(m_mutex);
        m_limit = limit;
    }
    changed(); // a higher limit may let a waiter in
    return {};
}

void ConnectionPool::setIdleTime(std::chrono::milliseconds idleTime)
{
    {
        std::lock_guard lock(m_mutex);
        m_idleTime = idleTime;
    }
    changed();
}

int ConnectionPool::countLocked() const
{
    return int(m_slots.size());
}

ConnectionPool::Slot *ConnectionPool::slotById(int id)
{
    auto it = std::find_if(m_slots.begin(), m_slots.end(), [id](const Slot &s) { return s.id == id; });
    return it == m_slots.end() ? nullptr : &*it;
}

void ConnectionPool::dropDead(Lock &)
{
    // A connection that closed (dropped by the server, timed out) frees its
    // place; whoever needs one next opens a fresh one (B06).
    std::erase_if(m_slots, [](const Slot &s) {
        return !s.opening && !s.busy && s.role != Role::ThreadBound && !s.connection->isUsable();
    });
}

int ConnectionPool::effectiveLimit() const
{
    return m_serverLimit > 0 ? std::min(m_limit, m_serverLimit) : m_limit;
}

std::optional<Result<ConnectionPool::Use>> ConnectionPool::open(Lock &lock, Role role, QThread *thread)
{
    // Reserve the place first, so the quota counts it while it opens.
    Slot slot;
    slot.id = m_nextId++;
    slot.role = role;
    slot.thread = thread;
    slot.busy = role != Role::Main;
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
    try {
        connection->open().waitForFinished();
    } catch (const MailException &e) {
        error = e.error();
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
            m_serverLimit = int(std::count_if(m_slots.cbegin(), m_slots.cend(), [](const Slot &s) { return !s.opening; }));
            m_serverLimit = std::max(1, m_serverLimit);
            qCInfo(log::pool) << "the server refused another connection; limit lowered to" << m_serverLimit
                              << "(" << error.message() << ")";
            return std::nullopt;
        }
        qCInfo(log::pool) << "could not open a connection:" << error.toString();
        return Result<Use>(error);
    }
    opened->opening = false;
    changed();
    return Result<Use>(Use{connection, id, role != Role::Main});
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
    auto idle = std::find_if(m_slots.begin(), m_slots.end(),
                             [](const Slot &s) { return s.role == Role::Extra && !s.busy && !s.opening; });
    if (idle == m_slots.end())
        return false;
    idle->role = Role::Main;
    return true;
}

Result<ConnectionPool::Use> ConnectionPool::main(const IsCancelled &isCancelled, QDeadlineTimer deadline)
{
    Lock lock(m_mutex);
    return waitFor(lock, [&]() -> std::optional<Result<Use>> {
        auto it = std::find_if(m_slots.begin(), m_slots.end(), [](const Slot &s) { return s.role == Role::Main; });
        if (it != m_slots.end()) {
            if (it->opening)
                return std::nullopt; // another caller is opening it: wait for that
            it->lastUsed = Clock::now();
            return Result<Use>(Use{it->connection, it->id, false});
        }
        if (countLocked() >= effectiveLimit()) {
            if (promoteIdleExtraToMain(lock))
                return std::nullopt; // found as the main one on the next attempt
            return std::nullopt; // every place is taken by busy extras or leases
        }
        return open(lock, Role::Main, nullptr);
    }, isCancelled, deadline);
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
    return waitFor(lock, [&]() -> std::optional<Result<Use>> {
        // S04: the main connection is the first one created; the first task
        // opens it and runs on it (shared), later long tasks get extras.
        const auto main = std::find_if(m_slots.begin(), m_slots.end(), [](const Slot &s) { return s.role == Role::Main; });
        if (main == m_slots.end()) {
            if (countLocked() < effectiveLimit())
                return open(lock, Role::Main, nullptr);
            promoteIdleExtraToMain(lock); // then wait: the next attempt finds it
            return std::nullopt;
        }
        // A limit lowered to 1 while this task waited (B05): there will never be
        // an extra, so the task shares the main connection like under S06.
        if (effectiveLimit() <= 1 && !main->opening) {
            main->lastUsed = Clock::now();
            return Result<Use>(Use{main->connection, main->id, false});
        }
        // B01: a free extra that already has the folder selected, then any free extra.
        Slot *best = nullptr;
        for (Slot &s : m_slots) {
            if (s.role != Role::Extra || s.opening || s.busy)
                continue;
            if (!best || (!folder.isEmpty() && s.connection->selectedFolder() == folder))
                best = &s;
        }
        if (best) {
            best->busy = true;
            best->lastUsed = Clock::now();
            return Result<Use>(Use{best->connection, best->id, true});
        }
        if (countLocked() < effectiveLimit())
            return open(lock, Role::Extra, nullptr);
        return std::nullopt;
    }, isCancelled, deadline);
}

void ConnectionPool::release(const Use &use)
{
    if (!use.exclusive)
        return;
    std::vector<std::shared_ptr<PooledConnection>> surplus;
    {
        std::lock_guard lock(m_mutex);
        if (Slot *slot = slotById(use.id)) {
            slot->busy = false;
            slot->lastUsed = Clock::now();
            // Over a limit the server lowered (B05), or the user lowered: an
            // extra that comes back is closed instead of kept.
            if (slot->role == Role::Extra && countLocked() > effectiveLimit()) {
                surplus.push_back(slot->connection);
                std::erase_if(m_slots, [&](const Slot &s) { return s.id == use.id; });
            }
        }
    }
    closeLater(std::move(surplus));
    changed();
}

Result<ConnectionPool::Use> ConnectionPool::createBound(QThread *thread, const IsCancelled &isCancelled,
                                                        QDeadlineTimer deadline)
{
    Lock lock(m_mutex);
    return waitFor(lock, [&]() -> std::optional<Result<Use>> {
        const bool hasMain = std::any_of(m_slots.begin(), m_slots.end(), [](const Slot &s) { return s.role == Role::Main; });
        if (countLocked() + (hasMain ? 0 : 1) < effectiveLimit())
            return open(lock, Role::ThreadBound, thread);
        // An idle extra gives its place up to the thread that asks.
        auto idle = std::find_if(m_slots.begin(), m_slots.end(),
                                 [](const Slot &s) { return s.role == Role::Extra && !s.busy && !s.opening; });
        if (idle != m_slots.end()) {
            std::vector<std::shared_ptr<PooledConnection>> retired{idle->connection};
            m_slots.erase(idle);
            lock.unlock();
            closeLater(std::move(retired));
            lock.lock();
            return open(lock, Role::ThreadBound, thread);
        }
        return std::nullopt;
    }, isCancelled, deadline);
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
    // Called without the lock held. Whoever still holds one of them (a task in
    // the middle of its work) sees its commands fail with "cancelled"; the last
    // holder's release destroys it.
    for (const auto &connection : connections)
        connection->close();
    connections.clear();
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
    while (!m_disposed) {
        m_changed.wait_for(lock, std::chrono::milliseconds(100));
        const auto now = Clock::now();
        std::vector<std::shared_ptr<PooledConnection>> retired;
        std::erase_if(m_slots, [&](const Slot &s) {
            const bool expired = s.role == Role::Extra && !s.busy && !s.opening && now - s.lastUsed >= m_idleTime;
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
        else if (s.busy || s.role == Role::ThreadBound || info.activity.queueDepth > 0)
            info.state = State::Busy;
        else
            info.state = State::Idle;
        if (s.busy || s.role == Role::ThreadBound || (s.role == Role::Main && info.state == State::Busy))
            ++snapshot.inUse;
        snapshot.connections << info;
    }
    return snapshot;
}

void ConnectionPool::setChangeListener(std::function<void()> listener)
{
    m_notifier->set(std::move(listener));
}

void ConnectionPool::changed()
{
    m_changed.notify_all();
    notifyChanged();
}

void ConnectionPool::notifyChanged()
{
    m_notifier->notify();
}

} // namespace mailcore::pool
