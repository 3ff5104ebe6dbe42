// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Stress test of the pooled ImapClient against the kit's real Dovecot (issue 4):
// 32 threads x 200 mixed operations at limits 1, 2 and 10, and one run where the
// client is disposed while the threads work. It checks that every fetched
// message is byte-identical to the server's copy, that every operation ends
// exactly once, and that nothing hangs (a deadline per run that lists what is
// still pending). Leaks are LeakSanitizer's job in the test build.

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QTest>
#include <QUuid>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "mailcore/imap/connection.h"
#include "mailcore/imap/requests.h"
#include "mailcore/imapclient/imapclient.h"
#include "pool/poolhelpers.h"
#include "support/kitenv.h"
#include "support/outcome.h"

using namespace mailcore;
using namespace std::chrono_literals;
using tandem::test::KitEnv;
using tandem::test::outcome;
using tandem::test::sha256;

namespace {

constexpr int kThreads = 32;
constexpr int kOpsPerThread = 200;
constexpr int kWindow = 4; // asynchronous operations one thread keeps in flight
// A hang is no operation ending for kStall: a slow or shared machine makes a
// run longer, not stuck. kRunDeadline only keeps a run that still trickles
// from outliving CTest's timeout; it is no speed requirement (a run under
// ASan with both cores taken by other work took over 240 s at limit 1).
constexpr auto kStall = 30s;
constexpr auto kRunDeadline = 900s;
constexpr auto kLeaseWait = 60s; // createConnection() waiting longer is starvation
// Folders of the corpus that no other test adds to or removes from, so their
// counts are the manifest's ("Large" is left out: its messages cost time, not coverage).
const QStringList kCorpusFolders{QStringLiteral("INBOX"), QStringLiteral("Archive"), QStringLiteral("Work"),
                                 QStringLiteral("Lists"), QStringLiteral("Sent")};

/// What the server holds, from the kit's corpus manifest: per folder, in UID
/// order, each message's SHA-256 and RFC822.SIZE.
struct Corpus {
    struct Message {
        QByteArray sha256;
        quint64 size = 0;
    };
    QHash<QString, QList<Message>> folders;

    quint32 count(const QString &folder) const { return quint32(folders.value(folder).size()); }
    const Message &at(const QString &folder, quint32 uid) const { return folders.find(folder)->at(int(uid) - 1); }
};

/// Every operation of a run: begun before it is issued, ended exactly once
/// when its result (or error) is known. Any thread.
class Ledger
{
public:
    explicit Ledger(int operations)
        : m_endings(size_t(operations))
    {
    }

    void begin(int id, QString what)
    {
        std::lock_guard lock(m_mutex);
        m_pending.emplace(id, Pending{std::move(what), std::chrono::steady_clock::now()});
    }
    /// `alsoUnderLock` updates the caller's own state with the ledger's lock
    /// held, and waiters are woken before it is released: once a waiter sees
    /// the change, this call touches nothing any more (the run may be gone).
    void end(int id, const std::function<void()> &alsoUnderLock = {})
    {
        if (++m_endings[size_t(id)] > 1)
            problem(QStringLiteral("operation %1 ended %2 times").arg(id).arg(m_endings[size_t(id)].load()));
        std::lock_guard lock(m_mutex);
        if (auto it = m_pending.find(id); it != m_pending.end()) {
            // Time per kind of operation ("fetchMessageAsync", "noop sync"...), for the run's summary.
            const QString kind = it->second.what.section(QLatin1Char('('), 0, 0);
            Timing &t = m_timings[kind];
            ++t.count;
            t.total += std::chrono::steady_clock::now() - it->second.since;
            m_pending.erase(it);
        }
        ++m_ended;
        if (alsoUnderLock)
            alsoUnderLock();
        m_changed.notify_all();
    }
    bool hasEnded(int id) const { return m_endings[size_t(id)] > 0; }
    int ended() const
    {
        std::lock_guard lock(m_mutex);
        return m_ended;
    }
    void problem(const QString &text)
    {
        std::lock_guard lock(m_mutex);
        if (m_problems.size() < 50) // the first ones say enough
            m_problems << text;
        ++m_problemCount;
    }
    QStringList problems() const
    {
        std::lock_guard lock(m_mutex);
        QStringList all = m_problems;
        if (m_problemCount > m_problems.size())
            all << QStringLiteral("... and %1 more").arg(m_problemCount - m_problems.size());
        return all;
    }
    QStringList pending() const
    {
        std::lock_guard lock(m_mutex);
        QStringList out;
        for (const auto &[id, pending] : m_pending)
            out << QStringLiteral("#%1 %2").arg(id).arg(pending.what);
        return out;
    }
    /// "fetchMessageAsync: 1021 x 35 ms" per kind, slowest first.
    QStringList timings() const
    {
        std::lock_guard lock(m_mutex);
        std::vector<std::pair<double, QString>> rows;
        for (const auto &[kind, t] : m_timings) {
            const double ms = std::chrono::duration<double, std::milli>(t.total).count() / t.count;
            rows.emplace_back(ms, QStringLiteral("%1: %2 x %3 ms").arg(kind).arg(t.count).arg(ms, 0, 'f', 1));
        }
        std::sort(rows.begin(), rows.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
        QStringList out;
        for (const auto &row : rows)
            out << row.second;
        return out;
    }
    /// Waits until `done` holds or `deadline` passes (false then).
    template <typename Done>
    bool waitUntil(Done done, std::chrono::steady_clock::time_point deadline)
    {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_until(lock, deadline, [&] {
            lock.unlock();
            const bool d = done();
            lock.lock();
            return d;
        });
    }
    int pendingCount() const
    {
        std::lock_guard lock(m_mutex);
        return int(m_pending.size());
    }
    /// For state kept outside the ledger: taking the lock first means a waiter
    /// between its check and its wait cannot miss the change.
    void wake()
    {
        std::lock_guard lock(m_mutex);
        m_changed.notify_all();
    }

private:
    std::vector<std::atomic<int>> m_endings;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    struct Pending {
        QString what;
        std::chrono::steady_clock::time_point since;
    };
    struct Timing {
        int count = 0;
        std::chrono::steady_clock::duration total{};
    };
    std::map<int, Pending> m_pending;
    std::map<QString, Timing> m_timings;
    int m_ended = 0;
    QStringList m_problems;
    int m_problemCount = 0;
};

/// Disposing: dispose() is running, operations may end as Cancelled.
/// Disposed: it has returned, every operation issued now must end as Cancelled.
enum class Phase { Running, Disposing, Disposed };

/// What one run shares between its threads.
struct Run {
    ImapClient *client = nullptr;
    const Corpus *corpus = nullptr;
    QString folder; // this run's own folder: appends and flag changes go there only
    bool leases = false;
    Ledger ledger{kThreads * kOpsPerThread};
    std::chrono::steady_clock::time_point deadline;
    std::atomic<Phase> phase{Phase::Running};
    std::atomic<int> threadsDoneWithClient{0};
};

/// One thread's state: the messages it appended (UID -> bytes), the flag it
/// owns on them and which of them carry it now.
class Worker
{
public:
    Worker(Run &run, int index)
        : m_run(run)
        , m_index(index)
        , m_random(std::mt19937::result_type(0x5eed0000 + index))
        , m_flag("$S" + QByteArray::number(index))
    {
    }

    void operator()();
    /// After the run: the flags the server shows are the ones this thread left.
    void checkFlags(const QList<MessageSummary> &summaries) const;

private:
    enum class Kind {
        FetchSync,
        FetchAsync,
        FetchMany,
        ListMessages,
        Status,
        ListFolders,
        AddFlags,
        RemoveFlags,
        Append,
        FetchAppended,
        Search,
        Noop
    };

    Kind pickKind();
    void perform(Kind kind, int id, bool async);
    bool waitForWindow(int most);
    /// Runs `check` on the future's outcome in whichever thread finishes it,
    /// then ends the operation: the future must finish exactly once.
    /// `disposedBefore`: issued after dispose() had returned.
    template <typename T, typename Check>
    void whenDone(int id, bool disposedBefore, QFuture<T> future, Check check);
    /// The error is acceptable: none, or Cancelled once the client is being disposed.
    void expectOk(int id, const QString &what, const Error &error, bool disposedBefore);
    /// A message to append and the word SEARCH TEXT finds in it alone.
    std::pair<QByteArray, QByteArray> newMessage(int id);
    quint32 randomUid(const QString &folder) { return 1 + m_random() % m_run.corpus->count(folder); }
    const QString &randomFolder() { return kCorpusFolders.at(int(m_random() % kCorpusFolders.size())); }
    struct Appended {
        quint32 uid = 0;
        QByteArray message;
        QByteArray token;
    };
    /// One of the messages this thread appended so far, at random; none before the first.
    std::optional<Appended> randomAppended()
    {
        std::lock_guard lock(m_mutex);
        if (m_appended.empty())
            return std::nullopt;
        auto it = m_appended.begin();
        std::advance(it, m_random() % m_appended.size());
        return Appended{it->first, it->second, m_tokens[it->first]};
    }
    int opId(int i) const { return m_index * kOpsPerThread + i; }

    Run &m_run;
    int m_index;
    std::mt19937 m_random;
    QByteArray m_flag;
    std::atomic<int> m_inFlight{0};
    std::mutex m_mutex; // m_appended is filled from task threads (async appends)
    std::map<quint32, QByteArray> m_appended;
    std::map<quint32, QByteArray> m_tokens; // UID -> the unique word in its text
    QSet<quint32> m_flagged;
    int m_lastFlagOp = -1;
    bool m_leased = false;
};

Worker::Kind Worker::pickKind()
{
    // Weights: mostly fetches (the point of a pool), the rest of the API often enough.
    static const std::vector<std::pair<Kind, int>> weights{
        {Kind::FetchSync, 14}, {Kind::FetchAsync, 16},   {Kind::FetchMany, 6}, {Kind::ListMessages, 8},
        {Kind::Status, 8},     {Kind::ListFolders, 4},   {Kind::AddFlags, 6},  {Kind::RemoveFlags, 5},
        {Kind::Append, 8},     {Kind::FetchAppended, 8}, {Kind::Search, 6},    {Kind::Noop, 8}};
    static const int total = [] {
        int t = 0;
        for (const auto &w : weights)
            t += w.second;
        return t;
    }();
    int r = int(m_random() % unsigned(total));
    for (const auto &[kind, weight] : weights) {
        if (r < weight)
            return kind;
        r -= weight;
    }
    return Kind::Noop;
}

void Worker::operator()()
{
    ConnectionLease lease;
    // Some threads take a connection of their own (S11) for a stretch of their
    // work, twice; with a limit of 1 that is an error (S13), so they do not.
    const bool leaser = m_run.leases && m_index % 8 == 7;
    int afterDispose = 0;
    for (int i = 0; i < kOpsPerThread; ++i) {
        const bool disposed = m_run.phase != Phase::Running;
        if (disposed && ++afterDispose > 10)
            break; // ten operations after dispose() show that they are cancelled; enough
        if (leaser && (i == 40 || i == 120) && !disposed) {
            // Its asynchronous work ends first: at limit 2 a long task would
            // wait for the place this thread is about to hold (S08), and the
            // thread must never wait for it while holding that place.
            if (!waitForWindow(0))
                break;
            lease = m_run.client->createConnection(QDeadlineTimer(kLeaseWait));
            m_leased = lease.isValid();
            if (!m_leased && !(m_run.phase != Phase::Running && lease.error().code() == ErrorCode::Cancelled))
                m_run.ledger.problem(QStringLiteral("thread %1: createConnection() failed: %2")
                                         .arg(m_index)
                                         .arg(lease.error().toString()));
        }
        if (leaser && (i == 80 || i == 160)) {
            lease.release();
            m_leased = false;
        }
        // A thread with its own connection works on it synchronously: its
        // asynchronous work would wait for the place it holds itself (limit 2).
        const bool async = !m_leased && m_random() % 2 == 0;
        if (!m_leased && !waitForWindow(kWindow - 1))
            break;
        perform(pickKind(), opId(i), async);
    }
    lease.release(); // before the client can go (a lease must not outlive it)
    ++m_run.threadsDoneWithClient;
    m_run.ledger.wake();
    waitForWindow(0);
}

bool Worker::waitForWindow(int most)
{
    return m_run.ledger.waitUntil([&] { return m_inFlight <= most; }, m_run.deadline);
}

void Worker::expectOk(int id, const QString &what, const Error &error, bool disposedBefore)
{
    if (!error.isError()) {
        if (disposedBefore)
            m_run.ledger.problem(QStringLiteral("#%1 %2 succeeded though issued after dispose()").arg(id).arg(what));
        return;
    }
    // Once dispose() was called, Cancelled is the one allowed failure (S14);
    // before, nothing may fail.
    if (error.code() == ErrorCode::Cancelled && (disposedBefore || m_run.phase != Phase::Running))
        return;
    m_run.ledger.problem(QStringLiteral("#%1 %2 failed: %3").arg(id).arg(what, error.toString()));
}

template <typename T, typename Check>
void Worker::whenDone(int id, bool disposedBefore, QFuture<T> future, Check check)
{
    ++m_inFlight; // (may be ended at once, in this thread, if the future is finished)
    const auto finish = [this, id] { m_run.ledger.end(id, [this] { --m_inFlight; }); };
    future
        .then(QtFuture::Launch::Sync,
              [check, finish, disposedBefore](QFuture<T> f) {
                  Error error;
                  try {
                      f.waitForFinished();
                  } catch (const MailException &e) {
                      error = e.error();
                  } catch (...) {
                      error = Error(ErrorCode::Internal, QStringLiteral("an exception that is not a MailException"));
                  }
                  check(f, error, disposedBefore);
                  finish();
              })
        .onCanceled([this, id, finish] {
            // Nothing in the API cancels a future without an error; a disposal says Cancelled.
            if (m_run.phase == Phase::Running)
                m_run.ledger.problem(QStringLiteral("#%1 was cancelled without an error").arg(id));
            finish();
        });
}

std::pair<QByteArray, QByteArray> Worker::newMessage(int id)
{
    // A unique word that SEARCH TEXT finds in exactly this message ("zq7x12qz"
    // is no substring of another thread's or operation's word), and a size
    // from a few hundred bytes to tens of KB, so literals cross TLS records.
    const QByteArray token = "zq" + QByteArray::number(m_index) + 'x' + QByteArray::number(id) + "qz";
    QByteArray m = "From: Stress <stress@tandem.test>\r\nTo: alice@example.org\r\nSubject: stress " + token
        + "\r\nMessage-ID: <" + token
        + "@tandem.test>\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n"
          "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n";
    const int lines = 3 + int(m_random() % 600);
    for (int l = 0; l < lines; ++l) {
        m += l % 17 == 0 ? QByteArray(".dot-stuffed line ") : QByteArray("line ");
        m += QByteArray::number(l) + ' ' + QByteArray(int(m_random() % 70), char('a' + l % 26)) + "\r\n";
    }
    m += "the end of " + token + "\r\n";
    return {m, token};
}

void Worker::perform(Kind kind, int id, bool async)
{
    ImapClient &c = *m_run.client;
    const Corpus &corpus = *m_run.corpus;
    Ledger &ledger = m_run.ledger;
    const bool disposedBefore = m_run.phase == Phase::Disposed;
    const QString how = async ? QStringLiteral("async") : QStringLiteral("sync");

    switch (kind) {
    case Kind::FetchSync:
    case Kind::FetchAsync: {
        const QString folder = randomFolder();
        const quint32 uid = randomUid(folder);
        const QString what = QStringLiteral("fetchMessage%1(%2, %3)")
                                 .arg(kind == Kind::FetchAsync ? QStringLiteral("Async") : QString(), folder)
                                 .arg(uid);
        const QByteArray expected = corpus.at(folder, uid).sha256;
        const auto check = [=, this](const QByteArray &bytes, const Error &error, bool before) {
            expectOk(id, what, error, before);
            if (!error.isError() && sha256(bytes) != expected)
                m_run.ledger.problem(QStringLiteral("#%1 %2: %3 bytes that differ from the server's copy")
                                         .arg(id)
                                         .arg(what)
                                         .arg(bytes.size()));
        };
        ledger.begin(id, what);
        if (kind == Kind::FetchAsync) {
            whenDone(id, disposedBefore, c.fetchMessageAsync(folder, uid),
                     [=, this](const QFuture<QByteArray> &f, const Error &e, bool before) {
                         if (!e.isError() && f.resultCount() != 1)
                             m_run.ledger.problem(
                                 QStringLiteral("#%1 %2: %3 results").arg(id).arg(what).arg(f.resultCount()));
                         check(e.isError() || f.resultCount() == 0 ? QByteArray() : f.result(), e, before);
                     });
            return;
        }
        const Result<QByteArray> r = c.fetchMessage(folder, uid);
        check(r ? r.value() : QByteArray(), r ? Error() : r.error(), disposedBefore);
        ledger.end(id);
        return;
    }
    case Kind::FetchMany: {
        if (m_leased) // only an asynchronous form exists
            return perform(Kind::FetchSync, id, false);
        const QString folder = randomFolder();
        QList<quint32> uids;
        const int n = 3 + int(m_random() % 10);
        for (int k = 0; k < n; ++k) {
            const quint32 uid = randomUid(folder);
            if (!uids.contains(uid))
                uids << uid;
        }
        const QString what = QStringLiteral("fetchMessagesAsync(%1, %2 UIDs)").arg(folder).arg(uids.size());
        ledger.begin(id, what);
        whenDone(id, disposedBefore, c.fetchMessagesAsync(folder, uids),
                 [=, this](const QFuture<FetchedMessage> &f, const Error &e, bool before) {
                     expectOk(id, what, e, before);
                     QSet<quint32> seen;
                     // After an error the partial results cannot be read (results() rethrows).
                     const QList<FetchedMessage> got = e.isError() ? QList<FetchedMessage>() : f.results();
                     for (const FetchedMessage &m : got) {
                         if (!uids.contains(m.uid) || seen.contains(m.uid))
                             m_run.ledger.problem(
                                 QStringLiteral("#%1 %2: UID %3 unasked or given twice").arg(id).arg(what).arg(m.uid));
                         seen.insert(m.uid);
                         if (sha256(m.data) != corpus.at(folder, m.uid).sha256)
                             m_run.ledger.problem(QStringLiteral("#%1 %2: UID %3 differs from the server's copy")
                                                      .arg(id)
                                                      .arg(what)
                                                      .arg(m.uid));
                     }
                     if (!e.isError() && seen.size() != uids.size())
                         m_run.ledger.problem(QStringLiteral("#%1 %2: %3 of %4 messages")
                                                  .arg(id)
                                                  .arg(what)
                                                  .arg(seen.size())
                                                  .arg(uids.size()));
                 });
        return;
    }
    case Kind::ListMessages: {
        const QString folder = randomFolder();
        const quint32 first = randomUid(folder);
        const quint32 last = std::min(corpus.count(folder), first + 9);
        const QString what = QStringLiteral("listMessages %1(%2, %3:%4)").arg(how, folder).arg(first).arg(last);
        const auto check = [=, this](const QList<MessageSummary> &list, const Error &error, bool before) {
            expectOk(id, what, error, before);
            if (error.isError())
                return;
            bool right = list.size() == int(last - first + 1);
            for (int k = 0; right && k < list.size(); ++k)
                right = list[k].uid == first + quint32(k) && list[k].size == corpus.at(folder, list[k].uid).size;
            if (!right)
                m_run.ledger.problem(
                    QStringLiteral("#%1 %2: wrong list (%3 entries)").arg(id).arg(what).arg(list.size()));
        };
        ledger.begin(id, what);
        if (async) {
            whenDone(id, disposedBefore, c.listMessagesAsync(folder, first, last),
                     [=](const auto &f, const Error &e, bool before) {
                         check(e.isError() ? QList<MessageSummary>() : f.result(), e, before);
                     });
            return;
        }
        const auto r = c.listMessages(folder, first, last);
        check(r ? r.value() : QList<MessageSummary>(), r ? Error() : r.error(), disposedBefore);
        ledger.end(id);
        return;
    }
    case Kind::Status: {
        const QString folder = randomFolder();
        const QString what = QStringLiteral("folderStatus %1(%2)").arg(how, folder);
        const auto check = [=, this](const FolderStatus &s, const Error &error, bool before) {
            expectOk(id, what, error, before);
            if (!error.isError() && (s.messages != corpus.count(folder) || s.uidValidity == 0))
                m_run.ledger.problem(QStringLiteral("#%1 %2: %3 messages").arg(id).arg(what).arg(s.messages));
        };
        ledger.begin(id, what);
        if (async) {
            whenDone(id, disposedBefore, c.folderStatusAsync(folder), [=](const auto &f, const Error &e, bool before) {
                check(e.isError() ? FolderStatus() : f.result(), e, before);
            });
            return;
        }
        const auto r = c.folderStatus(folder);
        check(r ? r.value() : FolderStatus(), r ? Error() : r.error(), disposedBefore);
        ledger.end(id);
        return;
    }
    case Kind::ListFolders: {
        const QString what = QStringLiteral("listFolders %1").arg(how);
        const QString own = m_run.folder;
        const auto check = [=, this](const QList<FolderInfo> &folders, const Error &error, bool before) {
            expectOk(id, what, error, before);
            if (error.isError())
                return;
            QSet<QString> names;
            for (const FolderInfo &f : folders)
                names.insert(f.name);
            for (const QString &name : kCorpusFolders + QStringList{own}) {
                if (!names.contains(name))
                    m_run.ledger.problem(QStringLiteral("#%1 %2: %3 is missing").arg(id).arg(what, name));
            }
        };
        ledger.begin(id, what);
        if (async) {
            whenDone(id, disposedBefore, c.listFoldersAsync(), [=](const auto &f, const Error &e, bool before) {
                check(e.isError() ? QList<FolderInfo>() : f.result(), e, before);
            });
            return;
        }
        const auto r = c.listFolders();
        check(r ? r.value() : QList<FolderInfo>(), r ? Error() : r.error(), disposedBefore);
        ledger.end(id);
        return;
    }
    case Kind::AddFlags:
    case Kind::RemoveFlags: {
        const std::optional<Appended> picked = randomAppended();
        if (!picked)
            return perform(Kind::Append, id, async);
        const quint32 uid = picked->uid;
        // This thread's flag changes are ordered (the previous one has ended),
        // so the flags the server shows at the end are the last ones asked for.
        if (m_lastFlagOp >= 0
            && !m_run.ledger.waitUntil([&] { return m_run.ledger.hasEnded(m_lastFlagOp); }, m_run.deadline))
            return;
        m_lastFlagOp = id;
        const bool add = kind == Kind::AddFlags;
        const QString what = QStringLiteral("%1Flags %2(%3, %4)")
                                 .arg(add ? QStringLiteral("add") : QStringLiteral("remove"), how, m_run.folder)
                                 .arg(uid);
        if (add)
            m_flagged.insert(uid);
        else
            m_flagged.remove(uid);
        ledger.begin(id, what);
        if (async) {
            auto f = add ? c.addFlagsAsync(m_run.folder, {uid}, {m_flag})
                         : c.removeFlagsAsync(m_run.folder, {uid}, {m_flag});
            whenDone(id, disposedBefore, f,
                     [=, this](const auto &, const Error &e, bool before) { expectOk(id, what, e, before); });
            return;
        }
        const Error e = add ? c.addFlags(m_run.folder, {uid}, {m_flag}) : c.removeFlags(m_run.folder, {uid}, {m_flag});
        expectOk(id, what, e, disposedBefore);
        ledger.end(id);
        return;
    }
    case Kind::Append: {
        const std::pair<QByteArray, QByteArray> made = newMessage(id);
        const QByteArray message = made.first;
        const QByteArray token = made.second;
        const QString what =
            QStringLiteral("appendMessage %1(%2, %3 bytes)").arg(how, m_run.folder).arg(message.size());
        const auto check = [=, this](quint32 uid, const Error &error, bool before) {
            expectOk(id, what, error, before);
            if (error.isError())
                return;
            if (uid == 0) {
                m_run.ledger.problem(QStringLiteral("#%1 %2: no UID (Dovecot has UIDPLUS)").arg(id).arg(what));
                return;
            }
            std::lock_guard lock(m_mutex);
            if (m_appended.count(uid))
                m_run.ledger.problem(QStringLiteral("#%1 %2: UID %3 given twice").arg(id).arg(what).arg(uid));
            m_appended[uid] = message;
            m_tokens[uid] = token;
        };
        ledger.begin(id, what);
        if (async) {
            whenDone(
                id, disposedBefore, c.appendMessageAsync(m_run.folder, message),
                [=](const auto &f, const Error &e, bool before) { check(e.isError() ? 0 : f.result(), e, before); });
            return;
        }
        const auto r = c.appendMessage(m_run.folder, message);
        check(r ? r.value() : 0, r ? Error() : r.error(), disposedBefore);
        ledger.end(id);
        return;
    }
    case Kind::FetchAppended:
    case Kind::Search: {
        const std::optional<Appended> picked = randomAppended();
        if (!picked)
            return perform(Kind::Append, id, async);
        const quint32 uid = picked->uid;
        const QByteArray expected = picked->message;
        const QByteArray token = picked->token;
        if (kind == Kind::FetchAppended) {
            const QString what = QStringLiteral("fetch appended %1(%2, %3)").arg(how, m_run.folder).arg(uid);
            const auto check = [=, this](const QByteArray &bytes, const Error &error, bool before) {
                expectOk(id, what, error, before);
                if (!error.isError() && bytes != expected)
                    m_run.ledger.problem(QStringLiteral("#%1 %2: %3 bytes back for %4 appended")
                                             .arg(id)
                                             .arg(what)
                                             .arg(bytes.size())
                                             .arg(expected.size()));
            };
            ledger.begin(id, what);
            if (async) {
                whenDone(id, disposedBefore, c.fetchMessageAsync(m_run.folder, uid),
                         [=](const auto &f, const Error &e, bool before) {
                             check(e.isError() ? QByteArray() : f.result(), e, before);
                         });
                return;
            }
            const auto r = c.fetchMessage(m_run.folder, uid);
            check(r ? r.value() : QByteArray(), r ? Error() : r.error(), disposedBefore);
            ledger.end(id);
            return;
        }
        const QString what = QStringLiteral("searchText %1(%2, %3)").arg(how, m_run.folder, QString::fromLatin1(token));
        const auto check = [=, this](const QList<quint32> &found, const Error &error, bool before) {
            expectOk(id, what, error, before);
            if (!error.isError() && found != QList<quint32>{uid})
                m_run.ledger.problem(QStringLiteral("#%1 %2: found %3 messages, not UID %4")
                                         .arg(id)
                                         .arg(what)
                                         .arg(found.size())
                                         .arg(uid));
        };
        ledger.begin(id, what);
        if (async) {
            whenDone(id, disposedBefore, c.searchTextAsync(m_run.folder, QString::fromLatin1(token)),
                     [=](const auto &f, const Error &e, bool before) {
                         check(e.isError() ? QList<quint32>() : f.result(), e, before);
                     });
            return;
        }
        const auto r = c.searchText(m_run.folder, QString::fromLatin1(token));
        check(r ? r.value() : QList<quint32>(), r ? Error() : r.error(), disposedBefore);
        ledger.end(id);
        return;
    }
    case Kind::Noop: {
        const QString what = QStringLiteral("noop %1").arg(how);
        ledger.begin(id, what);
        if (async) {
            whenDone(id, disposedBefore, c.noopAsync(),
                     [=, this](const auto &, const Error &e, bool before) { expectOk(id, what, e, before); });
            return;
        }
        expectOk(id, what, c.noop(), disposedBefore);
        ledger.end(id);
        return;
    }
    }
}

void Worker::checkFlags(const QList<MessageSummary> &summaries) const
{
    for (const MessageSummary &m : summaries) {
        if (!m_appended.count(m.uid))
            continue;
        const bool has = m.flags.contains(m_flag);
        if (has != m_flagged.contains(m.uid))
            m_run.ledger.problem(
                QStringLiteral("thread %1: UID %2 %3 %4 on the server")
                    .arg(m_index)
                    .arg(m.uid)
                    .arg(has ? QStringLiteral("has") : QStringLiteral("lacks"), QString::fromLatin1(m_flag)));
    }
}

/// The pool at the moment a run hangs, for the failure message.
QString describe(const PoolSnapshot &s)
{
    QString text = QStringLiteral(
                       "pool: limit %1 (lowered %2), %3 connections, %4 in use, %5 tasks waiting, %6 running")
                       .arg(s.limit)
                       .arg(s.loweredLimit)
                       .arg(s.connectionCount)
                       .arg(s.inUse)
                       .arg(s.tasksWaiting)
                       .arg(s.tasksRunning);
    for (const PoolConnectionInfo &c : s.connections) {
        text += QStringLiteral("\n  connection %1: role %2, state %3, folder \"%4\", command \"%5\", queue %6")
                    .arg(c.id)
                    .arg(int(c.role))
                    .arg(int(c.state))
                    .arg(c.folder, c.activity.command)
                    .arg(c.activity.queueDepth);
    }
    return text;
}

} // namespace

class TestPoolStress : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void stress_limit1() { stress(1, false); }
    void stress_limit2() { stress(2, false); }
    void stress_limit10() { stress(10, false); }
    void stress_disposeInTheMiddle() { stress(10, true); }

private:
    void stress(int limit, bool disposeMidway);
    Endpoint endpoint() const;
    QString createFolder();

    KitEnv m_env;
    Corpus m_corpus;
};

void TestPoolStress::initTestCase()
{
    m_env = KitEnv::load();
    if (!m_env.isValid())
        QFAIL(qPrintable(m_env.error()));
    const QJsonObject folders = m_env.corpusFolders();
    QVERIFY2(!folders.isEmpty(), "the kit's corpus manifest is readable");
    for (const QString &folder : kCorpusFolders) {
        for (const QJsonValue &entry : folders.value(folder).toArray()) {
            const QJsonObject o = entry.toObject();
            m_corpus.folders[folder] << Corpus::Message{o.value(QStringLiteral("sha256")).toString().toLatin1(),
                                                        quint64(o.value(QStringLiteral("size")).toDouble())};
        }
        QVERIFY2(m_corpus.count(folder) >= 10, qPrintable(folder));
    }
}

Endpoint TestPoolStress::endpoint() const { return m_env.endpoint(QStringLiteral("TANDEM_KIT_IMAPS_PORT")); }

QString TestPoolStress::createFolder()
{
    // A fresh folder per run (the kit may be reused): other tests count the
    // corpus folders, so appends and flag changes must not land there.
    // ImapClient has no createFolder() yet, so one plain connection makes it.
    const QString name = QStringLiteral("stress-") + QUuid::createUuid().toString(QUuid::Id128).left(8);
    imap::ImapConnection connection(imap::SessionSettings{endpoint(), m_env.user(), m_env.password()});
    if (outcome(connection.open()).isError() || outcome(connection.execute(imap::requests::create(name))).isError())
        return {};
    outcome(connection.logout());
    return name;
}

void TestPoolStress::stress(int limit, bool disposeMidway)
{
    const auto started = std::chrono::steady_clock::now();
    Run run;
    run.corpus = &m_corpus;
    run.folder = createFolder();
    QVERIFY2(!run.folder.isEmpty(), "created this run's own folder");
    run.leases = limit > 1;
    run.deadline = started + kRunDeadline;
    auto client = std::make_unique<ImapClient>(endpoint(), m_env.user(), m_env.password());
    QVERIFY(!client->setMaxConnectionsPerServer(limit).isError());
    run.client = client.get();

    std::vector<std::unique_ptr<Worker>> workers;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        workers.push_back(std::make_unique<Worker>(run, t));
        threads.emplace_back(std::ref(*workers.back()));
    }

    const auto allEnded = [&] { return run.ledger.pendingCount() == 0 && run.threadsDoneWithClient == kThreads; };
    if (disposeMidway) {
        // Dispose while every thread is busy: a third of the work has ended.
        run.ledger.waitUntil([&] { return run.ledger.ended() >= kThreads * kOpsPerThread / 3; }, run.deadline);
        run.phase = Phase::Disposing;
        client->dispose();
        run.phase = Phase::Disposed; // from now on every new operation must end as Cancelled
        // Delete the client as soon as no thread calls it any more, while the
        // threads still look at the futures it gave them.
        if (run.ledger.waitUntil([&] { return run.threadsDoneWithClient == kThreads; }, run.deadline)) {
            client.reset();
            run.client = nullptr;
        }
    }

    QStringList hung;
    int pendingAtHang = 0;
    int lastEnded = -1;
    auto lastProgress = std::chrono::steady_clock::now();
    while (!allEnded()) {
        run.ledger.waitUntil(allEnded, std::min(run.deadline, std::chrono::steady_clock::now() + 1s));
        const auto now = std::chrono::steady_clock::now();
        if (run.ledger.ended() != lastEnded) {
            lastEnded = run.ledger.ended();
            lastProgress = now;
        }
        if (allEnded() || (now - lastProgress < kStall && now < run.deadline))
            continue;
        hung = run.ledger.pending();
        pendingAtHang = int(hung.size());
        if (client)
            hung.prepend(describe(client->poolSnapshot()));
        // Free whatever hangs so the threads can be joined (S14: dispose ends everything).
        run.phase = Phase::Disposing;
        if (client)
            client->dispose();
        // Continuations still to come would touch the workers after this
        // function: that must not pass as a mere failure.
        if (!run.ledger.waitUntil(allEnded, std::chrono::steady_clock::now() + 20s))
            qFatal("operations hang even after dispose():\n  %s",
                   qPrintable(run.ledger.pending().join(QStringLiteral("\n  "))));
        break;
    }
    for (auto &t : threads)
        t.join();
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    qInfo("limit %d%s: %d operations ended in %.1f s; mean time per kind: %s", limit,
          disposeMidway ? " (disposed midway)" : "", run.ledger.ended(), seconds,
          qPrintable(run.ledger.timings().join(QStringLiteral(", "))));
    if (!hung.isEmpty())
        QFAIL(qPrintable(
            QStringLiteral("%1 operations still pending (none ended for %2 s, or the run took over %3 s):\n  ")
                .arg(pendingAtHang)
                .arg(std::chrono::duration_cast<std::chrono::seconds>(kStall).count())
                .arg(std::chrono::duration_cast<std::chrono::seconds>(kRunDeadline).count())
            + hung.mid(0, 40).join(QStringLiteral("\n  "))));

    if (!disposeMidway) {
        // The flags each thread left on its appended messages are on the server.
        const auto summaries = client->listMessages(run.folder, 1, 0);
        QVERIFY2(summaries, qPrintable(summaries ? QString() : summaries.error().toString()));
        for (const auto &w : workers)
            w->checkFlags(summaries.value());
        QCOMPARE(run.ledger.ended(), kThreads * kOpsPerThread); // every operation, exactly once
    }
    const QStringList problems = run.ledger.problems();
    QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(TestPoolStress)
#include "tst_pool_stress.moc"
