// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/imap/searchkey.h"

namespace mailcore::imap {

SearchKey SearchKey::withText(Kind kind, const QString &s)
{
    SearchKey k(kind);
    k.m_text = s;
    return k;
}

SearchKey SearchKey::withDate(Kind kind, QDate d)
{
    SearchKey k(kind);
    k.m_date = d;
    return k;
}

SearchKey SearchKey::withNumber(Kind kind, quint64 n)
{
    SearchKey k(kind);
    k.m_number = n;
    return k;
}

SearchKey SearchKey::header(const QByteArray &field, const QString &value)
{
    SearchKey k = withText(Kind::Header, value);
    k.m_name = field;
    return k;
}

SearchKey SearchKey::keyword(const QByteArray &kw)
{
    SearchKey k(Kind::Keyword);
    k.m_name = kw;
    return k;
}

SearchKey SearchKey::unkeyword(const QByteArray &kw)
{
    SearchKey k = keyword(kw);
    k.m_kind = Kind::Unkeyword;
    return k;
}

SearchKey SearchKey::uid(const SequenceSet &uids)
{
    SearchKey k(Kind::Uid);
    k.m_set = uids;
    return k;
}

SearchKey SearchKey::and_(std::vector<SearchKey> keys)
{
    SearchKey k(Kind::And);
    k.m_children = std::move(keys);
    return k;
}

SearchKey SearchKey::or_(SearchKey a, SearchKey b)
{
    SearchKey k(Kind::Or);
    k.m_children.push_back(std::move(a));
    k.m_children.push_back(std::move(b));
    return k;
}

SearchKey SearchKey::not_(SearchKey a)
{
    SearchKey k(Kind::Not);
    k.m_children.push_back(std::move(a));
    return k;
}

bool SearchKey::needsUtf8() const
{
    for (QChar c : m_text) {
        if (c.unicode() >= 0x80)
            return true;
    }
    for (const SearchKey &child : m_children) {
        if (child.needsUtf8())
            return true;
    }
    return false;
}

} // namespace mailcore::imap
