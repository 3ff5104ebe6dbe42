// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
//
// pooled-imap: one ImapClient used from several threads at once, in the three
// ways mailcore offers, each printing what it fetched and how many of the
// pool's connections did the work.
//
//   1. asynchronous calls: QFutures, run on the client's own task queue; long
//      work (a message's bytes) gets extra connections, up to the limit;
//   2. plain threads calling the synchronous API: they share the main
//      connection, whose queue takes their commands in turn;
//   3. threads that take a connection of their own with createConnection():
//      their synchronous calls then run there, never queued behind others.
//
//   TANDEM_EXAMPLE_PASSWORD=... pooled-imap <host> <port> <user> <folder> [ca.pem]
//
// The password comes from the environment, not the command line, where every
// user of the machine could read it. The connection is IMAPS (implicit TLS);
// ca.pem adds a certificate authority to trust (a test server's own).
#include <QCoreApplication>
#include <QFile>
#include <QFuture>
#include <QSet>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

#include <mailcore/imapclient/imapclient.h>

using namespace mailcore;

namespace {

constexpr int kThreads = 3;

/// Which of the pool's connections had work while a style ran: a watcher
/// thread reads the client's snapshot (any thread may) until stopped.
class ConnectionWatch
{
public:
    explicit ConnectionWatch(const ImapClient &client)
        : m_thread([this, &client] {
            while (!m_stop.load()) {
                const PoolSnapshot snapshot = client.poolSnapshot();
                std::lock_guard lock(m_mutex);
                for (const PoolConnectionInfo &connection : snapshot.connections) {
                    // The pool's view: handed to work (or, the main one, with commands queued).
                    if (connection.state == PoolConnectionInfo::State::Busy)
                        m_busy.insert(connection.id);
                }
                m_mostOpen = std::max(m_mostOpen, snapshot.connectionCount);
            }
        })
    {
    }
    ~ConnectionWatch() { stop(); }

    void stop()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
    }
    int busyConnections()
    {
        std::lock_guard lock(m_mutex);
        return int(m_busy.size());
    }
    int mostOpen()
    {
        std::lock_guard lock(m_mutex);
        return m_mostOpen;
    }

private:
    std::atomic<bool> m_stop{false};
    std::mutex m_mutex;
    QSet<int> m_busy;
    int m_mostOpen = 0;
    std::thread m_thread;
};

void report(const char *style, int messages, qint64 bytes, ConnectionWatch &watch)
{
    watch.stop();
    std::printf("%s: fetched %d messages (%lld bytes) over %d connection(s), %d open at most\n", style, messages,
                static_cast<long long>(bytes), watch.busyConnections(), watch.mostOpen());
}

/// The UIDs `i`, `i + n`, `i + 2n`... of `uids`: thread i's share of n.
QList<quint32> share(const QList<quint32> &uids, int i, int n)
{
    QList<quint32> mine;
    for (qsizetype k = i; k < uids.size(); k += n)
        mine << uids.at(k);
    return mine;
}

/// 1. Asynchronous calls: each returns a QFuture at once; the tasks run on
/// the client's task queue, over as many connections as the limit allows.
bool fetchAsynchronously(ImapClient &client, const QString &folder, const QList<quint32> &uids)
{
    ConnectionWatch watch(client);
    QList<QFuture<QByteArray>> fetches;
    for (quint32 uid : uids)
        fetches << client.fetchMessageAsync(folder, uid);
    qint64 bytes = 0;
    for (QFuture<QByteArray> &fetch : fetches) {
        try {
            bytes += fetch.result().size(); // an error arrives as MailException
        } catch (const MailException &e) {
            std::fprintf(stderr, "asynchronous fetch failed: %s\n", qPrintable(e.error().toString()));
            return false;
        }
    }
    report("1. asynchronous calls on the task queue", int(fetches.size()), bytes, watch);
    return true;
}

/// What the threads of one style fetched, counted from all of them at once.
struct Tally {
    std::atomic<int> messages{0};
    std::atomic<qint64> bytes{0};
    std::atomic<bool> failed{false};
};

/// Fetches `uids` one by one with the synchronous API, on the calling thread.
void fetchEach(ImapClient &client, const QString &folder, const QList<quint32> &uids, Tally &tally)
{
    for (quint32 uid : uids) {
        const Result<QByteArray> message = client.fetchMessage(folder, uid);
        if (!message) {
            std::fprintf(stderr, "fetch failed: %s\n", qPrintable(message.error().toString()));
            tally.failed = true;
            return;
        }
        ++tally.messages;
        tally.bytes += message.value().size();
    }
}

/// Runs `work(its share of uids)` on kThreads plain threads and reports the style.
template <typename Work>
bool onThreads(const char *style, ImapClient &client, const QList<quint32> &uids, Tally &tally, Work work)
{
    ConnectionWatch watch(client);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i)
        threads.emplace_back(work, share(uids, i, kThreads));
    for (std::thread &thread : threads)
        thread.join();
    report(style, tally.messages, tally.bytes, watch);
    return !tally.failed;
}

/// 2. Plain threads calling the synchronous API: they share the main
/// connection, whose command queue serves them in turn.
bool fetchFromSharingThreads(ImapClient &client, const QString &folder, const QList<quint32> &uids)
{
    Tally tally;
    return onThreads("2. threads sharing the main connection", client, uids, tally,
                     [&](const QList<quint32> &mine) { fetchEach(client, folder, mine, tally); });
}

/// 3. Threads with a connection of their own: createConnection() waits for a
/// place under the limit, and the thread's synchronous calls run there until
/// the lease is released (here: when it goes out of scope).
bool fetchOnOwnConnections(ImapClient &client, const QString &folder, const QList<quint32> &uids)
{
    Tally tally;
    return onThreads("3. threads with their own connection", client, uids, tally, [&](const QList<quint32> &mine) {
        const ConnectionLease lease = client.createConnection();
        if (!lease.isValid()) {
            std::fprintf(stderr, "createConnection failed: %s\n", qPrintable(lease.error().toString()));
            tally.failed = true;
            return;
        }
        fetchEach(client, folder, mine, tally);
    });
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const QByteArray password = qgetenv("TANDEM_EXAMPLE_PASSWORD");
    if (args.size() < 5 || password.isEmpty()) {
        std::fprintf(stderr, "usage: TANDEM_EXAMPLE_PASSWORD=... %s <host> <port> <user> <folder> [ca.pem]\n", argv[0]);
        return 2;
    }
    Endpoint endpoint;
    endpoint.host = args.at(1);
    endpoint.port = args.at(2).toUShort();
    endpoint.security = Security::ImplicitTls;
    if (args.size() > 5) {
        QFile ca(args.at(5));
        if (!ca.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "cannot read %s\n", qPrintable(args.at(5)));
            return 2;
        }
        endpoint.tls.extraCaCertificatesPem << ca.readAll();
    }
    const QString folder = args.at(4);

    ImapClient client(endpoint, args.at(3), QString::fromUtf8(password));
    client.setMaxConnectionsPerServer(kThreads + 1); // the main connection and three more

    const Result<QList<quint32>> all = client.allUids(folder);
    if (!all) {
        std::fprintf(stderr, "cannot list %s: %s\n", qPrintable(folder), qPrintable(all.error().toString()));
        return 1;
    }
    const QList<quint32> uids = all.value().mid(0, 30);
    std::printf("%s holds %lld messages; fetching %lld of them three ways\n", qPrintable(folder),
                static_cast<long long>(all.value().size()), static_cast<long long>(uids.size()));

    // Styles 2 and 3 block threads of their own; none of them blocks the
    // thread the client lives in for longer than a call.
    const bool ok = fetchAsynchronously(client, folder, uids) && fetchFromSharingThreads(client, folder, uids)
        && fetchOnOwnConnections(client, folder, uids);
    return ok ? 0 : 1;
}
