// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Private to mailcore (not installed): what the files that implement
// ImapClient's operations share. Each operation is written once, as a
// function of one pooled connection (`xxxOn(connection, ...)`, which may
// block) or as one that queues its commands and returns their future
// (`submitXxx(connection, ...)`); client::Operation runs it for the
// synchronous and the asynchronous form alike. Failures are MailException.

#include <QFuture>
#include <QList>
#include <QString>

#include "mailcore/client/engine.h"
#include "mailcore/imap/connection.h"
#include "mailcore/imap/request.h"
#include "mailcore/imap/searchkey.h"
#include "mailcore/imap/sequenceset.h"
#include "mailcore/imap/serializer.h"
#include "mailcore/imapclient/imaptypes.h"

namespace mailcore::imapops {

using client::Connection;

/// The ImapConnection behind a pooled connection made by ImapClient.
inline imap::ImapConnection &connectionOf(Connection &pooled) { return pool::protocolOf<imap::ImapConnection>(pooled); }

/// Runs one request on the connection and waits for it (task or user thread,
/// never an I/O thread).
inline imap::CommandResult run(Connection &pooled, imap::Request request)
{
    return client::await(connectionOf(pooled).execute(std::move(request)));
}

/// `request` with the folder it works in (selected by the session right before it).
/// With `uidValidity` (not 0): the UIDVALIDITY its UIDs belong to (see
/// Request::inUidValidity).
inline imap::Request in(const QString &folder, imap::Request request, quint32 uidValidity = 0)
{
    request.inMailbox = folder;
    request.inUidValidity = uidValidity;
    return request;
}

inline imap::SequenceSet uidSet(const QList<quint32> &uids)
{
    imap::SequenceSet set;
    for (quint32 uid : uids)
        set.add(uid);
    return set;
}

/// True when the server announced `capability` (after login).
inline bool offers(Connection &pooled, QByteArrayView capability)
{
    return connectionOf(pooled).capabilities().has(capability);
}

/// The error of a fetch whose UID the folder does not hold.
Error noSuchMessage(const QString &folder, quint32 uid);

/// The UIDs of the messages of `folder` that match `key`, ascending (messages.cpp).
QList<quint32> searchUidsOn(Connection &c, const QString &folder, const imap::SearchKey &key);
/// The same without the NOOP that first brings the connection's view of the
/// folder up to date: for a caller that has just selected it. With
/// `uidValidity` (not 0): the UIDVALIDITY the caller's view has.
QList<quint32> searchUidsInViewOn(Connection &c, const QString &folder, const imap::SearchKey &key,
                                  quint32 uidValidity = 0);

/// What a summary is made of: flags, size, date, structure, the headers it
/// shows (messages.cpp).
imap::FetchItems summaryItems();
/// The summary in one FETCH reply that asked for summaryItems().
MessageSummary summaryOf(const imap::FetchData &f);

/// The summaries of the messages `first`..`last` of `folder` by UID (`last` 0:
/// to the end), ascending (messages.cpp).
QList<MessageSummary> listMessagesOn(Connection &c, const QString &folder, quint32 first, quint32 last);

} // namespace mailcore::imapops
