// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include "mailcore/base/error.h"

namespace mailcore {

/// One message to send: the envelope and the message's bytes.
struct SmtpMessage {
    /// The reverse path (MAIL FROM); empty for the null path "<>" (bounces).
    QString from;
    /// The forward paths (RCPT TO), bare addresses; each gets an SmtpRecipientResult.
    QStringList recipients;
    /// The RFC 5322 message as it should arrive: LF or CR LF line ends, not
    /// dot-stuffed (the connection does both on the wire).
    QByteArray data;
    /// The headers need SMTPUTF8 (RFC 6531); set automatically for non-ASCII addresses.
    bool smtpUtf8 = false;
    /// Lines over 998 octets are refused (Limit) unless this is set: breaking
    /// them would change the message.
    bool allowLongLines = false;
};

/// The server's answer to one recipient (RCPT TO).
struct SmtpRecipientResult {
    QString address;       ///< as given in SmtpMessage::recipients
    bool accepted = false; ///< the server took it (2xx to RCPT TO)
    int code = 0;          ///< the reply code (250, 550...)
    QByteArray enhanced;   ///< the enhanced status code ("5.1.1"), empty when the server gave none
    QString text;          ///< the server's text, for the user
    Error error;           ///< none when accepted; else ServerRefused, Limit...
};

/// The outcome of one message that the server took for at least one recipient.
struct SmtpSendResult {
    QList<SmtpRecipientResult> recipients; ///< one per recipient, in the order given
    int code = 0;                          ///< the reply to the end of data (250)
    QString text;                          ///< the server's text of that reply (often a queue id)

    /// The recipients the server did not accept, in the order given.
    QList<SmtpRecipientResult> refused() const
    {
        QList<SmtpRecipientResult> out;
        for (const SmtpRecipientResult &r : recipients) {
            if (!r.accepted)
                out << r;
        }
        return out;
    }
};

/// One message of SmtpClient::sendMessages(): which one (its index in the
/// list given), and either its result or why nothing was delivered.
struct SmtpBatchItem {
    int index = 0;         ///< the message's position in the list given
    SmtpSendResult result; ///< valid when !error.isError()
    Error error;           ///< why nothing of this message was delivered; no error when it was
};

} // namespace mailcore
