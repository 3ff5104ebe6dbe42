// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/imapclient/folderwatch.h"

#include <QFutureWatcher>
#include <QThreadPool>

#include <mutex>

#include "mailcore/base/logging.h"
#include "mailcore/imap/requests.h"
#include "mailcore/imapclient/operations.h"

namespace mailcore::detail {

namespace {
constexpr std::chrono::milliseconds kReconnectPause{2000}; // after a push connection dropped (B06)

/// B10: keeps a push connection in IDLE on one folder. Owned by the
/// continuations pending on the connection, so it ends with them.
class IdleLoop : public std::enable_shared_from_this<IdleLoop>
{
public:
    IdleLoop(imap::ImapConnection &connection, std::function<void()> changed, std::function<void(const Error &)> ended)
        : m_connection(connection)
        , m_changed(std::move(changed))
        , m_ended(std::move(ended))
    {
    }
    /// Selects the folder, then IDLE again each time an IDLE ends well.
    void start(const QString &folder)
    {
        m_connection.execute(imapops::in(folder, imap::requests::noop()))
            .then(QtFuture::Launch::Sync,
                  [self = shared_from_this()](QFuture<imap::CommandResult> done) { self->next(done); });
    }

private:
    void next(QFuture<imap::CommandResult> done)
    {
        try {
            done.waitForFinished();
            if (done.resultCount() == 0)
                return m_ended(Error(ErrorCode::Cancelled, QStringLiteral("the connection was closed")));
        } catch (const MailException &e) {
            return m_ended(e.error());
        }
        if (!m_listening) {
            // Only now: the SELECT's own EXISTS and FLAGS are no news.
            m_listening = true;
            m_connection.setEventListener([changed = m_changed](const imap::Response &response) {
                // New or vanished messages, changed flags: the folder's list is out of date.
                if (response.get<imap::NumberData>() || response.get<imap::FetchData>()
                    || response.get<imap::VanishedData>())
                    changed();
            });
        }
        m_connection.idle().then(
            QtFuture::Launch::Sync,
            [self = shared_from_this()](QFuture<imap::CommandResult> idled) { self->next(idled); });
    }

    imap::ImapConnection &m_connection; // alive while its continuations run: they run in its I/O thread
    std::function<void()> m_changed;
    std::function<void(const Error &)> m_ended;
    bool m_listening = false; // I/O thread only
};

} // namespace

void idleOn(pool::PooledConnection &c, const QString &folder, std::function<void()> changed,
            std::function<void(const Error &)> ended)
{
    imap::ImapConnection &connection = imapops::connectionOf(c);
    if (!connection.capabilities().has("IDLE"))
        return ended(Error(ErrorCode::BadArgument, QStringLiteral("the server does not offer IDLE")));
    std::make_shared<IdleLoop>(connection, std::move(changed), std::move(ended))->start(folder);
}

/// Whether the watch still exists, shared with what it posts to the client.
/// Written only in the client's thread, under the mutex; other threads read it
/// under the mutex too (poster()).
struct FolderWatch::Alive {
    std::mutex mutex;
    bool value = true;
};

FolderWatch::FolderWatch(QObject *context, QString folder, std::shared_ptr<pool::ConnectionPool> pool,
                         QThreadPool &tasks, OpenIdle openIdle, Status status, std::chrono::milliseconds pollInterval,
                         std::function<void()> changed)
    : m_context(context)
    , m_folder(std::move(folder))
    , m_pool(std::move(pool))
    , m_tasks(tasks)
    , m_openIdle(std::move(openIdle))
    , m_status(std::move(status))
    , m_changed(std::move(changed))
    , m_alive(std::make_shared<Alive>())
{
    m_pollTimer.setInterval(pollInterval);
    connect(&m_pollTimer, &QTimer::timeout, this, &FolderWatch::poll);
    tryPush();
}

FolderWatch::~FolderWatch()
{
    {
        const std::lock_guard lock(m_alive->mutex);
        m_alive->value = false; // from here on, nothing is posted for this watch (poster())
    }
    if (m_push)
        m_pool->release(*m_push); // closes it: a push connection serves one folder only
}

FolderWatch::Post FolderWatch::poster() const
{
    // For a task or I/O thread: runs `work` in the client's thread if this
    // watch still exists then. It captures no `this`. Nothing is posted once
    // the watch is gone: the check and the post are one step under the lock
    // the destructor takes. Qt drops the calls queued to an object when it is
    // deleted, but a call posted after that is delivered to freed memory, and
    // an IDLE loop calls back when its connection closes, which can be after
    // the client is gone: a call still queued to the client (tryPush()'s) can
    // hold the last reference to the pool, which then closes its connections
    // while the client's QObject is being destroyed, after its queued calls
    // were dropped (the UI tests crashed so in sendPostedEvents, rarely).
    return [context = m_context, alive = m_alive](std::function<void()> work) {
        const std::lock_guard lock(alive->mutex);
        if (!alive->value)
            return;
        QMetaObject::invokeMethod(
            context,
            [alive, work = std::move(work)] {
                if (alive->value) // in the client's thread, the only one that writes it
                    work();
            },
            Qt::QueuedConnection);
    };
}

void FolderWatch::tryPush()
{
    // Opening logs in: not on the client's (maybe GUI) thread.
    std::shared_ptr<pool::ConnectionPool> pool = m_pool;
    m_tasks.start([this, context = m_context, pool, alive = m_alive] {
        std::optional<Result<pool::ConnectionPool::Use>> use = pool->openPush();
        QMetaObject::invokeMethod(
            context,
            [this, pool, use, alive] {
                if (!alive->value) { // stopped meanwhile: `this` is gone
                    if (use && *use)
                        pool->release(use->value());
                    return;
                }
                if (use && *use)
                    pushStarted(use->value());
                else
                    startPolling();
            },
            Qt::QueuedConnection);
    });
}

void FolderWatch::pushStarted(pool::ConnectionPool::Use use)
{
    m_push = use;
    m_pollTimer.stop();
    // Both callbacks come from the connection's I/O thread, maybe after this watch is gone.
    const Post post = poster();
    m_openIdle(
        *use.connection, m_folder, [post, this] { post([this] { m_changed(); }); },
        [post, this](const Error &error) { post([this, error] { pushEnded(error); }); });
}

void FolderWatch::pushEnded(const Error &error)
{
    qCInfo(log::pool) << "IDLE on" << m_folder << "ended:" << error.toString();
    if (m_push) {
        m_pool->release(*m_push);
        m_push.reset();
    }
    if (error.code() == ErrorCode::Cancelled && m_pool->isDisposed())
        return;
    if (error.code() == ErrorCode::BadArgument) { // the server has no IDLE
        startPolling();
        return;
    }
    // Replace it after a pause; meanwhile nothing is missed for long: poll once at the end.
    QTimer::singleShot(kReconnectPause, this, [this] {
        poll();
        tryPush();
    });
}

void FolderWatch::startPolling()
{
    qCInfo(log::pool) << "watching" << m_folder << "by polling every" << m_pollTimer.interval() << "ms";
    if (!m_pollTimer.isActive())
        m_pollTimer.start();
    poll();
}

void FolderWatch::poll()
{
    // A watcher that is a child of this watch, not then(this, ...): Qt 6.4's
    // continuation asserts its context is alive when the future ends, and the
    // watch may be stopped while a poll is on the wire. The child goes with it.
    auto *watcher = new QFutureWatcher<FolderStatus>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        try {
            QFuture<FolderStatus> done = watcher->future();
            done.waitForFinished(); // throws what the poll failed with
            if (done.resultCount() == 0)
                return; // cancelled: the client is going away
            const FolderStatus status = done.result();
            if (m_lastStatus && !(*m_lastStatus == status))
                m_changed();
            m_lastStatus = status;
        } catch (const MailException &e) {
            qCInfo(log::pool) << "polling" << m_folder << "failed:" << e.error().toString();
        }
    });
    watcher->setFuture(m_status(m_folder));
}

} // namespace mailcore::detail
