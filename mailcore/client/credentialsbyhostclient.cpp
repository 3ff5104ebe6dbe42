// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/client/credentialsbyhostclient.h"

#include <QDateTime>
#include <QThread>
#include <QTimer>

#include <mutex>
#include <optional>
#include <utility>

#include "mailcore/client/engine.h"

namespace mailcore {

struct CredentialsByHostClient::Private {
    std::unique_ptr<client::Engine> engine;
    QThread *ownerThread = nullptr;
    // Between the publisher's thread and the client's: the newest snapshot not
    // handed over yet, and whether the event that hands it over is queued. One
    // event at most: a thread that runs no event loop for a long time (a
    // program making only synchronous calls) must not collect them.
    std::mutex incomingMutex;
    std::optional<PoolSnapshot> incoming;
    bool handOverQueued = false;
    // Only in the client's thread:
    qint64 lastPoolChangedMs = 0;
    std::optional<PoolSnapshot> heldSnapshot; // came too soon; emitted when the interval is over
};

CredentialsByHostClient::CredentialsByHostClient(std::unique_ptr<client::Engine> engine, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->engine = std::move(engine);
    d->ownerThread = QThread::currentThread();
    d->engine->publishSnapshots([this](const PoolSnapshot &newest) {
        {
            std::lock_guard lock(d->incomingMutex);
            d->incoming = newest;
            if (std::exchange(d->handOverQueued, true))
                return; // the queued event will hand this newer one over
        }
        QMetaObject::invokeMethod(
            this,
            [this] {
                std::optional<PoolSnapshot> incoming;
                {
                    std::lock_guard lock(d->incomingMutex);
                    incoming = std::exchange(d->incoming, std::nullopt);
                    d->handOverQueued = false;
                }
                if (!incoming || d->engine->isDisposed())
                    return;
                const PoolSnapshot &snapshot = *incoming;
                // The publisher spaces its snapshots, but a hand-over that waited in
                // this thread's queue can come just before the next one: the interval
                // is kept here too, where the receivers see it. A snapshot that comes
                // too soon waits, and a newer one replaces it.
                const qint64 now = QDateTime::currentMSecsSinceEpoch();
                const qint64 wait = d->lastPoolChangedMs + d->engine->monitorInterval().count() - now;
                if (wait <= 0 && !d->heldSnapshot) {
                    d->lastPoolChangedMs = now;
                    Q_EMIT poolChanged(snapshot);
                    return;
                }
                const bool timerRunning = d->heldSnapshot.has_value();
                d->heldSnapshot = snapshot;
                if (timerRunning)
                    return;
                QTimer::singleShot(int(std::max<qint64>(wait, 0)), this, [this] {
                    if (!d->heldSnapshot || d->engine->isDisposed())
                        return;
                    const PoolSnapshot held = *std::exchange(d->heldSnapshot, std::nullopt);
                    d->lastPoolChangedMs = QDateTime::currentMSecsSinceEpoch();
                    Q_EMIT poolChanged(held);
                });
            },
            Qt::QueuedConnection);
    });
}

CredentialsByHostClient::~CredentialsByHostClient() { dispose(); }

client::Engine &CredentialsByHostClient::engine() const { return *d->engine; }

const Endpoint &CredentialsByHostClient::endpoint() const { return d->engine->endpoint(); }

QString CredentialsByHostClient::user() const { return d->engine->user(); }

int CredentialsByHostClient::maxConnectionsPerServer() const { return d->engine->limit(); }

Error CredentialsByHostClient::setMaxConnectionsPerServer(int limit) { return d->engine->setLimit(limit); }

void CredentialsByHostClient::setExtraConnectionIdleTime(std::chrono::milliseconds idleTime)
{
    d->engine->pool()->setIdleTime(idleTime);
}

void CredentialsByHostClient::setSharedBudget(std::shared_ptr<AccountBudget> budget)
{
    d->engine->pool()->setSharedBudget(std::move(budget));
}

void CredentialsByHostClient::setConnectionWaitTimeout(std::chrono::milliseconds timeout)
{
    d->engine->setWaitTimeout(timeout);
}

ConnectionLease CredentialsByHostClient::createConnection(QDeadlineTimer deadline)
{
    return d->engine->createConnection(d->ownerThread, deadline);
}

void CredentialsByHostClient::dispose() { d->engine->dispose(); }

PoolSnapshot CredentialsByHostClient::poolSnapshot() const { return d->engine->snapshot(); }

void CredentialsByHostClient::setMonitorInterval(std::chrono::milliseconds interval)
{
    d->engine->setMonitorInterval(interval);
}

} // namespace mailcore
