// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <functional>
#include <memory>

#include <QFuture>

#include "mailcore/base/result.h"
#include "mailcore/client/credentialsbyhostclient.h"
#include "mailcore/smtpclient/smtptypes.h"

namespace mailcore {

/// A pooled SMTP client: any number of threads may send at once; messages are
/// queued, never refused as busy. Each operation has a synchronous form (runs
/// on the calling thread's own connection if it made one with
/// createConnection(), else on the main one, S10/S11) and an asynchronous one
/// (a task that gets an extra connection, S15; cancelling it before the
/// message is handed to its connection means it is never sent).
///
/// **Per-recipient results.** A message the server took for at least one
/// recipient succeeds, and SmtpSendResult::refused() names the others. When
/// nothing was delivered (every recipient refused, the message refused, the
/// connection lost) the operation fails with the reason.
///
/// **Never sent twice (B06).** A message whose connection drops before its
/// bytes went on the wire (at the greeting, EHLO, AUTH, MAIL, RCPT, or waiting
/// in the queue) is sent once more on a new connection: the server had nothing
/// to deliver. Once DATA's payload was written, a failure is reported ("may
/// have been delivered and is not re-sent") and the message is never repeated.
class MAILCORE_EXPORT SmtpClient : public CredentialsByHostClient
{
    Q_OBJECT

public:
    /// `user` empty: no AUTH (a relay that trusts the network).
    SmtpClient(Endpoint endpoint, QString user, QString password, QObject *parent = nullptr,
               TransportFactory transports = {});
    // No destructor of its own: SmtpClient holds no state, so the base's
    // dispose() comes early enough.

    /// Connects and logs in (greeting, EHLO, STARTTLS when the endpoint asks
    /// for it, AUTH) and sends nothing: what a set-up dialog tries before it
    /// keeps an account. No error when the server took the login.
    Error checkLogin();

    /// Sends one message. Bad addresses, NUL or over-long lines fail with
    /// BadArgument/Limit before anything is sent.
    Result<SmtpSendResult> sendMessage(const SmtpMessage &message);
    /// The asynchronous form of sendMessage(): long work, on an extra connection
    /// when the limit allows (S15).
    QFuture<SmtpSendResult> sendMessageAsync(const SmtpMessage &message);

    /// Sends many messages, one item per message (in completion order; `index`
    /// says which). The synchronous form queues them all on the calling
    /// thread's connection, back to back; the error is only for when no
    /// connection could be had at all. The asynchronous form (B03) splits them
    /// into chunks over as many connections as the limit allows, each chunk
    /// queued on its connection; every message gets exactly one item, and the
    /// future itself never fails. Cancelling it stops handing messages over
    /// (the one or two already queued on each connection still go).
    Result<QList<SmtpBatchItem>> sendMessages(const QList<SmtpMessage> &messages);
    /// The asynchronous form of sendMessages(): one result per message, in
    /// completion order (see above).
    QFuture<SmtpBatchItem> sendMessagesAsync(const QList<SmtpMessage> &messages);
};

} // namespace mailcore
