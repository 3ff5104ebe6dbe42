// ImapClient: which messages a folder holds (UIDs, summaries, pages) and
// server-side search.

#include <algorithm>

#include "mailcore/imap/requests.h"
#include "mailcore/imapclient.h"
#include "mailcore/imapoperations.h"

namespace mailcore {

using namespace mailcore::imap;
using namespace mailcore::imapops;

namespace {

/// More UIDs than any real folder holds (40 MB as a list); a larger answer is
/// refused rather than expanded.
constexpr quint64 kMaxUids = 10'000'000;

/// The UIDs a UID SEARCH answered with, ascending: from ESEARCH's compact
/// "ALL 1:5000" when the server offers it (a 10,000-message folder costs a few
/// bytes instead of ~60 KB), else from the plain SEARCH list.
QList<quint32> searchUidsOn(pool::PooledConnection &c, const QString &folder, const SearchKey &key)
{
    const bool esearch = offers(c, "ESEARCH");
    const CommandResult result = run(c, in(folder, requests::uidSearch(key, esearch ? QList<QByteArray>{"ALL"} : QList<QByteArray>{})));
    QList<quint32> uids;
    for (const ESearchData &e : result.all<ESearchData>()) {
        if (!e.all)
            continue;
        if (e.all->count() > kMaxUids)
            throw MailException(Error(ErrorCode::Limit, QStringLiteral("the server named more than %1 UIDs in %2").arg(kMaxUids).arg(folder)));
        uids += e.all->toList(qsizetype(kMaxUids));
    }
    for (const SearchData &s : result.all<SearchData>())
        uids += s.numbers;
    std::sort(uids.begin(), uids.end());
    uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
    return uids;
}

QList<quint32> allUidsOn(pool::PooledConnection &c, const QString &folder)
{
    return searchUidsOn(c, folder, SearchKey::all());
}

} // namespace

Result<QList<quint32>> ImapClient::allUids(const QString &folder)
{
    return runSync<QList<quint32>>([=](auto &c) { return allUidsOn(c, folder); });
}
QFuture<QList<quint32>> ImapClient::allUidsAsync(const QString &folder)
{
    return runTask<QList<quint32>>(pool::Work::Short, folder, [=](auto &c) { return allUidsOn(c, folder); });
}

} // namespace mailcore
