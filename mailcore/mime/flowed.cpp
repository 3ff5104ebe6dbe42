// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/mime/flowed.h"

#include <QStringList>

namespace mailcore::mime::detail {

QString unflow(const QString &text, bool delSp)
{
    QString normalized = text;
    normalized.remove(QLatin1Char('\r'));
    const QStringList lines = normalized.split(QLatin1Char('\n'));

    QString out;
    out.reserve(normalized.size());
    QString paragraph;
    int paragraphDepth = -1; // -1: no open paragraph

    auto flush = [&] {
        if (paragraphDepth < 0)
            return;
        for (int i = 0; i < paragraphDepth; ++i)
            out += QLatin1Char('>');
        if (paragraphDepth > 0 && !paragraph.isEmpty())
            out += QLatin1Char(' ');
        out += paragraph;
        out += QLatin1Char('\n');
        paragraph.clear();
        paragraphDepth = -1;
    };

    for (qsizetype n = 0; n < lines.size(); ++n) {
        QStringView line = lines.at(n);
        // A trailing empty element only exists because the text ended in a newline.
        if (n == lines.size() - 1 && line.isEmpty())
            break;
        int depth = 0;
        while (depth < line.size() && line.at(depth) == QLatin1Char('>'))
            ++depth;
        line = line.mid(depth);
        if (line.startsWith(QLatin1Char(' '))) // space-stuffing
            line = line.mid(1);

        // A depth change ends a paragraph even if the previous line was soft-broken.
        if (paragraphDepth >= 0 && depth != paragraphDepth)
            flush();

        const bool isSignatureSeparator = (line == QLatin1String("-- "));
        const bool soft = !isSignatureSeparator && line.endsWith(QLatin1Char(' '));
        if (soft && delSp)
            line.chop(1);
        paragraph += line;
        paragraphDepth = depth;
        if (!soft)
            flush();
    }
    flush();
    return out;
}

} // namespace mailcore::mime::detail
