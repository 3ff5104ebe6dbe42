// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/imap/utf7.h"

#include <QList>

namespace mailcore::imap {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

int alphabetIndex(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == ',')
        return 63;
    return -1;
}

bool isPrintableAscii(char16_t c) { return c >= 0x20 && c <= 0x7e; }

void flushRun(QByteArray &out, const QList<char16_t> &run)
{
    out += '&';
    quint32 bits = 0;
    int bitCount = 0;
    for (char16_t unit : run) {
        bits = (bits << 16) | unit;
        bitCount += 16;
        while (bitCount >= 6) {
            bitCount -= 6;
            out += kAlphabet[(bits >> bitCount) & 0x3f];
        }
    }
    if (bitCount > 0)
        out += kAlphabet[(bits << (6 - bitCount)) & 0x3f];
    out += '-';
}

} // namespace

QByteArray encodeMailboxName(const QString &name)
{
    QByteArray out;
    out.reserve(name.size());
    QList<char16_t> run;
    for (QChar ch : name) {
        const char16_t c = ch.unicode();
        if (isPrintableAscii(c)) {
            if (!run.isEmpty()) {
                flushRun(out, run);
                run.clear();
            }
            if (c == u'&')
                out += "&-";
            else
                out += char(c);
        } else {
            run.append(c);
        }
    }
    if (!run.isEmpty())
        flushRun(out, run);
    return out;
}

std::optional<QString> decodeMailboxName(QByteArrayView encoded)
{
    QString out;
    out.reserve(encoded.size());
    qsizetype i = 0;
    while (i < encoded.size()) {
        const char c = encoded[i];
        if (uchar(c) < 0x20 || uchar(c) > 0x7e)
            return std::nullopt;
        if (c != '&') {
            out += QLatin1Char(c);
            ++i;
            continue;
        }
        const qsizetype end = encoded.indexOf('-', i + 1);
        if (end < 0)
            return std::nullopt;
        if (end == i + 1) { // "&-" is a literal ampersand
            out += u'&';
            i = end + 1;
            continue;
        }
        quint32 bits = 0;
        int bitCount = 0;
        QString run;
        for (qsizetype j = i + 1; j < end; ++j) {
            const int v = alphabetIndex(encoded[j]);
            if (v < 0)
                return std::nullopt;
            bits = ((bits << 6) | quint32(v)) & 0xffffff;
            bitCount += 6;
            if (bitCount >= 16) {
                bitCount -= 16;
                run += QChar(char16_t((bits >> bitCount) & 0xffff));
            }
        }
        // Leftover bits are padding: fewer than 6 of them and all zero.
        if (bitCount >= 6 || (bits & ((1u << bitCount) - 1)) != 0 || run.isEmpty())
            return std::nullopt;
        for (qsizetype k = 0; k < run.size(); ++k) {
            const QChar u = run.at(k);
            if (isPrintableAscii(u.unicode()))
                return std::nullopt; // must have been written directly
            if (u.isHighSurrogate()) {
                if (k + 1 >= run.size() || !run.at(k + 1).isLowSurrogate())
                    return std::nullopt;
                ++k;
            } else if (u.isLowSurrogate()) {
                return std::nullopt;
            }
        }
        out += run;
        i = end + 1;
    }
    return out;
}

QString decodeMailboxNameLenient(QByteArrayView encoded)
{
    if (auto strict = decodeMailboxName(encoded))
        return *strict;
    return QString::fromUtf8(encoded);
}

} // namespace mailcore::imap
