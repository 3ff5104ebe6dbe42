#pragma once

// Private to mailcore (not installed): what the files that implement
// ImapClient's operations share. Each operation is a function of one pooled
// connection (`xxxOn(connection, ...)`), run by ImapClient's synchronous and
// asynchronous forms alike; it throws MailException on failure.

#include <QFuture>
#include <QList>
#include <QString>

#include "mailcore/imap/request.h"
#include "mailcore/imap/sequenceset.h"
#include "mailcore/pool/connectionpool.h"

namespace mailcore::imap {
class ImapConnection;
}

namespace mailcore::imapops {

/// The ImapConnection behind a pooled connection made by ImapClient.
imap::ImapConnection &connectionOf(pool::PooledConnection &pooled);

/// Runs one request on the connection and waits for it (task or user thread,
/// never an I/O thread); a failure is thrown as MailException.
imap::CommandResult run(pool::PooledConnection &pooled, imap::Request request);

/// Waits for a command queued earlier with execute(), so that several can be
/// pipelined before the first answer is needed; throws like run().
imap::CommandResult waitFor(QFuture<imap::CommandResult> future);

/// `request` with the folder it works in (selected by the session right before it).
inline imap::Request in(const QString &folder, imap::Request request)
{
    request.inMailbox = folder;
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
bool offers(pool::PooledConnection &pooled, QByteArrayView capability);

} // namespace mailcore::imapops
