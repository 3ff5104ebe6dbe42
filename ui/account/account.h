// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QFuture>
#include <QList>
#include <QObject>
#include <QThreadPool>

#include "ui/account/accountsettings.h"

namespace mailcore {
class ImapClient;
}

namespace tandem::ui {

/// The one account the window shows: its settings and the pooled ImapClient
/// made from them. Changing the settings replaces the client; the old one is
/// disposed (LOGOUT, close) on a helper thread so the GUI never waits for a
/// server. Trusted certificate pins are remembered per server in QSettings
/// (a fingerprint is not a secret). GUI thread.
class Account : public QObject
{
    Q_OBJECT

public:
    explicit Account(QObject *parent = nullptr);
    ~Account() override; ///< waits for old clients still logging out (shutdown only)

    const AccountSettings &settings() const { return m_settings; }
    QString password() const { return m_password; }
    /// The current client, or nullptr before connectTo().
    mailcore::ImapClient *client() const { return m_client; }

    /// Makes a new client for these settings (a remembered pin for the same
    /// server is added when the settings carry none) and emits clientChanged().
    void connectTo(AccountSettings settings, const QString &password);
    /// Trusts exactly this certificate for the current server from now on, and reconnects.
    void trustCertificate(const QByteArray &sha256);

    static QByteArray rememberedPin(const QString &host, quint16 port);

Q_SIGNALS:
    /// The old client (if any) must not be used after this; it is being disposed.
    void clientChanged(mailcore::ImapClient *client);

private:
    void retire(mailcore::ImapClient *client);

    AccountSettings m_settings;
    QString m_password;
    mailcore::ImapClient *m_client = nullptr;
    QThreadPool m_retirePool;
    struct Retiring {
        mailcore::ImapClient *client;
        QFuture<void> disposed;
    };
    QList<Retiring> m_retiring;
};

} // namespace tandem::ui
