// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include "mailcore/base/endpoint.h"
#include "mailcore/store/pop3sync.h"
#include "mailcore/store/records.h"

namespace tandem::ui {

/// Everything about one account (IMAP or POP3, and its SMTP server) except its password, which lives only in
/// the keychain (or, without one, in memory for the session): a plain value the
/// settings dialog edits and Account turns into an ImapClient.
struct AccountSettings {
    static constexpr int MinConnections = 1;
    static constexpr int MaxConnections = 50;
    static constexpr int DefaultConnections = 10;

    /// How mail comes in: IMAP (it stays on the server, the store is a copy)
    /// or POP3 (downloaded: the store is the mailbox).
    enum class Incoming { Imap, Pop3 };
    Incoming incoming = Incoming::Imap;
    QString host;
    quint16 port = 993;
    mailcore::Security security = mailcore::Security::ImplicitTls;
    QString user;
    int maxConnectionsPerServer = DefaultConnections;
    int extraIdleSeconds = 60;    ///< how long an unused extra connection stays open
    QList<QByteArray> extraCaPem; ///< CAs trusted besides the system's (the demo's own CA)
    QByteArray pinnedSha256;      ///< one server certificate the user chose to trust
    /// POP3: what becomes of the server's copy once a message is downloaded
    /// (left there by default).
    mailcore::store::Pop3Policy pop3Policy;
    // Sending (the same login and password as the incoming server).
    QString smtpHost;                                                  ///< empty: this account cannot send
    quint16 smtpPort = 465;                                            ///< submission over TLS (465) or STARTTLS (587)
    mailcore::Security smtpSecurity = mailcore::Security::ImplicitTls; ///< never weaker than the user chose
    // Who the account's messages are from.
    QString fromName;    ///< "Alice Example"
    QString fromAddress; ///< "alice@example.org"; empty: the login name, if it is an address
    QString signature;   ///< under new messages and replies, after a "-- " line; empty: none
    /// More addresses the account sends as (the same servers), as typed:
    /// "Alice at work <alice@work.example>, alias@example.org".
    QString otherAddresses;

    /// One name and address messages go out as, with its signature.
    struct Identity {
        QString name;
        QString address;
        QString signature;
    };
    /// Every identity: the main one (fromName, senderAddress()) first, then
    /// the other addresses (with the same signature; an address without a
    /// name takes the main one's).
    QList<Identity> identities() const;

    bool isComplete() const { return !host.isEmpty() && port != 0 && !user.isEmpty(); }
    bool isPop3() const { return incoming == Incoming::Pop3; }
    /// "alice@127.0.0.1:993": the keychain key and the name shown to people.
    QString accountId() const;
    mailcore::Endpoint endpoint() const;
    /// The SMTP server's endpoint (the same CAs and TLS rules); host empty when none.
    mailcore::Endpoint smtpEndpoint() const;
    /// The address messages are sent from.
    QString senderAddress() const { return fromAddress.isEmpty() && user.contains(u'@') ? user : fromAddress; }
    /// As the local store keeps it (the account's row: server and user in
    /// columns, the rest in its settings), `id` 0 for a new row.
    mailcore::store::Account toStored(qint64 id = 0) const;
    /// Back from the store's row (an account remembered from an earlier run).
    static AccountSettings fromStored(const mailcore::store::Account &stored);

    friend bool operator==(const AccountSettings &, const AccountSettings &) = default;
};

} // namespace tandem::ui
