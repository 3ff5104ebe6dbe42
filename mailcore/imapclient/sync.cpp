// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// ImapClient: how a folder changed since a local copy last saw it (what a
// store's sync asks before it fetches anything).

#include <algorithm>

#include "mailcore/imap/requests.h"
#include "mailcore/imapclient/imapclient.h"
#include "mailcore/imapclient/operations.h"

namespace mailcore {

using namespace mailcore::imap;
using namespace mailcore::imapops;

namespace {

/// Known messages whose flags are read per UID FETCH when they are read in
/// full: a chunk's answer stays a few hundred KB, and a fault costs one chunk.
constexpr qsizetype kFlagsPerFetch = 5000;

QList<quint32> sortedUnique(QList<quint32> uids)
{
    std::sort(uids.begin(), uids.end());
    uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
    return uids;
}

/// The flags of the messages `first`..`last` by UID, those of `wanted` only;
/// with `changedSince`, only those whose MODSEQ is above it.
QList<FlagUpdate> flagsOn(Connection &c, const QString &folder, quint32 first, quint32 last,
                          const QList<quint32> &wanted, std::optional<quint64> changedSince, bool modSeq)
{
    FetchItems items;
    items.flags = true;
    items.modSeq = modSeq;
    QList<FlagUpdate> out;
    const CommandResult result = run(
        c, in(folder, requests::uidFetch(SequenceSet::fromRange(first, last), items, changedSince)));
    for (const FetchData &f : result.all<FetchData>()) {
        if (!f.uid || !f.flags || !std::binary_search(wanted.cbegin(), wanted.cend(), *f.uid))
            continue;
        FlagUpdate update{*f.uid, *f.flags, f.modSeq.value_or(0)};
        // \Recent says which connection saw the message first: nothing to keep.
        update.flags.removeIf(
            [](const QByteArray &flag) { return flag.compare("\\Recent", Qt::CaseInsensitive) == 0; });
        out << update;
    }
    std::sort(out.begin(), out.end(), [](const FlagUpdate &a, const FlagUpdate &b) { return a.uid < b.uid; });
    return out;
}

FolderChanges folderChangesOn(Connection &c, const QString &folder, const SyncState &known)
{
    const bool condStore = offers(c, "CONDSTORE") || offers(c, "QRESYNC");
    QList<QByteArray> items{"MESSAGES", "UIDNEXT", "UIDVALIDITY"};
    if (condStore)
        items << "HIGHESTMODSEQ";
    // STATUS before the UID list: a message that arrives in between is in the
    // list and only makes HIGHESTMODSEQ a little old, so the next sync looks
    // again from a little earlier. Never the other way round. On the folder
    // this connection has selected, a server answers STATUS from the
    // connection's view (Dovecot does), and a connection that has had the
    // folder selected since before it was deleted and made again still sees
    // the old one (Dovecot, even after a NOOP): SELECT opens it afresh.
    run(c, requests::select(folder));
    const QList<MailboxStatusData> status = run(c, requests::status(folder, items)).all<MailboxStatusData>();
    if (status.isEmpty())
        throw MailException(Error(ErrorCode::Protocol, QStringLiteral("the server sent no STATUS for %1").arg(folder)));
    FolderChanges changes;
    changes.uidValidity = quint32(status.first().value("UIDVALIDITY").value_or(0));
    changes.uidNext = quint32(status.first().value("UIDNEXT").value_or(0));
    changes.highestModSeq = status.first().value("HIGHESTMODSEQ").value_or(0);

    const QList<quint32> server = searchUidsOn(c, folder, SearchKey::all());
    changes.messages = quint32(server.size());
    const QList<quint32> knownUids = sortedUnique(known.knownUids);
    if (known.uidValidity != 0 && known.uidValidity != changes.uidValidity) {
        changes.uidValidityChanged = true;
        changes.vanished = knownUids;
        changes.newUids = server;
        return changes;
    }
    QList<quint32> kept;
    std::set_difference(knownUids.cbegin(), knownUids.cend(), server.cbegin(), server.cend(),
                        std::back_inserter(changes.vanished));
    std::set_difference(server.cbegin(), server.cend(), knownUids.cbegin(), knownUids.cend(),
                        std::back_inserter(changes.newUids));
    std::set_intersection(server.cbegin(), server.cend(), knownUids.cbegin(), knownUids.cend(),
                          std::back_inserter(kept));
    if (kept.isEmpty())
        return changes;
    if (condStore && known.highestModSeq > 0 && changes.highestModSeq > 0) {
        changes.method = FolderChanges::Method::CondStore;
        if (changes.highestModSeq != known.highestModSeq) // else no flag changed: nothing to ask
            changes.flags = flagsOn(c, folder, kept.first(), kept.last(), kept, known.highestModSeq, true);
        return changes;
    }
    changes.method = FolderChanges::Method::Full;
    for (qsizetype i = 0; i < kept.size(); i += kFlagsPerFetch) {
        const QList<quint32> chunk = kept.mid(i, kFlagsPerFetch);
        changes.flags += flagsOn(c, folder, chunk.first(), chunk.last(), chunk, std::nullopt, condStore);
    }
    return changes;
}

} // namespace

static client::Operation<FolderChanges> folderChangesOp(const QString &folder, const SyncState &known)
{
    return {pool::Work::Long, folder, client::Retry::Always,
            [=](auto &c) { return folderChangesOn(c, folder, known); }};
}
Result<FolderChanges> ImapClient::folderChanges(const QString &folder, const SyncState &known)
{
    return engine().wait(folderChangesOp(folder, known));
}
QFuture<FolderChanges> ImapClient::folderChangesAsync(const QString &folder, const SyncState &known)
{
    return engine().start(folderChangesOp(folder, known));
}

} // namespace mailcore
