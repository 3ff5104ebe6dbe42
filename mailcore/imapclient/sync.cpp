// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// ImapClient: how a folder changed since a local copy last saw it (what a
// store's sync asks before it fetches anything).

#include <QMap>

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

/// A FETCH reply's flags as a FlagUpdate; \Recent says which connection saw
/// the message first: nothing to keep.
FlagUpdate flagUpdateOf(const FetchData &f)
{
    FlagUpdate update{*f.uid, *f.flags, f.modSeq.value_or(0)};
    update.flags.removeIf([](const QByteArray &flag) { return flag.compare("\\Recent", Qt::CaseInsensitive) == 0; });
    return update;
}

bool byUid(const FlagUpdate &a, const FlagUpdate &b) { return a.uid < b.uid; }

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
    for (const FetchData &f : result.fetches()) {
        if (!f.uid || !f.flags || !std::binary_search(wanted.cbegin(), wanted.cend(), *f.uid))
            continue;
        out << flagUpdateOf(f);
    }
    std::sort(out.begin(), out.end(), byUid);
    return out;
}

/// STATUS and the whole UID list, compared with the known UIDs; the flags by
/// CONDSTORE when offered and a HIGHESTMODSEQ is known, else all of them.
FolderChanges changesByUidList(Connection &c, const QString &folder, const SyncState &known)
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

/// What a SELECT's answer says about the mailbox it opened.
struct SelectedMailbox {
    quint32 uidValidity = 0;
    quint32 uidNext = 0;
    quint64 highestModSeq = 0; ///< 0: not said (or NOMODSEQ)
    quint32 exists = 0;
    QList<VanishedData> vanished; ///< VANISHED: expunged since the modseq given (EARLIER) or meanwhile
    QList<FetchData> fetched;     ///< FETCH: changed since the modseq given
};

SelectedMailbox selectedMailboxOf(const CommandResult &selected)
{
    // Only what came after an untagged OK [CLOSED]: with QRESYNC enabled it
    // marks where the replies about the mailbox selected before end (RFC
    // 7162 3.2.11), and a late FETCH or VANISHED of that one must not be
    // taken for this one's.
    qsizetype first = 0;
    for (qsizetype i = 0; i < selected.untagged.size(); ++i) {
        const StatusResponse *status = selected.untagged.at(i).status();
        if (status && status->code.kind == ResponseCode::Kind::Closed)
            first = i + 1;
    }
    SelectedMailbox mailbox;
    for (const Response &r : selected.untagged.mid(first)) {
        if (const StatusResponse *status = r.status()) {
            switch (status->code.kind) {
            case ResponseCode::Kind::UidValidity: mailbox.uidValidity = quint32(status->code.number); break;
            case ResponseCode::Kind::UidNext: mailbox.uidNext = quint32(status->code.number); break;
            case ResponseCode::Kind::HighestModSeq: mailbox.highestModSeq = status->code.number; break;
            default: break;
            }
        } else if (const auto *number = r.get<NumberData>(); number && number->kind == NumberData::Kind::Exists) {
            mailbox.exists = number->number;
        } else if (const auto *vanished = r.get<VanishedData>()) {
            mailbox.vanished << *vanished;
        } else if (const auto *fetch = r.get<FetchData>()) {
            mailbox.fetched << *fetch;
        }
    }
    return mailbox;
}

/// Whether the one-SELECT path can answer: QRESYNC is on for this
/// connection and the copy knows where it stood.
bool canResyncByQResync(Connection &c, const SyncState &known)
{
    return connectionOf(c).enabled().has("QRESYNC") && known.uidValidity != 0 && known.highestModSeq != 0
        && known.uidNext != 0;
}

/// SELECT's QRESYNC parameters: the known UIDs too, so the server names only
/// those among the vanished (else every UID expunged since the modseq),
/// unless their set is too long for a command line (Dovecot's limit is 64 KiB).
SelectOptions qresyncSelect(const SyncState &known, const QList<quint32> &knownUids)
{
    constexpr qsizetype kMaxKnownUidsBytes = 16 * 1024;
    SequenceSet set = uidSet(knownUids);
    if (set.toByteArray().size() > kMaxKnownUidsBytes)
        set = {};
    SelectOptions options;
    options.qresync = QResyncParameters{known.uidValidity, known.highestModSeq, set};
    return options;
}

/// The known UIDs among those the VANISHED replies named, ascending (a
/// server may name UIDs the copy never had).
QList<quint32> knownAmong(const QList<VanishedData> &vanished, const QList<quint32> &knownUids)
{
    QList<quint32> out;
    for (quint32 uid : knownUids) {
        if (std::any_of(vanished.cbegin(), vanished.cend(),
                        [uid](const VanishedData &v) { return v.uids.contains(uid); }))
            out << uid;
    }
    return out;
}

/// The flags of the known messages that stayed, from the FETCH replies (the
/// last one per UID counts), ascending.
QList<FlagUpdate> changedFlags(const QList<FetchData> &fetched, const QList<quint32> &kept)
{
    QMap<quint32, FlagUpdate> byUidLatest;
    for (const FetchData &f : fetched) {
        if (f.uid && f.flags && std::binary_search(kept.cbegin(), kept.cend(), *f.uid))
            byUidLatest.insert(*f.uid, flagUpdateOf(f));
    }
    return byUidLatest.values();
}

/// The UIDs from `uidNext` on that the copy does not know, ascending. No
/// NOOP first: the folder was selected a moment ago.
QList<quint32> newUidsFrom(Connection &c, const QString &folder, quint32 uidNext, quint32 uidValidity,
                           const QList<quint32> &knownUids)
{
    QList<quint32> out;
    // "n:*" also names the highest UID when it is below n: filtered out here.
    for (quint32 uid : searchUidsInViewOn(c, folder, SearchKey::uid(SequenceSet::fromRange(uidNext, SequenceSet::Star)),
                                          uidValidity)) {
        if (uid >= uidNext && !std::binary_search(knownUids.cbegin(), knownUids.cend(), uid))
            out << uid;
    }
    return out;
}

/// One SELECT ... QRESYNC, and the UIDs from the known UIDNEXT on only if
/// it moved. A new UIDVALIDITY (the server then ignores the parameters) or
/// an answer without UIDNEXT or HIGHESTMODSEQ goes the way of the UID list.
FolderChanges changesByQResync(Connection &c, const QString &folder, const SyncState &known)
{
    const QList<quint32> knownUids = sortedUnique(known.knownUids);
    const SelectedMailbox now = selectedMailboxOf(run(c, requests::select(folder, qresyncSelect(known, knownUids))));
    if (now.uidValidity != known.uidValidity || now.uidNext == 0 || now.highestModSeq == 0)
        return changesByUidList(c, folder, known);
    FolderChanges changes;
    changes.method = FolderChanges::Method::QResync;
    changes.uidValidity = now.uidValidity;
    changes.uidNext = now.uidNext;
    changes.highestModSeq = now.highestModSeq;
    changes.messages = now.exists;
    changes.vanished = knownAmong(now.vanished, knownUids);
    QList<quint32> kept;
    std::set_difference(knownUids.cbegin(), knownUids.cend(), changes.vanished.cbegin(), changes.vanished.cend(),
                        std::back_inserter(kept));
    changes.flags = changedFlags(now.fetched, kept);
    if (now.uidNext != known.uidNext)
        changes.newUids = newUidsFrom(c, folder, known.uidNext, now.uidValidity, knownUids);
    return changes;
}

FolderChanges folderChangesOn(Connection &c, const QString &folder, const SyncState &known)
{
    return canResyncByQResync(c, known) ? changesByQResync(c, folder, known) : changesByUidList(c, folder, known);
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
