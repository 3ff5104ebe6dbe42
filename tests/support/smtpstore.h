// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

namespace tandem::test {

class KitEnv;

/// The kit's SMTP store (tools/testkit/smtp_server.py): every message the kit's
/// SMTP server accepted, byte for byte, in new/NNNNNN.eml, and the envelope it
/// came with in envelopes/NNNNNN.json. The server replies before it writes
/// the file: the waiting calls probe until the message is there.
class SmtpStore
{
public:
    struct Message {
        QString fileName; ///< NNNNNN.eml
        QByteArray bytes;
    };

    explicit SmtpStore(const KitEnv &kit);

    /// Every stored message, in the order they came.
    QList<Message> messages() const;
    /// The file names in new/, now.
    QStringList fileNames() const;
    /// The stored messages whose bytes name this Message-ID ("<id>").
    QList<Message> withMessageId(const QString &id) const;
    /// withMessageId(), as soon as there is one (empty after `timeoutMs`).
    QList<Message> waitForMessageId(const QString &id, int timeoutMs = 10000) const;
    /// The first stored message whose bytes `matches`, as soon as there is one
    /// (other tests may send to the same store meanwhile); an empty one after
    /// `timeoutMs`.
    Message waitForMessage(const std::function<bool(const QByteArray &)> &matches, int timeoutMs = 10000) const;
    /// The envelope stored with a message: mail_from, rcpt_tos.
    QJsonObject envelopeOf(const Message &message) const;

private:
    QString m_root;
};

/// Dovecot's submission service prepends its Received: trace field (RFC 5321
/// §4.4 asks a relay to); what follows it must be the sent bytes exactly.
QByteArray withoutOneReceivedField(const QByteArray &stored);

} // namespace tandem::test
