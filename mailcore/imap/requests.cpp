// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/imap/requests.h"

#include <algorithm>

#include "mailcore/imap/connection.h"

namespace mailcore::imap::requests {

namespace {

using Build = std::function<Command(const CommandBuilder &, const QByteArray &)>;

Request plain(Build build)
{
    Request request;
    request.build = std::move(build);
    return request;
}

Request barrier(Build build)
{
    Request request = plain(std::move(build));
    request.barrier = true;
    return request;
}

/// The highest UID `uids` names: the end of its last range, or where a range
/// ending in `*` starts (what lies beyond it is not named).
quint32 highestNamed(const SequenceSet &uids)
{
    quint32 highest = 0;
    for (const SequenceSet::Range &range : uids.ranges())
        highest = std::max(highest, range.last == SequenceSet::Star ? range.first : range.last);
    return highest;
}

/// A command on the messages `uids` of the selected mailbox.
Request onUids(const SequenceSet &uids, Request request)
{
    request.highestUid = highestNamed(uids);
    return request;
}

} // namespace

Request capability()
{
    return barrier([](const CommandBuilder &b, const QByteArray &t) { return b.capability(t); });
}
Request noop()
{
    return plain([](const CommandBuilder &b, const QByteArray &t) { return b.noop(t); });
}
Request namespaces()
{
    return plain([](const CommandBuilder &b, const QByteArray &t) { return b.namespaces(t); });
}

Request enable(const QList<QByteArray> &capabilities)
{
    return barrier([=](const CommandBuilder &b, const QByteArray &t) { return b.enable(t, capabilities); });
}

Request id(const QList<QPair<QString, QString>> &fields)
{
    return plain([=](const CommandBuilder &b, const QByteArray &t) { return b.id(t, fields); });
}

Request list(const QString &reference, const QString &pattern, const ListReturnOptions &options)
{
    Request request = plain(
        [=](const CommandBuilder &b, const QByteArray &t) { return b.list(t, reference, pattern, options); });
    request.oneInFlight = "LIST";
    if (!options.statusItems.isEmpty())
        request.statusOf = QString(); // its STATUS replies may name any mailbox
    return request;
}

Request lsub(const QString &reference, const QString &pattern)
{
    Request request = plain(
        [=](const CommandBuilder &b, const QByteArray &t) { return b.lsub(t, reference, pattern); });
    request.oneInFlight = "LSUB";
    return request;
}

Request create(const QString &mailbox)
{
    return plain([=](const CommandBuilder &b, const QByteArray &t) { return b.create(t, mailbox); });
}

Request deleteMailbox(const QString &mailbox)
{
    return barrier([=](const CommandBuilder &b, const QByteArray &t) { return b.deleteMailbox(t, mailbox); });
}

Request rename(const QString &from, const QString &to)
{
    return barrier([=](const CommandBuilder &b, const QByteArray &t) { return b.rename(t, from, to); });
}

Request subscribe(const QString &mailbox)
{
    return plain([=](const CommandBuilder &b, const QByteArray &t) { return b.subscribe(t, mailbox); });
}

Request unsubscribe(const QString &mailbox)
{
    return plain([=](const CommandBuilder &b, const QByteArray &t) { return b.unsubscribe(t, mailbox); });
}

Request status(const QString &mailbox, const QList<QByteArray> &items)
{
    Request request = plain([=](const CommandBuilder &b, const QByteArray &t) { return b.status(t, mailbox, items); });
    request.statusOf = mailbox;
    return request;
}

Request select(const QString &mailbox, const SelectOptions &options)
{
    Request request = barrier(
        [=](const CommandBuilder &b, const QByteArray &t) { return b.select(t, mailbox, options); });
    request.selects = mailbox;
    return request;
}

Request uidFetch(const SequenceSet &uids, const FetchItems &items, std::optional<quint64> changedSince)
{
    Request request = plain(
        [=](const CommandBuilder &b, const QByteArray &t) { return b.uidFetch(t, uids, items, changedSince); });
    request.uids = uids;
    request.highestUid = highestNamed(uids);
    QList<QByteArray> sections;
    for (const FetchSection &section : items.sections)
        sections << Request::sectionKind(section.section);
    request.fetchAsked = {sections, items.envelope, items.size, items.bodyStructure, items.internalDate};
    return request;
}

Request uidSearch(const SearchKey &key, const QList<QByteArray> &returnOptions)
{
    Request request = plain(
        [=](const CommandBuilder &b, const QByteArray &t) { return b.uidSearch(t, key, returnOptions); });
    request.oneInFlight = "SEARCH";
    return request;
}

Request uidSort(const QList<QByteArray> &criteria, const SearchKey &key)
{
    Request request = plain([=](const CommandBuilder &b, const QByteArray &t) { return b.uidSort(t, criteria, key); });
    // "* SORT" carries no tag either: two SORTs in flight could not tell
    // whose is whose. A SEARCH beside it is fine (its replies say SEARCH).
    request.oneInFlight = "SORT";
    return request;
}

Request uidStore(const SequenceSet &uids, StoreMode mode, const QList<QByteArray> &flags,
                 std::optional<quint64> unchangedSince)
{
    // Not silent: the new flags come back as FETCH replies routed to this command.
    Request request = plain([=](const CommandBuilder &b, const QByteArray &t) {
        return b.uidStore(t, uids, mode, flags, false, unchangedSince);
    });
    request.uids = uids;
    request.highestUid = highestNamed(uids);
    return request;
}

Request uidCopy(const SequenceSet &uids, const QString &mailbox)
{
    return onUids(uids,
                  plain([=](const CommandBuilder &b, const QByteArray &t) { return b.uidCopy(t, uids, mailbox); }));
}

// MOVE and EXPUNGE renumber the mailbox: alone on the wire, so no pipelined
// neighbour sees a half-changed message set.
Request uidMove(const SequenceSet &uids, const QString &mailbox)
{
    return onUids(uids,
                  barrier([=](const CommandBuilder &b, const QByteArray &t) { return b.uidMove(t, uids, mailbox); }));
}

Request uidExpunge(const SequenceSet &uids)
{
    return onUids(uids, barrier([=](const CommandBuilder &b, const QByteArray &t) { return b.uidExpunge(t, uids); }));
}

Request expunge()
{
    return barrier([](const CommandBuilder &b, const QByteArray &t) { return b.expunge(t); });
}

Request close()
{
    Request request = barrier([](const CommandBuilder &b, const QByteArray &t) { return b.close(t); });
    request.selects = QString();
    return request;
}

Request unselect()
{
    Request request = barrier([](const CommandBuilder &b, const QByteArray &t) { return b.unselect(t); });
    request.selects = QString();
    return request;
}

Request append(const QString &mailbox, const QByteArray &message, const QList<QByteArray> &flags,
               const QDateTime &internalDate)
{
    return plain([=](const CommandBuilder &b, const QByteArray &t) {
        return b.append(t, mailbox, message, flags, internalDate);
    });
}

} // namespace mailcore::imap::requests

namespace mailcore::imap {

QFuture<CommandResult> moveMessages(ImapConnection &connection, const SequenceSet &uids, const QString &target)
{
    const CapabilityData caps = connection.capabilities();
    if (caps.has("MOVE"))
        return connection.execute(requests::uidMove(uids, target));
    const bool uidPlus = caps.has("UIDPLUS");
    ImapConnection *c = &connection;
    // Each step starts only when the previous one succeeded: a failed COPY must
    // never be followed by deleting the originals. The continuations run in the
    // I/O thread; they only queue the next command (never wait on it, which
    // would block the thread that must answer it), and unwrap() flattens.
    return connection.execute(requests::uidCopy(uids, target))
        .then([c, uids](const CommandResult &) {
            return c->execute(requests::uidStore(uids, StoreMode::Add, {QByteArrayLiteral("\\Deleted")}));
        })
        .unwrap()
        .then([c, uids, uidPlus](const CommandResult &) {
            return c->execute(uidPlus ? requests::uidExpunge(uids) : requests::expunge());
        })
        .unwrap();
}

} // namespace mailcore::imap
