// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/pop3/reply.h"

namespace mailcore::pop3 {

QList<QByteArray> Reply::payloadLines() const
{
    QList<QByteArray> lines;
    qsizetype start = 0;
    while (start < payload.size()) {
        qsizetype end = payload.indexOf('\n', start);
        const qsizetype next = end < 0 ? payload.size() : end + 1;
        if (end < 0)
            end = payload.size();
        if (end > start && payload.at(end - 1) == '\r')
            --end;
        lines.append(payload.mid(start, end - start));
        start = next;
    }
    return lines;
}

bool Reply::isTransientFailure() const
{
    if (status != Status::Err)
        return false;
    const QByteArray upper = code.toUpper();
    return upper == "IN-USE" || upper == "LOGIN-DELAY" || upper.startsWith("SYS/TEMP");
}

Error Reply::toError() const
{
    if (status != Status::Err)
        return {};
    QString message = QString::fromUtf8(text);
    if (!code.isEmpty())
        message = QLatin1Char('[') + QString::fromLatin1(code) + QStringLiteral("] ") + message;
    // [AUTH] (RFC 3206) is the one code that says "the credentials are wrong";
    // everything else, including a bare -ERR after PASS, is only a refusal.
    if (code.compare("AUTH", Qt::CaseInsensitive) == 0)
        return Error(ErrorCode::Auth, message);
    return Error(ErrorCode::ServerRefused, message);
}

} // namespace mailcore::pop3
