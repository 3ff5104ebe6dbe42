// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <map>
#include <optional>

#include <QHash>
#include <QMap>
#include <QSet>
#include <QStringList>

#include "mailcore/base/result.h"
#include "mailcore/mailcore_export.h"

namespace mailcore {
class ImapClient;
}

namespace mailcore::store {

class MailStore;
struct OfflineAction;

/// What a replay did.
struct ReplayReport {
    int sent = 0;          ///< actions the server took
    QStringList conflicts; ///< actions the server refused (a folder or message gone), how each was resolved
    int waiting = 0;       ///< actions still queued: the server could not be reached
    Error stoppedBy;       ///< why sending stopped before the end; no error when nothing waits
    /// Of each move or copy sent, by the action's id: the messages' new UIDs
    /// in the target (old UID -> new; empty when the server did not say);
    /// of an append, 0 -> the new message's UID.
    QHash<qint64, QMap<quint32, quint32>> placed;
    /// The folders whose messages the actions sent changed (to sync them now).
    QSet<QString> touched;
};

/// Sends the actions a user made while the server could not be reached
/// (MailStore::queueAction()), in the order they were made.
///
/// An action the server refuses because what it names is gone is resolved
/// and reported, never retried forever and never at the cost of mail: flags
/// for a folder that is gone are dropped; a move or copy whose source or
/// target is gone leaves the messages where they are; an append (a draft, a
/// sent copy) to a folder that is gone makes the folder again and appends;
/// an action on the messages of a folder whose UIDVALIDITY is no longer the
/// one the store knows (the folder was made again, or the account now points
/// at another server) is dropped, as its UIDs name other messages now. A
/// failure that says the server cannot be reached stops the replay: that
/// action and the ones after it wait, in order, for the next replay.
class MAILCORE_EXPORT ActionReplay
{
public:
    /// `store` and `client` must outlive it; `accountId` is the store's account.
    ActionReplay(MailStore &store, ImapClient &client, qint64 accountId);

    /// Sends what waits, oldest first. Blocking: run it from a worker thread.
    Result<ReplayReport> replay();

private:
    /// Sends one action; the error the server gave, none when it took it.
    Error send(const OfflineAction &a, ReplayReport &report);
    /// Why the actions on `folder` must not be sent: the server's UIDVALIDITY
    /// is not the one the store read the folder's UIDs under (ErrorCode::NotFound,
    /// a conflict), or the server could not be asked (try later). nullopt:
    /// send them. Asked once per folder and replay.
    std::optional<Error> folderReplaced(const QString &folder);

    MailStore &m_store;
    ImapClient &m_client;
    qint64 m_accountId;
    std::map<QString, std::optional<Error>> m_replaced; // folderReplaced()'s answers in this replay
};

} // namespace mailcore::store
