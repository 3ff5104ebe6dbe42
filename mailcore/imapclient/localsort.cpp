// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/imapclient/localsort.h"

#include <QRegularExpression>

#include <algorithm>
#include <variant>

namespace mailcore::imapops {

namespace {

// RFC 5256 section 2.1, steps 2 to 5, as patterns on a subject whose white
// space is already collapsed.
const QRegularExpression &trailer()
{
    static const QRegularExpression re(QStringLiteral("(\\s*\\(fwd\\))+\\s*$"),
                                       QRegularExpression::CaseInsensitiveOption);
    return re;
}
const QRegularExpression &blob() // "[...]" and white space after it
{
    static const QRegularExpression re(QStringLiteral("^\\[[^\\[\\]]*\\]\\s*"));
    return re;
}
const QRegularExpression &leader() // subj-refwd: "re", "fw", "fwd", an optional blob, ":"
{
    static const QRegularExpression re(QStringLiteral("^(re|fwd?)\\s*(\\[[^\\[\\]]*\\])?\\s*:\\s*"),
                                       QRegularExpression::CaseInsensitiveOption);
    return re;
}

QString withoutLeaders(QString subject)
{
    for (;;) {
        const QRegularExpressionMatch refwd = leader().match(subject);
        if (refwd.hasMatch()) {
            subject = subject.mid(refwd.capturedLength());
            continue;
        }
        // A blob goes only when something is left after it (step 3).
        const QRegularExpressionMatch b = blob().match(subject);
        if (b.hasMatch() && b.capturedLength() < subject.size()) {
            subject = subject.mid(b.capturedLength());
            continue;
        }
        return subject;
    }
}

// The first sender's mailbox (the local part), or display name, or nothing.
QString fromKey(const MessageSummary &m, bool displayName)
{
    if (m.from.isEmpty())
        return QString();
    const mime::MailAddress &a = m.from.first();
    if (displayName && !a.name.trimmed().isEmpty())
        return a.name.trimmed();
    if (displayName)
        return a.address;
    return a.address.left(a.address.indexOf(QLatin1Char('@')));
}

using Key = std::variant<QString, QDateTime, quint64>;

Key keyOf(const MessageSummary &m, SortKey key)
{
    switch (key) {
    case SortKey::Arrival: return m.internalDate.toUTC();
    case SortKey::Date: return (m.date.isValid() ? m.date : m.internalDate).toUTC(); // RFC 5256: else the arrival
    case SortKey::From: return fromKey(m, false);
    case SortKey::DisplayFrom: return fromKey(m, true);
    case SortKey::Subject: return baseSubject(m.subject);
    case SortKey::Size: return m.size;
    }
    return quint64(0);
}

// <0, 0, >0. Strings as i;unicode-casemap would compare them, near enough:
// case-insensitively.
int compare(const Key &a, const Key &b)
{
    if (const auto *s = std::get_if<QString>(&a))
        return s->compare(std::get<QString>(b), Qt::CaseInsensitive);
    if (const auto *d = std::get_if<QDateTime>(&a)) {
        const QDateTime &other = std::get<QDateTime>(b);
        return *d < other ? -1 : (other < *d ? 1 : 0);
    }
    const quint64 x = std::get<quint64>(a), y = std::get<quint64>(b);
    return x < y ? -1 : (y < x ? 1 : 0);
}

} // namespace

QString baseSubject(const QString &subject)
{
    QString s = subject.simplified();
    for (;;) {
        const QString before = s;
        s.remove(trailer());
        s = withoutLeaders(s);
        // Step 6: a "[fwd: ...]" wrapper, then everything again.
        if (s.startsWith(QLatin1String("[fwd:"), Qt::CaseInsensitive) && s.endsWith(QLatin1Char(']')))
            s = s.mid(5, s.size() - 6).trimmed();
        if (s == before)
            return s;
    }
}

QList<quint32> sortedLocally(const QList<MessageSummary> &messages, SortKey key, Qt::SortOrder order)
{
    struct Row {
        Key key;
        quint32 uid;
    };
    std::vector<Row> rows;
    rows.reserve(std::size_t(messages.size()));
    for (const MessageSummary &m : messages)
        rows.push_back({keyOf(m, key), m.uid});
    const int direction = order == Qt::DescendingOrder ? -1 : 1;
    std::sort(rows.begin(), rows.end(), [&](const Row &a, const Row &b) {
        const int byKey = compare(a.key, b.key) * direction;
        return byKey != 0 ? byKey < 0 : a.uid < b.uid;
    });
    QList<quint32> uids;
    uids.reserve(qsizetype(rows.size()));
    for (const Row &r : rows)
        uids << r.uid;
    return uids;
}

} // namespace mailcore::imapops
