// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Mode "floor": the lower bound of a first sync. The same summary items
// ImapClient::listMessages asks for, fetched over K raw ImapConnections with
// no pool, no store and no decoding beyond the IMAP parser. What a first sync
// (ImapSync) costs above this is the pool, the header decoding, the
// BODYSTRUCTURE flattening and the store's writes.

#include <QElapsedTimer>
#include <QFile>
#include <QList>

#include <algorithm>
#include <memory>

#include "mailcore/imap/connection.h"
#include "mailcore/imap/requests.h"
#include "syncbench.h"

using namespace mailcore;
using namespace mailcore::imap;

namespace benchstore {

namespace {

/// What ImapClient::listMessages fetches per message (mailcore/imapclient/
/// messages.cpp, summaryItems()): FLAGS, RFC822.SIZE, INTERNALDATE,
/// BODYSTRUCTURE and these header fields. Written out again here on purpose:
/// the floor must not move when the client changes what it asks; if the
/// client's list changes, change this one with it (no ENVELOPE today).
FetchItems summaryItems()
{
    FetchItems items;
    items.flags = items.size = items.internalDate = items.bodyStructure = true;
    FetchSection headers;
    headers.section = "HEADER.FIELDS (DATE SUBJECT FROM TO CC MESSAGE-ID IN-REPLY-TO REFERENCES)";
    items.sections = {headers};
    return items;
}

SessionSettings settingsOf(const SyncOptions &o)
{
    SessionSettings s;
    s.endpoint = endpointOf(o);
    s.user = o.user;
    s.password = o.password;
    // The session keeps this many commands on the wire and sends the next as
    // each answer ends, in its own thread: every batch can be queued at once.
    s.pipelineWindow = std::max(1, o.depth);
    return s;
}

/// The folder's UIDs, ascending (the sync asks the same before fetching).
QList<quint32> allUids(ImapConnection &c, Error &error)
{
    QFuture<CommandResult> search = c.execute(requests::uidSearch(SearchKey::all()));
    if ((error = waitFor(search)).isError())
        return {};
    QList<quint32> uids;
    for (const SearchData &d : search.result().all<SearchData>())
        uids << d.numbers;
    std::sort(uids.begin(), uids.end());
    return uids;
}

SequenceSet setOf(const QList<quint32> &uids)
{
    SequenceSet set;
    for (const quint32 uid : uids)
        set.add(uid);
    return set;
}

} // namespace

int runSummaryFloor(const SyncOptions &o, QJsonObject &out)
{
    const int k = std::max(1, o.connections);
    QElapsedTimer clock;
    clock.start();

    std::vector<std::unique_ptr<ImapConnection>> connections;
    std::vector<QFuture<void>> opening;
    for (int i = 0; i < k; ++i) {
        connections.push_back(std::make_unique<ImapConnection>(settingsOf(o)));
        opening.push_back(connections.back()->open());
    }
    for (QFuture<void> &f : opening) {
        if (const Error e = waitFor(f); e.isError())
            return failed(out, QStringLiteral("open"), e);
    }
    SelectOptions examine;
    examine.readOnly = true;
    std::vector<QFuture<CommandResult>> selecting;
    for (auto &c : connections)
        selecting.push_back(c->execute(requests::select(o.folder, examine)));
    for (QFuture<CommandResult> &f : selecting) {
        if (const Error e = waitFor(f); e.isError())
            return failed(out, QStringLiteral("EXAMINE"), e);
    }
    Error error;
    QList<quint32> uids = allUids(*connections.front(), error);
    if (error.isError())
        return failed(out, QStringLiteral("UID SEARCH"), error);
    if (o.limit > 0 && uids.size() > o.limit)
        uids.resize(o.limit);
    const double connectSeconds = double(clock.nsecsElapsed()) / 1e9;

    // Contiguous parts, one per connection, each queued whole: the session
    // keeps --depth of them on the wire.
    std::vector<QFuture<CommandResult>> fetches;
    const FetchItems items = summaryItems();
    const qsizetype n = uids.size();
    for (int i = 0; i < k; ++i) {
        const qsizetype from = n * i / k, to = n * (i + 1) / k;
        for (qsizetype b = from; b < to; b += o.batch)
            fetches.push_back(connections[size_t(i)]->execute(
                requests::uidFetch(setOf(uids.mid(b, std::min<qsizetype>(o.batch, to - b))), items)));
    }
    qint64 summaries = 0;
    for (QFuture<CommandResult> &f : fetches) {
        if (const Error e = waitFor(f); e.isError())
            return failed(out, QStringLiteral("UID FETCH"), e);
        for (const FetchData &d : f.result().all<FetchData>()) {
            if (d.uid && d.body && !d.sections.isEmpty())
                ++summaries;
        }
    }
    const double seconds = double(clock.nsecsElapsed()) / 1e9;

    std::vector<QFuture<void>> closing;
    for (auto &c : connections)
        closing.push_back(c->logout());
    for (QFuture<void> &f : closing)
        waitFor(f);

    out.insert(QStringLiteral("connections"), k);
    out.insert(QStringLiteral("batch"), o.batch);
    out.insert(QStringLiteral("depth"), o.depth);
    out.insert(QStringLiteral("messages"), summaries);
    out.insert(QStringLiteral("expected_messages"), qint64(n));
    out.insert(QStringLiteral("seconds"), seconds);
    out.insert(QStringLiteral("connect_seconds"), connectSeconds);
    if (summaries != n)
        return failedWith(out, QStringLiteral("got %1 of %2 summaries").arg(summaries).arg(n));
    return 0;
}

} // namespace benchstore
