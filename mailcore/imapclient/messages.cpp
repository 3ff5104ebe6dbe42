// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// ImapClient: which messages a folder holds (UIDs, summaries, pages) and
// server-side search.

#include <algorithm>

#include "mailcore/imap/requests.h"
#include "mailcore/imapclient/bodystructure.h"
#include "mailcore/imapclient/imapclient.h"
#include "mailcore/imapclient/operations.h"
#include "mailcore/imapclient/search.h"
#include "mailcore/mime/message.h"

namespace mailcore {

using namespace mailcore::imap;
using namespace mailcore::imapops;

namespace {

/// More UIDs than any real folder holds (40 MB as a list); a larger answer is
/// refused rather than expanded.
constexpr quint64 kMaxUids = 10'000'000;

} // namespace

QList<quint32> imapops::searchUidsOn(Connection &c, const QString &folder, const SearchKey &key)
{
    // A message appended a moment ago (on another connection, or while
    // pipelined commands kept this one busy) is not in this connection's view
    // of the folder until the server syncs it, and SEARCH does not sync
    // (Dovecot): a NOOP first, so the search sees what the server has. Found
    // by the pool stress test (append, then search for its text: nothing).
    run(c, in(folder, requests::noop()));
    return searchUidsInViewOn(c, folder, key);
}

/// The UIDs a UID SEARCH answered with, ascending: from ESEARCH's compact
/// "ALL 1:5000" when the server offers it (a 10,000-message folder costs a few
/// bytes instead of ~60 KB), else from the plain SEARCH list.
QList<quint32> imapops::searchUidsInViewOn(Connection &c, const QString &folder, const SearchKey &key,
                                           quint32 uidValidity)
{
    const bool esearch = offers(c, "ESEARCH");
    const CommandResult result = run(
        c, in(folder, requests::uidSearch(key, esearch ? QList<QByteArray>{"ALL"} : QList<QByteArray>{}), uidValidity));
    QList<quint32> uids;
    for (const ESearchData &e : result.all<ESearchData>()) {
        if (!e.all)
            continue;
        if (e.all->count() > kMaxUids)
            throw MailException(
                Error(ErrorCode::Limit,
                      QStringLiteral("the server named more than %1 UIDs in %2").arg(kMaxUids).arg(folder)));
        uids += e.all->toList(qsizetype(kMaxUids));
    }
    for (const SearchData &s : result.all<SearchData>())
        uids += s.numbers;
    std::sort(uids.begin(), uids.end());
    uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
    return uids;
}

namespace {

QList<quint32> allUidsOn(Connection &c, const QString &folder) { return searchUidsOn(c, folder, SearchKey::all()); }

/// The header fields a summary shows, decoded by the MIME layer (one decoder
/// for the list and the message view alike, RFC 2047 and 8-bit charsets
/// included), rather than ENVELOPE's still-encoded strings.
const QByteArray kSummaryHeaders = "HEADER.FIELDS (DATE SUBJECT FROM TO CC MESSAGE-ID IN-REPLY-TO REFERENCES)";

} // namespace

FetchItems imapops::summaryItems()
{
    FetchItems items;
    items.flags = items.size = items.internalDate = items.bodyStructure = true;
    FetchSection headers;
    headers.section = kSummaryHeaders;
    items.sections = {headers};
    return items;
}

MessageSummary imapops::summaryOf(const FetchData &f)
{
    MessageSummary m;
    m.uid = *f.uid;
    m.flags = f.flags.value_or(ByteList{});
    // \Recent says which connection saw the message first: with a pool of
    // connections it means nothing to the caller (and IMAP4rev2 dropped it).
    m.flags.removeIf([](const QByteArray &flag) { return flag.compare("\\Recent", Qt::CaseInsensitive) == 0; });
    m.size = f.size.value_or(0);
    m.internalDate = f.internalDate.value_or(QDateTime());
    for (const SectionData &section : f.sections) {
        if (section.section.startsWith("HEADER.FIELDS")) {
            m.setHeaders(mime::Message::parseHeaders(section.data + "\r\n"));
        }
    }
    if (f.body)
        m.parts = partsOf(*f.body);
    return m;
}

namespace {

QList<MessageSummary> summariesOn(Connection &c, const QString &folder, const SequenceSet &uids,
                                  quint32 uidValidity = 0)
{
    QList<MessageSummary> out;
    if (uids.isEmpty())
        return out;
    // A message added on another connection a moment ago is in this one's
    // view too: the session syncs the view first (Request::highestUid).
    for (const FetchData &f : run(c, in(folder, requests::uidFetch(uids, summaryItems()), uidValidity)).fetches()) {
        // "n:*" with n above the largest UID still names the last message
        // (RFC 3501 6.4.8: the range is read as "largest:n"), so filter.
        if (f.uid && uids.contains(*f.uid))
            out << summaryOf(f);
    }
    std::sort(out.begin(), out.end(), [](const MessageSummary &a, const MessageSummary &b) { return a.uid < b.uid; });
    return out;
}

} // namespace

QList<MessageSummary> imapops::listMessagesOn(Connection &c, const QString &folder, quint32 first, quint32 last)
{
    // "first:*" when open-ended.
    return summariesOn(c, folder, SequenceSet::fromRange(std::max(first, 1u), last == 0 ? SequenceSet::Star : last));
}

namespace {

/// UIDs per UID FETCH for a list: a sorted folder's page is scattered UIDs, so
/// the set does not compress to ranges, and a few hundred keep each command
/// line a few KB (servers cap line length, Dovecot at 64 KB).
constexpr qsizetype kUidsPerFetch = 300;

QList<MessageSummary> listMessagesOn(Connection &c, const QString &folder, QList<quint32> uids, quint32 uidValidity)
{
    std::sort(uids.begin(), uids.end());
    uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
    uids.removeAll(0u); // not a UID; the set could not say it
    QList<MessageSummary> out;
    // Ascending chunks of ascending summaries: the whole stays ascending.
    for (qsizetype i = 0; i < uids.size(); i += kUidsPerFetch)
        out += summariesOn(c, folder, uidSet(uids.mid(i, kUidsPerFetch)), uidValidity);
    return out;
}

/// Positions count from the newest message. The page is cut from the folder's
/// UID list (UID order is sequence order) and fetched by UID: unlike sequence
/// numbers, UIDs cannot shift if another client expunges between the two
/// commands; such a message is simply missing from the page.
MessagePage listMessagesPageOn(Connection &c, const QString &folder, quint32 offset, quint32 count)
{
    const QList<quint32> uids = allUidsOn(c, folder);
    MessagePage page;
    page.total = quint32(uids.size());
    const qsizetype end = std::max<qsizetype>(0, uids.size() - qsizetype(offset));
    const qsizetype begin = std::max<qsizetype>(0, end - qsizetype(count));
    page.messages = summariesOn(c, folder, uidSet(uids.mid(begin, end - begin)));
    std::reverse(page.messages.begin(), page.messages.end());
    return page;
}

} // namespace

static client::Operation<QList<MessageSummary>> listMessagesOp(const QString &folder, quint32 first, quint32 last)
{
    return {pool::Work::Long, folder, client::Retry::Always,
            [=](auto &c) { return listMessagesOn(c, folder, first, last); }};
}
Result<QList<MessageSummary>> ImapClient::listMessages(const QString &folder, quint32 first, quint32 last)
{
    return engine().wait(listMessagesOp(folder, first, last));
}
QFuture<QList<MessageSummary>> ImapClient::listMessagesAsync(const QString &folder, quint32 first, quint32 last)
{
    return engine().start(listMessagesOp(folder, first, last));
}

static client::Operation<QList<MessageSummary>> listMessagesOp(const QString &folder, const QList<quint32> &uids,
                                                               quint32 uidValidity)
{
    return {pool::Work::Long, folder, client::Retry::Always,
            [=](auto &c) { return listMessagesOn(c, folder, uids, uidValidity); }};
}
Result<QList<MessageSummary>> ImapClient::listMessages(const QString &folder, const QList<quint32> &uids,
                                                       quint32 uidValidity)
{
    return engine().wait(listMessagesOp(folder, uids, uidValidity));
}
QFuture<QList<MessageSummary>> ImapClient::listMessagesAsync(const QString &folder, const QList<quint32> &uids,
                                                             quint32 uidValidity)
{
    return engine().start(listMessagesOp(folder, uids, uidValidity));
}

static client::Operation<MessagePage> listMessagesPageOp(const QString &folder, quint32 offset, quint32 count)
{
    return {pool::Work::Long, folder, client::Retry::Always,
            [=](auto &c) { return listMessagesPageOn(c, folder, offset, count); }};
}
Result<MessagePage> ImapClient::listMessagesPage(const QString &folder, quint32 offset, quint32 count)
{
    return engine().wait(listMessagesPageOp(folder, offset, count));
}
QFuture<MessagePage> ImapClient::listMessagesPageAsync(const QString &folder, quint32 offset, quint32 count)
{
    return engine().start(listMessagesPageOp(folder, offset, count));
}

static client::Operation<QList<quint32>> allUidsOp(const QString &folder)
{
    return {pool::Work::Short, folder, client::Retry::Always, [=](auto &c) { return allUidsOn(c, folder); }};
}
Result<QList<quint32>> ImapClient::allUids(const QString &folder) { return engine().wait(allUidsOp(folder)); }
QFuture<QList<quint32>> ImapClient::allUidsAsync(const QString &folder) { return engine().start(allUidsOp(folder)); }

static client::Operation<QList<quint32>> searchOp(const QString &folder, const SearchCriteria &criteria)
{
    return {pool::Work::Short, folder, client::Retry::Always,
            [=](auto &c) { return searchUidsOn(c, folder, searchKeyOf(criteria)); }};
}
Result<QList<quint32>> ImapClient::search(const QString &folder, const SearchCriteria &criteria)
{
    return engine().wait(searchOp(folder, criteria));
}
QFuture<QList<quint32>> ImapClient::searchAsync(const QString &folder, const SearchCriteria &criteria)
{
    return engine().start(searchOp(folder, criteria));
}

Result<QList<quint32>> ImapClient::searchText(const QString &folder, const QString &text)
{
    SearchCriteria criteria;
    criteria.text = text;
    return search(folder, criteria);
}
QFuture<QList<quint32>> ImapClient::searchTextAsync(const QString &folder, const QString &text)
{
    SearchCriteria criteria;
    criteria.text = text;
    return searchAsync(folder, criteria);
}

} // namespace mailcore
