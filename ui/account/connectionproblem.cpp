// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/account/connectionproblem.h"

#include <QObject>

#include "mailcore/base/tlsfailure.h"

namespace tandem::ui {

QString serverName(const mailcore::Endpoint &endpoint)
{
    return QStringLiteral("%1:%2").arg(endpoint.host).arg(endpoint.port);
}

QString connectionProblem(const mailcore::Error &error, const QString &server)
{
    using mailcore::ErrorCode;
    const QString text = error.message();
    QString plain;
    switch (error.code()) {
    case ErrorCode::Auth:
        plain = QObject::tr("%1 refused the user name or the password. Check both (some providers want an app "
                            "password here).")
                    .arg(server);
        break;
    case ErrorCode::Tls:
        plain = error.tlsFailure() && !error.tlsFailure()->chain.isEmpty()
            ? QObject::tr("The certificate of %1 is not trusted, so Tandem did not send the password.").arg(server)
            : QObject::tr("The secure connection to %1 failed: the server closed it, or does not offer the "
                          "security chosen.")
                  .arg(server);
        break;
    case ErrorCode::Timeout:
        plain = QObject::tr("%1 did not answer in time. Check the server name and port, and the network.").arg(server);
        break;
    case ErrorCode::Network:
        if (text.contains(QLatin1String("not found"), Qt::CaseInsensitive)
            || text.contains(QLatin1String("no such host"), Qt::CaseInsensitive))
            plain = QObject::tr("There is no server called %1: check its name.").arg(server.section(u':', 0, 0));
        else if (text.contains(QLatin1String("refused"), Qt::CaseInsensitive))
            plain = QObject::tr("%1 refuses connections on that port: check the port and the security.").arg(server);
        else
            plain = QObject::tr("%1 cannot be reached.").arg(server);
        break;
    case ErrorCode::ServerRefused: plain = QObject::tr("%1 refused: %2").arg(server, text); return plain;
    default: plain = QObject::tr("%1: something went wrong.").arg(server); break;
    }
    return plain + QStringLiteral(" (") + text + QStringLiteral(")");
}

} // namespace tandem::ui
