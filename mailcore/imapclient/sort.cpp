// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// ImapClient: a folder's UIDs in an order the server computes (UID SORT,
// RFC 5256), or the client when the server cannot, so a view can sort every
// message, not only those it has loaded.

#include "mailcore/imap/requests.h"
#include "mailcore/imapclient/imapclient.h"
#include "mailcore/imapclient/localsort.h"
#include "mailcore/imapclient/operations.h"
#include "mailcore/imapclient/search.h"

namespace mailcore {

using namespace mailcore::imap;
using namespace mailcore::imapops;

namespace {

QList<quint32> sortedUidsOn(Connection &c, const QString &folder, SortKey key, Qt::SortOrder order)
{
    // A server that cannot sort, or not by this key (RFC 5957's DISPLAYFROM is
    // an extension of its own): the same order computed here, from every
    // message's summary. Slower on a large folder, but the whole folder, as
    // the caller asked.
    if (!offers(c, "SORT") || (key == SortKey::DisplayFrom && !offers(c, "SORT=DISPLAY")))
        return sortedLocally(listMessagesOn(c, folder, 1, 0), key, order);
    // As for SEARCH (see searchUidsOn): SORT does not sync the connection's
    // view of the folder, so a NOOP first lets it see a message just appended
    // elsewhere.
    run(c, in(folder, requests::noop()));
    const CommandResult result = run(c, in(folder, requests::uidSort(sortCriteriaOf(key, order), SearchKey::all())));
    QList<quint32> uids;
    // One "* SORT" in practice; should a server split it, the parts follow
    // each other in order.
    for (const SortData &s : result.all<SortData>())
        uids += s.numbers;
    return uids;
}

} // namespace

static client::Operation<QList<quint32>> sortedUidsOp(const QString &folder, SortKey key, Qt::SortOrder order)
{
    return {pool::Work::Short, folder, client::Retry::Always,
            [=](auto &c) { return sortedUidsOn(c, folder, key, order); }};
}
Result<QList<quint32>> ImapClient::sortedUids(const QString &folder, SortKey key, Qt::SortOrder order)
{
    return engine().wait(sortedUidsOp(folder, key, order));
}
QFuture<QList<quint32>> ImapClient::sortedUidsAsync(const QString &folder, SortKey key, Qt::SortOrder order)
{
    return engine().start(sortedUidsOp(folder, key, order));
}
// Short work like allUids: the server answers from its sort index.

} // namespace mailcore
