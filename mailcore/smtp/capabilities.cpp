// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/smtp/capabilities.h"

#include <utility>

namespace mailcore::smtp {

bool Capabilities::hasAuth(QByteArrayView mechanism) const
{
    for (const QByteArray &m : authMechanisms) {
        if (m.compare(mechanism, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

Result<Capabilities> Capabilities::fromEhlo(const Reply &reply)
{
    if (reply.code != 250) {
        if (reply.code >= 400)
            return reply.toError();
        return Error(ErrorCode::Protocol, QStringLiteral("unexpected reply %1 to EHLO").arg(reply.code));
    }
    // The keywords that stand alone, and the flag each one sets.
    static constexpr std::pair<const char *, bool Capabilities::*> kFlagKeywords[] = {
        {"PIPELINING", &Capabilities::pipelining},
        {"STARTTLS", &Capabilities::startTls},
        {"8BITMIME", &Capabilities::eightBitMime},
        {"SMTPUTF8", &Capabilities::smtpUtf8},
        {"ENHANCEDSTATUSCODES", &Capabilities::enhancedStatusCodes},
        {"CHUNKING", &Capabilities::chunking},
        {"BINARYMIME", &Capabilities::binaryMime},
        {"DSN", &Capabilities::dsn}};
    Capabilities caps;
    caps.greeting = reply.lines.value(0);
    for (qsizetype i = 1; i < reply.lines.size(); ++i) {
        const QByteArray &line = reply.lines.at(i);
        caps.lines.append(line);
        const QList<QByteArray> words = line.simplified().split(' ');
        const QByteArray keyword = words.at(0).toUpper();
        for (const auto &[flagKeyword, flag] : kFlagKeywords) {
            if (keyword == flagKeyword)
                caps.*flag = true;
        }
        if (keyword == "SIZE") {
            caps.size = true;
            if (words.size() > 1) {
                bool ok = false;
                const qint64 value = words.at(1).toLongLong(&ok);
                // A broken number is treated as "no fixed limit", not as a reason to fail EHLO.
                caps.maxSize = ok && value > 0 ? value : 0;
            }
        } else if (keyword == "AUTH" || keyword.startsWith("AUTH=")) {
            // "AUTH=PLAIN LOGIN" is what pre-RFC 2554 clients (Outlook) expected; some
            // servers only send that form, so its mechanisms count as well.
            QList<QByteArray> mechanisms = words.mid(1);
            if (keyword.startsWith("AUTH="))
                mechanisms.prepend(words.at(0).mid(5));
            for (const QByteArray &m : mechanisms) {
                const QByteArray upper = m.toUpper();
                if (!upper.isEmpty() && !caps.authMechanisms.contains(upper))
                    caps.authMechanisms.append(upper);
            }
        }
    }
    return caps;
}

} // namespace mailcore::smtp
