// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QList>
#include <QTest>

namespace tandem::test {

/// The ways to feed `input` to an incremental parser or encoder that must give
/// the same result however its input arrives: whole, cut in two at every
/// position (at every `step`th one, for long input), and byte by byte.
inline QList<QList<QByteArray>> chunkings(const QByteArray &input, qsizetype step = 1)
{
    QList<QList<QByteArray>> result;
    result.append({input});
    for (qsizetype i = 1; i < input.size(); i += step)
        result.append({input.left(i), input.mid(i)});
    QList<QByteArray> bytes;
    for (char c : input)
        bytes.append(QByteArray(1, c));
    result.append(bytes);
    return result;
}

/// Feeds every chunking in `chunkings` through `feed` (chunks -> result) and
/// compares each result with `expected`; the first that differs fails the
/// test, with the sizes of its chunks.
template <typename T, typename Feed>
void compareEveryChunking(const QList<QList<QByteArray>> &chunkings, const T &expected, Feed feed)
{
    for (const QList<QByteArray> &chunks : chunkings) {
        const T actual = feed(chunks);
        if (actual != expected) {
            QList<qsizetype> sizes;
            for (const QByteArray &chunk : chunks)
                sizes.append(chunk.size());
            qWarning() << "chunk sizes:" << sizes;
            QCOMPARE(actual, expected);
        }
    }
}

} // namespace tandem::test
