// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/discovery/autoconfig.h"

#include <QXmlStreamReader>

#include "mailcore/discovery/emailaddress.h"

namespace mailcore::discovery {

namespace {

constexpr qsizetype maxServersTaken = 32;

// One <incomingServer> or <outgoingServer> as written, before it is checked.
struct ServerElement {
    QString kind; // "incomingServer" or "outgoingServer"
    QString type; // its type attribute: imap, pop3, smtp, or another protocol
    QString hostname;
    QString port;
    QString socketType;
    QString username;
};

QString fillPlaceholders(QString text, const QString &address, const AddressParts &parts)
{
    text.replace(QLatin1String("%EMAILADDRESS%"), address);
    text.replace(QLatin1String("%EMAILLOCALPART%"), parts.localPart);
    text.replace(QLatin1String("%EMAILDOMAIN%"), parts.domain);
    return text;
}

bool looksLikeHostName(const QString &host)
{
    if (host.isEmpty() || host.size() > 253)
        return false;
    for (QChar c : host) {
        if (!(c.isLetterOrNumber() || c == QLatin1Char('.') || c == QLatin1Char('-') || c == QLatin1Char('_')))
            return false;
    }
    return true;
}

ServerElement readServer(QXmlStreamReader &xml)
{
    ServerElement server;
    server.kind = xml.name().toString();
    server.type = xml.attributes().value(QLatin1String("type")).toString().toLower();
    while (xml.readNextStartElement()) {
        const QStringView name = xml.name();
        if (name == QLatin1String("hostname"))
            server.hostname = xml.readElementText().trimmed();
        else if (name == QLatin1String("port"))
            server.port = xml.readElementText().trimmed();
        else if (name == QLatin1String("socketType"))
            server.socketType = xml.readElementText().trimmed();
        else if (name == QLatin1String("username"))
            server.username = xml.readElementText().trimmed();
        else
            xml.skipCurrentElement();
    }
    return server;
}

// The candidate a server element stands for, or why it is not one.
Result<ServerCandidate> toCandidate(const ServerElement &element, const QString &address, const AddressParts &parts)
{
    ServerCandidate candidate;
    candidate.source = Source::Autoconfig;
    const bool incoming = element.kind == QLatin1String("incomingServer");
    if (incoming && element.type == QLatin1String("imap"))
        candidate.protocol = Protocol::Imap;
    else if (incoming && element.type == QLatin1String("pop3"))
        candidate.protocol = Protocol::Pop3;
    else if (!incoming && element.type == QLatin1String("smtp"))
        candidate.protocol = Protocol::Smtp;
    else
        return Error(ErrorCode::NotFound,
                     QStringLiteral("a server of type \"%1\", which Tandem does not speak").arg(element.type.left(40)));
    candidate.endpoint.host = fillPlaceholders(element.hostname, address, parts).toLower();
    if (!looksLikeHostName(candidate.endpoint.host))
        return Error(
            ErrorCode::Protocol,
            QStringLiteral("a server with the host name \"%1\", which is not one").arg(element.hostname.left(80)));
    bool portOk = false;
    const uint port = element.port.toUInt(&portOk);
    if (!portOk || port == 0 || port > 65535)
        return Error(ErrorCode::Protocol,
                     QStringLiteral("%1 with the port \"%2\", which is not one")
                         .arg(candidate.endpoint.host, element.port.left(20)));
    candidate.endpoint.port = quint16(port);
    const QString socketType = element.socketType.toUpper();
    if (socketType == QLatin1String("SSL") || socketType == QLatin1String("TLS"))
        candidate.endpoint.security = Security::ImplicitTls;
    else if (socketType == QLatin1String("STARTTLS"))
        candidate.endpoint.security = Security::StartTls;
    else if (socketType == QLatin1String("PLAIN"))
        return Error(ErrorCode::Tls,
                     QStringLiteral("%1 port %2 without encryption, which is not proposed")
                         .arg(candidate.endpoint.host)
                         .arg(port));
    else
        return Error(ErrorCode::Protocol,
                     QStringLiteral("%1 port %2 with the unknown socket type \"%3\"")
                         .arg(candidate.endpoint.host)
                         .arg(port)
                         .arg(element.socketType.left(20)));
    candidate.userName = element.username.isEmpty() ? address : fillPlaceholders(element.username, address, parts);
    return candidate;
}

Error notAutoconfig(const QString &why)
{
    return Error(ErrorCode::Protocol, QStringLiteral("not a usable autoconfig file: %1").arg(why));
}

} // namespace

QList<QUrl> autoconfigUrls(const QStringList &configured, const QString &emailAddress)
{
    const std::optional<AddressParts> parts = splitAddress(emailAddress);
    if (!parts)
        return {};
    const QString address = emailAddress.trimmed();
    QList<QUrl> urls;
    if (configured.isEmpty()) {
        const QString encoded = QString::fromLatin1(QUrl::toPercentEncoding(address));
        const QUrl provider(
            QStringLiteral("https://autoconfig.%1/mail/config-v1.1.xml?emailaddress=%2").arg(parts->domain, encoded));
        urls << provider
             << QUrl(QStringLiteral("https://%1/.well-known/autoconfig/mail/config-v1.1.xml").arg(parts->domain));
        return urls;
    }
    for (QString text : configured) {
        text.replace(QLatin1String("%EMAIL%"), QString::fromLatin1(QUrl::toPercentEncoding(address)));
        text.replace(QLatin1String("%DOMAIN%"), parts->domain);
        const QUrl url(text);
        if (url.isValid())
            urls << url;
    }
    return urls;
}

Result<AutoconfigServers> parseAutoconfig(QByteArrayView bytes, const QString &emailAddress)
{
    const std::optional<AddressParts> parts = splitAddress(emailAddress);
    if (!parts)
        return Error(ErrorCode::BadArgument, QStringLiteral("\"%1\" is not an e-mail address").arg(emailAddress));
    if (bytes.size() > maxAutoconfigSize)
        return notAutoconfig(QStringLiteral("%1 bytes, more than such a file can need").arg(bytes.size()));
    const QString address = emailAddress.trimmed();
    QXmlStreamReader xml(bytes.toByteArray());
    if (!xml.readNextStartElement())
        return notAutoconfig(xml.hasError() ? xml.errorString() : QStringLiteral("it is empty"));
    if (xml.name() != QLatin1String("clientConfig"))
        return notAutoconfig(QStringLiteral("its root is <%1>, not <clientConfig>").arg(xml.name().left(40)));
    AutoconfigServers found;
    while (xml.readNextStartElement()) {
        if (xml.name() != QLatin1String("emailProvider")) {
            xml.skipCurrentElement();
            continue;
        }
        while (xml.readNextStartElement()) {
            const QStringView name = xml.name();
            if (name != QLatin1String("incomingServer") && name != QLatin1String("outgoingServer")) {
                xml.skipCurrentElement();
                continue;
            }
            const ServerElement element = readServer(xml);
            if (xml.hasError())
                break;
            Result<ServerCandidate> candidate = toCandidate(element, address, *parts);
            if (!candidate)
                found.skipped << candidate.error().message();
            else if (found.servers.size() < maxServersTaken)
                found.servers << candidate.value();
        }
    }
    if (xml.hasError())
        return notAutoconfig(QStringLiteral("line %1: %2").arg(xml.lineNumber()).arg(xml.errorString()));
    if (found.servers.isEmpty())
        return notAutoconfig(found.skipped.isEmpty()
                                 ? QStringLiteral("it names no server")
                                 : QStringLiteral("it names only %1").arg(found.skipped.join(QLatin1String("; "))));
    return found;
}

} // namespace mailcore::discovery
