#include "mailcore/imapclient.h"

#include <deque>
#include <mutex>

#include "mailcore/imap/connection.h"
#include "mailcore/imap/requests.h"
#include "mailcore/imapoperations.h"

namespace mailcore {

using namespace mailcore::imap;

namespace {

/// An ImapConnection as the pool sees it.
class PooledImapConnection : public pool::PooledConnection
{
public:
    explicit PooledImapConnection(SessionSettings settings)
        : m_connection(std::move(settings))
    {
    }
    QFuture<void> open() override { return m_connection.open(); }
    bool isUsable() const override { return m_connection.state() != SessionState::Closed; }
    QString selectedFolder() const override { return m_connection.selectedMailbox(); }
    void close() override { m_connection.close(); }
    ConnectionActivity activity() const override { return m_connection.activity(); }
    void setActivityListener(std::function<void()> listener) override
    {
        m_connection.setActivityListener(std::move(listener));
    }
    ImapConnection &connection() { return m_connection; }

private:
    ImapConnection m_connection;
};

ImapConnection &imapOf(pool::PooledConnection &pooled)
{
    return static_cast<PooledImapConnection &>(pooled).connection();
}

/// Runs one request and waits for it (the caller is a task thread or a user
/// thread, never an I/O thread). A failure is thrown as MailException.
CommandResult run(pool::PooledConnection &pooled, Request request)
{
    QFuture<CommandResult> future = imapOf(pooled).execute(std::move(request));
    future.waitForFinished(); // rethrows the command's MailException
    if (future.resultCount() == 0) // the connection went away with the command
        throw MailException(Error(ErrorCode::Cancelled, QStringLiteral("the connection was closed")));
    return future.result();
}

Request in(const QString &folder, Request request)
{
    request.inMailbox = folder;
    return request;
}

SequenceSet uidSet(const QList<quint32> &uids)
{
    SequenceSet set;
    for (quint32 uid : uids)
        set.add(uid);
    return set;
}

FolderRole roleOf(const ListData &entry)
{
    if (entry.name.compare(QLatin1String("INBOX"), Qt::CaseInsensitive) == 0)
        return FolderRole::Inbox;
    switch (entry.specialUse()) {
    case SpecialUse::Sent: return FolderRole::Sent;
    case SpecialUse::Drafts: return FolderRole::Drafts;
    case SpecialUse::Trash: return FolderRole::Trash;
    case SpecialUse::Junk: return FolderRole::Junk;
    case SpecialUse::Archive: return FolderRole::Archive;
    case SpecialUse::All: return FolderRole::All;
    case SpecialUse::Flagged: return FolderRole::Flagged;
    case SpecialUse::None: break;
    }
    return FolderRole::None;
}

QByteArray formatAddress(const QList<Address> &addresses)
{
    if (addresses.isEmpty())
        return {};
    const Address &a = addresses.first();
    QByteArray text = a.mailbox + '@' + a.host;
    return a.name.isEmpty() ? text : a.name + " <" + text + '>';
}

// The operations, each written once and used by the synchronous and the
// asynchronous form alike.

void noopOn(pool::PooledConnection &c) { run(c, requests::noop()); }

QList<FolderInfo> listFoldersOn(pool::PooledConnection &c)
{
    ListReturnOptions options;
    options.specialUse = imapOf(c).capabilities().has("SPECIAL-USE");
    QList<FolderInfo> folders;
    for (const ListData &entry : run(c, requests::list(QString(), QStringLiteral("*"), options)).all<ListData>()) {
        FolderInfo info;
        info.name = entry.name;
        info.delimiter = entry.delimiter ? QChar::fromLatin1(*entry.delimiter) : QChar();
        info.role = roleOf(entry);
        info.selectable = !entry.hasFlag("\\Noselect") && !entry.hasFlag("\\NonExistent");
        info.flags = entry.flags;
        folders << info;
    }
    return folders;
}

FolderStatus folderStatusOn(pool::PooledConnection &c, const QString &folder)
{
    const auto data = run(c, requests::status(folder, {"MESSAGES", "UNSEEN", "UIDNEXT", "UIDVALIDITY"})).all<MailboxStatusData>();
    if (data.isEmpty())
        throw MailException(Error(ErrorCode::Protocol, QStringLiteral("the server sent no STATUS for %1").arg(folder)));
    const MailboxStatusData &s = data.first();
    return FolderStatus{quint32(s.value("MESSAGES").value_or(0)), quint32(s.value("UNSEEN").value_or(0)),
                        quint32(s.value("UIDNEXT").value_or(0)), quint32(s.value("UIDVALIDITY").value_or(0))};
}

QList<MessageSummary> listMessagesOn(pool::PooledConnection &c, const QString &folder, quint32 first, quint32 last)
{
    FetchItems items;
    items.flags = items.size = items.internalDate = items.envelope = true;
    // "first:*" when open-ended: SequenceSet has no '*', so use the largest UID.
    const SequenceSet uids = SequenceSet::fromRange(first, last == 0 ? 0xFFFFFFFFu : last);
    QList<MessageSummary> out;
    for (const FetchData &f : run(c, in(folder, requests::uidFetch(uids, items))).all<FetchData>()) {
        if (!f.uid)
            continue;
        MessageSummary m;
        m.uid = *f.uid;
        m.flags = f.flags.value_or(ByteList{});
        m.size = f.size.value_or(0);
        m.internalDate = f.internalDate.value_or(QDateTime());
        if (f.envelope) {
            m.subject = f.envelope->subject;
            m.from = formatAddress(f.envelope->from);
            m.messageId = f.envelope->messageId;
        }
        out << m;
    }
    return out;
}

QByteArray fetchMessageOn(pool::PooledConnection &c, const QString &folder, quint32 uid)
{
    FetchItems items;
    items.sections = {FetchSection{}};
    const auto data = run(c, in(folder, requests::uidFetch(SequenceSet::fromRange(uid, uid), items))).all<FetchData>();
    for (const FetchData &f : data) {
        if (f.uid == uid) {
            if (const SectionData *body = f.section("BODY", ""))
                return body->data;
        }
    }
    throw MailException(Error(ErrorCode::NotFound, QStringLiteral("no message with UID %1 in %2").arg(uid).arg(folder)));
}

quint32 appendMessageOn(pool::PooledConnection &c, const QString &folder, const QByteArray &message,
                        const QList<QByteArray> &flags)
{
    const ResponseCode code = run(c, requests::append(folder, message, flags)).completion.code;
    if (code.kind == ResponseCode::Kind::AppendUid && !code.destSet.isEmpty())
        return code.destSet.ranges().first().first;
    return 0;
}

void storeFlagsOn(pool::PooledConnection &c, const QString &folder, const QList<quint32> &uids,
                  const QList<QByteArray> &flags, StoreMode mode)
{
    if (uids.isEmpty())
        return;
    run(c, in(folder, requests::uidStore(uidSet(uids), mode, flags)));
}

QList<quint32> searchTextOn(pool::PooledConnection &c, const QString &folder, const QString &text)
{
    QList<quint32> uids;
    for (const SearchData &s : run(c, in(folder, requests::uidSearch(SearchKey::text(text)))).all<SearchData>())
        uids += s.numbers;
    return uids;
}

/// What the chunks of one bulk fetch share: the caller's promise, how many
/// chunks are still running, and the first error.
struct BulkFetch {
    QPromise<FetchedMessage> promise;
    std::mutex mutex; // addResult from several task threads, and the error
    std::atomic<int> remaining{0};
    Error error;

    void chunkDone(const Error &chunkError)
    {
        {
            std::lock_guard lock(mutex);
            if (chunkError.isError() && !error.isError())
                error = chunkError;
        }
        if (--remaining > 0)
            return;
        if (error.isError() && !promise.isCanceled())
            promise.setException(MailException(error));
        promise.finish();
    }
};

constexpr int kBulkBatch = 100;  // UIDs per UID FETCH
constexpr int kBulkDepth = 4;    // UID FETCH commands in flight per connection
constexpr int kMinChunk = 200;   // below this, another connection costs more than it saves

void fetchChunkOn(pool::PooledConnection &c, const QString &folder, const QList<quint32> &uids, BulkFetch &bulk)
{
    FetchItems items;
    items.sections = {FetchSection{}};
    std::deque<QFuture<CommandResult>> inFlight;
    const auto drainOne = [&] {
        QFuture<CommandResult> f = std::move(inFlight.front());
        inFlight.pop_front();
        f.waitForFinished(); // rethrows the command's error
        std::lock_guard lock(bulk.mutex);
        for (const FetchData &d : f.result().all<FetchData>()) {
            if (const SectionData *body = d.section("BODY", ""); body && d.uid)
                bulk.promise.addResult(FetchedMessage{*d.uid, body->data});
        }
    };
    for (qsizetype i = 0; i < uids.size(); i += kBulkBatch) {
        if (bulk.promise.isCanceled())
            break;
        SequenceSet set;
        for (qsizetype j = i; j < std::min(uids.size(), i + kBulkBatch); ++j)
            set.add(uids[j]);
        inFlight.push_back(imapOf(c).execute(in(folder, requests::uidFetch(set, items))));
        if (int(inFlight.size()) >= kBulkDepth)
            drainOne();
    }
    while (!inFlight.empty())
        drainOne();
}

} // namespace

// What the operation files (imapoperations.h) share, on top of the helpers above.
imap::ImapConnection &imapops::connectionOf(pool::PooledConnection &pooled) { return imapOf(pooled); }
CommandResult imapops::run(pool::PooledConnection &pooled, Request request) { return mailcore::run(pooled, std::move(request)); }
bool imapops::offers(pool::PooledConnection &pooled, QByteArrayView capability)
{
    return imapOf(pooled).capabilities().has(capability);
}

ImapClient::ImapClient(Endpoint endpoint, QString user, QString password, QObject *parent)
    : CredentialsByHostClient(endpoint, user, password,
                              [endpoint, user, password] {
                                  return std::make_shared<PooledImapConnection>(SessionSettings{endpoint, user, password});
                              },
                              parent)
{
}

ImapClient::~ImapClient() = default;

Error ImapClient::noop() { return runSyncVoid([](auto &c) { noopOn(c); }); }
QFuture<void> ImapClient::noopAsync() { return runTask<void>(pool::Work::Short, {}, [](auto &c) { noopOn(c); }); }

Result<QList<FolderInfo>> ImapClient::listFolders() { return runSync<QList<FolderInfo>>(listFoldersOn); }
QFuture<QList<FolderInfo>> ImapClient::listFoldersAsync()
{
    return runTask<QList<FolderInfo>>(pool::Work::Short, {}, listFoldersOn);
}

Result<FolderStatus> ImapClient::folderStatus(const QString &folder)
{
    return runSync<FolderStatus>([folder](auto &c) { return folderStatusOn(c, folder); });
}
QFuture<FolderStatus> ImapClient::folderStatusAsync(const QString &folder)
{
    return runTask<FolderStatus>(pool::Work::Short, {}, [folder](auto &c) { return folderStatusOn(c, folder); });
}

Result<QList<MessageSummary>> ImapClient::listMessages(const QString &folder, quint32 first, quint32 last)
{
    return runSync<QList<MessageSummary>>([=](auto &c) { return listMessagesOn(c, folder, first, last); });
}
QFuture<QList<MessageSummary>> ImapClient::listMessagesAsync(const QString &folder, quint32 first, quint32 last)
{
    return runTask<QList<MessageSummary>>(pool::Work::Long, folder, [=](auto &c) { return listMessagesOn(c, folder, first, last); });
}

Result<QByteArray> ImapClient::fetchMessage(const QString &folder, quint32 uid)
{
    return runSync<QByteArray>([=](auto &c) { return fetchMessageOn(c, folder, uid); });
}
QFuture<QByteArray> ImapClient::fetchMessageAsync(const QString &folder, quint32 uid)
{
    return runTask<QByteArray>(pool::Work::Long, folder, [=](auto &c) { return fetchMessageOn(c, folder, uid); });
}

QFuture<FetchedMessage> ImapClient::fetchMessagesAsync(const QString &folder, const QList<quint32> &uids)
{
    auto bulk = std::make_shared<BulkFetch>();
    bulk->promise.start();
    QFuture<FetchedMessage> future = bulk->promise.future();
    if (uids.isEmpty()) {
        bulk->promise.finish();
        return future;
    }
    const int extras = std::max(1, maxConnectionsPerServer() - 1);
    const int chunks = int(std::clamp<qsizetype>(uids.size() / kMinChunk, 1, extras));
    bulk->remaining = chunks;
    for (int i = 0; i < chunks; ++i) {
        const QList<quint32> part = uids.mid(uids.size() * i / chunks, uids.size() * (i + 1) / chunks - uids.size() * i / chunks);
        runTask<void>(pool::Work::Long, folder, [bulk, folder, part](auto &c) { fetchChunkOn(c, folder, part, *bulk); })
            .then([bulk](QFuture<void> done) {
                Error error;
                try {
                    done.waitForFinished();
                } catch (const MailException &e) {
                    error = e.error();
                }
                bulk->chunkDone(error);
            });
    }
    return future;
}

Result<quint32> ImapClient::appendMessage(const QString &folder, const QByteArray &message, const QList<QByteArray> &flags)
{
    return runSync<quint32>([=](auto &c) { return appendMessageOn(c, folder, message, flags); });
}
QFuture<quint32> ImapClient::appendMessageAsync(const QString &folder, const QByteArray &message,
                                                const QList<QByteArray> &flags)
{
    return runTask<quint32>(pool::Work::Long, folder, [=](auto &c) { return appendMessageOn(c, folder, message, flags); });
}

Error ImapClient::addFlags(const QString &folder, const QList<quint32> &uids, const QList<QByteArray> &flags)
{
    return runSyncVoid([=](auto &c) { storeFlagsOn(c, folder, uids, flags, StoreMode::Add); });
}
QFuture<void> ImapClient::addFlagsAsync(const QString &folder, const QList<quint32> &uids, const QList<QByteArray> &flags)
{
    return runTask<void>(pool::Work::Short, folder, [=](auto &c) { storeFlagsOn(c, folder, uids, flags, StoreMode::Add); });
}

Error ImapClient::removeFlags(const QString &folder, const QList<quint32> &uids, const QList<QByteArray> &flags)
{
    return runSyncVoid([=](auto &c) { storeFlagsOn(c, folder, uids, flags, StoreMode::Remove); });
}
QFuture<void> ImapClient::removeFlagsAsync(const QString &folder, const QList<quint32> &uids, const QList<QByteArray> &flags)
{
    return runTask<void>(pool::Work::Short, folder, [=](auto &c) { storeFlagsOn(c, folder, uids, flags, StoreMode::Remove); });
}

Result<QList<quint32>> ImapClient::searchText(const QString &folder, const QString &text)
{
    return runSync<QList<quint32>>([=](auto &c) { return searchTextOn(c, folder, text); });
}
QFuture<QList<quint32>> ImapClient::searchTextAsync(const QString &folder, const QString &text)
{
    return runTask<QList<quint32>>(pool::Work::Short, folder, [=](auto &c) { return searchTextOn(c, folder, text); });
}

} // namespace mailcore
