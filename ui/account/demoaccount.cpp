// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/account/demoaccount.h"

#include <QFile>
#include <QHash>

namespace tandem::ui {

namespace {

/// KEY='value' lines, as kit.py writes them.
QHash<QString, QString> readEnvFile(QFile &file)
{
    QHash<QString, QString> values;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        const qsizetype eq = line.indexOf(QLatin1Char('='));
        if (line.startsWith(QLatin1Char('#')) || eq <= 0)
            continue;
        QString value = line.mid(eq + 1);
        if (value.size() >= 2 && value.startsWith(QLatin1Char('\'')) && value.endsWith(QLatin1Char('\'')))
            value = value.mid(1, value.size() - 2);
        values.insert(line.left(eq), value);
    }
    return values;
}

} // namespace

DemoAccount DemoAccount::fromKitEnv(const QString &path, bool trustKitCa)
{
    DemoAccount demo;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        demo.error = QStringLiteral("cannot read the demo servers' file %1: %2").arg(path, file.errorString());
        return demo;
    }
    const QHash<QString, QString> env = readEnvFile(file);
    demo.settings.host = env.value(QStringLiteral("TANDEM_KIT_HOST"));
    demo.settings.port = quint16(env.value(QStringLiteral("TANDEM_KIT_IMAPS_PORT")).toUInt());
    demo.settings.security = mailcore::Security::ImplicitTls;
    demo.settings.user = env.value(QStringLiteral("TANDEM_KIT_USER1"));
    demo.password = env.value(QStringLiteral("TANDEM_KIT_PASSWORD1"));
    // The kit's SMTP server takes the same login, over TLS from the first byte.
    demo.settings.smtpHost = demo.settings.host;
    demo.settings.smtpPort = quint16(env.value(QStringLiteral("TANDEM_KIT_SMTPS_PORT")).toUInt());
    demo.settings.smtpSecurity = mailcore::Security::ImplicitTls;
    // The sample mail is addressed to user@example.org.
    const QString user = demo.settings.user;
    demo.settings.fromName = user.isEmpty() ? user : user.left(1).toUpper() + user.mid(1);
    demo.settings.fromAddress = user.contains(u'@') ? user : user + QStringLiteral("@example.org");
    if (!demo.settings.isComplete()) {
        demo.error = QStringLiteral("%1 names no IMAPS host, port or user").arg(path);
        return demo;
    }
    if (trustKitCa) {
        QFile ca(env.value(QStringLiteral("TANDEM_KIT_CA_CERT")));
        if (!ca.open(QIODevice::ReadOnly)) {
            demo.error = QStringLiteral("cannot read the demo CA %1: %2").arg(ca.fileName(), ca.errorString());
            return demo;
        }
        demo.settings.extraCaPem << ca.readAll();
    }
    return demo;
}

} // namespace tandem::ui
