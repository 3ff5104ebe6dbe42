// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <optional>

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include "mailcore/mailcore_export.h"

namespace mailcore::imap {

/// A set of message sequence numbers or UIDs (RFC 3501 sequence-set), kept as
/// sorted, merged, inclusive ranges so that "1:100000" costs one entry, not
/// 100000. `*` (the largest number in use) is represented by SequenceSet::Star,
/// which sorts after every real number.
class MAILCORE_EXPORT SequenceSet
{
public:
    static constexpr quint32 Star = 0xFFFFFFFFu;

    struct Range {
        quint32 first = 0;
        quint32 last = 0;
        friend bool operator==(const Range &, const Range &) = default;
    };

    SequenceSet() = default;

    /// Parses "1:3,5,7:*". Reversed ranges ("9:4") are allowed by the grammar and
    /// normalised. Returns nullopt for anything else (0, empty items, overflow).
    static std::optional<SequenceSet> parse(QByteArrayView text);
    static SequenceSet fromRange(quint32 first, quint32 last);

    void add(quint32 number) { addRange(number, number); }
    void addRange(quint32 first, quint32 last);

    bool isEmpty() const { return m_ranges.isEmpty(); }
    bool contains(quint32 number) const;
    /// How many numbers the set names (a range ending in * counts up to Star).
    quint64 count() const;
    const QList<Range> &ranges() const { return m_ranges; }
    /// Every number in the set; refuses (returns empty) when the set names more
    /// than `limit` numbers or contains *, so a hostile "1:4294967294" cannot
    /// allocate gigabytes.
    QList<quint32> toList(qsizetype limit = 1000000) const;

    /// "1:3,5,7:*"; empty for an empty set.
    QByteArray toByteArray() const;

    friend bool operator==(const SequenceSet &, const SequenceSet &) = default;

private:
    QList<Range> m_ranges;
};

} // namespace mailcore::imap
