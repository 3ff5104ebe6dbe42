// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/account/account.h"

#include <QSettings>

#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>

#include "mailcore/imapclient/imapclient.h"
#include "mailcore/pop3client/pop3client.h"
#include "mailcore/smtpclient/smtpclient.h"
#include "mailcore/store/mailstore.h"
#include "ui/futureresult.h"
#include "ui/sync/accountsync.h"

namespace tandem::ui {

namespace {

QString pinKey(const QString &host, quint16 port)
{
    return QStringLiteral("trustedCertificates/%1:%2").arg(host).arg(port);
}

/// One server account: the same protocol, server and login.
bool sameServer(const mailcore::store::Account &a, const mailcore::store::Account &b)
{
    return a.protocol == b.protocol && a.host == b.host && a.port == b.port && a.userName == b.userName;
}

/// storedAccountId() among `accounts`, the store's rows as read.
qint64 foundOrAdded(mailcore::store::MailStore &store, const QList<mailcore::store::Account> &accounts,
                    const AccountSettings &settings)
{
    const mailcore::store::Account wanted = settings.toStored();
    for (const mailcore::store::Account &a : accounts) {
        if (sameServer(a, wanted)) {
            // Known: its settings as they are now, for the next start.
            if (const mailcore::store::Account now = settings.toStored(a.id); !(now == a))
                store.saveAccount(now);
            return a.id;
        }
    }
    QFuture<qint64> added = store.addAccount(wanted);
    const mailcore::Result<qint64> id = takeResult(added); // waits for one small write, once per new account
    return id ? id.value() : 0;
}

} // namespace

Account::Account(QObject *parent)
    : QObject(parent)
{
    m_retirePool.setMaxThreadCount(1);
}

Account::~Account()
{
    if (m_client)
        retire(m_client, m_sync);
    // Taken out of the list first: waitForFinished() may run a dispose that has
    // not started yet right here, and its continuation then runs at once too
    // (it finds nothing left to delete).
    const QList<Retiring> retiring = std::exchange(m_retiring, {});
    for (const Retiring &old : retiring) {
        QFuture<void> disposed = old.disposed;
        disposed.waitForFinished(); // shutdown: the window is gone already
        delete old.sync;
        delete old.client;
    }
}

QByteArray Account::rememberedPin(const QString &host, quint16 port)
{
    return QByteArray::fromHex(QSettings().value(pinKey(host, port)).toByteArray());
}

void Account::connectTo(AccountSettings settings, const QString &password)
{
    if (settings.pinnedSha256.isEmpty())
        settings.pinnedSha256 = rememberedPin(settings.host, settings.port);
    mailcore::CredentialsByHostClient *old = m_client;
    AccountSync *oldSync = m_sync;
    m_settings = settings;
    m_password = password;
    mailcore::Pop3Client *pop3 = nullptr;
    if (settings.isPop3()) {
        m_imap = nullptr;
        m_client = pop3 = new mailcore::Pop3Client(settings.endpoint(), settings.user, password);
    } else {
        m_client = m_imap = new mailcore::ImapClient(settings.endpoint(), settings.user, password);
        m_imap->setMaxConnectionsPerServer(settings.maxConnectionsPerServer);
        m_imap->setExtraConnectionIdleTime(std::chrono::seconds(settings.extraIdleSeconds));
    }
    const qint64 accountId = m_store ? movedAccountId(*m_store, m_storeId, settings) : 0;
    m_storeId = accountId;
    std::unique_ptr<mailcore::SmtpClient> smtp;
    if (!settings.smtpHost.isEmpty())
        smtp = std::make_unique<mailcore::SmtpClient>(settings.smtpEndpoint(), settings.user, password);
    if (!accountId)
        m_sync = nullptr;
    else if (pop3)
        m_sync = new AccountSync(*m_store, *pop3, accountId, settings.pop3Policy, std::move(smtp));
    else
        m_sync = new AccountSync(*m_store, *m_imap, accountId, std::move(smtp));
    Q_EMIT clientChanged(m_imap);
    if (old)
        retire(old, oldSync);
}

void Account::close()
{
    m_closing = true;
    if (m_client)
        retire(m_client, m_sync);
    if (m_retiring.isEmpty())
        Q_EMIT closed();
}

void Account::remembered(const AccountSettings &settings, qint64 storeId)
{
    m_settings = settings;
    m_storeId = storeId;
}

void Account::trustCertificate(const QByteArray &sha256)
{
    QSettings().setValue(pinKey(m_settings.host, m_settings.port), sha256.toHex());
    AccountSettings settings = m_settings;
    settings.pinnedSha256 = sha256;
    connectTo(settings, m_password);
}

qint64 Account::movedAccountId(mailcore::store::MailStore &store, qint64 storeId, const AccountSettings &settings)
{
    const auto accounts = store.accounts();
    if (!accounts)
        return 0;
    const mailcore::store::Account wanted = settings.toStored(storeId);
    const auto row = std::find_if(accounts->cbegin(), accounts->cend(),
                                  [&](const mailcore::store::Account &a) { return a.id == storeId; });
    const bool elsewhere = std::any_of(accounts->cbegin(), accounts->cend(), [&](const mailcore::store::Account &a) {
        return a.id != storeId && sameServer(a, wanted);
    });
    // A POP3 store is the mailbox itself: it never becomes an IMAP one, nor the reverse.
    if (!storeId || row == accounts->cend() || sameServer(*row, wanted) || row->protocol != wanted.protocol
        || elsewhere)
        return foundOrAdded(store, accounts.value(), settings);
    QFuture<void> saved = store.saveAccount(wanted);
    if (takeError(saved).isError())
        return 0;
    return storeId;
}

qint64 Account::storedAccountId(mailcore::store::MailStore &store, const AccountSettings &settings)
{
    const auto accounts = store.accounts();
    return accounts ? foundOrAdded(store, accounts.value(), settings) : 0;
}

void Account::retire(mailcore::CredentialsByHostClient *client, AccountSync *sync)
{
    if (sync)
        sync->stop();
    // dispose() waits for the client's tasks and logs out, and the sync's last
    // step then ends at once: never on the GUI thread.
    QFuture<void> disposed = QtConcurrent::run(&m_retirePool, [client, sync] {
        client->dispose();
        if (sync)
            sync->waitForDone();
    });
    m_retiring.append({client, sync, disposed});
    whenFinished(this, disposed, [this, client](QFuture<void>) {
        for (qsizetype i = 0; i < m_retiring.size(); ++i) {
            if (m_retiring.at(i).client == client) {
                AccountSync *doneSync = m_retiring.at(i).sync;
                m_retiring.removeAt(i);
                delete doneSync; // its threads are idle
                delete client;   // disposed already: the destructor has nothing left to wait for
                if (m_closing && m_retiring.isEmpty())
                    Q_EMIT closed();
                return;
            }
        }
    });
    if (client == m_client) {
        m_client = nullptr;
        m_imap = nullptr;
        m_sync = nullptr;
    }
}

} // namespace tandem::ui
