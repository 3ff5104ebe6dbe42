// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QList>

// DNS replies written byte by byte for the tests, independently of the
// library's own encoder: what a name server puts on the wire.
namespace tandem::test::dns {

inline QByteArray u16(quint16 value) { return QByteArray(1, char(value >> 8)) + char(value & 0xFF); }

/// A name in wire form: length-prefixed labels and the root's zero.
inline QByteArray name(const QByteArray &dotted)
{
    QByteArray out;
    for (const QByteArray &label : dotted.split('.'))
        out += char(label.size()) + label;
    return out + char(0);
}

struct Srv {
    quint16 priority = 0;
    quint16 weight = 0;
    quint16 port = 0;
    QByteArray target; ///< "." for "not offered"
};

/// The id and the question of a query (what a responder echoes).
struct Question {
    quint16 id = 0;
    QByteArray section; ///< the question as asked: name, type, class
    QByteArray name;    ///< dotted, lower case
};

/// Reads the question of `query`; id 0 and an empty name when it has none.
inline Question questionOf(const QByteArray &query)
{
    Question q;
    if (query.size() < 17)
        return q;
    q.id = quint16(quint8(query[0]) << 8 | quint8(query[1]));
    qsizetype at = 12;
    while (at < query.size() && query[at] != 0) {
        const int length = quint8(query[at]);
        if (!q.name.isEmpty())
            q.name += '.';
        q.name += query.mid(at + 1, length).toLower();
        at += 1 + length;
    }
    q.section = query.mid(12, at + 5 - 12);
    return q;
}

/// A reply to `question` with `records` as answers, each naming its owner by
/// a compression pointer to the question (offset 12), as servers do.
inline QByteArray srvReply(const Question &question, const QList<Srv> &records, int responseCode = 0,
                           bool truncated = false)
{
    QByteArray out = u16(question.id) + u16(quint16(0x8180 | (truncated ? 0x0200 : 0) | responseCode)) + u16(1)
        + u16(quint16(records.size())) + u16(0) + u16(0) + question.section;
    for (const Srv &record : records) {
        const QByteArray target = record.target == "." ? QByteArray(1, char(0)) : name(record.target);
        const QByteArray data = u16(record.priority) + u16(record.weight) + u16(record.port) + target;
        out += u16(0xC00C) + u16(33) + u16(1) + u16(0) + u16(300) + u16(quint16(data.size())) + data;
    }
    return out;
}

} // namespace tandem::test::dns
