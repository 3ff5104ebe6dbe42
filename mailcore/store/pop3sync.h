// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include "mailcore/base/result.h"
#include "mailcore/mailcore_export.h"

namespace mailcore {
class Pop3Client;
}

namespace mailcore::store {

class MailStore;

/// What a POP3 account does with the server's copy once a message is stored.
struct Pop3Policy {
    /// The server's copy...
    enum class Keep {
        OnServer,            ///< stays (the default: other clients still see it)
        DeleteAfterDownload, ///< is deleted once the message is stored
        DeleteAfterDays      ///< is deleted `days` days after it was stored
    };
    Keep keep = Keep::OnServer; ///< what happens to the server's copy
    int days = 14;              ///< for DeleteAfterDays
    /// Member by member.
    friend bool operator==(const Pop3Policy &, const Pop3Policy &) = default;
};

/// What a download found and did.
struct Pop3SyncReport {
    int downloaded = 0;      ///< messages new to the store
    int alreadyStored = 0;   ///< on the server, and stored by an earlier download (not fetched again)
    int deletedOnServer = 0; ///< server copies deleted (and committed) by the policy
};

/// Downloads a POP3 account into the store, where its mail then lives (the
/// folder "INBOX" of the account). Every message is fetched once: its UIDL
/// is recorded in the same transaction as the message itself. A server copy
/// is deleted only after the message is committed locally. Blocking: run it
/// from a worker thread.
class MAILCORE_EXPORT Pop3Sync
{
public:
    /// `store` and `client` must outlive it; `accountId` is the store's account.
    /// A connection limit the server imposed on an earlier run (B05: a
    /// maildrop locked per session), which the store remembers, is applied to
    /// `client` at once; a download that lowers it saves it.
    Pop3Sync(MailStore &store, Pop3Client &client, qint64 accountId);

    /// Fetches what the store does not have yet, then applies `policy`.
    Result<Pop3SyncReport> download(const Pop3Policy &policy = {});
    /// The raw message `uid` of the account's INBOX, as downloaded (a POP3
    /// account's mail is all in the store); NotFound when it is not there.
    Result<QByteArray> body(quint32 uid);

private:
    MailStore &m_store;
    Pop3Client &m_client;
    qint64 m_accountId;
    int m_rememberedLimit = 0;
};

} // namespace mailcore::store
