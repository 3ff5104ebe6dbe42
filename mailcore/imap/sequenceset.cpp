// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/imap/sequenceset.h"

#include <algorithm>

namespace mailcore::imap {

namespace {

// seq-number = nz-number / "*"; nz-number fits in 32 bits (RFC 3501 4.2).
std::optional<quint32> parseNumber(QByteArrayView text)
{
    if (text == "*")
        return SequenceSet::Star;
    if (text.isEmpty() || text.size() > 10 || text.front() == '0')
        return std::nullopt;
    quint64 value = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + quint64(c - '0');
    }
    if (value == 0 || value >= SequenceSet::Star)
        return std::nullopt;
    return quint32(value);
}

} // namespace

std::optional<SequenceSet> SequenceSet::parse(QByteArrayView text)
{
    if (text.isEmpty())
        return std::nullopt;
    SequenceSet set;
    qsizetype start = 0;
    while (start <= text.size()) {
        qsizetype comma = text.indexOf(',', start);
        if (comma < 0)
            comma = text.size();
        const QByteArrayView item = text.sliced(start, comma - start);
        const qsizetype colon = item.indexOf(':');
        if (colon < 0) {
            const auto n = parseNumber(item);
            if (!n)
                return std::nullopt;
            set.add(*n);
        } else {
            const auto a = parseNumber(item.first(colon));
            const auto b = parseNumber(item.sliced(colon + 1));
            if (!a || !b)
                return std::nullopt;
            set.addRange(*a, *b);
        }
        start = comma + 1;
    }
    return set;
}

SequenceSet SequenceSet::fromRange(quint32 first, quint32 last)
{
    SequenceSet set;
    set.addRange(first, last);
    return set;
}

void SequenceSet::addRange(quint32 first, quint32 last)
{
    if (first > last)
        std::swap(first, last);
    if (first == 0)
        first = 1; // 0 is not a valid sequence number or UID
    if (last == 0)
        return;
    // Insert keeping the list sorted, then merge with overlapping or adjacent
    // neighbours. Sets from servers arrive mostly in order, so the common case
    // is an append at the end.
    auto it = std::lower_bound(m_ranges.begin(), m_ranges.end(), first,
                               [](const Range &r, quint32 v) { return r.first < v; });
    qsizetype i = it - m_ranges.begin();
    m_ranges.insert(i, Range{first, last});
    if (i > 0 && quint64(m_ranges[i - 1].last) + 1 >= first)
        --i;
    Range &merged = m_ranges[i];
    while (i + 1 < m_ranges.size() && quint64(merged.last) + 1 >= m_ranges[i + 1].first) {
        merged.last = std::max(merged.last, m_ranges[i + 1].last);
        m_ranges.removeAt(i + 1);
    }
}

bool SequenceSet::contains(quint32 number) const
{
    for (const Range &r : m_ranges) {
        if (number < r.first)
            return false;
        if (number <= r.last)
            return true;
    }
    return false;
}

quint64 SequenceSet::count() const
{
    quint64 n = 0;
    for (const Range &r : m_ranges)
        n += quint64(r.last) - r.first + 1;
    return n;
}

QList<quint32> SequenceSet::toList(qsizetype limit) const
{
    QList<quint32> out;
    if (count() > quint64(limit) || (!m_ranges.isEmpty() && m_ranges.last().last == Star))
        return out;
    out.reserve(qsizetype(count()));
    for (const Range &r : m_ranges) {
        for (quint64 v = r.first; v <= r.last; ++v)
            out.append(quint32(v));
    }
    return out;
}

QByteArray SequenceSet::toByteArray() const
{
    QByteArray out;
    auto number = [&out](quint32 v) {
        if (v == Star)
            out += '*';
        else
            out += QByteArray::number(v);
    };
    for (const Range &r : m_ranges) {
        if (!out.isEmpty())
            out += ',';
        number(r.first);
        if (r.last != r.first) {
            out += ':';
            number(r.last);
        }
    }
    return out;
}

} // namespace mailcore::imap
