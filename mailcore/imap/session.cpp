// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/imap/session.h"

#include <QDateTime>

#include <QScopeGuard>
#include <QThread>

#include <algorithm>

#include "mailcore/base/logging.h"
#include "mailcore/imap/requests.h"

namespace mailcore::imap {

namespace {

// Untagged responses that describe the mailbox rather than answer a command.
bool isMailboxEvent(const Response &response)
{
    if (response.get<NumberData>())
        return true;
    if (response.get<VanishedData>() || response.get<FlagsData>())
        return true;
    if (const auto *status = response.status())
        return status->status == Status::Bye || status->code.kind == ResponseCode::Kind::Alert;
    return false;
}

/// Whether a command (its request, name and tag) is the kind that asked for `response`, for
/// untagged data that says its kind. Such data may arrive while an older
/// command is still in flight: a server may work on pipelined commands at once
/// (RFC 3501 5.5), so "the oldest command in flight" is not necessarily its owner.
bool asksFor(const Request &request, const QByteArray &commandName, const QByteArray &tag, const Response &response)
{
    const QByteArray name = commandName.trimmed();
    if (const auto *status = response.get<MailboxStatusData>()) {
        return request.statusOf
            && (request.statusOf->isEmpty() || *request.statusOf == status->name
                || (status->name.compare(QLatin1String("INBOX"), Qt::CaseInsensitive) == 0
                    && request.statusOf->compare(QLatin1String("INBOX"), Qt::CaseInsensitive) == 0));
    }
    if (const auto *list = response.get<ListData>())
        return name == (list->lsub ? "LSUB" : "LIST");
    if (const auto *esearch = response.get<ESearchData>(); esearch && !esearch->tag.isEmpty())
        return tag == esearch->tag;
    if (response.get<SearchData>() || response.get<ESearchData>())
        return name == "UID SEARCH" || name == "SEARCH";
    if (response.get<SortData>())
        return name == "UID SORT" || name == "SORT";
    if (response.get<NamespaceData>())
        return name == "NAMESPACE";
    if (response.get<IdData>())
        return name == "ID";
    if (response.get<EnabledData>())
        return name == "ENABLE";
    return false;
}

/// Whether a FETCH reply carries only what a command asked for (FLAGS, UID
/// and MODSEQ may come with any reply).
bool fits(const Request::FetchAsked &asked, const FetchData &fetch)
{
    const bool sectionsAsked = std::all_of(fetch.sections.cbegin(), fetch.sections.cend(), [&](const SectionData &s) {
        return asked.sections.contains(Request::sectionKind(s.section));
    });
    return sectionsAsked && (!fetch.envelope || asked.envelope) && (!fetch.size || asked.size)
        && (!fetch.body || asked.structure) && (!fetch.internalDate || asked.date);
}

// A handshake step: alone on the wire.
Request barrier(std::function<Command(const CommandBuilder &, const QByteArray &)> build)
{
    Request request;
    request.build = std::move(build);
    request.barrier = true;
    return request;
}

QString describeStatus(const StatusResponse &status)
{
    return status.text.isEmpty() ? QStringLiteral("(no text)") : status.text;
}

} // namespace

Session::Session(SessionSettings settings, net::TransportFactory factory)
    : HostedSession(std::move(factory))
    , m_settings(std::move(settings))
{
    m_greetingTimer.setSingleShot(true);
    m_commandTimer.setSingleShot(true);
    connect(&m_greetingTimer, &QTimer::timeout, this, [this] {
        fail(Error(ErrorCode::Timeout,
                   QStringLiteral("%1 sent no greeting within %2 s")
                       .arg(m_settings.endpoint.host)
                       .arg(m_settings.endpoint.timeouts.greeting.count() / 1000.0)));
    });
    m_idleTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        if (m_state == SessionState::Idling)
            return done(); // servers drop IDLE after ~30 min: end it, the owner starts it again
        fail(Error(
            ErrorCode::Timeout,
            QStringLiteral("closed after %1 s without use").arg(m_settings.endpoint.timeouts.idle.count() / 1000.0)));
    });
    connect(&m_commandTimer, &QTimer::timeout, this, [this] {
        const QByteArray name = m_inFlight.empty() ? QByteArray() : m_inFlight.front().command.name;
        fail(Error(ErrorCode::Timeout,
                   QStringLiteral("%1 did not answer %2 within %3 s")
                       .arg(m_settings.endpoint.host, QString::fromLatin1(name))
                       .arg(m_settings.endpoint.timeouts.command.count() / 1000.0)));
    });
}

void Session::setState(SessionState state)
{
    changeState(m_state, state, [&] {
        // Idling keeps the selected mailbox: IDLE watches it.
        if (state != SessionState::Selected && state != SessionState::Idling)
            m_selectedMailbox.clear();
        Q_EMIT stateChanged(state, m_selectedMailbox);
    });
}

void Session::reportActivity()
{
    using State = ConnectionActivity::State;
    const bool busy = !m_queue.empty() || !m_inFlight.empty();
    State phase = net::sharedPhase(m_state).value_or(State::Closing); // LoggingOut
    if (m_state == SessionState::Authenticated || m_state == SessionState::Selected)
        phase = busy ? State::Busy : State::Idle;
    else if (m_state == SessionState::Idling)
        phase = State::Idling;
    publishActivity(phase, m_inFlight.empty() ? QByteArray() : m_inFlight.front().command.name,
                    int(m_queue.size() + m_inFlight.size()));
}

void Session::setAuthenticatedState()
{
    setState(m_selectedMailbox.isEmpty() ? SessionState::Authenticated : SessionState::Selected);
}

void Session::open(std::shared_ptr<QPromise<void>> done)
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_openPromise = std::move(done);
    m_openPromise->start();
    setState(SessionState::Connecting);
    connectTransport(m_settings.endpoint);
}

void Session::onTransportReady()
{
    if (m_state == SessionState::Connecting) {
        setState(SessionState::AwaitingGreeting);
        m_greetingTimer.start(m_settings.endpoint.timeouts.greeting);
        onReceived(); // the greeting may have come with the handshake
    } else if (m_state == SessionState::StartingTls) {
        // Capabilities from before TLS are not to be trusted: ask again.
        m_capabilitiesKnown = false;
        runInternal(requests::capability(), [this](const CommandResult &, const Error &error) {
            if (error.isError())
                return fail(error);
            authenticate();
        });
    }
}

void Session::onReceived()
{
    if (!m_transport)
        return;
    const QByteArray received = takeReceived();
    m_buffer += received;
    auto report = qScopeGuard([this] { reportActivity(); });
    if (!m_inFlight.empty() && (m_state != SessionState::Idling || m_doneSent))
        m_commandTimer.start(m_settings.endpoint.timeouts.command);
    QByteArrayView input(m_buffer);
    qsizetype consumed = 0;
    while (consumed < m_buffer.size() && m_state != SessionState::Closed) {
        auto result = m_parser.feed(input.sliced(consumed));
        consumed += result.consumed;
        if (result.status == ParseStatus::NeedMore)
            break;
        if (result.status == ParseStatus::Error) {
            fail(result.error.toError());
            return;
        }
        handle(result.response);
        if (m_discardRestOfBuffer) {
            // STARTTLS accepted: anything after the go-ahead came before the
            // handshake and is never parsed (a classic injection attack).
            m_discardRestOfBuffer = false;
            if (consumed < m_buffer.size())
                qCWarning(log::imap) << "discarded" << (m_buffer.size() - consumed) << "bytes sent after STARTTLS's OK";
            m_buffer.clear();
            m_parser.reset();
            m_transport->startTls();
            return;
        }
    }
    if (m_state == SessionState::Closed)
        return;
    m_buffer.remove(0, consumed);
}

void Session::handle(const Response &response)
{
    if (m_state == SessionState::AwaitingGreeting)
        return handleGreeting(response);
    switch (response.kind) {
    case Response::Kind::Tagged: return handleTagged(response);
    case Response::Kind::Continuation: return handleContinuation(response);
    case Response::Kind::Untagged: return routeUntagged(response);
    }
}

void Session::handleGreeting(const Response &response)
{
    m_greetingTimer.stop();
    const StatusResponse *status = response.status();
    if (!status || response.kind != Response::Kind::Untagged)
        return fail(Error(ErrorCode::Protocol, QStringLiteral("the server's first line is not a greeting")));
    adoptCapabilities(status->code);
    switch (status->status) {
    case Status::Ok: return afterGreeting();
    case Status::PreAuth:
        // PREAUTH skips authentication, and with it the only moment STARTTLS is
        // allowed: a session that must be encrypted cannot go on in plain text.
        if (m_settings.endpoint.security == Security::StartTls)
            return fail(Error(ErrorCode::Tls,
                              QStringLiteral("the server sent PREAUTH, so STARTTLS is impossible; "
                                             "refusing to continue unencrypted")));
        setState(SessionState::Authenticated);
        return enableExtensions();
    case Status::Bye:
        return fail(Error(ErrorCode::ServerRefused,
                          QStringLiteral("the server refused the connection: ") + describeStatus(*status)));
    default: return fail(Error(ErrorCode::Protocol, QStringLiteral("unexpected greeting")));
    }
}

void Session::afterGreeting()
{
    if (!m_capabilitiesKnown) {
        setState(SessionState::Authenticating);
        return runInternal(requests::capability(), [this](const CommandResult &, const Error &error) {
            if (error.isError())
                return fail(error);
            afterGreeting();
        });
    }
    if (m_settings.endpoint.security == Security::StartTls && !m_transport->isEncrypted())
        return startTlsUpgrade();
    authenticate();
}

void Session::startTlsUpgrade()
{
    if (!m_capabilities.has("STARTTLS"))
        return fail(Error(ErrorCode::Tls,
                          QStringLiteral("%1 does not offer STARTTLS, which this account requires; "
                                         "nothing was sent in plain text")
                              .arg(m_settings.endpoint.host)));
    setState(SessionState::StartingTls);
    runInternal(barrier([](const CommandBuilder &b, const QByteArray &tag) { return b.startTls(tag); }),
                [this](const CommandResult &, const Error &error) {
                    if (error.isError())
                        return fail(Error(ErrorCode::Tls,
                                          QStringLiteral("the server refused STARTTLS (%1); "
                                                         "nothing was sent in plain text")
                                              .arg(error.message())));
                    m_discardRestOfBuffer = true; // onReceived() starts the handshake
                });
}

void Session::authenticate()
{
    setState(SessionState::Authenticating);
    if (m_capabilities.has("LOGINDISABLED") && !m_transport->isEncrypted())
        return fail(Error(ErrorCode::Auth, QStringLiteral("the server does not allow logging in without TLS")));
    const QString user = m_settings.user;
    const QString password = m_settings.password;
    Request login;
    login.barrier = true;
    login.codeForNo = ErrorCode::Auth;
    if (m_capabilities.has("AUTH=PLAIN")) {
        m_builder.setOptions(
            {m_capabilities.has("LITERAL+"), m_capabilities.has("LITERAL-"), false, m_capabilities.has("SASL-IR")});
        login.build = [user, password](const CommandBuilder &b, const QByteArray &tag) {
            return b.authenticatePlain(tag, user, password);
        };
    } else {
        login.build = [user, password](const CommandBuilder &b, const QByteArray &tag) {
            return b.login(tag, user, password);
        };
    }
    runInternal(std::move(login), [this](const CommandResult &result, const Error &error) {
        if (error.isError())
            return fail(error);
        m_capabilitiesKnown = false;
        adoptCapabilities(result.completion.code);
        setState(SessionState::Authenticated);
        if (m_capabilitiesKnown)
            return enableExtensions();
        // Capabilities change after login; ask once more.
        runInternal(requests::capability(), [this](const CommandResult &, const Error &capError) {
            if (capError.isError())
                return fail(capError);
            enableExtensions();
        });
    });
}

void Session::enableExtensions()
{
    // Only now: ENABLE belongs to the authenticated state, before any SELECT
    // (RFC 5161), so the owner's first command already finds them on.
    QList<QByteArray> wanted;
    for (const QByteArray &extension : std::as_const(m_settings.enable)) {
        if (m_capabilities.has(extension))
            wanted << extension;
    }
    if (wanted.isEmpty() || !m_capabilities.has("ENABLE"))
        return finishOpen();
    runInternal(requests::enable(wanted), [this](const CommandResult &, const Error &error) {
        // A refusal costs the extension, not the session: the client falls
        // back to what works without it (enabled() does not name it).
        if (error.isError())
            qCInfo(log::imap) << "the server refused ENABLE:" << error.toString();
        finishOpen();
    });
}

void Session::noteEnabled(const EnabledData &enabled)
{
    bool more = false;
    for (const QByteArray &extension : enabled.capabilities) {
        if (!m_enabled.has(extension)) {
            m_enabled.capabilities << extension.toUpper();
            more = true;
        }
    }
    if (more)
        Q_EMIT extensionsEnabled(m_enabled);
}

void Session::finishOpen()
{
    m_builder.setOptions(
        {m_capabilities.has("LITERAL+"), m_capabilities.has("LITERAL-"), false, m_capabilities.has("SASL-IR")});
    qCDebug(log::imap) << "authenticated to" << m_settings.endpoint.host;
    Q_EMIT stateChanged(m_state, m_selectedMailbox); // listeners pick up the final capabilities
    if (m_openPromise) {
        m_openPromise->finish();
        m_openPromise.reset();
    }
    pump();
}

void Session::adoptCapabilities(const ResponseCode &code)
{
    if (code.kind == ResponseCode::Kind::Capability) {
        m_capabilities.capabilities = code.list;
        m_capabilitiesKnown = true;
    }
}

void Session::runInternal(Request request, std::function<void(const CommandResult &, const Error &)> then)
{
    Pending pending;
    pending.request = std::move(request);
    pending.internalDone = std::move(then);
    // Handshake steps go before any user command that is already waiting.
    m_queue.push_front(std::move(pending));
    pump();
}

void Session::enqueue(Request request, std::shared_ptr<QPromise<CommandResult>> promise)
{
    Q_ASSERT(QThread::currentThread() == thread());
    promise->start();
    if (m_state == SessionState::Closed) {
        // Why the session ended, and that this command never left: the pool
        // may send it on another connection (B06 in docs/POOL.md).
        refuse(*promise, m_closeReason.asNotSent());
        return;
    }
    // Lanes (issue 15): an interactive command goes ahead of the background
    // ones still queued, so a click never waits behind a download's batches.
    auto at = m_queue.end();
    if (!request.background)
        at = std::find_if(m_queue.begin(), m_queue.end(), [](const Pending &p) { return p.request.background; });
    m_queue.insert(at, {.request = std::move(request), .promise = std::move(promise), .queuedAt = ++m_queueCounter});
    // A command must never wait behind an IDLE that nobody ends.
    done();
    pump();
}

void Session::done()
{
    if (m_state != SessionState::Idling || m_doneSent)
        return;
    m_doneSent = true;
    qCDebug(log::imap) << "> DONE";
    send(CommandBuilder::done().bytes());
    m_commandTimer.start(m_settings.endpoint.timeouts.command);
}

void Session::beginInteractive() { ++m_interactiveOperations; }

void Session::endInteractive()
{
    m_interactiveOperations = std::max(0, m_interactiveOperations - 1);
    pump();
}

bool Session::interactiveWorkWaits() const
{
    // Background batches wait while anything else is on the wire or queued,
    // so the server works on the click alone; between an interactive
    // operation's commands they wait too.
    const auto interactive = [](const Pending &p) { return !p.request.background; };
    return m_interactiveOperations > 0 || std::any_of(m_inFlight.cbegin(), m_inFlight.cend(), interactive)
        || std::any_of(m_queue.cbegin(), m_queue.cend(), interactive);
}

void Session::restartIdleTimer()
{
    const bool quiet = m_inFlight.empty() && m_queue.empty();
    const bool usable = m_state == SessionState::Authenticated || m_state == SessionState::Selected;
    if ((quiet && usable) || m_state == SessionState::Idling)
        m_idleTimer.start(m_settings.endpoint.timeouts.idle);
    else
        m_idleTimer.stop();
}

void Session::selectFor(const QString &mailbox)
{
    Pending pending;
    pending.request = requests::select(mailbox);
    pending.internalDone = [this, mailbox](const CommandResult &, const Error &error) {
        if (!error.isError()) {
            // Opened afresh: commands whose UIDs belong to another UIDVALIDITY
            // than the mailbox has now must not run (their UIDs name other
            // messages); the others run, and are not sent to select again.
            for (auto it = m_queue.begin(); it != m_queue.end();) {
                if (it->internalDone || it->request.inMailbox != mailbox || it->request.inUidValidity == 0) {
                    ++it;
                    continue;
                }
                if (it->request.inUidValidity == m_selectedUidValidity || m_selectedUidValidity == 0) {
                    it->request.inUidValidityChecked = true;
                    ++it;
                    continue;
                }
                Pending failed = std::move(*it);
                it = m_queue.erase(it);
                failed.promise->setException(
                    MailException(Error(ErrorCode::NotFound,
                                        QStringLiteral("%1 was made anew: its UIDVALIDITY is %2, not %3")
                                            .arg(mailbox)
                                            .arg(m_selectedUidValidity)
                                            .arg(failed.request.inUidValidity))));
                failed.promise->finish();
            }
            return;
        }
        // The command that needed this mailbox fails with the server's reason;
        // the session itself is fine and goes on with the rest of the queue.
        auto waiting = std::find_if(m_queue.begin(), m_queue.end(), [&](const Pending &p) {
            return !p.internalDone && p.request.inMailbox == mailbox;
        });
        if (waiting == m_queue.end())
            return;
        Pending failed = std::move(*waiting);
        m_queue.erase(waiting);
        failed.promise->setException(
            MailException(Error(error.code(), QStringLiteral("cannot open %1: %2").arg(mailbox, error.message()))));
        failed.promise->finish();
    };
    m_queue.push_front(std::move(pending));
}

bool Session::viewMayLack(const Pending &pending) const
{
    const quint32 uid = pending.request.highestUid;
    return uid != 0 && uid >= m_viewUidNext && pending.queuedAt > m_viewAsOf;
}

void Session::syncView()
{
    Pending pending;
    pending.request = requests::noop();
    const quint64 asOf = m_queueCounter; // it goes on the wire at once: the wire is empty
    // Even a failed NOOP counts: the command then runs as it is, rather than
    // asking for another NOOP forever.
    pending.internalDone = [this, asOf](const CommandResult &, const Error &) {
        m_viewAsOf = std::max(m_viewAsOf, asOf);
    };
    m_queue.push_front(std::move(pending));
}

void Session::pump()
{
    // Every way in and out of the queue passes here: the one place to decide
    // whether the connection is now idle.
    auto idleCheck = qScopeGuard([this] {
        restartIdleTimer();
        reportActivity();
    });
    const bool authenticated = m_state == SessionState::Authenticated || m_state == SessionState::Selected;
    if (m_state == SessionState::Idling)
        return; // nothing may follow IDLE until its OK
    while (!m_queue.empty() && m_state != SessionState::Closed) {
        Pending &next = m_queue.front();
        const bool internal = bool(next.internalDone);
        if (!internal && !authenticated)
            return; // user commands wait for the handshake
        if (static_cast<int>(m_inFlight.size()) >= m_settings.pipelineWindow)
            return;
        if (next.request.background && interactiveWorkWaits())
            return; // interactive work is queued behind it (it is at the head only when none is queued) or running
        if (!m_inFlight.empty()) {
            if (next.request.barrier || m_inFlight.back().request.barrier)
                return;
            // A synchronising literal blocks the wire until its continuation.
            const Pending &last = m_inFlight.back();
            if (last.nextPiece < last.command.pieces.size())
                return;
            // Replies that only order could attribute wait for the previous
            // command of their kind (see Request::oneInFlight).
            if (!next.request.oneInFlight.isEmpty()
                && std::any_of(m_inFlight.cbegin(), m_inFlight.cend(),
                               [&](const Pending &p) { return p.request.oneInFlight == next.request.oneInFlight; }))
                return;
            // A LIST that returns STATUS takes every STATUS reply: no STATUS
            // command beside it (see Request::statusOf).
            if (next.request.statusOf && std::any_of(m_inFlight.cbegin(), m_inFlight.cend(), [&](const Pending &p) {
                    return p.request.statusOf && (p.request.statusOf->isEmpty() || next.request.statusOf->isEmpty());
                }))
                return;
        }
        const bool staleView = next.request.inUidValidity != 0 && !next.request.inUidValidityChecked
            && next.request.inUidValidity != m_selectedUidValidity;
        if (!internal && next.request.inMailbox && (*next.request.inMailbox != m_selectedMailbox || staleView)) {
            if (!m_inFlight.empty())
                return;                         // let the wire drain before switching mailboxes
            selectFor(*next.request.inMailbox); // goes to the head of the queue
            continue;
        }
        if (!internal && next.request.inMailbox && viewMayLack(next)) {
            if (!m_inFlight.empty())
                return; // the NOOP must be alone on the wire: Dovecot does not sync while commands follow
            syncView(); // goes to the head of the queue
            continue;
        }
        Pending pending = std::move(next);
        m_queue.pop_front();
        pending.tag = QByteArray::number(++m_tagCounter).prepend('t');
        pending.sentAt = m_queueCounter;
        pending.command = pending.request.build(m_builder, pending.tag);
        if (!pending.command.isValid()) {
            const Error error = pending.command.error.isError()
                ? pending.command.error
                : Error(ErrorCode::BadArgument, QStringLiteral("the command could not be built"));
            if (pending.internalDone)
                pending.internalDone({}, error);
            else {
                pending.promise->setException(MailException(error));
                pending.promise->finish();
            }
            continue;
        }
        qCDebug(log::imap) << ">" << pending.command.logLine;
        if (pending.command.name == "LOGOUT")
            setState(SessionState::LoggingOut); // the BYE that follows is expected
        m_inFlight.push_back(std::move(pending));
        sendNextPiece(m_inFlight.back());
        m_commandTimer.start(m_settings.endpoint.timeouts.command);
    }
}

void Session::sendNextPiece(Pending &pending)
{
    // Send pieces until one must wait for the server's "+".
    while (pending.nextPiece < pending.command.pieces.size()) {
        const CommandPiece &piece = pending.command.pieces[pending.nextPiece];
        if (pending.nextPiece > 0 && piece.waitForContinuation)
            return;
        send(piece.bytes);
        ++pending.nextPiece;
    }
}

void Session::handleContinuation(const Response &)
{
    if (!m_inFlight.empty() && m_inFlight.front().request.idle && m_state != SessionState::Idling) {
        // IDLE accepted. Only the server speaks now; its silence is no timeout.
        m_commandTimer.stop();
        m_doneSent = false;
        setState(SessionState::Idling);
        restartIdleTimer();
        if (!m_queue.empty())
            done(); // commands arrived while IDLE was being set up
        return;
    }
    for (Pending &pending : m_inFlight) {
        if (pending.nextPiece < pending.command.pieces.size()) {
            send(pending.command.pieces[pending.nextPiece].bytes);
            ++pending.nextPiece;
            sendNextPiece(pending);
            return pump();
        }
    }
    fail(Error(ErrorCode::Protocol, QStringLiteral("the server asked for a continuation nobody is waiting for")));
}

void Session::handleTagged(const Response &response)
{
    auto it = std::find_if(m_inFlight.begin(), m_inFlight.end(),
                           [&](const Pending &p) { return p.tag == response.tag; });
    if (it == m_inFlight.end())
        return fail(Error(ErrorCode::Protocol,
                          QStringLiteral("the server answered a command never sent (tag %1)")
                              .arg(QString::fromLatin1(response.tag.left(32)))));
    Pending pending = std::move(*it);
    m_inFlight.erase(it);
    if (pending.request.idle) {
        m_doneSent = false;
        if (m_state == SessionState::Idling)
            setAuthenticatedState();
    }
    if (m_inFlight.empty())
        m_commandTimer.stop();
    const StatusResponse status = response.status() ? *response.status() : StatusResponse{};
    complete(std::move(pending), status);
    pump();
}

void Session::complete(Pending pending, const StatusResponse &status)
{
    pending.result.completion = status;
    Error error;
    if (status.status == Status::No) {
        // "Too many connections" is a limit, not a wrong password: the pool
        // reacts by lowering its own limit (B05 in docs/POOL.md).
        const auto kind = status.code.kind;
        const bool limit = kind == ResponseCode::Kind::Limit || kind == ResponseCode::Kind::Unavailable
            || kind == ResponseCode::Kind::InUse
            || status.text.contains(QLatin1String("too many"), Qt::CaseInsensitive);
        error = Error(limit ? ErrorCode::Limit : pending.request.codeForNo, describeStatus(status));
    } else if (status.status == Status::Bad)
        error = Error(ErrorCode::ServerRefused,
                      QStringLiteral("the server rejected the command: ") + describeStatus(status));
    if (!error.isError() && pending.request.selects) {
        m_selectedMailbox = *pending.request.selects;
        m_selectedUidValidity = 0;
        m_viewUidNext = 0;
        m_viewAsOf = pending.sentAt;
        for (const Response &r : pending.result.untagged) {
            const StatusResponse *said = r.status();
            if (said && said->code.kind == ResponseCode::Kind::UidValidity)
                m_selectedUidValidity = quint32(said->code.number);
            if (said && said->code.kind == ResponseCode::Kind::UidNext)
                m_viewUidNext = quint32(said->code.number);
        }
        if (m_selectedMailbox.isEmpty()) { // CLOSE, UNSELECT
            setState(SessionState::Authenticated);
        } else {
            m_state = SessionState::Authenticated; // force the signal with the new mailbox
            setState(SessionState::Selected);
        }
    } else if (pending.request.selects) {
        setState(SessionState::Authenticated); // a failed SELECT leaves no mailbox selected
    }
    if (pending.internalDone)
        return pending.internalDone(pending.result, error);
    const bool loggedOut = !error.isError() && pending.command.name == "LOGOUT";
    if (error.isError())
        pending.promise->setException(MailException(error));
    else
        pending.promise->addResult(std::move(pending.result));
    pending.promise->finish();
    if (loggedOut)
        fail(Error(ErrorCode::Cancelled, QStringLiteral("logged out"))); // closes; later commands fail at once
}

void Session::routeUntagged(const Response &response)
{
    if (const StatusResponse *status = response.status()) {
        adoptCapabilities(status->code);
        if (status->status == Status::Bye && m_state != SessionState::LoggingOut) {
            m_closeReason = Error(ErrorCode::Network,
                                  QStringLiteral("the server closed the session: ") + describeStatus(*status));
        }
    }
    if (const auto *caps = response.get<CapabilityData>()) {
        m_capabilities = *caps;
        m_capabilitiesKnown = true;
    }
    if (const auto *enabled = response.get<EnabledData>())
        noteEnabled(*enabled);
    // A message the server reports is in the view, and so is every message
    // below it (see m_viewUidNext).
    if (const auto *fetch = response.get<FetchData>();
        fetch && fetch->uid && *fetch->uid != SequenceSet::Star && !m_selectedMailbox.isEmpty())
        m_viewUidNext = std::max(m_viewUidNext, *fetch->uid + 1);
    // A FETCH for UIDs a pipelined command asked for belongs to that command.
    // When several commands in flight asked for the same UID (two callers
    // fetching one message), the server answers them in order: the reply goes
    // to the first of them that has not had this UID yet.
    if (const auto *fetch = response.get<FetchData>(); fetch && fetch->uid) {
        Pending *owner = nullptr;
        // Among those, the first that asked for what the reply carries (see
        // Request::fetchAsked); if none did, the first as before.
        const bool anyFits = std::any_of(m_inFlight.cbegin(), m_inFlight.cend(), [&](const Pending &p) {
            return p.request.uids && p.request.uids->contains(*fetch->uid) && fits(p.request.fetchAsked, *fetch);
        });
        for (Pending &pending : m_inFlight) {
            if (!pending.request.uids || !pending.request.uids->contains(*fetch->uid))
                continue;
            if (anyFits && !fits(pending.request.fetchAsked, *fetch))
                continue;
            const bool hasIt = std::any_of(pending.result.untagged.cbegin(), pending.result.untagged.cend(),
                                           [&](const Response &r) {
                                               const auto *f = r.get<FetchData>();
                                               return f && f->uid == fetch->uid;
                                           });
            if (!hasIt) {
                owner = &pending;
                break;
            }
            if (!owner)
                owner = &pending; // all have it: a later update for the first
        }
        if (owner) {
            owner->result.untagged << response;
            return;
        }
    }
    // Data that says its kind goes to the command in flight of that kind;
    // there is at most one per kind whose replies cannot be told apart
    // (SEARCH, SORT, LIST: Request::oneInFlight).
    for (Pending &pending : m_inFlight) {
        if (asksFor(pending.request, pending.command.name, pending.tag, response)) {
            pending.result.untagged << response;
            return;
        }
    }
    if (isMailboxEvent(response)
        || (response.get<FetchData>() && !m_inFlight.empty() && !m_inFlight.front().request.uids))
        Q_EMIT unsolicited(response);
    if (!m_inFlight.empty())
        m_inFlight.front().result.untagged << response;
}

void Session::goodbye()
{
    const bool loggedIn = m_state == SessionState::Authenticated || m_state == SessionState::Selected
        || m_state == SessionState::Idling;
    if (loggedIn && m_transport && m_transport->isOpen()) {
        if (m_state == SessionState::Idling && !m_doneSent)
            send(CommandBuilder::done().bytes());
        send(m_builder.logout(QByteArray::number(++m_tagCounter).prepend('t')).bytes());
        m_transport->flush();
    }
    shutdown(Error(ErrorCode::Cancelled, QStringLiteral("the connection was closed by its owner")));
}

void Session::shutdown(const Error &reason) { fail(reason); }

void Session::fail(const Error &error)
{
    if (m_state == SessionState::Closed)
        return;
    // A BYE that came first says better why the server went away.
    const Error reason = m_closeReason.isError() && error.code() == ErrorCode::Network ? m_closeReason : error;
    if (m_state == SessionState::LoggingOut && reason.code() == ErrorCode::Network)
        return fail(Error(ErrorCode::Cancelled, QStringLiteral("logged out"))); // the server hung up first: fine
    m_closeReason = reason;
    qCInfo(log::imap) << "session with" << m_settings.endpoint.host << "ended:" << reason.toString();
    m_greetingTimer.stop();
    m_commandTimer.stop();
    m_idleTimer.stop();
    setState(SessionState::Closed);
    abortTransport();
    // Commands still in the queue never reached the server: say so, so the
    // pool may send them again elsewhere (B06 in docs/POOL.md).
    const auto failAll = [](std::deque<Pending> &pendings, const Error &reason) {
        for (Pending &pending : pendings) {
            if (pending.promise) {
                pending.promise->setException(MailException(reason));
                pending.promise->finish();
            }
        }
        pendings.clear();
    };
    std::deque<Pending> inFlight = std::move(m_inFlight);
    std::deque<Pending> queued = std::move(m_queue);
    m_inFlight.clear();
    m_queue.clear();
    failAll(inFlight, reason);
    failAll(queued, reason.asNotSent());
    if (m_openPromise) {
        refuse(*m_openPromise, reason);
        m_openPromise.reset();
    }
    Q_EMIT closed(reason);
}

} // namespace mailcore::imap
