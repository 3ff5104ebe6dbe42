// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/smtp/preparedmessage.h"

#include "mailcore/smtp/dataencoder.h"

namespace mailcore::smtp {

namespace {

bool isAscii(const QString &text)
{
    for (QChar c : text) {
        if (c.unicode() >= 0x80)
            return false;
    }
    return true;
}

// RFC 1870 counts the message as sent after "354" without the doubled dots and
// without the terminating ".": subtract both from the encoded payload.
qint64 rfc1870Size(const QByteArray &payload)
{
    qint64 stuffed = payload.startsWith("..") ? 1 : 0;
    for (qsizetype at = payload.indexOf("\r\n."); at >= 0; at = payload.indexOf("\r\n.", at + 3)) {
        if (at != payload.size() - 5) // every other line starting with "." was stuffed
            ++stuffed;
    }
    return payload.size() - 3 - stuffed;
}

} // namespace

Result<PreparedMessage> PreparedMessage::prepare(const Envelope &envelope)
{
    if (envelope.recipients.isEmpty())
        return Error(ErrorCode::BadArgument, QStringLiteral("a message needs at least one recipient"));
    PreparedMessage prepared;
    prepared.from = envelope.from;
    prepared.recipients = envelope.recipients;
    bool utf8 = envelope.smtpUtf8 || !isAscii(envelope.from);
    for (const QString &recipient : envelope.recipients)
        utf8 = utf8 || !isAscii(recipient);
    for (const QString &recipient : envelope.recipients) {
        Result<Command> rcpt = Commands::rcptTo(recipient, utf8);
        if (!rcpt)
            return rcpt.error();
        prepared.rcptCommands << rcpt.value();
    }
    if (!envelope.from.isEmpty()) {
        if (const Error error = Commands::checkAddress(envelope.from, utf8); error.isError())
            return error;
    }

    DataEncoder encoder;
    prepared.payload.reserve(envelope.message.size() + envelope.message.size() / 32 + 8);
    encoder.encode(envelope.message, prepared.payload);
    prepared.payload += encoder.finish();
    if (encoder.hasNul())
        return Error(ErrorCode::BadArgument,
                     QStringLiteral("the message contains NUL octets, which SMTP DATA cannot carry"));
    if (!envelope.allowLongLines && encoder.error().isError())
        return encoder.error();
    prepared.options.size = rfc1870Size(prepared.payload);
    prepared.options.eightBitMime = encoder.hasEightBitData();
    prepared.options.smtpUtf8 = utf8;
    return prepared;
}

} // namespace mailcore::smtp
