// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/mime/encodedwords.h"

#include <QList>
#include <QRegularExpression>
#include <QString>

namespace mailcore::mime::detail {

namespace {

struct Word {
    qsizetype start = 0;
    qsizetype end = 0;
    QString charset;
    QByteArray bytes; // decoded
};

bool onlyFoldingWhitespace(QStringView gap)
{
    for (QChar c : gap) {
        if (c != QLatin1Char(' ') && c != QLatin1Char('\t') && c != QLatin1Char('\r') && c != QLatin1Char('\n'))
            return false;
    }
    // A blank line would end the header block: never merge across it.
    return !gap.contains(QLatin1String("\n\n")) && !gap.contains(QLatin1String("\n\r\n"));
}

} // namespace

QByteArray mergeAdjacentBase64Words(const QByteArray &headers)
{
    // Cheap test first: most header blocks have no two B words next to each other.
    if (!headers.contains("?=") || (!headers.contains("?B?") && !headers.contains("?b?")))
        return headers;
    static const QRegularExpression wordPattern(QStringLiteral("=\\?([^?\\s]+)\\?[bB]\\?([A-Za-z0-9+/=]*)\\?="));
    const QString text = QString::fromLatin1(headers);
    QList<Word> words;
    QRegularExpressionMatchIterator it = wordPattern.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        words.append({m.capturedStart(), m.capturedEnd(), m.captured(1).toLower(),
                      QByteArray::fromBase64(m.captured(2).toLatin1())});
    }
    QByteArray out;
    qsizetype copiedUpTo = 0;
    bool changed = false;
    for (qsizetype i = 0; i < words.size();) {
        qsizetype j = i;
        QByteArray joined = words.at(i).bytes;
        while (
            j + 1 < words.size() && words.at(j + 1).charset == words.at(i).charset
            && onlyFoldingWhitespace(QStringView(text).mid(words.at(j).end, words.at(j + 1).start - words.at(j).end))) {
            ++j;
            joined += words.at(j).bytes;
        }
        if (j > i) {
            out += headers.mid(copiedUpTo, words.at(i).start - copiedUpTo);
            out += "=?" + words.at(i).charset.toLatin1() + "?B?" + joined.toBase64() + "?=";
            copiedUpTo = words.at(j).end;
            changed = true;
        }
        i = j + 1;
    }
    if (!changed)
        return headers;
    out += headers.mid(copiedUpTo);
    return out;
}

} // namespace mailcore::mime::detail
