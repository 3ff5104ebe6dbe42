// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/account/accountsettings.h"

#include <QJsonArray>

#include "ui/addresses.h"

#include <algorithm>

namespace tandem::ui {

QString AccountSettings::accountId() const { return QStringLiteral("%1@%2:%3").arg(user, host).arg(port); }

mailcore::Endpoint AccountSettings::endpoint() const
{
    mailcore::Endpoint endpoint;
    endpoint.host = host;
    endpoint.port = port;
    endpoint.security = security;
    endpoint.tls.extraCaCertificatesPem = extraCaPem;
    endpoint.tls.pinnedSha256 = pinnedSha256;
    return endpoint;
}

namespace {

QString securityName(mailcore::Security security)
{
    switch (security) {
    case mailcore::Security::StartTls: return QStringLiteral("starttls");
    case mailcore::Security::Plain: return QStringLiteral("plain");
    case mailcore::Security::ImplicitTls: break;
    }
    return QStringLiteral("tls");
}

mailcore::Security securityFrom(const QString &name)
{
    if (name == QLatin1String("starttls"))
        return mailcore::Security::StartTls;
    if (name == QLatin1String("plain"))
        return mailcore::Security::Plain;
    return mailcore::Security::ImplicitTls; // and anything unknown: TLS, never less
}

using Keep = mailcore::store::Pop3Policy::Keep;

QString keepName(Keep keep)
{
    switch (keep) {
    case Keep::DeleteAfterDownload: return QStringLiteral("deleteAfterDownload");
    case Keep::DeleteAfterDays: return QStringLiteral("deleteAfterDays");
    case Keep::OnServer: break;
    }
    return QStringLiteral("onServer");
}

Keep keepFrom(const QString &name)
{
    if (name == QLatin1String("deleteAfterDownload"))
        return Keep::DeleteAfterDownload;
    if (name == QLatin1String("deleteAfterDays"))
        return Keep::DeleteAfterDays;
    return Keep::OnServer; // and anything unknown: nothing is deleted
}

} // namespace

mailcore::Endpoint AccountSettings::smtpEndpoint() const
{
    mailcore::Endpoint endpoint = this->endpoint();
    endpoint.host = smtpHost;
    endpoint.port = smtpPort;
    endpoint.security = smtpSecurity;
    endpoint.tls.pinnedSha256.clear(); // a pin is for the certificate of the IMAP server
    return endpoint;
}

QList<AccountSettings::Identity> AccountSettings::identities() const
{
    QList<Identity> all;
    if (!senderAddress().isEmpty())
        all << Identity{fromName, senderAddress(), signature};
    for (const mailcore::mime::MailAddress &other : addressesIn(otherAddresses)) {
        if (other.address.compare(senderAddress(), Qt::CaseInsensitive) != 0)
            all << Identity{other.name.isEmpty() ? fromName : other.name, other.address, signature};
    }
    return all;
}

mailcore::store::Account AccountSettings::toStored(qint64 id) const
{
    QJsonArray cas;
    for (const QByteArray &pem : extraCaPem)
        cas << QString::fromLatin1(pem);
    mailcore::store::Account stored;
    stored.id = id;
    // What the folder tree calls it: the address people know it by.
    stored.name = senderAddress().isEmpty() ? accountId() : senderAddress();
    stored.protocol = isPop3() ? QStringLiteral("pop3") : QStringLiteral("imap");
    stored.host = host;
    stored.port = port;
    stored.security = securityName(security);
    stored.userName = user;
    stored.settings = {{QStringLiteral("maxConnectionsPerServer"), maxConnectionsPerServer},
                       {QStringLiteral("extraIdleSeconds"), extraIdleSeconds},
                       {QStringLiteral("extraCaPem"), cas},
                       {QStringLiteral("smtpHost"), smtpHost},
                       {QStringLiteral("smtpPort"), smtpPort},
                       {QStringLiteral("smtpSecurity"), securityName(smtpSecurity)},
                       {QStringLiteral("fromName"), fromName},
                       {QStringLiteral("fromAddress"), fromAddress},
                       {QStringLiteral("signature"), signature},
                       {QStringLiteral("otherAddresses"), otherAddresses}};
    if (isPop3()) {
        stored.settings.insert(QStringLiteral("pop3Keep"), keepName(pop3Policy.keep));
        stored.settings.insert(QStringLiteral("pop3Days"), pop3Policy.days);
    }
    return stored;
}

AccountSettings AccountSettings::fromStored(const mailcore::store::Account &stored)
{
    AccountSettings settings;
    settings.incoming = stored.protocol == QLatin1String("pop3") ? Incoming::Pop3 : Incoming::Imap;
    settings.pop3Policy.keep = keepFrom(stored.settings.value(QStringLiteral("pop3Keep")).toString());
    settings.pop3Policy.days = std::max(0, stored.settings.value(QStringLiteral("pop3Days")).toInt(14));
    settings.host = stored.host;
    settings.port = quint16(stored.port);
    settings.security = securityFrom(stored.security);
    settings.user = stored.userName;
    settings.maxConnectionsPerServer = std::clamp(
        stored.settings.value(QStringLiteral("maxConnectionsPerServer")).toInt(DefaultConnections), MinConnections,
        MaxConnections);
    settings.extraIdleSeconds = stored.settings.value(QStringLiteral("extraIdleSeconds")).toInt(60);
    for (const QJsonValue &pem : stored.settings.value(QStringLiteral("extraCaPem")).toArray())
        settings.extraCaPem << pem.toString().toLatin1();
    settings.smtpHost = stored.settings.value(QStringLiteral("smtpHost")).toString();
    settings.smtpPort = quint16(stored.settings.value(QStringLiteral("smtpPort")).toInt(465));
    settings.smtpSecurity = securityFrom(stored.settings.value(QStringLiteral("smtpSecurity")).toString());
    settings.fromName = stored.settings.value(QStringLiteral("fromName")).toString();
    settings.fromAddress = stored.settings.value(QStringLiteral("fromAddress")).toString();
    settings.signature = stored.settings.value(QStringLiteral("signature")).toString();
    settings.otherAddresses = stored.settings.value(QStringLiteral("otherAddresses")).toString();
    return settings;
}

} // namespace tandem::ui
