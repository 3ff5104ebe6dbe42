// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// B10's folder watch on its own (no server): its IDLE loop is a fake that keeps
// the two callbacks, and the test calls them from another thread, as a push
// connection's I/O thread does.
//
// A loop calls back when its connection closes, and that can be after the
// watch and the client are both gone (the pool's last reference may go with a
// call still queued to the client, while the client's QObject is destroyed:
// its connections close then). A call posted to the client after that is
// delivered to freed memory: the UI tests crashed so, about 1 run in 30. So
// once the watch is gone, its callbacks must post nothing to the client.

#include <QTest>
#include <QThreadPool>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <thread>

#include "mailcore/base/error.h"
#include "mailcore/imapclient/folderwatch.h"
#include "mailcore/pool/connectionpool.h"
#include "pool/idleconnection.h"
#include "support/queuedcallcounter.h"

using namespace mailcore;
using tandem::test::IdleConnection;
using tandem::test::QueuedCallCounter;

namespace {

/// Runs `f` on a thread of its own and waits for it: an I/O thread calling back.
void onOtherThread(const std::function<void()> &f) { std::thread(f).join(); }

} // namespace

class TestFolderWatch : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void b10_callbacksAfterTheWatchIsGonePostNothingToTheClient();
};

void TestFolderWatch::b10_callbacksAfterTheWatchIsGonePostNothingToTheClient()
{
    QObject client; // the watch's context, as the ImapClient is
    auto pool = std::make_shared<pool::ConnectionPool>([] { return std::make_shared<IdleConnection>(); }, 4);
    QThreadPool tasks;
    std::function<void()> loopChanged;
    std::function<void(const Error &)> loopEnded;
    const auto openIdle = [&](pool::PooledConnection &, const QString &, std::function<void()> changed,
                              std::function<void(const Error &)> ended) {
        loopChanged = std::move(changed);
        loopEnded = std::move(ended);
    };
    const auto status = [](const QString &) { return QtFuture::makeReadyFuture(FolderStatus{}); };
    int changes = 0;
    auto watch = std::make_unique<detail::FolderWatch>(&client, QStringLiteral("INBOX"), pool, tasks, openIdle, status,
                                                       std::chrono::minutes(1), [&] { ++changes; });
    // The push connection opens on a task thread and is handed over in this thread.
    QTRY_VERIFY(loopEnded);
    QVERIFY(watch->isPushing());

    // While the watch lives, a change the loop sees reaches it in the client's thread.
    QueuedCallCounter counter;
    client.installEventFilter(&counter);
    onOtherThread([&] { loopChanged(); });
    QCoreApplication::sendPostedEvents(&client);
    QCOMPARE(counter.count, 1);
    QCOMPARE(changes, 1);

    // Gone: its connection is closed, and the loop ends (and may see a change) later.
    watch.reset();
    counter.count = 0;
    onOtherThread([&] {
        loopChanged();
        loopEnded(Error(ErrorCode::Cancelled, QStringLiteral("the connection was closed")));
    });
    QCoreApplication::sendPostedEvents(&client);
    QCOMPARE(counter.count, 0); // before the fix: 2 calls posted, to a client that might be gone
    QCOMPARE(changes, 1);
    tasks.waitForDone();
}

QTEST_GUILESS_MAIN(TestFolderWatch)
#include "tst_folder_watch.moc"
