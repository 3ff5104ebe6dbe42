// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/smtp/session.h"

#include <QDateTime>
#include <QScopeGuard>
#include <QThread>

#include "mailcore/base/logging.h"

namespace mailcore::smtp {

namespace {

double seconds(std::chrono::milliseconds ms) { return ms.count() / 1000.0; }

QString describe(const Reply &reply)
{
    QString text = QString::number(reply.code);
    if (reply.enhanced.isValid())
        text += QLatin1Char(' ') + QString::fromLatin1(reply.enhancedText());
    const QByteArray lines = reply.text();
    if (!lines.isEmpty())
        text += QLatin1Char(' ') + QString::fromUtf8(lines.left(300));
    return text;
}

} // namespace

Session::Session(SessionSettings settings, net::TransportFactory factory)
    : HostedSession(std::move(factory))
    , m_settings(std::move(settings))
{
    m_replyTimer.setSingleShot(true);
    connect(&m_replyTimer, &QTimer::timeout, this, [this] {
        if (m_expected.empty())
            return;
        const Expected &oldest = m_expected.front();
        fail(Error(ErrorCode::Timeout,
                   QStringLiteral("%1 did not answer %2 within %3 s")
                       .arg(m_settings.endpoint.host, QString::fromLatin1(oldest.name))
                       .arg(seconds(oldest.timeout))));
    });
}

void Session::setState(SessionState state)
{
    changeState(m_state, state, [&] { Q_EMIT stateChanged(state); });
}

void Session::reportActivity()
{
    using State = ConnectionActivity::State;
    State phase = net::sharedPhase(m_state).value_or(State::Closing); // Quitting
    if (m_state == SessionState::Greeting)
        phase = State::Authenticating;
    else if (m_state == SessionState::Ready)
        phase = m_jobs.empty() ? State::Idle : State::Busy;
    else if (m_state == SessionState::Sending)
        phase = State::Busy;
    publishActivity(phase, m_expected.empty() ? QByteArray() : m_expected.front().name,
                    int(m_jobs.size()) + (m_current ? 1 : 0));
}

void Session::open(std::shared_ptr<QPromise<Capabilities>> done)
{
    Q_ASSERT(QThread::currentThread() == thread());
    done->start();
    if (m_state == SessionState::Closed) {
        refuse(*done, m_closeReason);
        return;
    }
    if (m_state == SessionState::Ready || m_state == SessionState::Sending) {
        done->addResult(m_capabilities);
        done->finish();
        return;
    }
    m_openPromises << std::move(done);
    if (m_state == SessionState::Disconnected)
        startConnecting();
}

void Session::startConnecting()
{
    setState(SessionState::Connecting);
    connectTransport(m_settings.endpoint);
}

void Session::onTransportReady()
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (m_state == SessionState::Connecting) {
        setState(SessionState::AwaitingGreeting);
        expect(
            "greeting", [this](const Reply &reply) { onGreeting(reply); }, m_settings.endpoint.timeouts.greeting);
        onReceived(); // the greeting may have come with the handshake
    } else if (m_state == SessionState::StartingTls) {
        // What the server said before TLS is not to be trusted: ask again.
        m_capabilities = {};
        sendHello(true);
    }
}

void Session::onReceived()
{
    if (!m_transport || m_state == SessionState::Closed)
        return;
    const QByteArray bytes = takeReceived();
    if (bytes.isEmpty())
        return;
    auto report = qScopeGuard([this] { reportActivity(); });
    m_parser.feed(bytes);
    restartTimer(); // any byte shows the server is alive
    while (m_state != SessionState::Closed) {
        ParseResult result = m_parser.next();
        if (result.status == ParseResult::Status::NeedMoreData)
            break;
        if (result.status == ParseResult::Status::Error)
            return fail(result.error);
        handleReply(result.reply);
        if (m_tlsGoAhead) {
            // STARTTLS accepted: anything after the go-ahead came before the
            // handshake and is never parsed (CVE-2011-0411 class injection).
            m_tlsGoAhead = false;
            if (m_parser.bufferedBytes() > 0)
                qCWarning(log::smtp) << "discarded" << m_parser.bufferedBytes() << "bytes sent after STARTTLS's 220";
            m_parser = ReplyParser();
            m_transport->startTls(); // drops what is still unread on the socket
            return;
        }
    }
}

void Session::handleReply(const Reply &reply)
{
    qCDebug(log::smtp) << "<" << reply.code
                       << (reply.lines.isEmpty() ? QByteArray() : reply.lines.constFirst().left(120));
    if (m_expected.empty()) {
        // RFC 5321 §3.8: a server about to go away may say 421 at any time.
        if (reply.code == 421)
            return fail(Error(ErrorCode::ServerRefused,
                              QStringLiteral("the server closed the connection: ") + describe(reply)));
        return fail(
            Error(ErrorCode::Protocol, QStringLiteral("the server sent a reply to no command: ") + describe(reply)));
    }
    Expected expected = std::move(m_expected.front());
    m_expected.pop_front();
    restartTimer();
    // 421 answers any command: the server is closing the channel.
    if (reply.code == 421)
        return fail(
            Error(ErrorCode::ServerRefused, QStringLiteral("the server closed the connection: ") + describe(reply)));
    expected.handle(reply);
}

void Session::restartTimer()
{
    if (m_expected.empty())
        m_replyTimer.stop();
    else
        m_replyTimer.start(m_expected.front().timeout);
}

void Session::expect(QByteArray name, ReplyHandler handle, std::optional<std::chrono::milliseconds> timeout)
{
    m_expected.push_back({std::move(name), std::move(handle), timeout.value_or(m_settings.endpoint.timeouts.command)});
    if (m_expected.size() == 1)
        restartTimer();
}

void Session::sendCommand(const Command &command, QByteArray name, ReplyHandler handle)
{
    qCDebug(log::smtp) << ">" << command.logLine;
    send(command.bytes);
    expect(std::move(name), std::move(handle));
}

void Session::onGreeting(const Reply &reply)
{
    if (reply.code == 220)
        return sendHello(true);
    if (reply.isTransientFailure() || reply.isPermanentFailure())
        return fail(
            Error(ErrorCode::ServerRefused, QStringLiteral("the server refused the connection: ") + describe(reply)));
    protocolError(reply, "the greeting");
}

void Session::sendHello(bool extended)
{
    setState(SessionState::Greeting);
    Result<Command> command = extended ? Commands::ehlo(m_settings.heloDomain) : Commands::helo(m_settings.heloDomain);
    if (!command)
        return fail(command.error());
    sendCommand(command.value(), extended ? "EHLO" : "HELO", [this, extended](const Reply &reply) {
        if (reply.isPositive() && extended) {
            Result<Capabilities> capabilities = Capabilities::fromEhlo(reply);
            if (!capabilities)
                return fail(capabilities.error());
            m_capabilities = capabilities.value();
            return afterHello();
        }
        if (reply.isPositive()) {
            // HELO: an RFC 821 server with no extensions at all.
            m_capabilities = {};
            m_capabilities.greeting = reply.lines.value(0);
            return afterHello();
        }
        // RFC 5321 §3.2: "command not recognized" means an old server; HELO then.
        if (extended && (reply.code == 500 || reply.code == 502))
            return sendHello(false);
        if (reply.isIntermediate())
            return protocolError(reply, extended ? "EHLO" : "HELO");
        fail(Error(reply.toError().code(),
                   QStringLiteral("the server refused %1: %2")
                       .arg(QLatin1String(extended ? "EHLO" : "HELO"), describe(reply))));
    });
}

void Session::afterHello()
{
    if (m_settings.endpoint.security == Security::StartTls && !m_transport->isEncrypted())
        return startTls();
    authenticate();
}

void Session::startTls()
{
    // Required means required: no STARTTLS, no session, and no credential ever
    // travels in clear (a downgrade attack strips STARTTLS from the EHLO reply).
    if (!m_capabilities.startTls)
        return fail(Error(ErrorCode::Tls,
                          QStringLiteral("%1 does not offer STARTTLS, which this account requires; "
                                         "nothing was sent in plain text")
                              .arg(m_settings.endpoint.host)));
    setState(SessionState::StartingTls);
    sendCommand(Commands::startTls(), "STARTTLS", [this](const Reply &reply) {
        if (reply.code == 220) {
            m_tlsGoAhead = true;
            return;
        }
        fail(Error(
            ErrorCode::Tls,
            QStringLiteral("the server refused STARTTLS (%1); nothing was sent in plain text").arg(describe(reply))));
    });
}

void Session::authenticate()
{
    if (m_settings.user.isEmpty())
        return becomeReady();
    // Belt and braces: only an explicit Security::Plain may authenticate in clear.
    if (m_settings.endpoint.security != Security::Plain && !m_transport->isEncrypted())
        return fail(Error(ErrorCode::Tls, QStringLiteral("refusing to authenticate without TLS")));
    setState(SessionState::Authenticating);
    const bool plain = m_capabilities.hasAuth("PLAIN");
    const bool login = m_capabilities.hasAuth("LOGIN");
    const AuthMechanism wanted = m_settings.mechanism;
    const bool usePlain = plain && wanted != AuthMechanism::Login;
    const bool useLogin = !usePlain && login && wanted != AuthMechanism::Plain;
    if (!usePlain && !useLogin) {
        const QString offered = m_capabilities.authMechanisms.isEmpty()
            ? QStringLiteral("none")
            : QString::fromLatin1(m_capabilities.authMechanisms.join(' '));
        return fail(Error(ErrorCode::Auth,
                          QStringLiteral("%1 offers no usable authentication mechanism (offered: %2)")
                              .arg(m_settings.endpoint.host, offered)));
    }
    if (usePlain) {
        Result<Command> command = Commands::authPlain(m_settings.user, m_settings.password);
        if (!command)
            return fail(command.error());
        const QByteArray continuation = command->continuation;
        return sendCommand(command.value(), "AUTH PLAIN", [this, continuation](const Reply &reply) {
            if (reply.code != 334 || continuation.isEmpty())
                return onAuthResult(reply);
            qCDebug(log::smtp) << "> (AUTH PLAIN response ***)";
            send(continuation);
            expect("AUTH PLAIN", [this](const Reply &result) { onAuthResult(result); });
        });
    }
    sendCommand(Commands::authLogin(), "AUTH LOGIN", [this](const Reply &reply) {
        if (reply.code != 334)
            return onAuthResult(reply);
        Result<Command> user = Commands::authLoginUser(m_settings.user);
        if (!user)
            return fail(user.error());
        sendCommand(user.value(), "AUTH LOGIN user name", [this](const Reply &second) {
            if (second.code != 334)
                return onAuthResult(second);
            Result<Command> password = Commands::authLoginPassword(m_settings.password);
            if (!password)
                return fail(password.error());
            sendCommand(password.value(), "AUTH LOGIN password", [this](const Reply &result) { onAuthResult(result); });
        });
    });
}

void Session::onAuthResult(const Reply &reply)
{
    if (reply.isPositive())
        return becomeReady();
    if (reply.isIntermediate())
        return protocolError(reply, "AUTH"); // a challenge after the last response
    const Error error = reply.toError();
    fail(Error(error.code(), QStringLiteral("authentication failed: ") + error.message()));
}

void Session::becomeReady()
{
    qCDebug(log::smtp) << "ready on" << m_settings.endpoint.host << "pipelining" << m_capabilities.pipelining;
    setState(SessionState::Ready);
    const auto promises = std::exchange(m_openPromises, {});
    for (const auto &promise : promises) {
        promise->addResult(m_capabilities);
        promise->finish();
    }
    startNextJob();
}

void Session::shutdown(const Error &reason) { fail(reason); }

void Session::goodbye()
{
    // In the middle of a transaction QUIT would only be answered after the
    // server's reply to what is in flight; just close, the server discards
    // a transaction whose data never ended.
    if (m_state == SessionState::Ready && m_transport && m_transport->isOpen()) {
        qCDebug(log::smtp) << "> QUIT (goodbye)";
        send(Commands::quit().bytes);
        m_transport->flush();
    }
    fail(Error(ErrorCode::Cancelled, QStringLiteral("the connection was closed by its owner")));
}

void Session::protocolError(const Reply &reply, const QByteArray &command)
{
    fail(Error(ErrorCode::Protocol,
               QStringLiteral("unexpected reply to %1: %2").arg(QString::fromLatin1(command), describe(reply))));
}

void Session::fail(const Error &error)
{
    if (m_state == SessionState::Closed)
        return;
    Error reason = error;
    m_closeReason = reason;
    qCInfo(log::smtp) << "session with" << m_settings.endpoint.host << "ended:" << reason.toString();
    m_replyTimer.stop();
    m_expected.clear();
    setState(SessionState::Closed);
    abortTransport();
    if (m_current) {
        Transaction transaction = std::move(*m_current);
        m_current.reset();
        Error own = reason;
        if (transaction.payloadSent) {
            // The server may have taken the message before the failure: say so,
            // since it is not re-sent (that could deliver it twice).
            own = Error(reason.code(),
                        reason.message()
                            + QStringLiteral(" (the message was sent but not confirmed; it may have been "
                                             "delivered and is not re-sent)"))
                      .asMayHaveBeenDelivered();
        }
        transaction.promise->setException(MailException(own));
        transaction.promise->finish();
    }
    const std::deque<Job> jobs = std::exchange(m_jobs, {});
    for (const Job &job : jobs) {
        if (job.sendPromise) {
            job.sendPromise->setException(MailException(reason));
            job.sendPromise->finish();
        }
        if (job.quitPromise) {
            // A QUIT never sent still leaves the connection closed, as asked.
            job.quitPromise->finish();
        }
    }
    const auto promises = std::exchange(m_openPromises, {});
    for (const auto &promise : promises) {
        refuse(*promise, reason);
    }
    if (const auto quit = std::exchange(m_quitPromise, {}))
        quit->finish();
    reportActivity();
    Q_EMIT closed(reason);
}

} // namespace mailcore::smtp
