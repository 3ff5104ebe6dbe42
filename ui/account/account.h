// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QFuture>
#include <QList>
#include <QObject>
#include <QThreadPool>

#include "ui/account/accountsettings.h"

namespace mailcore {
class CredentialsByHostClient;
class ImapClient;
} // namespace mailcore
namespace mailcore::store {
class MailStore;
}

namespace tandem::ui {

class AccountSync;

/// One account of the window: its settings, its row in the local
/// store, and the pooled ImapClient made from them with the AccountSync that
/// keeps the store in step through it. Changing the settings replaces both;
/// the old ones are disposed (LOGOUT, close, their sync steps ended) on a
/// helper thread so the GUI never waits for a server. Trusted certificate
/// pins are remembered per server in QSettings (a fingerprint is not a
/// secret). GUI thread.
class Account : public QObject
{
    Q_OBJECT

public:
    explicit Account(QObject *parent = nullptr);
    ~Account() override; ///< waits for old clients still logging out (shutdown only)

    const AccountSettings &settings() const { return m_settings; }
    QString password() const { return m_password; }
    /// The current IMAP client, or nullptr before connectTo() (and for a POP3 account).
    mailcore::ImapClient *client() const { return m_imap; }
    /// The current client of either protocol (what the Connections panel shows), or nullptr before connectTo().
    mailcore::CredentialsByHostClient *pooledClient() const { return m_client; }
    /// The current client's sync, or nullptr before connectTo() (or without a store).
    AccountSync *sync() const { return m_sync; }
    /// The account's id in the store; 0 before it is known (remembered() or connectTo()).
    qint64 storeId() const { return m_storeId; }
    /// Nothing set yet: a window's first, empty account.
    bool isBlank() const { return !m_client && m_storeId == 0 && !m_settings.isComplete(); }
    /// The account as the store remembers it (row `storeId`), before its
    /// password is read back and connectTo() connects it.
    void remembered(const AccountSettings &settings, qint64 storeId);
    /// Where the account's mail is kept; must outlive this object. Set before connectTo().
    void setStore(mailcore::store::MailStore *store) { m_store = store; }
    /// The account's id in the store (found by protocol, server and user, or
    /// added): what the window shows before the server answers. Waits for one
    /// small write when the account is new. 0 if the store cannot be used.
    static qint64 storedAccountId(mailcore::store::MailStore &store, const AccountSettings &settings);
    /// The same for an account the store has as row `storeId` under other
    /// settings: when only its server or login changed (the same protocol,
    /// and no other row has the new ones), that row moves with it (its
    /// Outbox, drafts and mail stay; each folder's next sync keeps or drops
    /// the mail by UIDVALIDITY), so a restart does not bring back the old
    /// server as a second account.
    static qint64 movedAccountId(mailcore::store::MailStore &store, qint64 storeId, const AccountSettings &settings);

    /// Makes a new client for these settings (a remembered pin for the same
    /// server is added when the settings carry none) and its sync, and emits
    /// clientChanged().
    void connectTo(AccountSettings settings, const QString &password);
    /// Disconnects for good (the account is being removed): the client is
    /// disposed and its sync ended on a helper thread, as after a change;
    /// closed() follows once nothing of it runs any more.
    void close();
    /// Trusts exactly this certificate for the current server from now on, and reconnects.
    void trustCertificate(const QByteArray &sha256);

    static QByteArray rememberedPin(const QString &host, quint16 port);

Q_SIGNALS:
    /// The old client (if any) must not be used after this; it is being
    /// disposed. `client` is the new IMAP client (nullptr for POP3: see pooledClient()).
    void clientChanged(mailcore::ImapClient *client);
    /// After close(): every old client is disposed; the object may be deleted.
    void closed();

private:
    void retire(mailcore::CredentialsByHostClient *client, AccountSync *sync);

    AccountSettings m_settings;
    QString m_password;
    mailcore::CredentialsByHostClient *m_client = nullptr;
    mailcore::ImapClient *m_imap = nullptr; ///< m_client, when the account is IMAP
    mailcore::store::MailStore *m_store = nullptr;
    qint64 m_storeId = 0;
    AccountSync *m_sync = nullptr;
    QThreadPool m_retirePool;
    struct Retiring {
        mailcore::CredentialsByHostClient *client;
        AccountSync *sync;
        QFuture<void> disposed;
    };
    QList<Retiring> m_retiring;
    bool m_closing = false;
};

} // namespace tandem::ui
