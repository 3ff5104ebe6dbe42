#include "mailcore/imapclient/folderwatch.h"

#include <QThreadPool>

#include "mailcore/base/logging.h"

namespace mailcore::detail {

namespace {
constexpr std::chrono::milliseconds kReconnectPause{2000}; // after a push connection dropped (B06)
}

FolderWatch::FolderWatch(QObject *context, QString folder, std::shared_ptr<pool::ConnectionPool> pool, QThreadPool &tasks,
                         OpenIdle openIdle, Status status, std::chrono::milliseconds pollInterval,
                         std::function<void()> changed)
    : m_context(context)
    , m_folder(std::move(folder))
    , m_pool(std::move(pool))
    , m_tasks(tasks)
    , m_openIdle(std::move(openIdle))
    , m_status(std::move(status))
    , m_changed(std::move(changed))
{
    m_pollTimer.setInterval(pollInterval);
    connect(&m_pollTimer, &QTimer::timeout, this, &FolderWatch::poll);
    tryPush();
}

FolderWatch::~FolderWatch()
{
    *m_alive = false;
    if (m_push)
        m_pool->release(*m_push); // closes it: a push connection serves one folder only
}

FolderWatch::Post FolderWatch::poster() const
{
    // For a task or I/O thread: runs `work` in the client's thread if this
    // watch still exists then. It captures no `this`: `alive` is read and
    // cleared only in the client's thread, and the client outlives its
    // watches (Qt drops calls posted to a deleted object).
    return [context = m_context, alive = m_alive](std::function<void()> work) {
        QMetaObject::invokeMethod(context, [alive, work = std::move(work)] {
            if (*alive)
                work();
        }, Qt::QueuedConnection);
    };
}

void FolderWatch::tryPush()
{
    // Opening logs in: not on the client's (maybe GUI) thread.
    std::shared_ptr<pool::ConnectionPool> pool = m_pool;
    m_tasks.start([this, context = m_context, pool, alive = m_alive] {
        std::optional<Result<pool::ConnectionPool::Use>> use = pool->openPush();
        QMetaObject::invokeMethod(context, [this, pool, use, alive] {
            if (!*alive) { // stopped meanwhile: `this` is gone
                if (use && *use)
                    pool->release(use->value());
                return;
            }
            if (use && *use)
                pushStarted(use->value());
            else
                startPolling();
        }, Qt::QueuedConnection);
    });
}

void FolderWatch::pushStarted(pool::ConnectionPool::Use use)
{
    m_push = use;
    m_pollTimer.stop();
    // Both callbacks come from the connection's I/O thread, maybe after this watch is gone.
    const Post post = poster();
    m_openIdle(*use.connection, m_folder, [post, this] { post([this] { m_changed(); }); },
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
    m_status(m_folder).then(this, [this](QFuture<FolderStatus> done) {
        try {
            const FolderStatus status = done.result();
            if (m_lastStatus && !(*m_lastStatus == status))
                m_changed();
            m_lastStatus = status;
        } catch (const MailException &e) {
            qCInfo(log::pool) << "polling" << m_folder << "failed:" << e.error().toString();
        }
    });
}

} // namespace mailcore::detail
