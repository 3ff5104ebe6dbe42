// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/account/account.h"

#include <QSettings>
#include <QtConcurrent/QtConcurrentRun>

#include "mailcore/imapclient/imapclient.h"
#include "ui/futureresult.h"

namespace tandem::ui {

namespace {

QString pinKey(const QString &host, quint16 port)
{
    return QStringLiteral("trustedCertificates/%1:%2").arg(host).arg(port);
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
        retire(m_client);
    // Taken out of the list first: waitForFinished() may run a dispose that has
    // not started yet right here, and its continuation then runs at once too
    // (it finds nothing left to delete).
    const QList<Retiring> retiring = std::exchange(m_retiring, {});
    for (const Retiring &old : retiring) {
        QFuture<void> disposed = old.disposed;
        disposed.waitForFinished(); // shutdown: the window is gone already
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
    mailcore::ImapClient *old = m_client;
    m_settings = settings;
    m_password = password;
    m_client = new mailcore::ImapClient(settings.endpoint(), settings.user, password);
    m_client->setMaxConnectionsPerServer(settings.maxConnectionsPerServer);
    m_client->setExtraConnectionIdleTime(std::chrono::seconds(settings.extraIdleSeconds));
    Q_EMIT clientChanged(m_client);
    if (old)
        retire(old);
}

void Account::trustCertificate(const QByteArray &sha256)
{
    QSettings().setValue(pinKey(m_settings.host, m_settings.port), sha256.toHex());
    AccountSettings settings = m_settings;
    settings.pinnedSha256 = sha256;
    connectTo(settings, m_password);
}

void Account::retire(mailcore::ImapClient *client)
{
    // dispose() waits for the client's tasks and logs out: never on the GUI thread.
    QFuture<void> disposed = QtConcurrent::run(&m_retirePool, [client] { client->dispose(); });
    m_retiring.append({client, disposed});
    whenFinished(this, disposed, [this, client](QFuture<void>) {
        for (qsizetype i = 0; i < m_retiring.size(); ++i) {
            if (m_retiring.at(i).client == client) {
                m_retiring.removeAt(i);
                delete client; // disposed already: the destructor has nothing left to wait for
                return;
            }
        }
    });
    if (client == m_client)
        m_client = nullptr;
}

} // namespace tandem::ui
