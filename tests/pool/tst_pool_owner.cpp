// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The pool's last owner may let go in one of its connections' I/O threads: a
// continuation of a reply that held it (seen in CI when a POP3 client was
// disposed while a DELE's continuation ran). Destroyed there, the pool would
// wait for that very thread (its connections close by joining their threads):
// a hang, or an assert. So it is destroyed on another thread then.

#include <QTest>

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

#include "mailcore/net/sessionhost.h"
#include "mailcore/pool/connectionpool.h"
#include "pool/idleconnection.h"

using namespace mailcore;

namespace {

/// Where the pool's connection was destroyed.
struct Destroyed {
    std::mutex mutex;
    std::thread::id in;
    std::atomic<bool> done{false};
};

/// A connection that tells where it is destroyed.
class TellingConnection : public tandem::test::IdleConnection
{
public:
    explicit TellingConnection(std::shared_ptr<Destroyed> destroyed)
        : m_destroyed(std::move(destroyed))
    {
    }
    ~TellingConnection() override
    {
        {
            const std::lock_guard lock(m_destroyed->mutex);
            m_destroyed->in = std::this_thread::get_id();
        }
        m_destroyed->done = true;
    }

private:
    std::shared_ptr<Destroyed> m_destroyed;
};

} // namespace

class TestPoolOwner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theLastOwnerInAnIoThreadDoesNotDestroyThePoolThere();
    void elsewhereThePoolGoesAtOnce();
};

void TestPoolOwner::theLastOwnerInAnIoThreadDoesNotDestroyThePoolThere()
{
    auto destroyed = std::make_shared<Destroyed>();
    auto pool = pool::ConnectionPool::create([destroyed] { return std::make_shared<TellingConnection>(destroyed); }, 2);
    QVERIFY(pool->main()); // the main connection, kept by the pool
    std::thread::id ioThread;
    std::thread([&ioThread, pool = std::move(pool)]() mutable {
        net::markSessionThread(); // as a connection's I/O thread
        ioThread = std::this_thread::get_id();
        pool.reset(); // the last owner lets go here
    }).join();
    QTRY_VERIFY(destroyed->done.load());
    const std::lock_guard lock(destroyed->mutex);
    QVERIFY(destroyed->in != ioThread);
}

void TestPoolOwner::elsewhereThePoolGoesAtOnce()
{
    auto destroyed = std::make_shared<Destroyed>();
    auto pool = pool::ConnectionPool::create([destroyed] { return std::make_shared<TellingConnection>(destroyed); }, 2);
    QVERIFY(pool->main());
    pool.reset();
    QVERIFY(destroyed->done.load()); // before reset() returned: the destructor joined its reaper
}

QTEST_GUILESS_MAIN(TestPoolOwner)
#include "tst_pool_owner.moc"
