// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/pop3/responses.h"

#include <limits>
#include <utility>

#include <QSet>

namespace mailcore::pop3 {

namespace {

Error protocolError(const QString &what) { return Error(ErrorCode::Protocol, what); }

Error notOk(const Reply &reply)
{
    if (reply.isErr())
        return reply.toError();
    return protocolError(QStringLiteral("expected +OK, got a continuation"));
}

// Strict decimal: digits only, no sign, no overflow. The wire format has no
// room for "+5" or " 5", and accepting them only hides a broken server.
template <typename Int>
std::optional<Int> parseNumber(QByteArrayView token)
{
    if (token.isEmpty() || token.size() > 19)
        return std::nullopt;
    qint64 value = 0;
    for (char c : token) {
        if (c < '0' || c > '9')
            return std::nullopt;
        if (value > (std::numeric_limits<qint64>::max() - (c - '0')) / 10)
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    if (value > std::numeric_limits<Int>::max())
        return std::nullopt;
    return Int(value);
}

// Splits on single spaces (the POP3 separator); empty tokens mean double spaces.
QList<QByteArrayView> tokens(QByteArrayView line)
{
    QList<QByteArrayView> result;
    qsizetype start = 0;
    while (start <= line.size()) {
        qsizetype space = line.indexOf(' ', start);
        if (space < 0)
            space = line.size();
        result.append(line.sliced(start, space - start));
        start = space + 1;
    }
    return result;
}

// "n value [ignored...]"; RFC 1939 allows servers to append information.
bool splitPair(QByteArrayView line, int &number, QByteArrayView &value)
{
    const QList<QByteArrayView> parts = tokens(line);
    if (parts.size() < 2)
        return false;
    const auto n = parseNumber<int>(parts.at(0));
    if (!n || *n < 1)
        return false;
    number = *n;
    value = parts.at(1);
    return true;
}

QString quoted(QByteArrayView line)
{
    return QStringLiteral("\"") + QString::fromLatin1(line.first(qMin<qsizetype>(line.size(), 80)))
        + QStringLiteral("\"");
}

} // namespace

bool Capabilities::hasSasl(QByteArrayView mechanism) const
{
    for (const QByteArray &m : saslMechanisms) {
        if (m.compare(mechanism, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool Responses::isValidUid(QByteArrayView uid)
{
    if (uid.isEmpty() || uid.size() > 70)
        return false;
    for (char c : uid) {
        if (c < 0x21 || c > 0x7E)
            return false;
    }
    return true;
}

Result<Greeting> Responses::greeting(const Reply &reply)
{
    if (!reply.isOk())
        return notOk(reply);
    Greeting greeting;
    greeting.text = reply.text;
    // RFC 1939 §7: the timestamp is a msg-id, "<" ... "@" ... ">", no spaces.
    const qsizetype open = reply.text.indexOf('<');
    if (open >= 0) {
        const qsizetype close = reply.text.indexOf('>', open);
        if (close > open) {
            const QByteArray candidate = reply.text.mid(open, close - open + 1);
            bool printable = true;
            for (char c : candidate)
                printable = printable && c > 0x20 && c < 0x7F;
            if (printable && candidate.contains('@'))
                greeting.apopTimestamp = candidate;
        }
    }
    return greeting;
}

Result<Capabilities> Responses::capabilities(const Reply &reply)
{
    if (!reply.isOk())
        return notOk(reply);
    // The capabilities that are a name alone, and the flag each one sets.
    static constexpr std::pair<const char *, bool Capabilities::*> kFlagCapabilities[] = {
        {"TOP", &Capabilities::top},
        {"USER", &Capabilities::user},
        {"UIDL", &Capabilities::uidl},
        {"PIPELINING", &Capabilities::pipelining},
        {"STLS", &Capabilities::stls},
        {"RESP-CODES", &Capabilities::respCodes},
        {"AUTH-RESP-CODE", &Capabilities::authRespCode},
        {"UTF8", &Capabilities::utf8}};
    Capabilities caps;
    for (const QByteArray &line : reply.payloadLines()) {
        if (line.isEmpty())
            continue;
        for (char c : line) {
            if (c < 0x20 || c == 0x7F)
                return protocolError(QStringLiteral("control character in CAPA line"));
        }
        caps.lines.append(line);
        const QList<QByteArrayView> parts = tokens(line);
        const QByteArray name = parts.at(0).toByteArray().toUpper();
        for (const auto &[flagName, flag] : kFlagCapabilities) {
            if (name == flagName)
                caps.*flag = true;
        }
        if (name == "IMPLEMENTATION")
            caps.implementation = line.mid(name.size() + 1);
        else if (name == "LOGIN-DELAY" && parts.size() >= 2)
            caps.loginDelaySeconds = parseNumber<int>(parts.at(1));
        else if (name == "SASL") {
            for (qsizetype i = 1; i < parts.size(); ++i) {
                if (!parts.at(i).isEmpty())
                    caps.saslMechanisms.append(parts.at(i).toByteArray().toUpper());
            }
        }
    }
    return caps;
}

Result<Stat> Responses::stat(const Reply &reply)
{
    if (!reply.isOk())
        return notOk(reply);
    const QList<QByteArrayView> parts = tokens(reply.text);
    if (parts.size() < 2)
        return protocolError(QStringLiteral("malformed STAT reply ") + quoted(reply.text));
    const auto count = parseNumber<int>(parts.at(0));
    const auto size = parseNumber<qint64>(parts.at(1));
    if (!count || !size)
        return protocolError(QStringLiteral("malformed STAT reply ") + quoted(reply.text));
    return Stat{*count, *size};
}

Result<ListEntry> Responses::listOne(const Reply &reply)
{
    if (!reply.isOk())
        return notOk(reply);
    int number = 0;
    QByteArrayView value;
    std::optional<qint64> size;
    if (splitPair(reply.text, number, value))
        size = parseNumber<qint64>(value);
    if (!size)
        return protocolError(QStringLiteral("malformed LIST reply ") + quoted(reply.text));
    return ListEntry{number, *size};
}

Result<QMap<int, qint64>> Responses::list(const Reply &reply)
{
    if (!reply.isOk())
        return notOk(reply);
    QMap<int, qint64> sizes;
    for (const QByteArray &line : reply.payloadLines()) {
        int number = 0;
        QByteArrayView value;
        std::optional<qint64> size;
        if (splitPair(line, number, value))
            size = parseNumber<qint64>(value);
        if (!size)
            return protocolError(QStringLiteral("malformed LIST line ") + quoted(line));
        if (sizes.contains(number))
            return protocolError(QStringLiteral("message %1 listed twice").arg(number));
        sizes.insert(number, *size);
    }
    return sizes;
}

Result<UidlEntry> Responses::uidlOne(const Reply &reply)
{
    if (!reply.isOk())
        return notOk(reply);
    int number = 0;
    QByteArrayView uid;
    if (!splitPair(reply.text, number, uid) || !isValidUid(uid))
        return protocolError(QStringLiteral("malformed UIDL reply ") + quoted(reply.text));
    return UidlEntry{number, uid.toByteArray()};
}

Result<QMap<int, QByteArray>> Responses::uidl(const Reply &reply)
{
    if (!reply.isOk())
        return notOk(reply);
    QMap<int, QByteArray> uids;
    QSet<QByteArray> seen;
    for (const QByteArray &line : reply.payloadLines()) {
        int number = 0;
        QByteArrayView uid;
        if (!splitPair(line, number, uid) || !isValidUid(uid))
            return protocolError(QStringLiteral("malformed UIDL line ") + quoted(line));
        if (uids.contains(number))
            return protocolError(QStringLiteral("message %1 listed twice").arg(number));
        const QByteArray id = uid.toByteArray();
        if (seen.contains(id))
            return protocolError(QStringLiteral("unique id listed twice: ") + quoted(id));
        seen.insert(id);
        uids.insert(number, id);
    }
    return uids;
}

} // namespace mailcore::pop3
