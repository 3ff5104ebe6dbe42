// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The store-sync benchmarks of issue 12: a first sync against the raw floor
// (floor.cpp), a resync with nothing changed (time and IMAP commands per
// folder), and a flag change while bodies are prefetched. One JSON line per
// run on stdout; tools/bench/store/run.sh runs them in turn and sums up.

#include "syncbench.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <thread>

#include "commandlog.h"
#include "mailcore/imapclient/imapclient.h"
#include "mailcore/store/imapsync.h"
#include "mailcore/store/mailstore.h"

using namespace mailcore;
using namespace mailcore::store;

namespace benchstore {

Endpoint endpointOf(const SyncOptions &o)
{
    Endpoint e;
    e.host = o.host;
    e.port = o.port;
    e.security = Security::ImplicitTls;
    if (QFile ca(o.caFile); !o.caFile.isEmpty() && ca.open(QIODevice::ReadOnly))
        e.tls.extraCaCertificatesPem = {ca.readAll()};
    return e;
}

int failedWith(QJsonObject &out, const QString &message)
{
    out.insert(QStringLiteral("error"), message);
    return 1;
}

int failed(QJsonObject &out, const QString &what, const Error &error)
{
    return failedWith(out, QString(what + QStringLiteral(": ") + error.toString()));
}

QJsonObject percentiles(std::vector<double> ms)
{
    QJsonObject p{{QStringLiteral("count"), qint64(ms.size())}};
    if (ms.empty())
        return p;
    std::sort(ms.begin(), ms.end());
    const auto rank = [&](double q) { return ms[std::min(ms.size() - 1, size_t(q * double(ms.size())))]; };
    p.insert(QStringLiteral("p50_ms"), rank(0.50));
    p.insert(QStringLiteral("p95_ms"), rank(0.95));
    p.insert(QStringLiteral("p99_ms"), rank(0.99));
    p.insert(QStringLiteral("max_ms"), ms.back());
    return p;
}

namespace {

double msSince(const QElapsedTimer &clock) { return double(clock.nsecsElapsed()) / 1e6; }

std::unique_ptr<ImapClient> clientOf(const SyncOptions &o)
{
    auto client = std::make_unique<ImapClient>(endpointOf(o), o.user, o.password);
    if (o.connections > 0)
        client->setMaxConnectionsPerServer(o.connections);
    return client;
}

/// The store in --store and its one account: made empty when `fresh`, else
/// the one an earlier run left there.
struct OpenStore {
    std::unique_ptr<MailStore> store;
    qint64 account = 0;
    Error error;
};

OpenStore openStore(const SyncOptions &o, bool fresh)
{
    OpenStore s;
    if (fresh)
        QDir(o.storeDir).removeRecursively();
    QDir().mkpath(o.storeDir);
    Result<std::unique_ptr<MailStore>> opened = MailStore::open(o.storeDir + QStringLiteral("/store.sqlite"));
    if (!opened) {
        s.error = opened.error();
        return s;
    }
    s.store = std::move(opened.value());
    const Result<QList<Account>> accounts = s.store->accounts();
    if (accounts && !accounts->isEmpty()) {
        s.account = accounts->first().id;
        return s;
    }
    QFuture<qint64> added = s.store->addAccount(
        Account{0, QStringLiteral("bench"), QStringLiteral("imap"), o.host, o.port, QStringLiteral("tls"), o.user, {}});
    if ((s.error = waitFor(added)).isError())
        return s;
    s.account = added.result();
    return s;
}

int storedCount(MailStore &store, qint64 account, const QString &folder)
{
    const Result<std::optional<Folder>> f = store.folder(account, folder);
    if (!f || !f.value())
        return -1;
    const Result<int> n = store.messageCount(f.value()->id);
    return n ? n.value() : -1;
}

/// The folders a sync of every folder goes through: the store's selectable ones.
QStringList syncedFolders(MailStore &store, qint64 account)
{
    QStringList names;
    const Result<QList<Folder>> folders = store.folders(account);
    if (!folders)
        return names;
    for (const Folder &f : folders.value()) {
        if (f.selectable)
            names << f.name;
    }
    return names;
}

} // namespace

// ---------------------------------------------------------------------------
// Mode "first-sync": a fresh store and a fresh client (connecting counts, as
// in the floor), then ImapSync::syncFolderList() and syncFolder(--folder).
// `connections` in the JSON is how many the client opened (its logins).
// ---------------------------------------------------------------------------
int runFirstSync(const SyncOptions &o, QJsonObject &out)
{
    OpenStore s = openStore(o, true);
    if (s.error.isError())
        return failed(out, QStringLiteral("store"), s.error);
    const CommandLog::Counts before = CommandLog::snapshot();
    QElapsedTimer clock;
    clock.start();
    auto client = clientOf(o);
    ImapSync sync(*s.store, *client, s.account);
    const Result<FolderListReport> list = sync.syncFolderList();
    if (!list)
        return failed(out, QStringLiteral("syncFolderList"), list.error());
    const double listMs = msSince(clock);
    const Result<FolderSyncReport> folder = sync.syncFolder(o.folder);
    if (!folder)
        return failed(out, QStringLiteral("syncFolder"), folder.error());
    const double seconds = msSince(clock) / 1000;
    const CommandLog::Counts sent = CommandLog::since(before);

    out.insert(QStringLiteral("seconds"), seconds);
    out.insert(QStringLiteral("folder_list_ms"), listMs);
    out.insert(QStringLiteral("limit"), client->maxConnectionsPerServer());
    out.insert(QStringLiteral("connections"), sent.logins());
    out.insert(QStringLiteral("commands"), sent.toJson());
    out.insert(QStringLiteral("messages"), folder->added);
    const int stored = storedCount(*s.store, s.account, o.folder);
    out.insert(QStringLiteral("stored"), stored);
    if (folder->added <= 0 || stored != folder->added)
        return failedWith(out, QStringLiteral("added %1, the store holds %2").arg(folder->added).arg(stored));
    return 0;
}

// ---------------------------------------------------------------------------
// Mode "client": the first sync's fetch without the store, to tell the two
// apart: on a fresh client (limit L), the folder's UIDs, then their summaries
// with downloadSummariesAsync, as syncFolder() asks them, counted in the sink.
// Decoding (headers, BODYSTRUCTURE) and the pool are in it; the store's
// writes are not.
// ---------------------------------------------------------------------------
int runClientSummaries(const SyncOptions &o, QJsonObject &out)
{
    const CommandLog::Counts before = CommandLog::snapshot();
    QElapsedTimer clock;
    clock.start();
    auto client = clientOf(o);
    const Result<QList<quint32>> uids = client->allUids(o.folder);
    if (!uids)
        return failed(out, QStringLiteral("allUids"), uids.error());
    std::atomic<qint64> summaries = 0;
    QFuture<BulkDownload> downloaded = client->downloadSummariesAsync(o.folder, uids.value(),
                                                                      [&](MessageSummary &&) { ++summaries; });
    if (const Error e = waitFor(downloaded); e.isError())
        return failed(out, QStringLiteral("downloadSummariesAsync"), e);
    const double seconds = msSince(clock) / 1000;
    const CommandLog::Counts sent = CommandLog::since(before);
    out.insert(QStringLiteral("seconds"), seconds);
    out.insert(QStringLiteral("limit"), client->maxConnectionsPerServer());
    out.insert(QStringLiteral("connections"), sent.logins());
    out.insert(QStringLiteral("commands"), sent.toJson());
    out.insert(QStringLiteral("messages"), qint64(summaries));
    if (summaries != uids->size())
        return failedWith(out, QStringLiteral("got %1 of %2 summaries").arg(summaries).arg(uids->size()));
    return 0;
}

// ---------------------------------------------------------------------------
// Mode "resync": the store in --store (made if there is none) is first
// brought up to date on a client of its own; then, on a fresh client,
// --rounds + 1 times syncFolderList() and syncFolder() of every folder:
// round 0 is the first after a start (the client connects in it), the others
// are warm. Per folder: wall time, IMAP
// commands sent (by name) and what the sync found (all 0 when nothing changed).
// ---------------------------------------------------------------------------
namespace {

/// How the sync found the changes; a method added later shows as its number.
QString methodName(FolderChanges::Method method)
{
    switch (method) {
    case FolderChanges::Method::Full: return QStringLiteral("full");
    case FolderChanges::Method::CondStore: return QStringLiteral("condstore");
    case FolderChanges::Method::QResync: return QStringLiteral("qresync");
    default: return QStringLiteral("method %1").arg(int(method));
    }
}

QJsonObject timedFolderSync(ImapSync &sync, const QString &name, bool &changed, Error &error)
{
    const CommandLog::Counts before = CommandLog::snapshot();
    QElapsedTimer clock;
    clock.start();
    const Result<FolderSyncReport> r = sync.syncFolder(name);
    const double ms = msSince(clock);
    const CommandLog::Counts sent = CommandLog::since(before);
    if (!r) {
        error = r.error();
        return {};
    }
    changed = changed || r->added || r->removed || r->flagsUpdated || r->reset;
    return QJsonObject{{QStringLiteral("folder"), name},
                       {QStringLiteral("ms"), ms},
                       {QStringLiteral("commands"), sent.toJson()},
                       {QStringLiteral("added"), r->added},
                       {QStringLiteral("removed"), r->removed},
                       {QStringLiteral("flags_updated"), r->flagsUpdated},
                       {QStringLiteral("method"), methodName(r->method)}};
}

} // namespace

/// Brings every folder of the store up to date on a client of its own, so
/// that the rounds measured after it find nothing changed.
Error syncEverything(const SyncOptions &o, MailStore &store, qint64 account)
{
    auto client = clientOf(o);
    ImapSync sync(store, *client, account);
    if (const Result<FolderListReport> list = sync.syncFolderList(); !list)
        return list.error();
    for (const QString &name : syncedFolders(store, account)) {
        if (const Result<FolderSyncReport> r = sync.syncFolder(name); !r)
            return r.error();
    }
    return {};
}

int runResync(const SyncOptions &o, QJsonObject &out)
{
    OpenStore s = openStore(o, false);
    if (s.error.isError())
        return failed(out, QStringLiteral("store"), s.error);
    if (const Error e = syncEverything(o, *s.store, s.account); e.isError())
        return failed(out, QStringLiteral("the sync before the rounds"), e);
    auto client = clientOf(o);
    ImapSync sync(*s.store, *client, s.account);
    QJsonArray rounds;
    bool changedInARound = false;
    for (int round = 0; round <= o.rounds; ++round) {
        const CommandLog::Counts before = CommandLog::snapshot();
        QElapsedTimer clock;
        clock.start();
        if (const Result<FolderListReport> list = sync.syncFolderList(); !list)
            return failed(out, QStringLiteral("syncFolderList"), list.error());
        QJsonObject listRun{{QStringLiteral("ms"), msSince(clock)},
                            {QStringLiteral("commands"), CommandLog::since(before).toJson()}};
        QJsonArray folders;
        bool changed = false;
        for (const QString &name : syncedFolders(*s.store, s.account)) {
            Error error;
            folders.append(timedFolderSync(sync, name, changed, error));
            if (error.isError())
                return failed(out, QStringLiteral("syncFolder ") + name, error);
        }
        changedInARound = changedInARound || changed;
        rounds.append(QJsonObject{{QStringLiteral("round"), round},
                                  {QStringLiteral("ms"), msSince(clock)},
                                  {QStringLiteral("commands"), CommandLog::since(before).toJson()},
                                  {QStringLiteral("folder_list"), listRun},
                                  {QStringLiteral("folders"), folders},
                                  {QStringLiteral("changed"), changed}});
    }
    out.insert(QStringLiteral("rounds"), rounds);
    out.insert(QStringLiteral("limit"), client->maxConnectionsPerServer());
    if (changedInARound)
        return failedWith(out, QStringLiteral("a round found changes: not a resync of nothing"));
    return 0;
}

// ---------------------------------------------------------------------------
// Mode "flag": how long a click on a flag takes (addFlagsAsync /
// removeFlagsAsync of \Flagged on --flag-uid of --folder, awaited, as the
// GUI would) on an idle client, then while ImapSync::prefetchBodies(--folder,
// --prefetch) runs on the pool's long work. The store in --store must hold a
// synced folder without bodies (run.sh copies one for every run). Beside it,
// the NOOP round trip of the idle client: the yardstick of "3 round trips".
// ---------------------------------------------------------------------------
namespace {

using FlagChange = std::function<Error(bool add)>;

struct Click {
    double atMs; ///< when it started, from the phase's start
    double ms;   ///< how long it took
};

/// One change every `intervalMs` while `keepGoing()`; each that `counted()`
/// both when it started and when it ended, with its start from `phase`.
std::vector<Click> flagClicks(const FlagChange &change, int intervalMs, const std::function<bool()> &keepGoing,
                              const std::function<bool()> &counted, const QElapsedTimer &phase, int &outside,
                              Error &error)
{
    std::vector<Click> clicks;
    bool add = true;
    auto next = std::chrono::steady_clock::now();
    while (keepGoing()) {
        next += std::chrono::milliseconds(intervalMs);
        const bool started = counted();
        const double atMs = msSince(phase);
        QElapsedTimer clock;
        clock.start();
        if ((error = change(add)).isError())
            return clicks;
        if (started && counted())
            clicks.push_back({atMs, msSince(clock)});
        else
            ++outside;
        add = !add;
        std::this_thread::sleep_until(next);
    }
    return clicks;
}

/// Percentiles of the clicks (after `fromMs` into the phase, if given).
QJsonObject percentilesOf(const std::vector<Click> &clicks, double fromMs = 0)
{
    std::vector<double> ms;
    for (const Click &c : clicks) {
        if (c.atMs >= fromMs)
            ms.push_back(c.ms);
    }
    return percentiles(ms);
}

/// The `n` slowest clicks with when they started: whether the tail gathers
/// somewhere (the prefetch's start: its connections log in) or is spread.
QJsonArray slowest(std::vector<Click> clicks, int n)
{
    std::sort(clicks.begin(), clicks.end(), [](const Click &a, const Click &b) { return a.ms > b.ms; });
    QJsonArray out;
    for (int i = 0; i < n && i < int(clicks.size()); ++i)
        out.append(QJsonObject{{QStringLiteral("at_ms"), qRound(clicks[size_t(i)].atMs)},
                               {QStringLiteral("ms"), qRound(clicks[size_t(i)].ms * 10) / 10.0}});
    return out;
}

} // namespace

int runFlagDuringPrefetch(const SyncOptions &o, QJsonObject &out)
{
    OpenStore s = openStore(o, false);
    if (s.error.isError())
        return failed(out, QStringLiteral("store"), s.error);
    if (storedCount(*s.store, s.account, o.folder) <= 0)
        return failedWith(out, QStringLiteral("the store holds no synced %1").arg(o.folder));
    auto client = clientOf(o);
    ImapSync sync(*s.store, *client, s.account);
    // Another folder than the one prefetched tells the server's cost of a
    // change in a folder being read from the client's own.
    const QString flagFolder = o.flagFolder.isEmpty() ? o.folder : o.flagFolder;
    QList<quint32> clicked{o.flagUid};
    if (!o.flagFolder.isEmpty()) {
        const Result<QList<quint32>> uids = client->allUids(flagFolder);
        if (!uids || uids->isEmpty())
            return failedWith(out, QStringLiteral("no message to click in %1").arg(flagFolder));
        clicked = {uids->first()};
    }
    const QList<QByteArray> flag{QByteArrayLiteral("\\Flagged")};
    const FlagChange change = [&](bool add) {
        // --sync-flags: the synchronous form runs on this thread (no task of
        // the pool), which tells a wait for a task thread from one for the wire.
        if (o.syncFlags)
            return add ? client->addFlags(flagFolder, clicked, flag) : client->removeFlags(flagFolder, clicked, flag);
        QFuture<void> f = add ? client->addFlagsAsync(flagFolder, clicked, flag)
                              : client->removeFlagsAsync(flagFolder, clicked, flag);
        return waitFor(f);
    };

    // The idle yardsticks. The first NOOP logs in and the first change
    // selects the folder: neither is counted.
    if (const Error e = client->noop(); e.isError())
        return failed(out, QStringLiteral("NOOP"), e);
    std::vector<double> noopMs;
    for (int i = 0; i < o.count; ++i) {
        QElapsedTimer clock;
        clock.start();
        if (const Error e = client->noop(); e.isError())
            return failed(out, QStringLiteral("NOOP"), e);
        noopMs.push_back(msSince(clock));
    }
    if (const Error e = change(false); e.isError())
        return failed(out, QStringLiteral("flag change"), e);
    int idleDone = 0, outside = 0;
    Error error;
    QElapsedTimer phase;
    phase.start();
    const std::vector<Click> idle = flagClicks(
        change, o.intervalMs, [&] { return idleDone++ < o.count; }, [] { return true; }, phase, outside, error);
    if (error.isError())
        return failed(out, QStringLiteral("flag change"), error);

    // The same clicks while the prefetch runs in another thread.
    std::atomic<bool> prefetching{true};
    Result<int> prefetched = 0;
    double prefetchSeconds = 0;
    phase.restart();
    std::thread prefetch([&] {
        prefetched = sync.prefetchBodies(o.folder, o.prefetch);
        prefetchSeconds = msSince(phase) / 1000;
        prefetching = false;
    });
    outside = 0;
    const auto running = [&] { return prefetching.load(); };
    const std::vector<Click> during = flagClicks(change, o.intervalMs, running, running, phase, outside, error);
    prefetch.join();
    (void)change(false); // the message as the corpus had it
    if (error.isError())
        return failed(out, QStringLiteral("flag change during the prefetch"), error);
    if (!prefetched)
        return failed(out, QStringLiteral("prefetchBodies"), prefetched.error());

    out.insert(QStringLiteral("limit"), client->maxConnectionsPerServer());
    out.insert(QStringLiteral("interval_ms"), o.intervalMs);
    out.insert(QStringLiteral("flag_folder"), flagFolder);
    out.insert(QStringLiteral("sync_flags"), o.syncFlags);
    out.insert(QStringLiteral("flag_uid"), qint64(clicked.first()));
    out.insert(QStringLiteral("noop"), percentiles(noopMs));
    out.insert(QStringLiteral("flag_idle"), percentilesOf(idle));
    out.insert(QStringLiteral("flag_during"), percentilesOf(during));
    out.insert(QStringLiteral("flag_during_after_1s"), percentilesOf(during, 1000));
    out.insert(QStringLiteral("flag_during_slowest"), slowest(during, 8));
    out.insert(QStringLiteral("flag_outside_prefetch"), outside);
    out.insert(QStringLiteral("prefetch_seconds"), prefetchSeconds);
    out.insert(QStringLiteral("bodies_stored"), prefetched.value());
    if (prefetched.value() <= 0 || during.empty())
        return failedWith(out,
                          QStringLiteral("nothing measured during a prefetch (bodies stored: %1; the store "
                                         "must have none of them yet)")
                              .arg(prefetched.value()));
    return 0;
}

// ---------------------------------------------------------------------------
// The command line.
// ---------------------------------------------------------------------------
namespace {

/// KEY='value' lines of the kit's kit.env.
QHash<QString, QString> readKitEnv(const QString &path)
{
    QHash<QString, QString> env;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return env;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0 || line.startsWith(QLatin1Char('#')))
            continue;
        QString value = line.mid(eq + 1);
        if (value.size() >= 2 && value.startsWith(QLatin1Char('\'')) && value.endsWith(QLatin1Char('\'')))
            value = value.mid(1, value.size() - 2);
        env.insert(line.left(eq), value);
    }
    return env;
}

const std::map<QString, std::function<int(const SyncOptions &, QJsonObject &)>> &modes()
{
    static const std::map<QString, std::function<int(const SyncOptions &, QJsonObject &)>> all = {
        {QStringLiteral("floor"), runSummaryFloor},      {QStringLiteral("first-sync"), runFirstSync},
        {QStringLiteral("client"), runClientSummaries},  {QStringLiteral("resync"), runResync},
        {QStringLiteral("flag"), runFlagDuringPrefetch},
    };
    return all;
}

} // namespace

int syncBenchMain()
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("The store-sync benchmarks (issue 12); one JSON line per run."));
    p.addHelpOption();
    const auto option = [&](const char *name, const char *help, const char *def = nullptr) {
        QCommandLineOption o(QString::fromLatin1(name), QString::fromLatin1(help), QStringLiteral("value"));
        if (def)
            o.setDefaultValue(QString::fromLatin1(def));
        p.addOption(o);
        return o;
    };
    const auto mode = option("mode", "floor | first-sync | client | resync | flag");
    const auto kitEnv = option("kit-env", "the kit's kit.env: host, IMAPS port, CA, user 1 and password");
    const auto port = option("port", "the IMAPS port (e.g. the delay proxy's), instead of the kit's");
    const auto folder = option("folder", "the folder synced, fetched or prefetched", "Bench");
    const auto storeDir = option("store", "folder of the store");
    const auto connections = option("connections", "the client's limit, or the floor's connections", "0");
    const auto batch = option("batch", "floor: UIDs per UID FETCH", "300");
    const auto depth = option("depth", "floor: commands in flight per connection", "4");
    const auto limit = option("limit", "floor: the first N UIDs only", "0");
    const auto rounds = option("rounds", "resync: warm rounds after the first", "3");
    const auto count = option("count", "flag: idle NOOPs and idle flag changes", "100");
    const auto interval = option("interval-ms", "flag: one change per interval", "20");
    const auto prefetch = option("prefetch", "flag: newest bodies prefetched", "10000");
    const auto flagUid = option("flag-uid", "flag: the message clicked", "1");
    const auto flagFolder = option("flag-folder", "flag: click the first message of this folder instead");
    QCommandLineOption syncFlags(QStringLiteral("sync-flags"),
                                 QStringLiteral("flag: addFlags()/removeFlags() on this thread, not the async forms"));
    p.addOption(syncFlags);
    p.process(*QCoreApplication::instance());

    SyncOptions o;
    const QHash<QString, QString> env = readKitEnv(p.value(kitEnv));
    o.host = env.value(QStringLiteral("TANDEM_KIT_HOST"), o.host);
    o.port = quint16(env.value(QStringLiteral("TANDEM_KIT_IMAPS_PORT")).toUInt());
    o.caFile = env.value(QStringLiteral("TANDEM_KIT_CA_CERT"));
    o.user = env.value(QStringLiteral("TANDEM_KIT_USER1"));
    o.password = env.value(QStringLiteral("TANDEM_KIT_PASSWORD1"));
    if (p.isSet(port))
        o.port = quint16(p.value(port).toUInt());
    o.folder = p.value(folder);
    o.storeDir = p.value(storeDir);
    o.connections = std::clamp(p.value(connections).toInt(), 0, 100);
    o.batch = std::clamp(p.value(batch).toInt(), 1, 5000);
    o.depth = std::clamp(p.value(depth).toInt(), 1, 64);
    o.limit = std::max(0, p.value(limit).toInt());
    o.rounds = std::clamp(p.value(rounds).toInt(), 0, 50);
    o.count = std::clamp(p.value(count).toInt(), 1, 10000);
    o.intervalMs = std::clamp(p.value(interval).toInt(), 1, 10000);
    o.prefetch = std::clamp(p.value(prefetch).toInt(), 1, 1'000'000);
    o.flagUid = std::max(1u, p.value(flagUid).toUInt());
    o.flagFolder = p.value(flagFolder);
    o.syncFlags = p.isSet(syncFlags);

    const auto run = modes().find(p.value(mode));
    if (run == modes().end()) {
        std::fprintf(stderr, "tandem-bench-store: --mode floor|first-sync|client|resync|flag\n");
        return 2;
    }
    const bool needsStore = run->first != QStringLiteral("floor") && run->first != QStringLiteral("client");
    if (o.port == 0 || o.user.isEmpty() || (o.storeDir.isEmpty() && needsStore)) {
        std::fprintf(stderr, "tandem-bench-store: --kit-env (or --port) and --store are needed\n");
        return 2;
    }
    CommandLog::install();
    QJsonObject out{{QStringLiteral("mode"), run->first}, {QStringLiteral("port"), o.port}};
    const int code = run->second(o, out);
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
    if (code != 0)
        std::fprintf(stderr, "tandem-bench-store: %s\n", qPrintable(out.value(QStringLiteral("error")).toString()));
    return code;
}

} // namespace benchstore
