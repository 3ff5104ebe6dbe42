// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// tandem-bench-imap: the measuring client of the IMAP bulk-fetch benchmark
// (issue 4). See tools/bench/README.md.
//
//   tandem-bench-imap [--kit-env FILE] [--host H --port P --ca FILE --user U --password PW]
//                     --folder Bench --mode floor --connections K [--batch 100] [--depth 4]
//                     [--limit N] [--verify MANIFEST [--manifest-folder F]] [--out DIR]
//   tandem-bench-imap --list-modes
//
// Prints exactly one JSON line on stdout per run. Exit code 0 only when the run
// finished and (with --verify) every message matched the manifest.

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFuture>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>
#include <QtConcurrent/QtConcurrentMap>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <thread>
#include <vector>

#include "mailcore/base/error.h"
#include "mailcore/imap/connection.h"
#include "mailcore/imap/requests.h"
#include "mailcore/imap/serializer.h"
#include "mailcore/imapclient/imapclient.h"

using namespace mailcore;
using namespace mailcore::imap;

namespace {

struct Options {
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0;
    QString caFile;
    QString user;
    QString password;
    QString folder = QStringLiteral("Bench");
    QString manifest;       // --verify
    QString manifestFolder; // defaults to folder
    QString outDir;
    QString mode = QStringLiteral("floor");
    int connections = 1;
    int batch = 100;
    int depth = 4;
    int limit = 0;          // 0: every message in the folder
    int count = 200;        // rtt: round trips; pool-latency: NOOPs
    int rounds = 1;         // pool-latency: bulk fetches back to back
    int intervalMs = 50;    // pool-latency: one flag change per interval
    bool syncFlags = false; // pool-latency: addFlags()/removeFlags() instead of the async forms
    QString flagFolder;     // pool-latency: folder of the flagged message (default: --folder)
    quint32 flagUid = 0;    // pool-latency: the flagged message (default: the first)
    bool cold = false;      // pool-latency: no idle yardsticks; the bulk opens the first connection
    int timeoutSeconds = 600;
};

struct Manifest {
    std::vector<QByteArray> sha256; // index = UID - 1 (the kit imports in manifest order)
    std::vector<qint64> size;
    QString error;
};

Manifest loadManifest(const QString &path, const QString &folder)
{
    Manifest m;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        m.error = QStringLiteral("cannot read manifest %1").arg(path);
        return m;
    }
    const QJsonObject root = QJsonDocument::fromJson(f.readAll()).object();
    const QJsonArray entries = root.value(QStringLiteral("folders")).toObject().value(folder).toArray();
    if (entries.isEmpty()) {
        m.error = QStringLiteral("manifest %1 has no folder %2").arg(path, folder);
        return m;
    }
    for (const QJsonValue &v : entries) {
        const QJsonObject e = v.toObject();
        m.sha256.push_back(e.value(QStringLiteral("sha256")).toString().toLatin1());
        m.size.push_back(qint64(e.value(QStringLiteral("size")).toDouble()));
    }
    return m;
}

SessionSettings sessionSettings(const Options &o)
{
    SessionSettings s;
    s.endpoint.host = o.host;
    s.endpoint.port = o.port;
    s.endpoint.security = Security::ImplicitTls;
    if (!o.caFile.isEmpty()) {
        QFile ca(o.caFile);
        if (ca.open(QIODevice::ReadOnly))
            s.endpoint.tls.extraCaCertificatesPem = {ca.readAll()};
    }
    s.user = o.user;
    s.password = o.password;
    s.pipelineWindow = std::max(16, o.depth);
    return s;
}

/// Waits for a future from the main thread (the sessions live in their own
/// threads, so blocking here is safe). Returns the error, if any.
template <typename T>
Error wait(QFuture<T> &future)
{
    try {
        future.waitForFinished();
        if constexpr (!std::is_void_v<T>)
            (void)future.result();
    } catch (const MailException &e) {
        return e.error();
    } catch (const std::exception &e) {
        return Error(ErrorCode::Internal, QString::fromUtf8(e.what()));
    }
    return {};
}

double cpuSeconds(bool user)
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    const timeval &tv = user ? ru.ru_utime : ru.ru_stime;
    return double(tv.tv_sec) + double(tv.tv_usec) / 1e6;
}

int fail(QJsonObject &out, const QString &message)
{
    out.insert(QStringLiteral("error"), message);
    return 1;
}

// ---------------------------------------------------------------------------
// Mode "floor": K raw ImapConnections (IMAPS), no pool. The folder's UIDs
// (UID SEARCH ALL, optionally only the first --limit) are split into K
// contiguous parts; each connection fetches its part with
// `UID FETCH a:b BODY.PEEK[]`, --batch UIDs per command, keeping --depth
// commands in flight. Completions are handled on the connection's own I/O
// thread (a synchronous continuation), which also queues the next batch, so
// no extra thread hop sits between a reply and the next request.
// Timed: `seconds` = connect + TLS + login + EXAMINE + fetch of everything
// (what a peer's wall clock also includes); `fetch_seconds` = the fetch alone.
// Bodies are kept in memory (and written to --out DIR/<uid>.eml when given,
// inside the timed part); hashing for --verify happens after the clock stops.
// ---------------------------------------------------------------------------
int runFloor(const Options &o, QJsonObject &out)
{
    const int k = std::max(1, o.connections);
    Manifest manifest;
    if (!o.manifest.isEmpty()) {
        manifest = loadManifest(o.manifest, o.manifestFolder.isEmpty() ? o.folder : o.manifestFolder);
        if (!manifest.error.isEmpty())
            return fail(out, manifest.error);
    }
    if (!o.outDir.isEmpty() && !QDir().mkpath(o.outDir))
        return fail(out, QStringLiteral("cannot create %1").arg(o.outDir));

    QElapsedTimer clock;
    clock.start();

    std::vector<std::unique_ptr<ImapConnection>> conns;
    std::vector<QFuture<void>> opens;
    for (int i = 0; i < k; ++i) {
        conns.push_back(std::make_unique<ImapConnection>(sessionSettings(o)));
        opens.push_back(conns.back()->open());
    }
    for (auto &f : opens) {
        if (Error e = wait(f); e.isError())
            return fail(out, QStringLiteral("open: ") + e.toString());
    }
    SelectOptions examine;
    examine.readOnly = true;
    std::vector<QFuture<CommandResult>> selects;
    for (auto &c : conns)
        selects.push_back(c->execute(requests::select(o.folder, examine)));
    for (auto &f : selects) {
        if (Error e = wait(f); e.isError())
            return fail(out, QStringLiteral("EXAMINE %1: ").arg(o.folder) + e.toString());
    }
    auto search = conns.front()->execute(requests::uidSearch(SearchKey::all()));
    if (Error e = wait(search); e.isError())
        return fail(out, QStringLiteral("UID SEARCH: ") + e.toString());
    QList<quint32> uids;
    for (const SearchData &d : search.result().all<SearchData>())
        uids << d.numbers;
    std::sort(uids.begin(), uids.end());
    if (o.limit > 0 && uids.size() > o.limit)
        uids.resize(o.limit);
    const qint64 setupNs = clock.nsecsElapsed();

    // Per-UID slots, preallocated: each is written by exactly one I/O thread.
    const qsizetype n = uids.size();
    QHash<quint32, qsizetype> slotOf;
    slotOf.reserve(n);
    for (qsizetype i = 0; i < n; ++i)
        slotOf.insert(uids[i], i);
    std::vector<QByteArray> bodies(static_cast<size_t>(n));
    std::vector<std::atomic<int>> seen(static_cast<size_t>(n));
    std::atomic<qint64> bytes{0};
    std::atomic<qint64> messages{0};

    struct Lane {
        ImapConnection *conn;
        std::vector<SequenceSet> batches;
        size_t next = 0;
        std::mutex mutex;
    };
    std::vector<std::unique_ptr<Lane>> lanes;
    for (int i = 0; i < k; ++i) {
        auto lane = std::make_unique<Lane>();
        lane->conn = conns[size_t(i)].get();
        const qsizetype from = n * i / k, to = n * (i + 1) / k;
        for (qsizetype b = from; b < to; b += o.batch) {
            SequenceSet set;
            for (qsizetype j = b; j < std::min(to, b + o.batch); ++j)
                set.add(uids[j]);
            lane->batches.push_back(set);
        }
        lanes.push_back(std::move(lane));
    }
    size_t totalBatches = 0;
    for (auto &l : lanes)
        totalBatches += l->batches.size();

    std::mutex doneMutex;
    std::condition_variable doneCv;
    size_t batchesDone = 0;
    QString firstError;
    qint64 lastByteNs = 0;

    FetchItems items;
    items.sections = {FetchSection{}}; // BODY.PEEK[]
    const bool keep = !manifest.sha256.empty();
    const QString outDir = o.outDir;

    std::atomic<bool> stopping{false};
    std::function<void(Lane *)> submitNext;
    submitNext = [&](Lane *lane) {
        if (stopping)
            return;
        SequenceSet set;
        {
            std::lock_guard lock(lane->mutex);
            if (lane->next >= lane->batches.size())
                return;
            set = lane->batches[lane->next++];
        }
        lane->conn->execute(requests::uidFetch(set, items))
            .then(QtFuture::Launch::Sync, [&, lane](QFuture<CommandResult> f) {
                QString error;
                try {
                    const CommandResult r = f.result();
                    for (const FetchData &d : r.all<FetchData>()) {
                        const SectionData *body = d.section("BODY", "");
                        if (!d.uid || !body)
                            continue; // e.g. a flags-only FETCH
                        const auto it = slotOf.constFind(*d.uid);
                        if (it == slotOf.cend() || seen[size_t(*it)].fetch_add(1) != 0) {
                            error = QStringLiteral("unexpected or repeated UID %1").arg(*d.uid);
                            continue;
                        }
                        bytes += body->data.size();
                        ++messages;
                        if (keep)
                            bodies[size_t(*it)] = body->data;
                        if (!outDir.isEmpty()) {
                            QFile file(outDir + QLatin1Char('/') + QString::number(*d.uid) + QStringLiteral(".eml"));
                            if (!file.open(QIODevice::WriteOnly) || file.write(body->data) != body->data.size())
                                error = QStringLiteral("cannot write %1").arg(file.fileName());
                        }
                    }
                } catch (const MailException &e) {
                    error = e.error().toString();
                } catch (const std::exception &e) {
                    error = QString::fromUtf8(e.what());
                }
                if (error.isEmpty())
                    submitNext(lane);
                else
                    stopping = true;
                std::lock_guard lock(doneMutex);
                if (!error.isEmpty() && firstError.isEmpty())
                    firstError = error;
                ++batchesDone;
                lastByteNs = clock.nsecsElapsed();
                doneCv.notify_all();
            });
    };

    const qint64 fetchStartNs = clock.nsecsElapsed();
    for (auto &lane : lanes) {
        for (int d = 0; d < o.depth; ++d)
            submitNext(lane.get());
    }
    {
        std::unique_lock lock(doneMutex);
        const bool finished = doneCv.wait_for(lock, std::chrono::seconds(o.timeoutSeconds),
                                              [&] { return batchesDone == totalBatches || !firstError.isEmpty(); });
        if (!finished)
            firstError = QStringLiteral("timed out after %1 s").arg(o.timeoutSeconds);
    }
    stopping = true; // nothing new is queued from here on
    qint64 endNs;
    QString error;
    {
        std::lock_guard lock(doneMutex);
        endNs = lastByteNs;
        error = firstError;
    }
    const double cpuUser = cpuSeconds(true), cpuSys = cpuSeconds(false);
    std::vector<QFuture<void>> logouts;
    for (auto &c : conns)
        logouts.push_back(c->logout());
    for (auto &f : logouts)
        wait(f);
    // Joins the I/O threads: every continuation (they reference this frame) has run.
    conns.clear();

    out.insert(QStringLiteral("messages"), messages.load());
    out.insert(QStringLiteral("bytes"), bytes.load());
    out.insert(QStringLiteral("seconds"), double(endNs) / 1e9);
    out.insert(QStringLiteral("connect_seconds"), double(setupNs) / 1e9);
    out.insert(QStringLiteral("fetch_seconds"), double(endNs - fetchStartNs) / 1e9);
    out.insert(QStringLiteral("batch"), o.batch);
    out.insert(QStringLiteral("depth"), o.depth);
    out.insert(QStringLiteral("expected_messages"), qint64(n));
    out.insert(QStringLiteral("client_cpu_user"), cpuUser);
    out.insert(QStringLiteral("client_cpu_sys"), cpuSys);
    out.insert(QStringLiteral("stored"), outDir.isEmpty() ? QStringLiteral("memory") : outDir);
    if (!error.isEmpty())
        return fail(out, error);
    if (messages.load() != n)
        return fail(out, QStringLiteral("got %1 of %2 messages").arg(messages.load()).arg(n));

    if (!keep) {
        out.insert(QStringLiteral("verified"), false);
        return 0;
    }
    // Verify after the clock: every message's size and SHA-256 against the manifest.
    std::vector<qsizetype> idx(static_cast<size_t>(n));
    std::iota(idx.begin(), idx.end(), 0);
    std::atomic<qint64> bad{0};
    std::atomic<qint64> firstBadUid{0};
    QtConcurrent::blockingMap(idx, [&](qsizetype i) {
        const quint32 uid = uids[i];
        const size_t m = size_t(uid) - 1;
        const QByteArray &b = bodies[size_t(i)];
        const bool ok = m < manifest.sha256.size() && b.size() == manifest.size[m]
            && QCryptographicHash::hash(b, QCryptographicHash::Sha256).toHex() == manifest.sha256[m];
        if (!ok) {
            ++bad;
            qint64 expected = 0;
            firstBadUid.compare_exchange_strong(expected, qint64(uid));
        }
    });
    out.insert(QStringLiteral("verified"), bad.load() == 0);
    if (bad.load() != 0)
        return fail(out,
                    QStringLiteral("%1 messages differ from the manifest (first UID %2)")
                        .arg(bad.load())
                        .arg(firstBadUid.load()));
    qint64 manifestBytes = 0;
    for (quint32 uid : std::as_const(uids))
        manifestBytes += manifest.size[size_t(uid) - 1];
    out.insert(QStringLiteral("manifest_bytes"), manifestBytes);
    return 0;
}

// ---------------------------------------------------------------------------
// Mode "rtt": one connection, --count sequential NOOPs; percentiles in ms.
// Used to check what round trip a path (e.g. through tandem-delayproxy) has.
// ---------------------------------------------------------------------------
int runRtt(const Options &o, QJsonObject &out)
{
    ImapConnection conn(sessionSettings(o));
    auto opened = conn.open();
    if (Error e = wait(opened); e.isError())
        return fail(out, QStringLiteral("open: ") + e.toString());
    std::vector<double> ms;
    QElapsedTimer t;
    for (int i = 0; i < std::max(1, o.count); ++i) {
        t.start();
        auto f = conn.execute(requests::noop());
        if (Error e = wait(f); e.isError())
            return fail(out, QStringLiteral("NOOP: ") + e.toString());
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    auto bye = conn.logout();
    wait(bye);
    std::sort(ms.begin(), ms.end());
    auto pct = [&](double p) { return ms[std::min(ms.size() - 1, size_t(p * double(ms.size())))]; };
    out.insert(QStringLiteral("round_trips"), qint64(ms.size()));
    out.insert(QStringLiteral("min_ms"), ms.front());
    out.insert(QStringLiteral("p50_ms"), pct(0.5));
    out.insert(QStringLiteral("p90_ms"), pct(0.9));
    out.insert(QStringLiteral("p99_ms"), pct(0.99));
    out.insert(QStringLiteral("max_ms"), ms.back());
    out.insert(QStringLiteral("mean_ms"), std::accumulate(ms.begin(), ms.end(), 0.0) / double(ms.size()));
    return 0;
}

// ---------------------------------------------------------------------------
// Pool modes: the public ImapClient, as an application uses it. The client is
// created fresh (lazy connect counts in the time, like the floor's connect);
// --connections is maxConnectionsPerServer. The folder's UIDs are 1..N (the
// kit imports in order; checked against STATUS before the clock starts).
// ---------------------------------------------------------------------------
std::unique_ptr<ImapClient> poolClient(const Options &o)
{
    Endpoint endpoint = sessionSettings(o).endpoint;
    auto client = std::make_unique<ImapClient>(endpoint, o.user, o.password);
    client->setMaxConnectionsPerServer(std::max(1, o.connections));
    return client;
}

QList<quint32> poolUids(const Options &o, QJsonObject &out, bool &ok)
{
    ok = false;
    auto probe = poolClient(o);
    const Result<FolderStatus> status = probe->folderStatus(o.folder);
    if (!status) {
        fail(out, QStringLiteral("STATUS: ") + status.error().toString());
        return {};
    }
    if (status.value().uidNext != status.value().messages + 1) {
        fail(out, QStringLiteral("the folder's UIDs are not 1..N; the pool modes need the kit's corpus"));
        return {};
    }
    quint32 n = status.value().messages;
    if (o.limit > 0)
        n = std::min<quint32>(n, quint32(o.limit));
    QList<quint32> uids;
    for (quint32 uid = 1; uid <= n; ++uid)
        uids << uid;
    ok = true;
    return uids;
}

int finishPoolRun(const Options &o, QJsonObject &out, const std::vector<std::pair<quint32, QByteArray>> &got, qint64 ns,
                  qsizetype expected)
{
    qint64 bytes = 0;
    for (const auto &m : got)
        bytes += m.second.size();
    out.insert(QStringLiteral("connections"), o.connections);
    out.insert(QStringLiteral("messages"), qint64(got.size()));
    out.insert(QStringLiteral("bytes"), bytes);
    out.insert(QStringLiteral("seconds"), double(ns) / 1e9);
    if (qsizetype(got.size()) != expected)
        return fail(out, QStringLiteral("got %1 messages, expected %2").arg(got.size()).arg(expected));
    if (o.manifest.isEmpty())
        return 0;
    const Manifest manifest = loadManifest(o.manifest, o.manifestFolder.isEmpty() ? o.folder : o.manifestFolder);
    if (!manifest.error.isEmpty())
        return fail(out, manifest.error);
    qint64 bad = 0;
    for (const auto &m : got) {
        if (m.first == 0 || m.first > manifest.sha256.size()
            || QCryptographicHash::hash(m.second, QCryptographicHash::Sha256).toHex() != manifest.sha256[m.first - 1])
            ++bad;
    }
    out.insert(QStringLiteral("verified"), bad == 0);
    return bad == 0 ? 0 : fail(out, QStringLiteral("%1 messages differ from the manifest").arg(bad));
}

// Mode "pool-bulk": one fetchMessagesAsync() of every UID (spec B03).
int runPoolBulk(const Options &o, QJsonObject &out)
{
    bool ok = false;
    const QList<quint32> uids = poolUids(o, out, ok);
    if (!ok)
        return 1;
    QElapsedTimer clock;
    clock.start();
    auto client = poolClient(o);
    QFuture<FetchedMessage> bulk = client->fetchMessagesAsync(o.folder, uids);
    if (Error e = wait(bulk); e.isError())
        return fail(out, QStringLiteral("bulk fetch: ") + e.toString());
    const qint64 ns = clock.nsecsElapsed();
    std::vector<std::pair<quint32, QByteArray>> got;
    for (const FetchedMessage &m : bulk.results())
        got.emplace_back(m.uid, m.data);
    return finishPoolRun(o, out, got, ns, uids.size());
}

// Mode "pool-naive": one fetchMessageAsync() per message, all submitted at
// once, then awaited: what code that knows nothing of bulk calls gets (S09).
int runPoolNaive(const Options &o, QJsonObject &out)
{
    Options limited = o;
    if (limited.limit <= 0)
        limited.limit = 2000;
    bool ok = false;
    const QList<quint32> uids = poolUids(limited, out, ok);
    if (!ok)
        return 1;
    QElapsedTimer clock;
    clock.start();
    auto client = poolClient(limited);
    std::vector<QFuture<QByteArray>> futures;
    futures.reserve(size_t(uids.size()));
    for (quint32 uid : uids)
        futures.push_back(client->fetchMessageAsync(limited.folder, uid));
    std::vector<std::pair<quint32, QByteArray>> got;
    for (size_t i = 0; i < futures.size(); ++i) {
        if (Error e = wait(futures[i]); e.isError())
            return fail(out, QStringLiteral("fetch of UID %1: ").arg(uids[qsizetype(i)]) + e.toString());
        got.emplace_back(uids[qsizetype(i)], futures[i].result());
    }
    const qint64 ns = clock.nsecsElapsed();
    return finishPoolRun(limited, out, got, ns, uids.size());
}

// Percentiles of a sorted list of milliseconds (nearest rank, as in "rtt").
QJsonObject percentiles(std::vector<double> ms)
{
    QJsonObject o;
    o.insert(QStringLiteral("count"), qint64(ms.size()));
    if (ms.empty())
        return o;
    std::sort(ms.begin(), ms.end());
    auto pct = [&](double p) { return ms[std::min(ms.size() - 1, size_t(p * double(ms.size())))]; };
    o.insert(QStringLiteral("p50_ms"), pct(0.5));
    o.insert(QStringLiteral("p95_ms"), pct(0.95));
    o.insert(QStringLiteral("p99_ms"), pct(0.99));
    o.insert(QStringLiteral("max_ms"), ms.back());
    return o;
}

// Mode "pool-latency": how long a short operation waits while the pool is
// busy with bulk work (spec S15; issue 4, case c). On one fresh client:
//   1. --count bare NOOPs one after another (noopAsync, awaited): the round
//      trip of this path through the pool when it is idle, the yardstick of
//      the target "p99 at most 3 round trips + 5 ms"; then --count flag
//      changes on the idle client ("flag_idle": what the server needs for one);
//   2. --rounds bulk fetches of the folder (fetchMessagesAsync, as pool-bulk),
//      back to back, while a second thread changes \Flagged on one message
//      (addFlagsAsync, then removeFlagsAsync, and so on) every --interval-ms,
//      each awaited before the next, and records each one's latency from the
//      call to its future's end. Only changes *started* while a bulk fetch
//      runs are counted. More rounds give more samples for p99.
// JSON: the bulk's "seconds" (first round, connect counted) and every round's
// seconds, "flag" and "noop" percentile objects, and the message check of the
// last round (with --verify).
int runPoolLatency(const Options &o, QJsonObject &out)
{
    bool ok = false;
    const QList<quint32> uids = poolUids(o, out, ok);
    if (!ok)
        return 1;
    const int rounds = std::max(1, o.rounds);
    const QList<QByteArray> flag = {QByteArrayLiteral("\\Flagged")};
    auto client = poolClient(o);
    // By default a message of the folder being fetched, as a user would flag
    // one; --flag-folder elsewhere separates the server's cost of a flag
    // change in a big folder from the time spent in the client.
    const QString flagFolder = o.flagFolder.isEmpty() ? o.folder : o.flagFolder;
    QList<quint32> flagged = {o.flagUid ? o.flagUid : uids.front()};
    if (flagFolder != o.folder) {
        const Result<QList<quint32>> all = client->allUids(flagFolder);
        if (!all || all.value().isEmpty())
            return fail(out, QStringLiteral("no message to flag in %1").arg(flagFolder));
        flagged = {all.value().front()};
    }

    // 1. The yardstick: bare NOOPs on the idle client (the first one logs in
    // and is not counted).
    std::vector<double> noopMs;
    if (!o.cold) {
        auto first = client->noopAsync();
        if (Error e = wait(first); e.isError())
            return fail(out, QStringLiteral("NOOP: ") + e.toString());
        QElapsedTimer t;
        for (int i = 0; i < std::max(1, o.count); ++i) {
            t.start();
            auto f = client->noopAsync();
            if (Error e = wait(f); e.isError())
                return fail(out, QStringLiteral("NOOP: ") + e.toString());
            noopMs.push_back(double(t.nsecsElapsed()) / 1e6);
        }
    }

    // The flag change itself: async form awaited (or, --sync-flags, the
    // synchronous form, which runs on the calling thread without a task).
    auto changeFlag = [&](bool add) -> Error {
        if (o.syncFlags)
            return add ? client->addFlags(flagFolder, flagged, flag) : client->removeFlags(flagFolder, flagged, flag);
        QFuture<void> f = add ? client->addFlagsAsync(flagFolder, flagged, flag)
                              : client->removeFlagsAsync(flagFolder, flagged, flag);
        return wait(f);
    };
    std::vector<double> idleFlagMs;
    if (!o.cold) {
        QElapsedTimer t;
        for (int i = 0; i < std::max(2, o.count); ++i) {
            t.start();
            if (Error e = changeFlag(i % 2 == 0); e.isError())
                return fail(out, QStringLiteral("flag change: ") + e.toString());
            if (i > 0) // the first one selects the folder
                idleFlagMs.push_back(double(t.nsecsElapsed()) / 1e6);
        }
    }

    // 2. Flag changes while bulk fetches run.
    std::atomic<bool> bulkRunning{false};
    std::atomic<bool> stop{false};
    std::vector<double> flagMs; // written by the flagger thread only, read after join
    QString flagError;          // likewise
    int flagsOutside = 0;       // changes started when no bulk ran (not counted)
    std::thread flagger([&] {
        bool add = true;
        if (o.cold) {
            // As when a download starts first and the user clicks a flag
            // soon after: the click's connection, the main one, is opened
            // beside the bulk's (S04), not before it.
            while (!bulkRunning && !stop)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            std::this_thread::sleep_for(std::chrono::milliseconds(o.intervalMs));
        }
        auto next = std::chrono::steady_clock::now();
        while (!stop) {
            next += std::chrono::milliseconds(o.intervalMs);
            const bool counted = bulkRunning;
            QElapsedTimer t;
            t.start();
            if (Error e = changeFlag(add); e.isError()) {
                flagError = e.toString();
                return;
            }
            const double ms = double(t.nsecsElapsed()) / 1e6;
            // Counted only if the bulk still ran when it ended, too.
            if (counted && bulkRunning)
                flagMs.push_back(ms);
            else
                ++flagsOutside;
            add = !add;
            std::this_thread::sleep_until(next);
        }
    });
    auto joinFlagger = [&] {
        stop = true;
        if (flagger.joinable())
            flagger.join();
    };

    QJsonArray roundSeconds;
    std::vector<std::pair<quint32, QByteArray>> got;
    qint64 firstNs = 0;
    QString bulkError;
    for (int r = 0; r < rounds && bulkError.isEmpty(); ++r) {
        got.clear();
        QElapsedTimer clock;
        clock.start();
        bulkRunning = true;
        QFuture<FetchedMessage> bulk = client->fetchMessagesAsync(o.folder, uids);
        Error e = wait(bulk);
        bulkRunning = false;
        const qint64 ns = clock.nsecsElapsed();
        if (e.isError()) {
            bulkError = QStringLiteral("bulk fetch: ") + e.toString();
            break;
        }
        if (r == 0)
            firstNs = ns;
        roundSeconds.append(double(ns) / 1e9);
        for (const FetchedMessage &m : bulk.results())
            got.emplace_back(m.uid, m.data);
        if (qsizetype(got.size()) != uids.size()) {
            // Name what is missing or doubled: that is a pool bug to report.
            std::map<quint32, int> times;
            for (const auto &m : got)
                ++times[m.first];
            QStringList odd;
            for (quint32 uid : uids) {
                if (times[uid] != 1 && odd.size() < 10)
                    odd << QStringLiteral("UID %1 %2 times").arg(uid).arg(times[uid]);
            }
            bulkError = QStringLiteral("round %1: got %2 messages, expected %3 (%4)")
                            .arg(r + 1)
                            .arg(got.size())
                            .arg(uids.size())
                            .arg(odd.join(QStringLiteral(", ")));
        }
    }
    joinFlagger();
    // Leave the message as the corpus had it.
    (void)client->removeFlags(flagFolder, flagged, flag);

    out.insert(QStringLiteral("rounds"), roundSeconds);
    out.insert(QStringLiteral("interval_ms"), o.intervalMs);
    out.insert(QStringLiteral("flag"), percentiles(flagMs));
    out.insert(QStringLiteral("flag_changes_outside_bulk"), flagsOutside);
    out.insert(QStringLiteral("noop"), percentiles(noopMs));
    out.insert(QStringLiteral("flag_idle"), percentiles(idleFlagMs));
    out.insert(QStringLiteral("sync_flags"), o.syncFlags);
    out.insert(QStringLiteral("flag_folder"), flagFolder);
    out.insert(QStringLiteral("cold"), o.cold);
    if (!bulkError.isEmpty())
        return fail(out, bulkError);
    if (!flagError.isEmpty())
        return fail(out, QStringLiteral("flag change: ") + flagError);
    if (flagMs.empty())
        return fail(out, QStringLiteral("no flag change ran during a bulk fetch"));
    return finishPoolRun(o, out, got, firstNs, uids.size());
}

// ===========================================================================
// MODE REGISTRY. One entry per mode; `run` fills the JSON object and returns
// the exit code. To add one: write `int runX(const Options &, QJsonObject &)`
// like the modes above and list it here; run.sh and benchlib.py read the JSON
// fields "seconds", "messages", "bytes", "verified" and "error".
// ===========================================================================
struct Mode {
    std::function<int(const Options &, QJsonObject &)> run;
    const char *description;
};

const std::map<QString, Mode> &modes()
{
    static const std::map<QString, Mode> registry = {
        {QStringLiteral("floor"), {runFloor, "K raw ImapConnections, UID FETCH a:b BODY.PEEK[] in batches, pipelined"}},
        {QStringLiteral("rtt"), {runRtt, "NOOP round-trip percentiles on one connection (--count)"}},
        {QStringLiteral("pool-bulk"),
         {runPoolBulk, "ImapClient::fetchMessagesAsync of the whole folder (B03), --connections = limit"}},
        {QStringLiteral("pool-naive"),
         {runPoolNaive, "--limit (default 2,000) separate ImapClient::fetchMessageAsync calls, all at once"}},
        {QStringLiteral("pool-latency"),
         {runPoolLatency,
          "\\Flagged add/remove latency (every --interval-ms) during --rounds bulk fetches; NOOP yardstick"}},
    };
    return registry;
}

QHash<QString, QString> readKitEnv(const QString &path)
{
    QHash<QString, QString> env;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return env;
    while (!f.atEnd()) {
        const QString line = QString::fromUtf8(f.readLine()).trimmed();
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (line.startsWith(QLatin1Char('#')) || eq <= 0)
            continue;
        QString value = line.mid(eq + 1);
        if (value.size() >= 2 && value.startsWith(QLatin1Char('\'')) && value.endsWith(QLatin1Char('\'')))
            value = value.mid(1, value.size() - 2);
        env.insert(line.left(eq), value);
    }
    return env;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("IMAP bulk-fetch benchmark client (issue 4). One JSON line per run."));
    p.addHelpOption();
    auto opt = [&](const char *name, const char *help, const char *valueName = nullptr, const char *def = nullptr) {
        QCommandLineOption o(QString::fromLatin1(name), QString::fromLatin1(help));
        if (valueName)
            o.setValueName(QString::fromLatin1(valueName));
        if (def)
            o.setDefaultValue(QString::fromLatin1(def));
        p.addOption(o);
        return o;
    };
    const auto kitEnv = opt("kit-env", "Read host, IMAPS port, CA, user, password and manifest from the kit's kit.env.",
                            "file");
    const auto host = opt("host", "Server host (default 127.0.0.1).", "host");
    const auto port = opt("port", "IMAPS port.", "port");
    const auto ca = opt("ca", "Extra CA certificate (PEM) to trust.", "file");
    const auto user = opt("user", "User name.", "user");
    const auto password = opt("password", "Password (or $TANDEM_BENCH_PASSWORD).", "password");
    const auto folder = opt("folder", "Folder to fetch (default Bench).", "name", "Bench");
    const auto mode = opt("mode", "Mode (see --list-modes; default floor).", "mode", "floor");
    const auto connections = opt("connections", "Connections (default 1).", "k", "1");
    const auto batch = opt("batch", "UIDs per UID FETCH (default 100).", "n", "100");
    const auto depth = opt("depth", "UID FETCH commands in flight per connection (default 4).", "n", "4");
    const auto limit = opt("limit", "Only the first N UIDs of the folder (default: all).", "n", "0");
    const auto count = opt("count", "rtt, pool-latency: number of NOOP round trips (default 200).", "n", "200");
    const auto rounds = opt("rounds", "pool-latency: bulk fetches back to back (default 1).", "n", "1");
    const auto interval = opt("interval-ms", "pool-latency: one flag change per interval (default 50).", "ms", "50");
    const auto verify = opt("verify", "manifest.json: check every message's size and SHA-256.", "file");
    const auto manifestFolder = opt("manifest-folder", "Folder name in the manifest (default: --folder).", "name");
    const auto outDir = opt("out", "Store every fetched message as DIR/<uid>.eml (timed).", "dir");
    const auto timeout = opt("timeout", "Give up after this many seconds (default 600).", "s", "600");
    const auto syncFlags = opt(
        "sync-flags", "pool-latency: the synchronous addFlags()/removeFlags() (no task) instead of the async forms.");
    const auto flagFolder = opt("flag-folder",
                                "pool-latency: flag the first message of this folder (default: --folder).", "name");
    const auto flagUid = opt("flag-uid", "pool-latency: UID of the flagged message in --folder (default: the first).",
                             "uid");
    const auto cold = opt("cold",
                          "pool-latency: skip the idle NOOPs and flag changes, so the bulk opens the main connection.");
    const auto listModes = opt("list-modes", "List the modes and exit.");
    p.process(app);

    if (p.isSet(listModes)) {
        for (const auto &[name, m] : modes())
            std::printf("%-14s %s\n", qPrintable(name), m.description);
        return 0;
    }

    Options o;
    if (p.isSet(kitEnv)) {
        const auto env = readKitEnv(p.value(kitEnv));
        if (env.isEmpty()) {
            std::fprintf(stderr, "tandem-bench-imap: cannot read %s\n", qPrintable(p.value(kitEnv)));
            return 2;
        }
        o.host = env.value(QStringLiteral("TANDEM_KIT_HOST"), o.host);
        o.port = quint16(env.value(QStringLiteral("TANDEM_KIT_IMAPS_PORT")).toUInt());
        o.caFile = env.value(QStringLiteral("TANDEM_KIT_CA_CERT"));
        o.user = env.value(QStringLiteral("TANDEM_KIT_USER1"));
        o.password = env.value(QStringLiteral("TANDEM_KIT_PASSWORD1"));
    }
    if (p.isSet(host))
        o.host = p.value(host);
    if (p.isSet(port))
        o.port = quint16(p.value(port).toUInt());
    if (p.isSet(ca))
        o.caFile = p.value(ca);
    if (p.isSet(user))
        o.user = p.value(user);
    if (p.isSet(password))
        o.password = p.value(password);
    else if (o.password.isEmpty())
        o.password = qEnvironmentVariable("TANDEM_BENCH_PASSWORD");
    o.folder = p.value(folder);
    o.mode = p.value(mode);
    o.connections = std::clamp(p.value(connections).toInt(), 1, 200);
    o.batch = std::clamp(p.value(batch).toInt(), 1, 100000);
    o.depth = std::clamp(p.value(depth).toInt(), 1, 256);
    o.limit = std::max(0, p.value(limit).toInt());
    o.count = std::clamp(p.value(count).toInt(), 1, 1000000);
    o.rounds = std::clamp(p.value(rounds).toInt(), 1, 100);
    o.intervalMs = std::clamp(p.value(interval).toInt(), 1, 10000);
    o.syncFlags = p.isSet(syncFlags);
    o.flagFolder = p.value(flagFolder);
    o.cold = p.isSet(cold);
    o.flagUid = p.value(flagUid).toUInt();
    o.manifest = p.value(verify);
    o.manifestFolder = p.value(manifestFolder);
    o.outDir = p.value(outDir);
    o.timeoutSeconds = std::clamp(p.value(timeout).toInt(), 1, 86400);

    const auto it = modes().find(o.mode);
    if (it == modes().end()) {
        std::fprintf(stderr, "tandem-bench-imap: unknown mode %s (see --list-modes)\n", qPrintable(o.mode));
        return 2;
    }
    if (!it->second.run) {
        std::fprintf(stderr, "tandem-bench-imap: mode %s is not available yet: %s\n", qPrintable(o.mode),
                     it->second.description);
        return 3;
    }
    if (o.port == 0 || o.user.isEmpty()) {
        std::fprintf(stderr, "tandem-bench-imap: --port and --user (or --kit-env) are required\n");
        return 2;
    }

    QJsonObject out;
    out.insert(QStringLiteral("mode"), o.mode);
    out.insert(QStringLiteral("connections"), o.connections);
    out.insert(QStringLiteral("folder"), o.folder);
    const int code = it->second.run(o, out);
    if (!out.contains(QStringLiteral("verified")))
        out.insert(QStringLiteral("verified"), false);
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
    if (code != 0)
        std::fprintf(stderr, "tandem-bench-imap: %s\n", qPrintable(out.value(QStringLiteral("error")).toString()));
    return code;
}
