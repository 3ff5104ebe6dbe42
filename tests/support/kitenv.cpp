// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "support/kitenv.h"

#include <QFile>
#include <QJsonDocument>

#include <algorithm>

namespace tandem::test {

QJsonObject KitEnv::corpusFolders() const
{
    QFile manifest(value(QStringLiteral("TANDEM_KIT_CORPUS_MANIFEST")));
    if (!manifest.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(manifest.readAll()).object().value(QStringLiteral("folders")).toObject();
}

KitEnv KitEnv::load(const char *variable)
{
    KitEnv env;
    const QString path = qEnvironmentVariable(variable);
    if (path.isEmpty()) {
        env.m_error = QStringLiteral("$%1 is not set: run the tests through ctest so the test kit starts")
                          .arg(QLatin1String(variable));
        return env;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        env.m_error = QStringLiteral("cannot read the test kit's env file %1: %2 (did testkit.start fail?)")
                          .arg(path, file.errorString());
        return env;
    }
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (eq <= 0)
            continue;
        QString value = line.mid(eq + 1);
        if (value.size() >= 2 && value.startsWith(QLatin1Char('\'')) && value.endsWith(QLatin1Char('\'')))
            value = value.mid(1, value.size() - 2);
        env.m_values.insert(line.left(eq), value);
    }
    if (env.host().isEmpty())
        env.m_error = QStringLiteral("the env file %1 names no TANDEM_KIT_HOST").arg(path);
    return env;
}

QString KitEnv::user(int index) const
{
    // Mailutils' users log in as alice@localhost; the kit says so per user.
    const QString login = value(QStringLiteral("TANDEM_KIT_LOGIN%1").arg(index + 1));
    return login.isEmpty() ? value(QStringLiteral("TANDEM_KIT_USER%1").arg(index + 1)) : login;
}

bool KitEnv::isMailutils() const { return value(QStringLiteral("TANDEM_KIT_SERVER")) == QLatin1String("mailutils"); }

bool KitEnv::serverRewritesMessages() const { return isMailutils(); }

QByteArray KitEnv::withoutServerHeaders(const QByteArray &message) const
{
    if (!serverRewritesMessages())
        return message;
    // Mailutils keeps the mbox's UIDs, flags and POP3 UIDLs in these lines.
    static const QByteArrayList added = {"status:", "x-imapbase:", "x-uid:", "x-uidl:"};
    const qsizetype headerEnd = message.indexOf("\r\n\r\n");
    const qsizetype bodyStart = headerEnd < 0 ? message.size() : headerEnd + 2;
    QByteArray out;
    for (qsizetype line = 0; line < bodyStart;) {
        const qsizetype lineEnd = message.indexOf("\r\n", line);
        const qsizetype next = lineEnd < 0 ? bodyStart : std::min(bodyStart, lineEnd + 2);
        const QByteArray text = message.mid(line, next - line);
        const bool addedByServer = std::any_of(added.cbegin(), added.cend(),
                                               [&](const QByteArray &name) { return text.toLower().startsWith(name); });
        if (!addedByServer)
            out += text;
        line = next;
    }
    return out + message.mid(bodyStart);
}

QString KitEnv::password(int index) const { return value(QStringLiteral("TANDEM_KIT_PASSWORD%1").arg(index + 1)); }

mailcore::Endpoint KitEnv::endpoint(const QString &portKey, quint16 port) const
{
    mailcore::Endpoint endpoint;
    endpoint.host = host();
    endpoint.port = port ? port : this->port(portKey);
    QFile ca(caCertificatePath());
    if (ca.open(QIODevice::ReadOnly))
        endpoint.tls.extraCaCertificatesPem = {ca.readAll()};
    return endpoint;
}

mailcore::Endpoint KitEnv::endpoint(Service service, mailcore::Security security) const
{
    static const char *const names[] = {"IMAP", "POP3", "SUBMISSION", "SMTP"};
    const QString implicitTls = security == mailcore::Security::ImplicitTls ? QStringLiteral("S") : QString();
    mailcore::Endpoint endpoint = this->endpoint(
        QStringLiteral("TANDEM_KIT_%1%2_PORT").arg(QLatin1String(names[int(service)]), implicitTls));
    endpoint.security = security;
    return endpoint;
}

} // namespace tandem::test
