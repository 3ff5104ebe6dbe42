// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/mime/filename.h"

namespace mailcore::mime {

namespace {

// An extension longer than this is not worth keeping when shortening.
constexpr qsizetype kMaxKeptExtension = 16;

QString withoutUnsafeCharacters(const QString &proposed)
{
    QString name;
    name.reserve(proposed.size());
    for (QChar c : proposed) {
        if (c == QLatin1Char('/') || c == QLatin1Char('\\')) {
            name += QLatin1Char('_');
            continue;
        }
        switch (c.category()) {
        case QChar::Other_Control:
        case QChar::Separator_Line:
        case QChar::Separator_Paragraph: name += QLatin1Char(' '); break;
        case QChar::Other_Format: break; // U+202E and friends, zero-width characters
        default: name += c;
        }
    }
    return name.simplified();
}

// At most `maxBytes` of UTF-8, cut between whole characters.
QString leftUtf8(const QString &text, qsizetype maxBytes)
{
    qsizetype bytes = 0;
    qsizetype i = 0;
    while (i < text.size()) {
        const bool pair = text.at(i).isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate();
        const char32_t code = pair ? QChar::surrogateToUcs4(text.at(i), text.at(i + 1)) : text.at(i).unicode();
        const qsizetype width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
        if (bytes + width > maxBytes)
            break;
        bytes += width;
        i += pair ? 2 : 1;
    }
    return text.left(i);
}

QString shortened(const QString &name)
{
    if (name.toUtf8().size() <= MaxFileNameBytes)
        return name;
    const qsizetype dot = name.lastIndexOf(QLatin1Char('.'));
    const QString extension = (dot > 0 && name.size() - dot <= kMaxKeptExtension) ? name.mid(dot) : QString();
    const QString stem = name.left(name.size() - extension.size());
    return leftUtf8(stem, MaxFileNameBytes - extension.toUtf8().size()).trimmed() + extension;
}

} // namespace

QString safeFileName(const QString &proposed)
{
    QString name = withoutUnsafeCharacters(proposed);
    qsizetype start = 0;
    while (start < name.size() && (name.at(start) == QLatin1Char('.') || name.at(start) == QLatin1Char(' ')))
        ++start;
    return shortened(name.mid(start));
}

QString messageFileName(const QString &subject)
{
    const QString stem = safeFileName(subject);
    return safeFileName((stem.isEmpty() ? QStringLiteral("message") : stem) + QLatin1String(".eml"));
}

} // namespace mailcore::mime
