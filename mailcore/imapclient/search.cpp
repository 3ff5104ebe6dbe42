// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/imapclient/search.h"

namespace mailcore::imapops {

using imap::SearchKey;

namespace {

SearchKey flagKey(const QByteArray &flag, bool set)
{
    struct SystemFlag {
        const char *name;
        SearchKey (*set)();
        SearchKey (*unset)();
    };
    static const SystemFlag systemFlags[] = {
        {"\\Seen", &SearchKey::seen, &SearchKey::unseen},
        {"\\Flagged", &SearchKey::flagged, &SearchKey::unflagged},
        {"\\Answered", &SearchKey::answered, &SearchKey::unanswered},
        {"\\Deleted", &SearchKey::deleted, &SearchKey::undeleted},
        {"\\Draft", &SearchKey::draft, &SearchKey::undraft},
    };
    for (const SystemFlag &f : systemFlags) {
        if (flag.compare(f.name, Qt::CaseInsensitive) == 0)
            return set ? f.set() : f.unset();
    }
    // Anything else is a keyword; one the serializer cannot write as an atom
    // ("\\Recent", spaces...) makes the command a BadArgument before sending.
    return set ? SearchKey::keyword(flag) : SearchKey::unkeyword(flag);
}

} // namespace

SearchKey searchKeyOf(const SearchCriteria &criteria)
{
    std::vector<SearchKey> keys;
    if (!criteria.text.isEmpty())
        keys.push_back(SearchKey::text(criteria.text));
    if (!criteria.from.isEmpty())
        keys.push_back(SearchKey::from(criteria.from));
    if (!criteria.to.isEmpty())
        keys.push_back(SearchKey::to(criteria.to));
    if (!criteria.subject.isEmpty())
        keys.push_back(SearchKey::subject(criteria.subject));
    if (criteria.since.isValid())
        keys.push_back(SearchKey::since(criteria.since));
    if (criteria.before.isValid())
        keys.push_back(SearchKey::before(criteria.before));
    for (const QByteArray &flag : criteria.flagsSet)
        keys.push_back(flagKey(flag, true));
    for (const QByteArray &flag : criteria.flagsUnset)
        keys.push_back(flagKey(flag, false));
    if (criteria.largerThan)
        keys.push_back(SearchKey::larger(*criteria.largerThan));
    if (criteria.smallerThan)
        keys.push_back(SearchKey::smaller(*criteria.smallerThan));
    if (keys.empty())
        return SearchKey::all();
    if (keys.size() == 1)
        return keys.front();
    return SearchKey::and_(std::move(keys));
}

QList<QByteArray> sortCriteriaOf(SortKey key, Qt::SortOrder order)
{
    QByteArray atom;
    switch (key) {
    case SortKey::Arrival: atom = "ARRIVAL"; break;
    case SortKey::Date: atom = "DATE"; break;
    case SortKey::From: atom = "FROM"; break;
    case SortKey::Subject: atom = "SUBJECT"; break;
    case SortKey::Size: atom = "SIZE"; break;
    case SortKey::DisplayFrom: atom = "DISPLAYFROM"; break;
    }
    if (order == Qt::DescendingOrder)
        return {"REVERSE", atom};
    return {atom};
}

} // namespace mailcore::imapops
