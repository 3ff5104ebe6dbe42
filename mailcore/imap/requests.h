// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QDateTime>
#include <QFuture>

#include "mailcore/imap/request.h"
#include "mailcore/imap/searchkey.h"
#include "mailcore/imap/serializer.h"
#include "mailcore/mailcore_export.h"

namespace mailcore::imap {

class ImapConnection;

/// Ready-made queue requests for every IMAP command a client issues, each with
/// the right queue treatment (barrier, UID routing, selected mailbox). Pure:
/// no I/O until handed to ImapConnection::execute().
namespace requests {

MAILCORE_EXPORT Request capability();
MAILCORE_EXPORT Request noop();
MAILCORE_EXPORT Request namespaces();
MAILCORE_EXPORT Request enable(const QList<QByteArray> &capabilities);
MAILCORE_EXPORT Request id(const QList<QPair<QString, QString>> &fields);
MAILCORE_EXPORT Request list(const QString &reference, const QString &pattern, const ListReturnOptions &options = {});
MAILCORE_EXPORT Request lsub(const QString &reference, const QString &pattern);
MAILCORE_EXPORT Request create(const QString &mailbox);
MAILCORE_EXPORT Request deleteMailbox(const QString &mailbox);
MAILCORE_EXPORT Request rename(const QString &from, const QString &to);
MAILCORE_EXPORT Request subscribe(const QString &mailbox);
MAILCORE_EXPORT Request unsubscribe(const QString &mailbox);
MAILCORE_EXPORT Request status(const QString &mailbox, const QList<QByteArray> &items);
/// SELECT, or EXAMINE with options.readOnly; CONDSTORE when options.condStore.
MAILCORE_EXPORT Request select(const QString &mailbox, const SelectOptions &options = {});
MAILCORE_EXPORT Request uidFetch(const SequenceSet &uids, const FetchItems &items,
                                 std::optional<quint64> changedSince = {});
MAILCORE_EXPORT Request uidSearch(const SearchKey &key, const QList<QByteArray> &returnOptions = {});
/// UID SORT (RFC 5256); see CommandBuilder::uidSort.
MAILCORE_EXPORT Request uidSort(const QList<QByteArray> &criteria, const SearchKey &key);
MAILCORE_EXPORT Request uidStore(const SequenceSet &uids, StoreMode mode, const QList<QByteArray> &flags,
                                 std::optional<quint64> unchangedSince = {});
MAILCORE_EXPORT Request uidCopy(const SequenceSet &uids, const QString &mailbox);
MAILCORE_EXPORT Request uidMove(const SequenceSet &uids, const QString &mailbox);
MAILCORE_EXPORT Request uidExpunge(const SequenceSet &uids);
MAILCORE_EXPORT Request expunge();
MAILCORE_EXPORT Request close();
MAILCORE_EXPORT Request unselect();
MAILCORE_EXPORT Request append(const QString &mailbox, const QByteArray &message, const QList<QByteArray> &flags = {},
                               const QDateTime &internalDate = {});

} // namespace requests

/// Moves messages: UID MOVE when the server offers MOVE; otherwise UID COPY,
/// then (only if the copy succeeded) STORE +FLAGS (\Deleted), then UID EXPUNGE
/// of exactly those UIDs with UIDPLUS, or a plain EXPUNGE without it (which also
/// removes any other message already flagged \Deleted in that mailbox: the only
/// choice RFC 3501 leaves). The source mailbox must be selected.
MAILCORE_EXPORT QFuture<CommandResult> moveMessages(ImapConnection &connection, const SequenceSet &uids,
                                                    const QString &target);

} // namespace mailcore::imap
