// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The store-sync benchmarks of issue 12 (see tools/bench/README.md, "store/"):
// shared by the modes of `tandem-bench-store --mode ...`.
#pragma once

#include <QFuture>
#include <QJsonObject>
#include <QString>

#include <vector>

#include "mailcore/base/endpoint.h"
#include "mailcore/base/error.h"

namespace benchstore {

struct SyncOptions {
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0; ///< IMAPS (or the delay proxy in front of it)
    QString caFile;
    QString user;
    QString password;
    QString folder = QStringLiteral("Bench");
    QString storeDir;       ///< where the store is (made, reused or filled)
    int connections = 0;    ///< the client's limit, or the floor's connection count; 0: the client's default
    int batch = 300;        ///< floor: UIDs per UID FETCH (the client's own chunk)
    int depth = 4;          ///< floor: commands in flight per connection
    int limit = 0;          ///< floor: the first N UIDs only
    int rounds = 3;         ///< resync: syncs of every folder after the first
    int count = 100;        ///< flag: idle NOOPs and idle flag changes
    int intervalMs = 20;    ///< flag: one change per interval
    int prefetch = 10000;   ///< flag: newest bodies prefetched
    quint32 flagUid = 1;    ///< flag: the message clicked
    QString flagFolder;     ///< flag: click the first message of this folder instead of --folder's --flag-uid
    bool syncFlags = false; ///< flag: the synchronous addFlags()/removeFlags() instead of the async forms
};

mailcore::Endpoint endpointOf(const SyncOptions &o);

/// Waits for `future` (from a thread that may block); its error, if any.
template <typename T>
mailcore::Error waitFor(QFuture<T> &future)
{
    try {
        future.waitForFinished();
        if constexpr (!std::is_void_v<T>)
            (void)future.result();
    } catch (const mailcore::MailException &e) {
        return e.error();
    }
    return {};
}

/// Puts `message` in `out` as its "error"; the exit code 1.
int failedWith(QJsonObject &out, const QString &message);
/// The same for an Error: "what: error".
int failed(QJsonObject &out, const QString &what, const mailcore::Error &error);

/// count, p50/p95/p99/max in ms, nearest rank.
QJsonObject percentiles(std::vector<double> ms);

/// Fills `out` and returns the exit code: 0 when the run did what it should.
int runSummaryFloor(const SyncOptions &o, QJsonObject &out);
int runFirstSync(const SyncOptions &o, QJsonObject &out);
int runClientSummaries(const SyncOptions &o, QJsonObject &out);
int runResync(const SyncOptions &o, QJsonObject &out);
int runFlagDuringPrefetch(const SyncOptions &o, QJsonObject &out);

/// `tandem-bench-store --mode ...`: parses the application's arguments, runs,
/// prints one JSON line; the exit code.
int syncBenchMain();

} // namespace benchstore
