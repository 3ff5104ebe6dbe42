// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QList>
#include <QString>

#include "mailcore/smtp/reply.h"

namespace mailcore::smtp {

/// The server's answer to one RCPT TO. The connection records one per recipient,
/// so a refused address is reported on its own while the message still goes to
/// the others.
struct RecipientResult {
    QString address;
    Reply reply;

    bool isAccepted() const { return reply.isPositive(); }
    /// None when accepted; otherwise the reply's error (ServerRefused, Limit...).
    Error error() const { return reply.toError(); }
};

/// The outcome of one message transaction.
struct SendResult {
    QList<RecipientResult> recipients;
    /// The reply after the final "." (or to DATA, when DATA itself was refused).
    Reply dataReply;

    /// The server took responsibility for the message for at least one recipient.
    bool isDelivered() const
    {
        if (!dataReply.isPositive())
            return false;
        for (const RecipientResult &r : recipients) {
            if (r.isAccepted())
                return true;
        }
        return false;
    }

    QList<RecipientResult> refused() const
    {
        QList<RecipientResult> result;
        for (const RecipientResult &r : recipients) {
            if (!r.isAccepted())
                result.append(r);
        }
        return result;
    }
};

} // namespace mailcore::smtp
