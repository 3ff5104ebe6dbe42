// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The pool soak (not part of CTest; tools/soak.sh runs it, docs/RELIABILITY.md
// has its results): 32 threads doing random ImapClient operations for a long
// time through a fault proxy in front of the kit's Dovecot, which drops
// connections, cuts replies in the middle and stalls the server at random.
// Every fetched byte is checked against the corpus manifest. It counts wrong
// bytes (must be 0), operations that never ended or took longer than a
// connection could possibly need (hangs, must be 0), and samples the resident
// memory: at the end it must be within 10% of the sample at the 10-minute mark
// (for runs that long).
//
//   TANDEM_KIT_ENV=kit.env soak_pool_imap [seconds, default 3600]
// Exits 0 when every criterion holds, 1 otherwise.

#include <QCoreApplication>
#include <QFile>
#include <QLoggingCategory>

#include <malloc.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "mailcore/imapclient/imapclient.h"
#include "pool/poolhelpers.h"
#include "support/faultproxy.h"
#include "support/kitenv.h"

using namespace mailcore;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using tandem::test::FaultProxy;
using tandem::test::KitCorpus;
using tandem::test::sha256;

namespace {

constexpr int kThreads = 32;
constexpr int kLimit = 10;
// A command that hears nothing for this long fails with Timeout; the proxy's
// stalls are shorter and longer than it, so both a slow reply and a dead one happen.
constexpr auto kCommandTimeout = 6s;
// An operation may retry on fresh connections (B06) after each fault: anything
// past this is a hang, not a slow operation.
constexpr auto kHang = 120s;
const QStringList kFolders{QStringLiteral("INBOX"), QStringLiteral("Archive"), QStringLiteral("Work"),
                           QStringLiteral("Lists")};

// What the program has allocated and not freed (glibc's count): unlike the
// resident size it does not grow when the allocator's per-thread arenas keep
// freed memory, so a leak and fragmentation can be told apart.
qint64 heapInUseBytes()
{
    const struct mallinfo2 info = mallinfo2();
    return qint64(info.uordblks + info.hblkhd);
}

qint64 residentBytes()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toLongLong() * sysconf(_SC_PAGESIZE) : 0;
}

struct Tally {
    std::atomic<qint64> operations{0};
    std::atomic<qint64> succeeded{0};
    std::atomic<qint64> failed{0}; ///< ended in an error (a fault the retry rules could not hide)
    std::atomic<qint64> wrongBytes{0};
    std::atomic<qint64> slow{0}; ///< ended, but after kHang
    std::mutex mutex;
    std::map<QString, qint64> errors; ///< by error code
    QStringList wrong;                ///< what was wrong, the first few

    void error(const Error &e)
    {
        ++failed;
        const std::lock_guard lock(mutex);
        ++errors[Error::codeName(e.code())];
    }
    void mismatch(const QString &what)
    {
        ++wrongBytes;
        std::printf("soak: WRONG %s\n", qPrintable(what)); // at once: the moment matters
        std::fflush(stdout);
        const std::lock_guard lock(mutex);
        if (wrong.size() < 20)
            wrong << what;
    }
};

class Worker
{
public:
    Worker(ImapClient &client, const KitCorpus &corpus, Tally &tally, Clock::time_point end, int seed)
        : m_client(client)
        , m_corpus(corpus)
        , m_tally(tally)
        , m_end(end)
        , m_random(seed)
    {
    }

    void operator()()
    {
        while (Clock::now() < m_end) {
            const auto started = Clock::now();
            ++m_tally.operations;
            m_busySince = started.time_since_epoch().count();
            if (step())
                ++m_tally.succeeded;
            m_busySince = 0;
            if (Clock::now() - started > kHang)
                ++m_tally.slow;
        }
    }

    /// When the operation under way started (steady clock ticks), 0 between operations.
    qint64 busySince() const { return m_busySince; }

private:
    QString folder() { return kFolders.at(int(m_random() % kFolders.size())); }
    quint32 uidIn(const QString &f) { return 1 + quint32(m_random() % m_corpus.folderSize(f)); }

    // One random operation; true when it ended without error and with the right bytes.
    bool step()
    {
        const QString f = folder();
        switch (m_random() % 6) {
        case 0:
        case 1: { // one message (the most common thing a user does)
            const quint32 uid = uidIn(f);
            const Result<QByteArray> m = m_client.fetchMessage(f, uid);
            return m ? checked(f, uid, m.value()) : failed(m.error());
        }
        case 2: { // several at once, streamed (B03)
            QList<quint32> uids;
            for (int i = 0; i < 8; ++i)
                uids << uidIn(f);
            std::sort(uids.begin(), uids.end());
            uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
            QFuture<FetchedMessage> fetched = m_client.fetchMessagesAsync(f, uids);
            QList<FetchedMessage> messages;
            try {
                messages = fetched.results(); // waits; rethrows the failure
            } catch (const MailException &e) {
                return failed(e.error());
            }
            bool right = messages.size() == uids.size();
            if (!right)
                m_tally.mismatch(QStringLiteral("%1: %2 of %3 messages").arg(f).arg(messages.size()).arg(uids.size()));
            for (const FetchedMessage &m : messages)
                right = checked(f, m.uid, m.data) && right;
            return right;
        }
        case 3: { // a page of summaries: every size as the manifest says
            const quint32 first = uidIn(f);
            const Result<QList<MessageSummary>> list = m_client.listMessages(f, first, first + 9);
            if (!list)
                return failed(list.error());
            for (const MessageSummary &m : list.value()) {
                const quint64 size = m_corpus.expectedSize(f, m.uid);
                if (m.size != size) {
                    m_tally.mismatch(
                        QStringLiteral("%1 %2: listed size %3, manifest %4").arg(f).arg(m.uid).arg(m.size).arg(size));
                    return false;
                }
            }
            return true;
        }
        case 4: { // the folder's UIDs
            const Result<QList<quint32>> uids = m_client.allUids(f);
            if (!uids)
                return failed(uids.error());
            if (quint32(uids.value().size()) != m_corpus.folderSize(f)) {
                m_tally.mismatch(QStringLiteral("%1: %2 UIDs, manifest %3")
                                     .arg(f)
                                     .arg(uids.value().size())
                                     .arg(m_corpus.folderSize(f)));
                return false;
            }
            return true;
        }
        default: { // counts
            const Result<FolderStatus> status = m_client.folderStatus(f);
            return status ? true : failed(status.error());
        }
        }
    }

    bool checked(const QString &f, quint32 uid, const QByteArray &data)
    {
        if (sha256(data) == m_corpus.expectedSha256(f, uid))
            return true;
        m_tally.mismatch(QStringLiteral("%1 %2: %3 bytes, not the manifest's").arg(f).arg(uid).arg(data.size()));
        return false;
    }

    bool failed(const Error &e)
    {
        m_tally.error(e);
        return false;
    }

    ImapClient &m_client;
    const KitCorpus &m_corpus;
    Tally &m_tally;
    Clock::time_point m_end;
    std::mt19937 m_random;
    std::atomic<qint64> m_busySince{0};
};

/// Faults at random moments until `end`: every 1 to 6 s one of a drop of every
/// connection, a connection cut after some more bytes from the server or from
/// the client, or the server going quiet for 1 to 10 s.
void injectFaults(FaultProxy &proxy, Clock::time_point end, std::map<QString, int> &injected)
{
    std::mt19937 random(20261206);
    while (Clock::now() < end) {
        std::this_thread::sleep_for(
            std::chrono::milliseconds(1000 + random() % 5000)); // the pace of faults, not a wait for a condition
        switch (random() % 4) {
        case 0:
            proxy.dropAll();
            ++injected[QStringLiteral("drop all")];
            break;
        case 1:
            proxy.dropAfterServerBytes(qint64(random() % 200'000));
            ++injected[QStringLiteral("cut a reply")];
            break;
        case 2:
            proxy.dropAfterClientBytes(qint64(random() % 2'000));
            ++injected[QStringLiteral("cut a request")];
            break;
        default: {
            proxy.stallServer(true);
            std::this_thread::sleep_for(std::chrono::milliseconds(1000 + random() % 9000));
            proxy.stallServer(false);
            ++injected[QStringLiteral("stall")];
        }
        }
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    // Every fault ends sessions, each logged at info level: thousands of lines
    // that would bury the samples. Warnings stay.
    QLoggingCategory::setFilterRules(QStringLiteral("tandem.*.info=false"));
    const int seconds = argc > 1 ? QByteArray(argv[1]).toInt() : 3600;
    const KitCorpus corpus = KitCorpus::load();
    if (!corpus.error.isEmpty()) {
        std::fprintf(stderr, "soak: %s\n", qPrintable(corpus.error));
        return 1;
    }
    FaultProxy proxy(corpus.env.port(QStringLiteral("TANDEM_KIT_IMAPS_PORT")));
    proxy.start();
    Endpoint endpoint = corpus.env.endpoint(QStringLiteral("TANDEM_KIT_IMAPS_PORT"), proxy.port());
    endpoint.timeouts.command = kCommandTimeout;
    ImapClient client(endpoint, corpus.env.user(), corpus.env.password());
    if (client.setMaxConnectionsPerServer(kLimit).isError())
        return 1;

    const auto start = Clock::now();
    const auto end = start + std::chrono::seconds(seconds);
    Tally tally;
    std::vector<std::unique_ptr<Worker>> workers;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        workers.push_back(std::make_unique<Worker>(client, corpus, tally, end, 1000 + t));
        threads.emplace_back(std::ref(*workers.back()));
    }
    std::map<QString, int> injected;
    std::thread faults([&] { injectFaults(proxy, end, injected); });

    // Memory every 10 s; the reference is the sample at the 10-minute mark
    // (or half-way through a run shorter than 20 minutes), when caches and the
    // pool are warm.
    const auto reference = start + std::min<std::chrono::seconds>(600s, std::chrono::seconds(seconds / 2));
    qint64 rssAtReference = 0, rssPeak = 0, heapAtReference = 0;
    std::vector<std::pair<int, qint64>> samples;
    while (Clock::now() < end) {
        std::this_thread::sleep_for(10s); // a sampling period, not a wait for a condition
        const qint64 rss = residentBytes();
        const int at = int(std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - start).count());
        samples.emplace_back(at, rss);
        rssPeak = std::max(rssPeak, rss);
        if (rssAtReference == 0 && Clock::now() >= reference) {
            rssAtReference = rss;
            heapAtReference = heapInUseBytes();
        }
        std::printf("soak: %5d s  operations %lld  ok %lld  failed %lld  wrong %lld  rss %.1f MiB  heap %.1f MiB\n", at,
                    static_cast<long long>(tally.operations.load()), static_cast<long long>(tally.succeeded.load()),
                    static_cast<long long>(tally.failed.load()), static_cast<long long>(tally.wrongBytes.load()),
                    double(rss) / (1024 * 1024), double(heapInUseBytes()) / (1024 * 1024));
        std::fflush(stdout);
    }
    faults.join();
    proxy.stallServer(false);

    // Every worker must finish the operation it is in: one that does not within
    // kHang is a hang; it is reported, and the process ends without waiting.
    const auto finishBy = Clock::now() + kHang;
    bool hung = false;
    for (std::size_t i = 0; i < threads.size(); ++i) {
        while (workers[i]->busySince() != 0 && Clock::now() < finishBy)
            std::this_thread::sleep_for(100ms); // polling the workers' state with a deadline
        if (workers[i]->busySince() != 0) {
            hung = true;
            std::printf("soak: worker %zu never finished its operation\n", i);
        }
    }
    const qint64 rssEnd = residentBytes();
    std::printf("soak: %d s, %d threads, limit %d, command timeout %lld s\n", seconds, kThreads, kLimit,
                static_cast<long long>(std::chrono::duration_cast<std::chrono::seconds>(kCommandTimeout).count()));
    std::printf("soak: operations %lld, ok %lld, ended in an error %lld, wrong bytes %lld, slower than %lld s %lld\n",
                static_cast<long long>(tally.operations.load()), static_cast<long long>(tally.succeeded.load()),
                static_cast<long long>(tally.failed.load()), static_cast<long long>(tally.wrongBytes.load()),
                static_cast<long long>(std::chrono::duration_cast<std::chrono::seconds>(kHang).count()),
                static_cast<long long>(tally.slow.load()));
    for (const auto &[code, count] : tally.errors)
        std::printf("soak:   error %s: %lld\n", qPrintable(code), static_cast<long long>(count));
    for (const auto &[kind, count] : injected)
        std::printf("soak:   fault %s: %d\n", qPrintable(kind), count);
    std::printf("soak: connections through the proxy %d, cut by it %d\n", proxy.accepted(), proxy.dropped());
    for (const QString &w : tally.wrong)
        std::printf("soak:   wrong: %s\n", qPrintable(w));
    const qint64 heapEnd = heapInUseBytes();
    std::printf("soak: heap in use at the reference %.1f MiB, at the end %.1f MiB\n",
                double(heapAtReference) / (1024 * 1024), double(heapEnd) / (1024 * 1024));
    const double growth = rssAtReference > 0 ? double(rssEnd) / double(rssAtReference) : 0;
    std::printf("soak: rss at %lld s %.1f MiB, at the end %.1f MiB (%.1f%%), peak %.1f MiB\n",
                static_cast<long long>(std::chrono::duration_cast<std::chrono::seconds>(reference - start).count()),
                double(rssAtReference) / (1024 * 1024), double(rssEnd) / (1024 * 1024), (growth - 1) * 100,
                double(rssPeak) / (1024 * 1024));
    const bool pass = !hung && tally.wrongBytes == 0 && tally.slow == 0 && rssAtReference > 0 && growth <= 1.10
        && tally.succeeded > 0;
    std::printf("soak: %s\n", pass ? "PASS" : "FAIL");
    std::fflush(stdout);
    if (hung)
        std::_Exit(1); // a worker is stuck inside the client: no orderly shutdown to wait for
    for (auto &t : threads)
        t.join();
    client.dispose();
    return pass ? 0 : 1;
}
