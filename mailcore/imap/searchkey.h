// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <vector>

#include <QByteArray>
#include <QDate>
#include <QString>

#include "mailcore/imap/sequenceset.h"
#include "mailcore/mailcore_export.h"

namespace mailcore::imap {

/// A typed SEARCH criterion (RFC 3501 6.4.4), built from the static functions
/// and combined with and_/or_/not_. The serializer writes it with correct
/// quoting and adds CHARSET UTF-8 when a text value needs it; values never
/// reach the wire unescaped.
class MAILCORE_EXPORT SearchKey
{
public:
    enum class Kind {
        All,
        Text,
        Body,
        Subject,
        From,
        To,
        Cc,
        Bcc,
        Header,
        Since,
        Before,
        On,
        SentSince,
        SentBefore,
        SentOn,
        Seen,
        Unseen,
        Flagged,
        Unflagged,
        Answered,
        Unanswered,
        Deleted,
        Undeleted,
        Draft,
        Undraft,
        Keyword,
        Unkeyword,
        Larger,
        Smaller,
        Uid,
        ModSeq,
        And,
        Or,
        Not,
    };

    static SearchKey all() { return SearchKey(Kind::All); }
    static SearchKey text(const QString &s) { return withText(Kind::Text, s); }
    static SearchKey body(const QString &s) { return withText(Kind::Body, s); }
    static SearchKey subject(const QString &s) { return withText(Kind::Subject, s); }
    static SearchKey from(const QString &s) { return withText(Kind::From, s); }
    static SearchKey to(const QString &s) { return withText(Kind::To, s); }
    static SearchKey cc(const QString &s) { return withText(Kind::Cc, s); }
    static SearchKey bcc(const QString &s) { return withText(Kind::Bcc, s); }
    static SearchKey header(const QByteArray &field, const QString &value);
    /// Dates compare in the server's notion of INTERNALDATE (since/before/on)
    /// or the Date: header (sent*).
    static SearchKey since(QDate d) { return withDate(Kind::Since, d); }
    static SearchKey before(QDate d) { return withDate(Kind::Before, d); }
    static SearchKey on(QDate d) { return withDate(Kind::On, d); }
    static SearchKey sentSince(QDate d) { return withDate(Kind::SentSince, d); }
    static SearchKey sentBefore(QDate d) { return withDate(Kind::SentBefore, d); }
    static SearchKey sentOn(QDate d) { return withDate(Kind::SentOn, d); }
    static SearchKey seen() { return SearchKey(Kind::Seen); }
    static SearchKey unseen() { return SearchKey(Kind::Unseen); }
    static SearchKey flagged() { return SearchKey(Kind::Flagged); }
    static SearchKey unflagged() { return SearchKey(Kind::Unflagged); }
    static SearchKey answered() { return SearchKey(Kind::Answered); }
    static SearchKey unanswered() { return SearchKey(Kind::Unanswered); }
    static SearchKey deleted() { return SearchKey(Kind::Deleted); }
    static SearchKey undeleted() { return SearchKey(Kind::Undeleted); }
    static SearchKey draft() { return SearchKey(Kind::Draft); }
    static SearchKey undraft() { return SearchKey(Kind::Undraft); }
    static SearchKey keyword(const QByteArray &k);
    static SearchKey unkeyword(const QByteArray &k);
    static SearchKey larger(quint64 bytes) { return withNumber(Kind::Larger, bytes); }
    static SearchKey smaller(quint64 bytes) { return withNumber(Kind::Smaller, bytes); }
    static SearchKey uid(const SequenceSet &uids);
    static SearchKey modSeq(quint64 modSeq) { return withNumber(Kind::ModSeq, modSeq); }
    static SearchKey and_(std::vector<SearchKey> keys);
    static SearchKey or_(SearchKey a, SearchKey b);
    static SearchKey not_(SearchKey a);

    Kind kind() const { return m_kind; }
    const QString &textValue() const { return m_text; }
    const QByteArray &name() const { return m_name; }
    QDate date() const { return m_date; }
    quint64 number() const { return m_number; }
    const SequenceSet &set() const { return m_set; }
    const std::vector<SearchKey> &children() const { return m_children; }

    /// True when some text value is not plain ASCII, so CHARSET UTF-8 is needed.
    bool needsUtf8() const;

private:
    explicit SearchKey(Kind kind)
        : m_kind(kind)
    {
    }
    static SearchKey withText(Kind kind, const QString &s);
    static SearchKey withDate(Kind kind, QDate d);
    static SearchKey withNumber(Kind kind, quint64 n);

    Kind m_kind = Kind::All;
    QString m_text;
    QByteArray m_name;
    QDate m_date;
    quint64 m_number = 0;
    SequenceSet m_set;
    std::vector<SearchKey> m_children;
};

} // namespace mailcore::imap
