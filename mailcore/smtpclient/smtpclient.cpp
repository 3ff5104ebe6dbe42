// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/smtpclient/smtpclient.h"

#include <QSet>

#include <deque>

#include "mailcore/base/logging.h"
#include "mailcore/client/engine.h"
#include "mailcore/net/transport.h"
#include "mailcore/smtp/connection.h"

namespace mailcore {

using namespace mailcore::smtp;

namespace {

/// An SmtpConnection as the pool sees it.
SmtpConnection &smtpOf(client::Connection &c) { return pool::protocolOf<SmtpConnection>(c); }

Envelope envelopeOf(const SmtpMessage &message)
{
    Envelope envelope;
    envelope.from = message.from;
    envelope.recipients = message.recipients;
    envelope.message = message.data;
    envelope.smtpUtf8 = message.smtpUtf8;
    envelope.allowLongLines = message.allowLongLines;
    return envelope;
}

SmtpSendResult resultOf(const SendResult &sent)
{
    SmtpSendResult out;
    for (const RecipientResult &r : sent.recipients) {
        out.recipients << SmtpRecipientResult{
            r.address, r.isAccepted(), r.reply.code, r.reply.enhancedText(), QString::fromUtf8(r.reply.text()),
            r.error()};
    }
    out.code = sent.dataReply.code;
    out.text = QString::fromUtf8(sent.dataReply.text());
    return out;
}

/// One message on its way: where it was in the caller's list, and the flag the
/// session sets when its bytes go on the wire.
struct Outgoing {
    int index = 0;
    SmtpMessage message;
};

/// A message whose transaction failed.
struct Failed {
    Outgoing outgoing;
    Error error;
    /// B06: the connection died before the payload was written, so the server
    /// has nothing: it may be sent again on another connection.
    bool mayResend = false;
};

/// Waits for one send; the caller is a task or user thread.
bool connectionLost(client::Connection &c, const Error &error)
{
    return !c.isUsable() && error.code() != ErrorCode::Cancelled;
}

/// Sends `batch` on one connection, keeping one transaction queued behind the
/// running one so the next MAIL FROM follows the last reply at once. `report`
/// gets each message that was delivered or failed for good; the ones that may
/// be sent again (B06) come back.
QList<Failed> sendAllOn(client::Connection &c, const QList<Outgoing> &batch,
                        const std::function<void(const SmtpBatchItem &)> &report,
                        const std::function<bool()> &cancelled)
{
    struct InFlight {
        Outgoing outgoing;
        QFuture<SendResult> future;
        std::shared_ptr<std::atomic<bool>> written;
    };
    constexpr int kQueued = 2;
    std::deque<InFlight> inFlight;
    QList<Failed> again;
    qsizetype next = 0;
    while (next < batch.size() || !inFlight.empty()) {
        while (next < batch.size() && int(inFlight.size()) < kQueued) {
            const Outgoing &outgoing = batch.at(next++);
            if (cancelled && cancelled()) {
                report(
                    {outgoing.index, {}, Error(ErrorCode::Cancelled, QStringLiteral("cancelled before it was sent"))});
                continue;
            }
            auto written = std::make_shared<std::atomic<bool>>(false);
            inFlight.push_back({outgoing, smtpOf(c).send(envelopeOf(outgoing.message), written), written});
        }
        if (inFlight.empty())
            break;
        InFlight current = std::move(inFlight.front());
        inFlight.pop_front();
        try {
            report({current.outgoing.index, resultOf(client::await(current.future)), {}});
        } catch (const MailException &e) {
            const bool mayResend = connectionLost(c, e.error()) && !*current.written;
            if (mayResend)
                again << Failed{current.outgoing, e.error(), true};
            else
                report({current.outgoing.index, {}, e.error()});
        }
    }
    return again;
}

/// One message on `c`. A failure before its bytes went out left nothing at
/// the server: the error is marked not sent, so the engine sends the message
/// once more on a new connection (B06, client::Retry::IfNotSent).
SmtpSendResult sendOneOn(client::Connection &c, const SmtpMessage &message)
{
    auto written = std::make_shared<std::atomic<bool>>(false);
    try {
        return resultOf(client::await(smtpOf(c).send(envelopeOf(message), written)));
    } catch (const MailException &e) {
        if (connectionLost(c, e.error()) && !*written) {
            qCInfo(log::smtp) << "connection lost before the message was sent; it goes on a new one:"
                              << e.error().toString();
            throw MailException(e.error().asNotSent());
        }
        throw;
    }
}

struct BulkSend {
    QPromise<SmtpBatchItem> promise;
    std::mutex mutex; // addResult from several task threads
    QSet<int> reported;
    std::atomic<int> remaining{0};

    void report(const SmtpBatchItem &item)
    {
        std::lock_guard lock(mutex);
        if (reported.contains(item.index))
            return;
        reported.insert(item.index);
        promise.addResult(item);
    }
    /// Every message of the chunk gets an item, even when the chunk never ran.
    void chunkDone(const QList<Outgoing> &chunk, const Error &error)
    {
        for (const Outgoing &outgoing : chunk)
            report(
                {outgoing.index, {}, error.isError() ? error : Error(ErrorCode::Internal, QStringLiteral("not sent"))});
        if (--remaining == 0)
            promise.finish();
    }
};

constexpr int kMinChunk = 5; // below this, another connection's handshake costs more than it saves

} // namespace

SmtpClient::SmtpClient(Endpoint endpoint, QString user, QString password, QObject *parent, TransportFactory transports)
    : CredentialsByHostClient(
        client::makeEngine<SmtpConnection, SessionSettings>(endpoint, user, password, std::move(transports)), parent)
{
}

Error SmtpClient::checkLogin()
{
    // A connection is handed out only once it is logged in: having one is the answer.
    return engine().runSyncVoid(client::Retry::Never, [](client::Connection &) {});
}

/// Synchronous: the caller's connection (S10, S11); asynchronous: an extra (S15).
static client::Operation<SmtpSendResult> sendMessageOp(const SmtpMessage &message)
{
    return {pool::Work::Long, {}, client::Retry::IfNotSent, [message](client::Connection &c) {
                return sendOneOn(c, message);
            }};
}
Result<SmtpSendResult> SmtpClient::sendMessage(const SmtpMessage &message)
{
    return engine().wait(sendMessageOp(message));
}
QFuture<SmtpSendResult> SmtpClient::sendMessageAsync(const SmtpMessage &message)
{
    return engine().start(sendMessageOp(message));
}

Result<QList<SmtpBatchItem>> SmtpClient::sendMessages(const QList<SmtpMessage> &messages)
{
    QList<Outgoing> batch;
    for (int i = 0; i < messages.size(); ++i)
        batch << Outgoing{i, messages.at(i)};
    QList<SmtpBatchItem> items;
    const auto report = [&items](const SmtpBatchItem &item) { items << item; };
    QList<Failed> again;
    const Error error = engine().runSyncVoid(client::Retry::Never,
                                             [&](client::Connection &c) { again = sendAllOn(c, batch, report, {}); });
    if (error.isError())
        return error; // no connection at all: nothing was tried
    if (!again.isEmpty()) {
        QList<Outgoing> retry;
        for (const Failed &f : again)
            retry << f.outgoing;
        QList<Failed> still;
        const Error retryError = engine().runSyncVoid(
            client::Retry::Never, [&](client::Connection &c) { still = sendAllOn(c, retry, report, {}); });
        if (retryError.isError()) {
            for (const Outgoing &o : retry)
                items << SmtpBatchItem{o.index, {}, retryError};
        }
        for (const Failed &f : still)
            items << SmtpBatchItem{f.outgoing.index, {}, f.error};
    }
    return items;
}

QFuture<SmtpBatchItem> SmtpClient::sendMessagesAsync(const QList<SmtpMessage> &messages)
{
    auto bulk = std::make_shared<BulkSend>();
    bulk->promise.start();
    QFuture<SmtpBatchItem> future = bulk->promise.future();
    if (messages.isEmpty()) {
        bulk->promise.finish();
        return future;
    }
    // B03: as many chunks as there are extra connections, but not so many that
    // each is smaller than kMinChunk.
    const int extras = std::max(1, maxConnectionsPerServer() - 1);
    const int chunks = int(std::clamp<qsizetype>(messages.size() / kMinChunk, 1, extras));
    bulk->remaining = chunks;
    for (int i = 0; i < chunks; ++i) {
        QList<Outgoing> part;
        const qsizetype from = messages.size() * i / chunks;
        const qsizetype to = messages.size() * (i + 1) / chunks;
        for (qsizetype j = from; j < to; ++j)
            part << Outgoing{int(j), messages.at(j)};
        engine()
            .runTask<bool>(
                pool::Work::Long, {}, {},
                [this, bulk, part](client::Connection &c) {
                    const auto report = [bulk](const SmtpBatchItem &item) { bulk->report(item); };
                    const auto cancelled = [bulk] { return bulk->promise.isCanceled(); };
                    const QList<Failed> again = sendAllOn(c, part, report, cancelled);
                    if (again.isEmpty())
                        return true;
                    // B06: what never reached the wire goes again, on the main connection.
                    QList<Outgoing> retry;
                    for (const Failed &f : again)
                        retry << f.outgoing;
                    qCInfo(log::smtp) << "connection lost;" << retry.size() << "unsent message(s) go on a new one";
                    QList<Failed> still;
                    const Error error = engine().runSyncVoid(client::Retry::Never, [&](client::Connection &other) {
                        still = sendAllOn(other, retry, report, cancelled);
                    });
                    for (const Failed &f : still)
                        report({f.outgoing.index, {}, f.error});
                    if (error.isError())
                        throw MailException(error);
                    return true;
                })
            .then([bulk, part](QFuture<bool> done) {
                Error error;
                try {
                    done.waitForFinished();
                } catch (const MailException &e) {
                    error = e.error();
                }
                bulk->chunkDone(part, error); // an item for each message not reported yet
            });
    }
    return future;
}

} // namespace mailcore
