// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/pop3client/bulkfetch.h"

#include <algorithm>
#include <mutex>
#include <optional>

#include "mailcore/pop3client/pooledsession.h"

namespace mailcore::detail {

QFuture<QByteArray> fetchMessageOf(client::Connection &c, const QByteArray &uid) { return pop3Of(c).retrieve(uid); }

namespace {

// Requests on their way per session: the session's own window (8 on the wire)
// and as many handed over behind it, so the wire never waits for a hand-over.
constexpr int kPerSession = pool::kPipelinedPerConnection;

/// One bulk fetch. Its requests go out as the engine's pipelined operations:
/// kPerSession to the main session (short work) and kPerSession per extra
/// place (pipelined work, which the pool spreads over new extras before it
/// shares one). A request that ends asks for the next while ids remain.
class BulkFetch : public std::enable_shared_from_this<BulkFetch>
{
public:
    BulkFetch(client::Engine &engine, QList<QByteArray> uids)
        : m_engine(engine)
        , m_uids(std::move(uids))
    {
        m_promise.start();
    }

    QFuture<Pop3FetchedMessage> future() { return m_promise.future(); }

    void start()
    {
        if (m_uids.isEmpty()) {
            m_promise.finish();
            return;
        }
        for (qsizetype i = 0; i < std::min<qsizetype>(kPerSession, m_uids.size()); ++i)
            request(pool::Work::Short);
    }

private:
    /// The id a request asks for, taken when it has its connection; kept for its retry (B06).
    using Taken = std::shared_ptr<std::optional<QByteArray>>;

    void request(pool::Work kind)
    {
        auto self = shared_from_this();
        Taken taken = std::make_shared<std::optional<QByteArray>>();
        m_engine
            .runPipelined<QByteArray>(kind, {},
                                      {client::Retry::OnceWhenLost, [self] { return self->m_promise.isCanceled(); }},
                                      [self, taken](client::Connection &c) { return self->ask(c, taken); })
            .then(QtFuture::Launch::Sync,
                  [self, kind, taken](QFuture<QByteArray> done) { self->arrived(kind, taken, std::move(done)); });
    }

    /// On a task thread, with the connection held: takes the next id, if any.
    QFuture<QByteArray> ask(client::Connection &c, const Taken &taken)
    {
        if (!*taken) {
            std::lock_guard lock(m_mutex);
            if (stopped() || m_next == m_uids.size())
                return QtFuture::makeReadyFuture(QByteArray()); // nothing left: the request ends empty
            *taken = m_uids.at(m_next++);
            ++m_inFlight;
        }
        return fetchMessageOf(c, **taken);
    }

    /// The extra sessions' requests, once the main session has answered (S04):
    /// it holds the maildrop by then, so an extra's login that waits for it
    /// is soon taken for a lock (pop3::SessionSettings::lockWait, B05).
    void startExtras(qsizetype left)
    {
        const int extras = std::max(0, m_engine.limit() - 1);
        for (qsizetype i = 0; i < std::min<qsizetype>(qsizetype(kPerSession) * extras, left); ++i)
            request(pool::Work::Pipelined);
    }

    /// Where the answer arrives (an I/O thread, or a task thread on failure).
    void arrived(pool::Work kind, const Taken &taken, QFuture<QByteArray> done)
    {
        Error error;
        QByteArray data;
        try {
            data = client::await(done);
        } catch (const MailException &e) {
            error = e.error();
        }
        bool askAgain = false;
        bool extrasNow = false;
        qsizetype left = 0;
        {
            std::lock_guard lock(m_mutex);
            if (*taken)
                --m_inFlight;
            // A request that failed before it took an id failed to get a
            // session at all (a refused login, the client disposed): the
            // bulk cannot go on either.
            if (error.isError() && !m_failed && !m_finished) {
                m_failed = true;
                if (!m_promise.isCanceled())
                    m_promise.setException(MailException(error));
            } else if (!error.isError() && *taken && !stopped()) {
                m_promise.addResult(Pop3FetchedMessage{**taken, std::move(data)});
            }
            askAgain = !stopped() && m_next < m_uids.size();
            extrasNow = askAgain && kind == pool::Work::Short && !std::exchange(m_extrasStarted, true);
            left = m_uids.size() - m_next;
            if (!m_finished && m_inFlight == 0 && (stopped() || m_next == m_uids.size())) {
                m_finished = true;
                m_promise.finish();
            }
        }
        if (askAgain)
            request(kind);
        if (extrasNow)
            startExtras(left);
    }

    bool stopped() const { return m_failed || m_promise.isCanceled(); }

    client::Engine &m_engine;
    const QList<QByteArray> m_uids;
    QPromise<Pop3FetchedMessage> m_promise;
    std::mutex m_mutex;
    qsizetype m_next = 0;  // the next id to hand out
    int m_inFlight = 0;    // ids handed out whose answer has not come
    bool m_failed = false; // the first failure ended it
    bool m_finished = false;
    bool m_extrasStarted = false;
};

} // namespace

QFuture<Pop3FetchedMessage> startBulkFetch(client::Engine &engine, const QList<QByteArray> &uids)
{
    auto bulk = std::make_shared<BulkFetch>(engine, uids);
    QFuture<Pop3FetchedMessage> future = bulk->future();
    bulk->start(); // from here on its requests keep it alive
    return future;
}

} // namespace mailcore::detail
