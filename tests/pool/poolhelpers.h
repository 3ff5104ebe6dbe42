// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Shared by the pool tests against the kit (tst_pool_imap, tst_pool_faults):
// the corpus the server holds, and ways to watch the pool and other threads
// that wait for a condition, never for a fixed time.

#include <QCryptographicHash>
#include <QFuture>
#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <iterator>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>

#include "mailcore/client/credentialsbyhostclient.h"
#include "support/kitenv.h"

namespace tandem::test {

inline QByteArray sha256(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

/// The pool in one line, for failure messages: each connection's id, role,
/// state, command on the wire and queue.
inline QString describe(const mailcore::PoolSnapshot &s)
{
    QStringList connections;
    for (const mailcore::PoolConnectionInfo &i : s.connections)
        connections << QStringLiteral("#%1 %2 %3 \"%4\" queue %5")
                           .arg(i.id)
                           .arg(mailcore::roleName(i.role), mailcore::stateName(i.state), i.activity.command)
                           .arg(i.activity.queueDepth);
    return QStringLiteral("%1 connection(s) [%2], %3 task(s) running, %4 waiting")
        .arg(s.connectionCount)
        .arg(connections.join(QStringLiteral(", ")))
        .arg(s.tasksRunning)
        .arg(s.tasksWaiting);
}

/// The kit's env file and its corpus manifest: alice's folders, each
/// message's facts in UID order (UID = position + 1).
struct KitCorpus {
    KitEnv env;
    QJsonObject folders;
    QString error; ///< empty when both were read; the test must QFAIL otherwise

    static KitCorpus load()
    {
        KitCorpus kit;
        kit.env = KitEnv::load();
        if (!kit.env.isValid()) {
            kit.error = kit.env.error();
            return kit;
        }
        kit.folders = kit.env.corpusFolders();
        if (kit.folders.isEmpty())
            kit.error = QStringLiteral("the kit's corpus manifest %1 is not readable")
                            .arg(kit.env.value(QStringLiteral("TANDEM_KIT_CORPUS_MANIFEST")));
        return kit;
    }
    quint32 folderSize(const QString &folder) const { return quint32(folders.value(folder).toArray().size()); }
    quint64 expectedSize(const QString &folder, quint32 uid) const
    {
        return quint64(
            folders.value(folder).toArray().at(int(uid) - 1).toObject().value(QStringLiteral("size")).toDouble());
    }
    QByteArray expectedSha256(const QString &folder, quint32 uid) const
    {
        return folders.value(folder)
            .toArray()
            .at(int(uid) - 1)
            .toObject()
            .value(QStringLiteral("sha256"))
            .toString()
            .toLatin1();
    }
};

/// A plain message, number `n` of a series a test appends (its Subject and
/// Message-ID say which), `lines` lines of text long.
inline QByteArray numberedMessage(const QByteArray &series, int n, int lines)
{
    const QByteArray number = QByteArray::number(n);
    QByteArray m = "From: Tandem tests <tests@example.org>\r\nTo: someone@example.org\r\nSubject: " + series + ' '
        + number + "\r\nMessage-ID: <" + series + '-' + number
        + "@tandem.test>\r\n"
          "Date: Mon, 02 Mar 2026 10:00:00 +0000\r\n\r\n";
    for (int line = 0; line < lines; ++line)
        m += "Line " + QByteArray::number(line) + " of " + series + " message " + number
            + ", words to give it weight.\r\n";
    return m;
}

/// The n of numberedMessage(series, n, ...) that `message` is; -1 if it is
/// none of that series.
inline int messageNumber(const QByteArray &series, const QByteArray &message)
{
    const QByteArray marker = "\r\nMessage-ID: <" + series + '-';
    const qsizetype at = message.indexOf(marker);
    if (at < 0)
        return -1;
    const qsizetype from = at + marker.size();
    bool ok = false;
    const int n = message.mid(from, message.indexOf('@', from) - from).toInt(&ok);
    return ok ? n : -1;
}

/// UIDs 1 to `last`: the first messages of a folder of the kit's corpus.
inline QList<quint32> uidsUpTo(quint32 last)
{
    QList<quint32> uids;
    for (quint32 uid = 1; uid <= last; ++uid)
        uids << uid;
    return uids;
}

/// The connections of `s` in `role`, in the pool's order.
inline QList<mailcore::PoolConnectionInfo> withRole(const mailcore::PoolSnapshot &s,
                                                    mailcore::PoolConnectionInfo::Role role)
{
    QList<mailcore::PoolConnectionInfo> found;
    std::copy_if(s.connections.cbegin(), s.connections.cend(), std::back_inserter(found),
                 [role](const mailcore::PoolConnectionInfo &c) { return c.role == role; });
    return found;
}

inline int countRole(const mailcore::PoolSnapshot &s, mailcore::PoolConnectionInfo::Role role)
{
    return int(withRole(s, role).size());
}

template <typename T>
bool allFinished(const QList<QFuture<T>> &futures)
{
    return std::all_of(futures.cbegin(), futures.cend(), [](const QFuture<T> &f) { return f.isFinished(); });
}

/// Calls `sample()` on the test thread (events pumped in between) until every
/// future has finished; false if they had not after `milliseconds`. For
/// figures that only exist while the work runs (the most connections at once).
template <typename T, typename Sample>
bool sampleUntilFinished(const QList<QFuture<T>> &futures, Sample sample, int milliseconds = 60000)
{
    return QTest::qWaitFor(
        [&] {
            sample();
            return allFinished(futures);
        },
        milliseconds);
}

/// Runs `body` on a fresh std::thread (not the client's owner thread), waits
/// for it and returns what it returned. Qt Test's macros work only in the
/// test thread: `body` collects what it saw and the caller asserts it.
template <typename Body>
auto onOtherThread(Body body) -> decltype(body())
{
    using R = decltype(body());
    if constexpr (std::is_void_v<R>) {
        std::thread(body).join();
    } else {
        std::optional<R> result;
        std::thread([&] { result.emplace(body()); }).join();
        return std::move(*result);
    }
}

/// What several threads did, in the order they did it; any thread may add.
class EventLog
{
public:
    void add(const QString &event)
    {
        std::lock_guard lock(m_mutex);
        m_events << event;
    }
    QStringList events() const
    {
        std::lock_guard lock(m_mutex);
        return m_events;
    }
    /// Whether `first` was logged, and before `second` (or `second` never was).
    bool before(const QString &first, const QString &second) const
    {
        const QStringList all = events();
        const qsizetype a = all.indexOf(first);
        const qsizetype b = all.indexOf(second);
        return a >= 0 && (b < 0 || a < b);
    }

private:
    mutable std::mutex m_mutex;
    QStringList m_events;
};

/// A one-way gate: threads wait until someone opens it.
class Gate
{
public:
    void open()
    {
        {
            std::lock_guard lock(m_mutex);
            m_open = true;
        }
        m_opened.notify_all();
    }
    void wait()
    {
        std::unique_lock lock(m_mutex);
        m_opened.wait(lock, [this] { return m_open; });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_opened;
    bool m_open = false;
};

/// A thread that takes a connection of its own (S11) and holds it until
/// release(): the way the tests fill the client's last free place. With a
/// log, it says "<name> leased" once createConnection() returned and
/// "<name> releasing" right before it lets the lease go.
class LeaseHolder
{
public:
    explicit LeaseHolder(mailcore::CredentialsByHostClient &client, EventLog *log = nullptr,
                         const QString &name = QStringLiteral("lease"))
        : m_thread([this, &client, log, name] {
            mailcore::ConnectionLease lease = client.createConnection();
            {
                std::lock_guard lock(m_mutex);
                m_valid = lease.isValid();
                m_error = lease.error().toString();
            }
            if (log)
                log->add(name + QStringLiteral(" leased"));
            m_returned = true;
            m_release.wait();
            if (log)
                log->add(name + QStringLiteral(" releasing"));
            lease.release();
        })
    {
    }
    ~LeaseHolder() { release(); }
    LeaseHolder(const LeaseHolder &) = delete;
    LeaseHolder &operator=(const LeaseHolder &) = delete;

    /// Whether createConnection() has returned (with a lease or not).
    bool hasReturned() const { return m_returned; }
    /// Waits (pumping events) until createConnection() returned; true if it gave a lease.
    bool waitUntilLeased(int milliseconds = 30000)
    {
        return QTest::qWaitFor([this] { return m_returned.load(); }, milliseconds) && isValid();
    }
    bool isValid() const
    {
        std::lock_guard lock(m_mutex);
        return m_valid;
    }
    QString error() const
    {
        std::lock_guard lock(m_mutex);
        return m_error;
    }
    /// Releases the lease (on its own thread) and waits until that is done.
    void release()
    {
        m_release.open();
        if (m_thread.joinable())
            m_thread.join();
    }

private:
    mutable std::mutex m_mutex;
    bool m_valid = false;
    QString m_error;
    std::atomic<bool> m_returned{false};
    Gate m_release;
    std::thread m_thread; // last: started once everything above exists
};

} // namespace tandem::test
