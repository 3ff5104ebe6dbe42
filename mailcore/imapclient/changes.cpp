// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// ImapClient: operations that change a folder's messages: append, copy, move,
// flags, delete and expunge.

#include <QScopeGuard>

#include <deque>
#include <optional>

#include "mailcore/base/logging.h"
#include "mailcore/imap/connection.h"
#include "mailcore/imap/requests.h"
#include "mailcore/imapclient/imapclient.h"
#include "mailcore/imapclient/operations.h"
#include "mailcore/mime/message.h"

namespace mailcore {

using namespace mailcore::imap;
using namespace mailcore::imapops;

namespace {

const QByteArray kDeleted = QByteArrayLiteral("\\Deleted");

/// The UID an APPEND's OK names (UIDPLUS), else 0.
quint32 appendedUid(const CommandResult &result)
{
    const ResponseCode &code = result.completion.code;
    if (code.kind == ResponseCode::Kind::AppendUid && !code.destSet.isEmpty())
        return code.destSet.ranges().first().first;
    return 0;
}

/// The folder's UIDNEXT now, when the server will not name the UIDs an APPEND
/// or COPY gives (no UIDPLUS): the new messages are found from it on
/// afterwards. When the folder cannot be asked (it does not exist), the
/// command itself is left to fail with the server's own answer ([TRYCREATE]).
std::optional<quint32> uidNextWithoutUidPlus(Connection &c, const QString &folder)
{
    if (offers(c, "UIDPLUS"))
        return std::nullopt;
    try {
        const QList<MailboxStatusData> status = run(c, requests::status(folder, {"UIDNEXT"})).all<MailboxStatusData>();
        return status.isEmpty() ? 1 : std::max<quint32>(1, quint32(status.first().value("UIDNEXT").value_or(1)));
    } catch (const MailException &e) {
        if (e.error().code() != ErrorCode::ServerRefused)
            throw;
        return std::nullopt;
    }
}

/// The UIDs new messages with `messageIds` (in the order they were added;
/// empty where a message has none) were given in `folder`, found without
/// UIDPLUS. UIDs only grow, so they are among those from `uidNext` (the
/// folder's UIDNEXT before they were added) on, ascending: when that many are
/// there, they are ours. Otherwise (someone else added mail at the same time)
/// each is the newest there carrying its Message-ID, or 0 without one.
QList<quint32> findNewUids(Connection &c, const QString &folder, const QStringList &messageIds, quint32 uidNext)
{
    // The UIDs are filtered here rather than with a "UID n:*" search key, which
    // Mailutils' imap4d answers wrongly (and a server without UIDPLUS is an
    // older one).
    const auto fromUidNext = [&](QList<quint32> uids) {
        uids.removeIf([&](quint32 uid) { return uid < uidNext; });
        return uids;
    };
    const QList<quint32> fresh = fromUidNext(searchUidsOn(c, folder, SearchKey::all()));
    if (fresh.size() == messageIds.size())
        return fresh;
    QList<quint32> uids;
    for (const QString &id : messageIds) {
        const QList<quint32> hits = id.isEmpty()
            ? QList<quint32>()
            : fromUidNext(searchUidsOn(c, folder, SearchKey::header("Message-ID", id)));
        uids << (hits.isEmpty() ? 0 : hits.last());
    }
    return uids;
}

QList<quint32> findAppendedUids(Connection &c, const QString &folder, const QList<NewMessage> &messages,
                                quint32 uidNext)
{
    QStringList ids;
    for (const NewMessage &m : messages)
        ids << mime::Message::parseHeaders(m.data).messageId;
    return findNewUids(c, folder, ids, uidNext);
}

quint32 appendMessageOn(Connection &c, const QString &folder, const NewMessage &message)
{
    const std::optional<quint32> uidNext = uidNextWithoutUidPlus(c, folder);
    // Some servers name the UID without announcing UIDPLUS (Dovecot does).
    const quint32 uid = appendedUid(
        run(c, requests::append(folder, message.data, message.flags, message.internalDate)));
    if (uid || !uidNext)
        return uid;
    return findAppendedUids(c, folder, {message}, *uidNext).value(0);
}

constexpr std::size_t kAppendDepth = 8; // APPENDs in flight: with LITERAL+ they stream back to back

/// Pipelined APPENDs. After a failure nothing more is sent, but the APPENDs
/// already on the wire are waited for (they may well succeed) before the first
/// error is thrown, so no command is left behind unobserved.
QList<quint32> appendMessagesOn(Connection &c, const QString &folder, const QList<NewMessage> &messages)
{
    ImapConnection &connection = connectionOf(c);
    const std::optional<quint32> uidNext = uidNextWithoutUidPlus(c, folder);
    std::deque<QFuture<CommandResult>> inFlight;
    QList<quint32> uids;
    std::optional<MailException> failure;
    const auto collectOne = [&] {
        try {
            uids << appendedUid(client::await(std::move(inFlight.front())));
        } catch (const MailException &e) {
            if (!failure)
                failure = e;
        }
        inFlight.pop_front();
    };
    for (const NewMessage &m : messages) {
        if (failure)
            break;
        inFlight.push_back(connection.execute(requests::append(folder, m.data, m.flags, m.internalDate)));
        if (inFlight.size() >= kAppendDepth)
            collectOne();
    }
    while (!inFlight.empty())
        collectOne();
    if (failure)
        throw *failure;
    if (uidNext && uids.contains(0u))
        return findAppendedUids(c, folder, messages, *uidNext);
    return uids;
}

/// COPYUID (RFC 4315) pairs the source and destination UIDs in order.
QMap<quint32, quint32> copiedUids(const ResponseCode &code)
{
    QMap<quint32, quint32> map;
    if (code.kind != ResponseCode::Kind::CopyUid)
        return map;
    const QList<quint32> from = code.sourceSet.toList();
    const QList<quint32> to = code.destSet.toList();
    if (from.size() != to.size())
        return map; // malformed: better no answer than a wrong one
    for (qsizetype i = 0; i < from.size(); ++i)
        map.insert(from[i], to[i]);
    return map;
}

/// The COPYUID a command's tagged OK or, as MOVE sends it, an untagged OK carried.
QMap<quint32, quint32> copiedUids(const CommandResult &result)
{
    QMap<quint32, quint32> map = copiedUids(result.completion.code);
    for (const StatusResponse &status : result.all<StatusResponse>())
        map.insert(copiedUids(status.code));
    return map;
}

/// The Message-IDs of `uids` in `folder`, in ascending UID order (empty for
/// a message without one or gone).
QStringList messageIdsOn(Connection &c, const QString &folder, QList<quint32> uids)
{
    std::sort(uids.begin(), uids.end());
    FetchItems items;
    FetchSection messageId;
    messageId.section = QByteArrayLiteral("HEADER.FIELDS (MESSAGE-ID)");
    items.sections = {messageId};
    QHash<quint32, QString> byUid;
    for (const FetchData &f : run(c, in(folder, requests::uidFetch(uidSet(uids), items))).fetches()) {
        if (f.uid && !f.sections.isEmpty())
            byUid.insert(*f.uid, mime::Message::parseHeaders(f.sections.first().data + "\r\n").messageId);
    }
    QStringList ids;
    for (quint32 uid : uids)
        ids << byUid.value(uid);
    return ids;
}

/// COPY (or MOVE), and the new UIDs of `uids` in `target`: from COPYUID, or
/// without UIDPLUS found there afterwards (see findNewUids; a server copies in
/// UID order). A message whose copy cannot be told apart is left out.
QMap<quint32, quint32> transferOn(Connection &c, const QString &folder, const QList<quint32> &uids,
                                  const QString &target, Request transfer)
{
    const std::optional<quint32> uidNext = uidNextWithoutUidPlus(c, target);
    const QStringList ids = uidNext ? messageIdsOn(c, folder, uids) : QStringList();
    QMap<quint32, quint32> map = copiedUids(run(c, in(folder, std::move(transfer))));
    if (!map.isEmpty() || !uidNext)
        return map;
    QList<quint32> ascending = uids;
    std::sort(ascending.begin(), ascending.end());
    const QList<quint32> found = findNewUids(c, target, ids, *uidNext);
    for (qsizetype i = 0; i < ascending.size() && i < found.size(); ++i) {
        if (found[i])
            map.insert(ascending[i], found[i]);
    }
    return map;
}

QMap<quint32, quint32> copyMessagesOn(Connection &c, const QString &folder, const QList<quint32> &uids,
                                      const QString &target)
{
    if (uids.isEmpty())
        return {};
    return transferOn(c, folder, uids, target, requests::uidCopy(uidSet(uids), target));
}

/// Removes exactly `uids` (flagged \Deleted already): UID EXPUNGE when the
/// server has UIDPLUS. Without it EXPUNGE would also remove every other
/// message flagged \Deleted in the folder (a user's choice waiting for its own
/// expunge, on another client): those lose the flag around the EXPUNGE and get
/// it back after, failure or not. One flagged by someone else in between can
/// still go; RFC 3501 leaves no closer way.
void expungeOn(Connection &c, const QString &folder, const QList<quint32> &uids)
{
    if (uids.isEmpty())
        return;
    if (offers(c, "UIDPLUS")) {
        run(c, in(folder, requests::uidExpunge(uidSet(uids))));
        return;
    }
    QList<quint32> others = searchUidsOn(c, folder, SearchKey::deleted());
    others.removeIf([&](quint32 uid) { return uids.contains(uid); });
    if (others.isEmpty()) {
        run(c, in(folder, requests::expunge()));
        return;
    }
    run(c, in(folder, requests::uidStore(uidSet(others), StoreMode::Remove, {kDeleted})));
    const auto flagAgain = qScopeGuard([&] {
        try {
            run(c, in(folder, requests::uidStore(uidSet(others), StoreMode::Add, {kDeleted})));
        } catch (const MailException &e) {
            // The EXPUNGE's own outcome is what the caller hears about; the
            // messages stay, only their flag is lost.
            qCWarning(log::imap) << "could not flag" << others.size() << "message(s) \\Deleted again in" << folder
                                 << ":" << e.error().toString();
        }
    });
    run(c, in(folder, requests::expunge()));
}

/// UID MOVE when offered (RFC 6851); otherwise COPY, then, only once the copy
/// succeeded, \Deleted and expunge (see expungeOn). Written out step by step
/// rather than with imap::moveMessages() because the caller gets the COPYUID
/// of the COPY step, which that chain does not return.
QMap<quint32, quint32> moveMessagesOn(Connection &c, const QString &folder, const QList<quint32> &uids,
                                      const QString &target)
{
    if (uids.isEmpty())
        return {};
    const SequenceSet set = uidSet(uids);
    if (offers(c, "MOVE"))
        return transferOn(c, folder, uids, target, requests::uidMove(set, target));
    const QMap<quint32, quint32> moved = transferOn(c, folder, uids, target, requests::uidCopy(set, target));
    run(c, in(folder, requests::uidStore(set, StoreMode::Add, {kDeleted})));
    expungeOn(c, folder, uids);
    return moved;
}

void storeFlagsOn(Connection &c, const QString &folder, const QList<quint32> &uids, const QList<QByteArray> &flags,
                  StoreMode mode)
{
    if (uids.isEmpty())
        return;
    run(c, in(folder, requests::uidStore(uidSet(uids), mode, flags)));
}

} // namespace

static client::Operation<quint32> appendMessageOp(const QString &folder, const QByteArray &message,
                                                  const QList<QByteArray> &flags)
{
    return {pool::Work::Long, folder, client::Retry::IfNotSent, [=](auto &c) {
                return appendMessageOn(c, folder, NewMessage{message, flags, {}});
            }};
}
Result<quint32> ImapClient::appendMessage(const QString &folder, const QByteArray &message,
                                          const QList<QByteArray> &flags)
{
    return engine().wait(appendMessageOp(folder, message, flags));
}
QFuture<quint32> ImapClient::appendMessageAsync(const QString &folder, const QByteArray &message,
                                                const QList<QByteArray> &flags)
{
    return engine().start(appendMessageOp(folder, message, flags));
}

static client::Operation<QList<quint32>> appendMessagesOp(const QString &folder, const QList<NewMessage> &messages)
{
    return {pool::Work::Long, folder, client::Retry::Never,
            [=](auto &c) { return appendMessagesOn(c, folder, messages); }};
}
Result<QList<quint32>> ImapClient::appendMessages(const QString &folder, const QList<NewMessage> &messages)
{
    return engine().wait(appendMessagesOp(folder, messages));
}
QFuture<QList<quint32>> ImapClient::appendMessagesAsync(const QString &folder, const QList<NewMessage> &messages)
{
    return engine().start(appendMessagesOp(folder, messages));
}

/// A copy may be sent again when it never left (one COPY); a move, made of
/// several commands when MOVE is not offered, never (B06).
static client::Operation<QMap<quint32, quint32>> transferOp(const QString &folder, const QList<quint32> &uids,
                                                            const QString &target, bool move)
{
    return {pool::Work::Short, folder, move ? client::Retry::Never : client::Retry::IfNotSent, [=](Connection &c) {
                return move ? moveMessagesOn(c, folder, uids, target) : copyMessagesOn(c, folder, uids, target);
            }};
}
Result<QMap<quint32, quint32>> ImapClient::copyMessages(const QString &folder, const QList<quint32> &uids,
                                                        const QString &target)
{
    return engine().wait(transferOp(folder, uids, target, false));
}
QFuture<QMap<quint32, quint32>> ImapClient::copyMessagesAsync(const QString &folder, const QList<quint32> &uids,
                                                              const QString &target)
{
    return engine().start(transferOp(folder, uids, target, false));
}
Result<QMap<quint32, quint32>> ImapClient::moveMessages(const QString &folder, const QList<quint32> &uids,
                                                        const QString &target)
{
    return engine().wait(transferOp(folder, uids, target, true));
}
QFuture<QMap<quint32, quint32>> ImapClient::moveMessagesAsync(const QString &folder, const QList<quint32> &uids,
                                                              const QString &target)
{
    return engine().start(transferOp(folder, uids, target, true));
}

static client::Operation<void> storeFlagsOp(const QString &folder, const QList<quint32> &uids,
                                            const QList<QByteArray> &flags, StoreMode mode)
{
    return {pool::Work::Short, folder, client::Retry::IfNotSent,
            [=](Connection &c) { storeFlagsOn(c, folder, uids, flags, mode); }};
}
Error ImapClient::setFlags(const QString &folder, const QList<quint32> &uids, const QList<QByteArray> &flags)
{
    return engine().wait(storeFlagsOp(folder, uids, flags, StoreMode::Replace));
}
QFuture<void> ImapClient::setFlagsAsync(const QString &folder, const QList<quint32> &uids,
                                        const QList<QByteArray> &flags)
{
    return engine().start(storeFlagsOp(folder, uids, flags, StoreMode::Replace));
}
Error ImapClient::addFlags(const QString &folder, const QList<quint32> &uids, const QList<QByteArray> &flags)
{
    return engine().wait(storeFlagsOp(folder, uids, flags, StoreMode::Add));
}
QFuture<void> ImapClient::addFlagsAsync(const QString &folder, const QList<quint32> &uids,
                                        const QList<QByteArray> &flags)
{
    return engine().start(storeFlagsOp(folder, uids, flags, StoreMode::Add));
}
Error ImapClient::removeFlags(const QString &folder, const QList<quint32> &uids, const QList<QByteArray> &flags)
{
    return engine().wait(storeFlagsOp(folder, uids, flags, StoreMode::Remove));
}
QFuture<void> ImapClient::removeFlagsAsync(const QString &folder, const QList<quint32> &uids,
                                           const QList<QByteArray> &flags)
{
    return engine().start(storeFlagsOp(folder, uids, flags, StoreMode::Remove));
}
Error ImapClient::deleteMessages(const QString &folder, const QList<quint32> &uids)
{
    return engine().wait(storeFlagsOp(folder, uids, {kDeleted}, StoreMode::Add));
}
QFuture<void> ImapClient::deleteMessagesAsync(const QString &folder, const QList<quint32> &uids)
{
    return engine().start(storeFlagsOp(folder, uids, {kDeleted}, StoreMode::Add));
}

static client::Operation<void> expungeOp(const QString &folder, const QList<quint32> &uids)
{
    return {pool::Work::Short, folder, client::Retry::IfNotSent, [=](auto &c) { expungeOn(c, folder, uids); }};
}
Error ImapClient::expunge(const QString &folder, const QList<quint32> &uids)
{
    return engine().wait(expungeOp(folder, uids));
}
QFuture<void> ImapClient::expungeAsync(const QString &folder, const QList<quint32> &uids)
{
    return engine().start(expungeOp(folder, uids));
}

} // namespace mailcore
