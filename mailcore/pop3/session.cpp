// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/pop3/session.h"

#include <QDateTime>
#include <QScopeGuard>
#include <QThread>

#include "mailcore/base/logging.h"

namespace mailcore::pop3 {

namespace {

// What a refused login (or greeting) means to a caller, by RFC 2449/3206 code.
// IN-USE (maildrop locked by another session) and LOGIN-DELAY (logging in too
// often) are server limits a pool must react to by using fewer connections or
// waiting, so they are Limit; SYS/TEMP and SYS/PERM say the server is unwell,
// not that the password is wrong, so they are ServerRefused. Everything else,
// [AUTH] or no code at all, is Auth. The message always starts with the code
// in brackets ("[IN-USE] ..."), so the two Limit cases can be told apart too.
Error loginError(const Reply &reply, ErrorCode fallback)
{
    const QByteArray code = reply.code.toUpper();
    QString message = reply.toError().message();
    if (message.isEmpty())
        message = QStringLiteral("(no text)");
    if (code == "IN-USE" || code == "LOGIN-DELAY")
        return Error(ErrorCode::Limit, message);
    if (code.startsWith("SYS/"))
        return Error(ErrorCode::ServerRefused, message);
    if (code == "AUTH")
        return Error(ErrorCode::Auth, message);
    return Error(fallback, message);
}

QString seconds(std::chrono::milliseconds ms) { return QString::number(ms.count() / 1000.0); }

} // namespace

Error UidMap::merge(const QMap<int, QByteArray> &byNumber)
{
    for (auto it = byNumber.cbegin(); it != byNumber.cend(); ++it) {
        const QByteArray known = uids.value(it.key());
        const int knownNumber = numbers.value(it.value(), it.key());
        if ((!known.isEmpty() && known != it.value()) || knownNumber != it.key())
            return Error(ErrorCode::Protocol, QStringLiteral("the server changed unique ids within the session"));
    }
    for (auto it = byNumber.cbegin(); it != byNumber.cend(); ++it) {
        uids.insert(it.key(), it.value());
        numbers.insert(it.value(), it.key());
    }
    return {};
}

// Any thread (before the move to the I/O thread).
Session::Session(SessionSettings settings, net::TransportFactory factory)
    : HostedSession(std::move(factory))
    , m_settings(std::move(settings))
    , m_parser(m_settings.limits)
{
    m_greetingTimer.setSingleShot(true);
    m_commandTimer.setSingleShot(true);
    m_lockTimer.setSingleShot(true);
    connect(&m_lockTimer, &QTimer::timeout, this, [this] {
        if (m_state != SessionState::Authenticating)
            return;
        fail(Error(ErrorCode::Limit,
                   QStringLiteral("[IN-USE] %1 did not answer the login within %2 s while another session of this "
                                  "account was open: the maildrop is locked per session")
                       .arg(m_settings.endpoint.host, seconds(m_settings.lockWait))));
    });
    connect(&m_greetingTimer, &QTimer::timeout, this, [this] {
        fail(Error(ErrorCode::Timeout,
                   QStringLiteral("%1 sent no greeting within %2 s")
                       .arg(m_settings.endpoint.host, seconds(m_settings.endpoint.timeouts.greeting))));
    });
    connect(&m_commandTimer, &QTimer::timeout, this, [this] {
        // logLine, never bytes: a stalled PASS must not put the password in the error.
        const QByteArray name = m_inFlight.empty() ? QByteArray("a command") : m_inFlight.front().command.logLine;
        fail(Error(ErrorCode::Timeout,
                   QStringLiteral("%1 did not answer %2 within %3 s")
                       .arg(m_settings.endpoint.host, QString::fromLatin1(name),
                            seconds(m_settings.endpoint.timeouts.command))));
    });
}

// I/O thread.
void Session::setState(SessionState state)
{
    changeState(m_state, state, [&] { Q_EMIT stateChanged(state); });
}

// I/O thread.
void Session::reportActivity()
{
    using State = ConnectionActivity::State;
    const bool busy = !m_queue.empty() || !m_inFlight.empty();
    State phase = net::sharedPhase(m_state).value_or(State::Closing); // Quitting
    if (m_state == SessionState::Transaction)
        phase = busy ? State::Busy : State::Idle;
    // The command's name only: its log line may carry a message number or "***".
    const QByteArray line = m_inFlight.empty() ? QByteArray() : m_inFlight.front().command.logLine;
    publishActivity(phase, line.left(line.indexOf(' ')), int(m_queue.size() + m_inFlight.size()));
}

// I/O thread.
void Session::open(std::shared_ptr<QPromise<void>> done)
{
    Q_ASSERT(QThread::currentThread() == thread());
    done->start();
    if (m_state != SessionState::Disconnected) {
        const Error error = m_state == SessionState::Closed
            ? m_closeReason
            : Error(ErrorCode::BadArgument, QStringLiteral("open() was called twice"));
        refuse(*done, error);
        return;
    }
    m_openPromise = std::move(done);
    setState(SessionState::Connecting);
    connectTransport(m_settings.endpoint);
}

// I/O thread.
void Session::onTransportReady()
{
    if (m_state == SessionState::Connecting) {
        setState(SessionState::AwaitingGreeting);
        m_parser.expect(Expect::SingleLine);
        m_greetingTimer.start(m_settings.endpoint.timeouts.greeting);
        onReceived(); // the greeting may have come with the handshake
    } else if (m_tlsHandshake) {
        m_tlsHandshake = false;
        // What CAPA said in plain text may have been forged: ask again.
        m_capabilities = {};
        readCapabilities([this] { authenticate(); });
    }
}

// I/O thread.
void Session::onReceived()
{
    Q_ASSERT(QThread::currentThread() == thread());
    // Before the greeting is expected, and during the TLS handshake, nothing is
    // taken: the transport drops what came before the handshake itself.
    if (!m_transport || m_tlsHandshake || m_state == SessionState::Connecting || m_state == SessionState::Closed)
        return;
    const QByteArray bytes = takeReceived();
    if (bytes.isEmpty())
        return;
    auto report = qScopeGuard([this] { reportActivity(); });
    if (!m_inFlight.empty())
        m_commandTimer.start(m_settings.endpoint.timeouts.command);
    m_parser.feed(bytes);
    while (m_state != SessionState::Closed) {
        ParserEvent event = m_parser.next();
        switch (event.type) {
        case ParserEvent::Type::NeedMoreData: return;
        case ParserEvent::Type::Error: return fail(event.error);
        case ParserEvent::Type::Reply: handleReply(event.reply); break;
        case ParserEvent::Type::DataChunk: handleChunk(event.data); break;
        case ParserEvent::Type::DataEnd: handleDataEnd(); break;
        }
        if (m_upgradeNow) {
            // STLS accepted. Whatever followed the +OK was sent before TLS, so a
            // man in the middle could have written it: drop it unparsed (with
            // the parser's state), then hand the socket to the handshake.
            m_upgradeNow = false;
            if (m_parser.bufferedBytes() > 0)
                qCWarning(log::pop3) << "discarded" << m_parser.bufferedBytes() << "bytes sent after STLS's +OK";
            m_parser = ReplyParser(m_settings.limits);
            m_tlsHandshake = true;
            m_transport->startTls();
            return;
        }
    }
}

// I/O thread.
void Session::handleGreeting(const Reply &reply)
{
    m_greetingTimer.stop();
    if (!reply.isOk())
        return fail(loginError(reply, ErrorCode::ServerRefused));
    const Result<Greeting> greeting = Responses::greeting(reply);
    if (!greeting)
        return fail(greeting.error());
    setState(SessionState::Authenticating);
    readCapabilities([this] {
        if (m_settings.endpoint.security == Security::StartTls && !m_transport->isEncrypted())
            return startTlsUpgrade();
        authenticate();
    });
}

// I/O thread.
void Session::handleReply(const Reply &reply)
{
    if (m_state == SessionState::AwaitingGreeting)
        return handleGreeting(reply);
    if (m_inFlight.empty()) // the parser refuses replies nobody expects; belt and braces
        return fail(Error(ErrorCode::Protocol, QStringLiteral("a reply to no command")));
    Pending &front = m_inFlight.front();
    if (reply.isContinuation()) {
        // Only AUTH expects "+" (the parser refuses it elsewhere). PLAIN has one
        // response; a second challenge is not part of the mechanism.
        if (front.command.continuation.isEmpty() || front.continuationSent)
            return fail(Error(ErrorCode::Protocol, QStringLiteral("unexpected SASL challenge")));
        front.continuationSent = true;
        qCDebug(log::pop3) << "> (AUTH PLAIN response ***)";
        m_parser.expect(Expect::SaslStep);
        send(front.command.continuation);
        return;
    }
    if (front.command.expect == Expect::MessageStreamed && reply.isOk()) {
        front.streaming = true;
        front.status = reply;
        return; // complete at DataEnd
    }
    Pending pending = std::move(front);
    m_inFlight.pop_front();
    if (m_inFlight.empty())
        m_commandTimer.stop();
    complete(std::move(pending), reply);
    pump();
}

// I/O thread.
void Session::handleChunk(const QByteArray &data)
{
    Q_ASSERT(!m_inFlight.empty() && m_inFlight.front().streaming);
    Pending &front = m_inFlight.front();
    if (front.sinkError.isError() || !front.op.chunk)
        return;
    front.sinkError = front.op.chunk(data);
}

// I/O thread.
void Session::handleDataEnd()
{
    Q_ASSERT(!m_inFlight.empty() && m_inFlight.front().streaming);
    Pending pending = std::move(m_inFlight.front());
    m_inFlight.pop_front();
    if (m_inFlight.empty())
        m_commandTimer.stop();
    const Reply status = pending.status;
    complete(std::move(pending), status);
    pump();
}

// I/O thread.
void Session::complete(Pending pending, const Reply &reply)
{
    const bool quits = pending.op.quits;
    if (pending.sinkError.isError()) {
        pending.op.failed(pending.sinkError);
    } else {
        if (reply.isOk() && pending.op.refreshesUidMap) {
            const Result<QMap<int, QByteArray>> uids = Responses::uidl(reply);
            if (!uids) {
                pending.op.failed(uids.error());
                return fail(uids.error());
            }
            if (const Error changed = m_uids.merge(uids.value()); changed.isError()) {
                pending.op.failed(changed);
                return fail(changed);
            }
        }
        if (reply.isOk() && pending.op.marksDeleted)
            m_deletionsMarked = true;
        if (reply.isOk() && pending.op.unmarksAll)
            m_deletionsMarked = false;
        const Error broken = pending.op.done(reply, m_uids);
        if (broken.isError())
            return fail(broken);
    }
    if (quits)
        fail(Error(ErrorCode::Cancelled, QStringLiteral("the session ended with QUIT")));
}

// I/O thread.
void Session::enqueue(Operation operation)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (m_state == SessionState::Closed) {
        // Why the session ended, and that this command never left: the pool
        // may send it on another connection (B06 in docs/POOL.md).
        operation.failed(m_closeReason.asNotSent());
        return;
    }
    m_queue.push_back({.op = std::move(operation)});
    pump();
}

// I/O thread. The one place that writes commands.
void Session::pump()
{
    // Every way in and out of the queue passes here: tell the monitor once.
    auto report = qScopeGuard([this] { reportActivity(); });
    while (!m_queue.empty() && m_state != SessionState::Closed) {
        Pending &next = m_queue.front();
        if (!next.op.internal && m_state != SessionState::Transaction)
            return; // user commands wait for the handshake, and nothing follows QUIT
        const int window = m_capabilities.pipelining ? qMax(1, m_settings.pipelineWindow) : 1;
        if (static_cast<int>(m_inFlight.size()) >= window)
            return;
        if (!m_inFlight.empty() && (next.op.barrier || m_inFlight.back().op.barrier))
            return;
        Pending pending = std::move(next);
        m_queue.pop_front();
        Result<Command> built = pending.op.build(m_uids);
        if (!built) {
            pending.op.failed(built.error()); // nothing was sent: the session goes on
            continue;
        }
        pending.command = std::move(built.value());
        if (pending.op.quits)
            setState(SessionState::Quitting);
        qCDebug(log::pop3) << ">" << pending.command.logLine;
        m_parser.expect(pending.command.expect);
        send(pending.command.bytes);
        m_inFlight.push_back(std::move(pending));
        m_commandTimer.start(m_settings.endpoint.timeouts.command);
    }
}

// I/O thread. Handshake steps go before any user command already waiting.
void Session::runInternal(Operation operation)
{
    operation.internal = true;
    operation.barrier = true;
    if (!operation.failed)
        operation.failed = [this](const Error &error) { fail(error); };
    Pending pending;
    pending.op = std::move(operation);
    m_queue.push_front(std::move(pending));
    pump();
}

// I/O thread.
void Session::runInternal(std::function<Result<Command>()> build, std::function<void(const Reply &)> then)
{
    Operation operation;
    operation.build = [build = std::move(build)](const UidMap &) { return build(); };
    operation.done = [then = std::move(then)](const Reply &reply, const UidMap &) {
        then(reply);
        return Error();
    };
    runInternal(std::move(operation));
}

// I/O thread.
void Session::readCapabilities(std::function<void()> then)
{
    runInternal([] { return Result<Command>(Commands::capa()); },
                [this, then = std::move(then)](const Reply &reply) {
                    if (reply.isErr()) {
                        // An RFC 1939-only server: no STLS, no SASL, no PIPELINING.
                        qCDebug(log::pop3) << "no CAPA:" << reply.text;
                        m_capabilities = {};
                    } else {
                        const Result<Capabilities> caps = Responses::capabilities(reply);
                        if (!caps)
                            return fail(caps.error());
                        m_capabilities = caps.value();
                    }
                    Q_EMIT capabilitiesChanged(m_capabilities);
                    then();
                });
}

// I/O thread.
void Session::startTlsUpgrade()
{
    if (!m_capabilities.stls)
        return fail(Error(ErrorCode::Tls,
                          QStringLiteral("%1 does not offer STLS, which this account requires; "
                                         "nothing was sent in plain text")
                              .arg(m_settings.endpoint.host)));
    setState(SessionState::StartingTls);
    runInternal([] { return Result<Command>(Commands::stls()); },
                [this](const Reply &reply) {
                    if (!reply.isOk())
                        return fail(Error(ErrorCode::Tls,
                                          QStringLiteral("the server refused STLS (%1); nothing was sent in plain text")
                                              .arg(reply.toError().message())));
                    m_upgradeNow = true; // onReceived() stops parsing and starts the handshake
                });
}

// I/O thread.
void Session::authenticate()
{
    // Belt and braces: the only ways here are an encrypted transport or Plain chosen.
    if (m_settings.endpoint.security != Security::Plain && !m_transport->isEncrypted())
        return fail(Error(ErrorCode::Tls, QStringLiteral("refusing to send credentials without TLS")));
    setState(SessionState::Authenticating);
    const QString user = m_settings.user;
    const QString password = m_settings.password;
    // A locked maildrop makes the password wait, not fail (see SessionSettings::lockWait).
    const auto passwordSent = [this] {
        if (m_settings.lockWait.count() > 0)
            m_lockTimer.start(m_settings.lockWait);
    };
    auto loggedIn = [this](const Reply &reply) {
        m_lockTimer.stop();
        if (!reply.isOk())
            return fail(loginError(reply, ErrorCode::Auth));
        loadUidMap();
    };
    if (m_capabilities.hasSasl("PLAIN")) {
        runInternal([user, password] { return Commands::authPlain(user, password); }, loggedIn);
        passwordSent();
        return;
    }
    // USER/PASS also for servers without CAPA, which may still know USER.
    runInternal([user] { return Commands::user(user); },
                [this, password, loggedIn, passwordSent](const Reply &reply) {
                    if (!reply.isOk())
                        return fail(loginError(reply, ErrorCode::Auth));
                    runInternal([password] { return Commands::pass(password); }, loggedIn);
                    passwordSent();
                });
}

// I/O thread. Message numbers exist only inside the session; callers name
// messages by UIDL id, so the map must be there before the first command.
void Session::loadUidMap()
{
    Operation operation;
    operation.refreshesUidMap = true;
    operation.build = [](const UidMap &) { return Result<Command>(Commands::uidl()); };
    operation.done = [this](const Reply &reply, const UidMap &) {
        if (!reply.isOk()) {
            fail(Error(ErrorCode::ServerRefused,
                       QStringLiteral("%1 gives no unique ids (UIDL: %2); messages cannot be addressed safely")
                           .arg(m_settings.endpoint.host, reply.toError().message())));
            return Error();
        }
        setState(SessionState::Transaction);
        qCDebug(log::pop3) << "logged in to" << m_settings.endpoint.host << "," << m_uids.uids.size() << "messages";
        if (m_openPromise) {
            m_openPromise->finish();
            m_openPromise.reset();
        }
        pump();
        return Error();
    };
    runInternal(std::move(operation));
}

// I/O thread.
void Session::shutdown(const Error &reason)
{
    Q_ASSERT(QThread::currentThread() == thread());
    fail(reason);
}

// I/O thread.
void Session::goodbye()
{
    Q_ASSERT(QThread::currentThread() == thread());
    // Without QUIT the server stays out of its UPDATE state and deletes nothing
    // (RFC 1939 §6): what the user marked but did not commit() survives.
    if (m_state == SessionState::Transaction && !m_deletionsMarked && m_transport && m_transport->isOpen()) {
        qCDebug(log::pop3) << "> QUIT (goodbye)";
        send(Commands::quit().bytes);
        m_transport->flush();
    }
    fail(Error(ErrorCode::Cancelled, QStringLiteral("the connection was closed by its owner")));
}

// I/O thread. The one way a session ends: every command queued or in flight
// fails with the same error, the socket closes, later commands fail at once.
void Session::fail(const Error &error)
{
    if (m_state == SessionState::Closed)
        return;
    m_closeReason = error;
    if (error.code() == ErrorCode::Cancelled)
        qCDebug(log::pop3) << "session with" << m_settings.endpoint.host << "ended:" << error.toString();
    else
        qCInfo(log::pop3) << "session with" << m_settings.endpoint.host << "ended:" << error.toString();
    m_greetingTimer.stop();
    m_commandTimer.stop();
    m_lockTimer.stop();
    setState(SessionState::Closed);
    abortTransport();
    std::deque<Pending> all = std::move(m_inFlight);
    m_inFlight.clear();
    for (Pending &pending : m_queue)
        all.push_back(std::move(pending));
    m_queue.clear();
    for (Pending &pending : all)
        pending.op.failed(error);
    if (m_openPromise) {
        refuse(*m_openPromise, error);
        m_openPromise.reset();
    }
    reportActivity();
    Q_EMIT closed(error);
}

} // namespace mailcore::pop3
