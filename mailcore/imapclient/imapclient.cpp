// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// ImapClient: construction, folder watches (B10), NOOP and the fetch of one
// whole message. The other operations live in one file per group.

#include "mailcore/imapclient/imapclient.h"

#include <QThread>

#include <map>
#include <optional>

#include "mailcore/imap/requests.h"
#include "mailcore/imapclient/folderwatch.h"
#include "mailcore/imapclient/operations.h"

namespace mailcore {

using namespace mailcore::imap;
using namespace mailcore::imapops;

struct ImapClient::Watches {
    std::map<QString, std::unique_ptr<detail::FolderWatch>> byFolder;
    std::chrono::milliseconds pollInterval{60'000};
};

namespace {

Request fetchMessageRequest(const QString &folder, quint32 uid)
{
    FetchItems items;
    items.sections = {FetchSection{}};
    return in(folder, requests::uidFetch(SequenceSet::fromRange(uid, uid), items));
}

std::optional<QByteArray> bodyOf(const CommandResult &result, quint32 uid)
{
    for (const FetchData &f : result.all<FetchData>()) {
        if (f.uid == uid) {
            if (const SectionData *body = f.section("BODY", ""))
                return body->data;
        }
    }
    return std::nullopt;
}

/// Queues the fetch and returns at once (B02 across callers); the answer is
/// looked at where it arrives, in the connection's I/O thread. A message
/// appended a moment ago on another connection is found too: the session
/// syncs its view of the folder first (Request::highestUid).
QFuture<QByteArray> submitFetchMessage(Connection &c, const QString &folder, quint32 uid)
{
    return connectionOf(c)
        .execute(fetchMessageRequest(folder, uid))
        .then(QtFuture::Launch::Sync, [folder, uid](const CommandResult &result) {
            if (std::optional<QByteArray> body = bodyOf(result, uid))
                return *body;
            throw MailException(noSuchMessage(folder, uid));
        });
}

/// The settings of every connection an ImapClient opens: ImapConnection's,
/// asking for QRESYNC at login, so that a folder's resync can be one SELECT
/// (folderChanges()). The server then reports expunges as VANISHED on that
/// connection, which every listener for mailbox events handles like EXPUNGE.
struct ClientSessionSettings : SessionSettings {
    ClientSessionSettings() { enable = {"QRESYNC"}; }
};

} // namespace

ImapClient::ImapClient(Endpoint endpoint, QString user, QString password, QObject *parent)
    : CredentialsByHostClient(client::makeEngine<ImapConnection, ClientSessionSettings>(endpoint, user, password, {}),
                              parent)
    , m_watches(std::make_unique<Watches>())
{
}

ImapClient::~ImapClient()
{
    m_watches.reset(); // their push connections go back before the pool is disposed
}

void ImapClient::startMonitoring(const QString &folder)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (m_watches->byFolder.count(folder))
        return;
    m_watches->byFolder[folder] = std::make_unique<detail::FolderWatch>(
        this, folder, engine().pool(), engine().taskPool(), detail::idleOn,
        [this](const QString &f) { return folderStatusAsync(f); }, m_watches->pollInterval,
        [this, folder] { Q_EMIT folderChanged(folder); });
}

void ImapClient::stopMonitoring(const QString &folder)
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_watches->byFolder.erase(folder);
}

ImapClient::WatchMode ImapClient::watchMode(const QString &folder) const
{
    const auto it = m_watches->byFolder.find(folder);
    if (it == m_watches->byFolder.end())
        return WatchMode::None;
    if (it->second->isPushing())
        return WatchMode::Push;
    return it->second->isPolling() ? WatchMode::Poll : WatchMode::Starting;
}

bool ImapClient::isMonitoring(const QString &folder) const { return watchMode(folder) != WatchMode::None; }

void ImapClient::setMonitorPollInterval(std::chrono::milliseconds interval)
{
    m_watches->pollInterval = interval; // for watches started from now on
}

static client::Operation<void> noopOp()
{
    return {pool::Work::Short, {}, client::Retry::Always, [](Connection &c) { run(c, requests::noop()); }};
}
Error ImapClient::noop() { return engine().wait(noopOp()); }
QFuture<void> ImapClient::noopAsync() { return engine().start(noopOp()); }

static client::Submission<QByteArray> fetchMessageOp(const QString &folder, quint32 uid)
{
    return {pool::Work::Pipelined, folder, client::Retry::Always,
            [=](Connection &c) { return submitFetchMessage(c, folder, uid); }};
}
Result<QByteArray> ImapClient::fetchMessage(const QString &folder, quint32 uid)
{
    return engine().wait(fetchMessageOp(folder, uid));
}
QFuture<QByteArray> ImapClient::fetchMessageAsync(const QString &folder, quint32 uid)
{
    return engine().start(fetchMessageOp(folder, uid));
}

} // namespace mailcore
