// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/pop3/connection.h"

#include <QIODevice>

#include "mailcore/pop3/session.h"

namespace mailcore::pop3 {

namespace {

using Build = std::function<Result<Command>(const UidMap &)>;

template <typename T>
void failPromise(QPromise<T> &promise, const Error &error)
{
    promise.setException(MailException(error));
    promise.finish();
}

// The only place a UIDL id becomes a message number.
Result<Command> forUid(const UidMap &map, const QByteArray &uid, const std::function<Result<Command>(int)> &build)
{
    const auto it = map.numbers.constFind(uid);
    if (it == map.numbers.cend())
        return Error(ErrorCode::NotFound,
                     QStringLiteral("no message with the unique id \"%1\" on the server")
                         .arg(QString::fromLatin1(uid.left(80))));
    return build(it.value());
}

Build fixed(Command command)
{
    return [command = std::move(command)](const UidMap &) { return Result<Command>(command); };
}

// An operation whose +OK reply is turned into a T by `parse`. -ERR fails the
// future with the server's text (ServerRefused) and leaves the session open;
// a malformed +OK reply fails it with Protocol and closes the session.
/// An operation and the future its reply completes.
template <typename T>
struct Queued {
    Operation operation;
    QFuture<T> future;
};

template <typename T>
Queued<T> valueOperation(Build build, std::function<Result<T>(const Reply &, const UidMap &)> parse)
{
    auto promise = std::make_shared<QPromise<T>>();
    promise->start();
    Operation operation;
    operation.build = std::move(build);
    operation.done = [promise, parse = std::move(parse)](const Reply &reply, const UidMap &map) {
        if (!reply.isOk()) {
            failPromise(*promise, reply.toError());
            return Error();
        }
        Result<T> value = parse(reply, map);
        if (!value) {
            failPromise(*promise, value.error());
            return value.error().code() == ErrorCode::Protocol ? value.error() : Error();
        }
        promise->addResult(std::move(value.value()));
        promise->finish();
        return Error();
    };
    operation.failed = [promise](const Error &error) { failPromise(*promise, error); };
    return {std::move(operation), promise->future()};
}

Queued<void> voidOperation(Build build)
{
    auto promise = std::make_shared<QPromise<void>>();
    promise->start();
    Operation operation;
    operation.build = std::move(build);
    operation.done = [promise](const Reply &reply, const UidMap &) {
        if (!reply.isOk())
            failPromise(*promise, reply.toError());
        else
            promise->finish();
        return Error();
    };
    operation.failed = [promise](const Error &error) { failPromise(*promise, error); };
    return {std::move(operation), promise->future()};
}

} // namespace

// Owner's thread.
Pop3Connection::Pop3Connection(SessionSettings settings, TransportFactory factory, QObject *parent)
    : OwnerSignals(parent)
    , m_session(new Session(settings, std::move(factory)))
    , m_host(QStringLiteral("pop3-io %1").arg(settings.endpoint.host), m_session)
{
    qRegisterMetaType<mailcore::pop3::SessionState>();
    // Direct: these run in the I/O thread, store values for any thread to read
    // and re-emit in the owner's thread only what someone listens to.
    connect(
        m_session, &Session::stateChanged, this,
        [this](SessionState state) {
            m_state = state;
            emitInOwnerThread(&Pop3Connection::stateChanged, state);
        },
        Qt::DirectConnection);
    connect(
        m_session, &Session::closed, this,
        [this](const Error &reason) { emitInOwnerThread(&Pop3Connection::closed, reason); }, Qt::DirectConnection);
    connect(
        m_session, &Session::capabilitiesChanged, this,
        [this](const Capabilities &caps) {
            std::lock_guard lock(m_capabilitiesMutex);
            m_capabilities = caps;
        },
        Qt::DirectConnection);
}

// Owner's thread: the host shuts the session down and joins its thread.
Pop3Connection::~Pop3Connection() = default;

// Any thread.
Capabilities Pop3Connection::capabilities() const
{
    std::lock_guard lock(m_capabilitiesMutex);
    return m_capabilities;
}

// Any thread.
ConnectionActivity Pop3Connection::activity() const { return m_host.activity(); }

void Pop3Connection::setActivityListener(std::function<void()> listener)
{
    m_host.setActivityListener(std::move(listener));
}

// Any thread.
void Pop3Connection::close() { m_host.close(); }

// Any thread: hands the operation to the I/O thread, where it is queued.
void Pop3Connection::submit(Operation operation)
{
    m_host.post(
        [session = m_session, operation = std::move(operation)]() mutable { session->enqueue(std::move(operation)); });
}

// Any thread.
QFuture<void> Pop3Connection::open()
{
    return m_host.call<void>(
        [session = m_session](std::shared_ptr<QPromise<void>> promise) { session->open(promise); });
}

// Any thread.
QFuture<Stat> Pop3Connection::stat()
{
    auto [operation, future] = valueOperation<Stat>(
        fixed(Commands::stat()), [](const Reply &reply, const UidMap &) { return Responses::stat(reply); });
    submit(std::move(operation));
    return future;
}

// Any thread.
QFuture<QList<MessageInfo>> Pop3Connection::list()
{
    auto [operation, future] = valueOperation<QList<MessageInfo>>(
        fixed(Commands::list()), [](const Reply &reply, const UidMap &map) -> Result<QList<MessageInfo>> {
            const Result<QMap<int, qint64>> sizes = Responses::list(reply);
            if (!sizes)
                return sizes.error();
            QList<MessageInfo> out;
            for (auto it = sizes->cbegin(); it != sizes->cend(); ++it) {
                const auto uid = map.uids.constFind(it.key());
                // Numbers are fixed for the session and the map holds every one
                // UIDL ever named, so a stranger here is a broken server.
                if (uid == map.uids.cend())
                    return Error(ErrorCode::Protocol,
                                 QStringLiteral("LIST names message %1, which UIDL did not").arg(it.key()));
                out.append(MessageInfo{uid.value(), it.value()});
            }
            return out;
        });
    submit(std::move(operation));
    return future;
}

// Any thread.
QFuture<QList<QByteArray>> Pop3Connection::uidl()
{
    auto [operation, future] = valueOperation<QList<QByteArray>>(
        fixed(Commands::uidl()), [](const Reply &reply, const UidMap &) -> Result<QList<QByteArray>> {
            // Already checked by the session when it refreshed the map.
            const Result<QMap<int, QByteArray>> uids = Responses::uidl(reply);
            if (!uids)
                return uids.error();
            return uids->values();
        });
    operation.refreshesUidMap = true;
    submit(std::move(operation));
    return future;
}

// Any thread.
QFuture<QByteArray> Pop3Connection::top(const QByteArray &uid, int lines)
{
    auto [operation, future] = valueOperation<QByteArray>(
        [uid, lines](const UidMap &map) {
            return forUid(map, uid, [lines](int number) { return Commands::top(number, lines); });
        },
        [](const Reply &reply, const UidMap &) { return Result<QByteArray>(reply.payload); });
    submit(std::move(operation));
    return future;
}

// Any thread.
QFuture<QByteArray> Pop3Connection::retrieve(const QByteArray &uid)
{
    auto [operation, future] = valueOperation<QByteArray>(
        [uid](const UidMap &map) { return forUid(map, uid, [](int number) { return Commands::retr(number); }); },
        [](const Reply &reply, const UidMap &) { return Result<QByteArray>(reply.payload); });
    submit(std::move(operation));
    return future;
}

// Any thread.
QFuture<qint64> Pop3Connection::retrieveTo(const QByteArray &uid, QIODevice *device)
{
    Q_ASSERT(device);
    return retrieveTo(uid, [device](const QByteArray &chunk) {
        if (device->write(chunk) != chunk.size())
            return Error(ErrorCode::Io, QStringLiteral("could not store the message: ") + device->errorString());
        return Error();
    });
}

// Any thread.
QFuture<qint64> Pop3Connection::retrieveTo(const QByteArray &uid, ChunkSink sink)
{
    auto written = std::make_shared<qint64>(0); // touched only in the I/O thread
    auto [operation, future] = valueOperation<qint64>(
        [uid](const UidMap &map) {
            return forUid(map, uid, [](int number) {
                Result<Command> command = Commands::retr(number);
                if (command)
                    command.value().expect = Expect::MessageStreamed;
                return command;
            });
        },
        [written](const Reply &, const UidMap &) { return Result<qint64>(*written); });
    operation.chunk = [sink = std::move(sink), written](const QByteArray &chunk) {
        const Error error = sink(chunk);
        if (!error.isError())
            *written += chunk.size();
        return error;
    };
    submit(std::move(operation));
    return future;
}

// Any thread.
QFuture<void> Pop3Connection::dele(const QByteArray &uid)
{
    auto [operation, future] = voidOperation(
        [uid](const UidMap &map) { return forUid(map, uid, [](int number) { return Commands::dele(number); }); });
    operation.marksDeleted = true;
    submit(std::move(operation));
    return future;
}

// Any thread.
QFuture<void> Pop3Connection::rset()
{
    auto [operation, future] = voidOperation(fixed(Commands::rset()));
    operation.unmarksAll = true;
    submit(std::move(operation));
    return future;
}

// Any thread.
QFuture<void> Pop3Connection::noop()
{
    auto [operation, future] = voidOperation(fixed(Commands::noop()));
    submit(std::move(operation));
    return future;
}

// Any thread.
QFuture<void> Pop3Connection::quit()
{
    auto [operation, future] = voidOperation(fixed(Commands::quit()));
    operation.barrier = true;
    operation.quits = true;
    submit(std::move(operation));
    return future;
}

} // namespace mailcore::pop3
