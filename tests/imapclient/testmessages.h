// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Messages the ImapClient tests append, built here so every expected value
// (bytes, headers, parts) is known exactly.

#include <QByteArray>
#include <QString>

namespace tandem::test {

/// A plain text message with CRLF line ends (what IMAP returns byte for byte).
inline QByteArray textMessage(const QByteArray &subject, const QByteArray &from = "Alice Example <alice@example.org>",
                              const QByteArray &body = "Hello.\r\n")
{
    return "From: " + from
        + "\r\n"
          "To: Bob <bob@example.org>\r\n"
          "Cc: carol@example.org\r\n"
          "Subject: "
        + subject
        + "\r\n"
          "Date: Tue, 03 Nov 2026 10:15:00 +0100\r\n"
          "Message-ID: <"
        + subject.toLower().replace(' ', '-')
        + "@example.org>\r\n"
          "MIME-Version: 1.0\r\n"
          "Content-Type: text/plain; charset=utf-8\r\n"
          "\r\n"
        + body;
}

/// A plain text message for the sort tests: each header a sort key reads is
/// given, and `bodyBytes` pads it to a size of its own.
inline QByteArray sortableMessage(const QByteArray &subject, const QByteArray &from, const QByteArray &date,
                                  int bodyBytes)
{
    return "From: " + from
        + "\r\n"
          "To: bob@example.org\r\n"
          "Subject: "
        + subject
        + "\r\n"
          "Date: "
        + date
        + "\r\n"
          "MIME-Version: 1.0\r\n"
          "Content-Type: text/plain; charset=us-ascii\r\n"
          "\r\n"
        + QByteArray(bodyBytes, 'x') + "\r\n";
}

} // namespace tandem::test

namespace tandem::test {

/// The attachment of attachmentMessage(): bytes that are not text.
inline QByteArray attachmentBytes()
{
    QByteArray bytes;
    for (int i = 0; i < 3000; ++i)
        bytes += char((i * 37 + 11) % 256);
    return bytes;
}

/// The attachment as the message carries it: base64 in lines of 76, CRLF
/// between them; what BODY[2] returns (the CRLF before the boundary belongs to it).
inline QByteArray attachmentBase64()
{
    const QByteArray b64 = attachmentBytes().toBase64();
    QByteArray out;
    for (qsizetype i = 0; i < b64.size(); i += 76) {
        if (i > 0)
            out += "\r\n";
        out += b64.mid(i, 76);
    }
    return out;
}

inline const QByteArray kAttachmentText = "See the attached file.\r\n";

/// multipart/mixed: a text part (section 1) and a binary attachment with an
/// RFC 2231 encoded non-ASCII file name (section 2); RFC 2047 encoded subject
/// and sender name; an In-Reply-To.
inline QByteArray attachmentMessage()
{
    return "From: =?iso-8859-1?Q?Andr=E9_Lef=E8vre?= <andre@example.org>\r\n"
           "To: Bob <bob@example.org>, Carol <carol@example.org>\r\n"
           "Cc: Dave <dave@example.org>\r\n"
           "Subject: =?utf-8?B?"
        + QStringLiteral("Grüße mit Anhang").toUtf8().toBase64()
        + "?=\r\n"
          "Date: Wed, 04 Nov 2026 08:30:00 -0500\r\n"
          "Message-ID: <with-attachment@example.org>\r\n"
          "In-Reply-To: <earlier@example.org>\r\n"
          "MIME-Version: 1.0\r\n"
          "Content-Type: multipart/mixed; boundary=\"b0undary\"\r\n"
          "\r\n"
          "--b0undary\r\n"
          "Content-Type: text/plain; charset=utf-8\r\n"
          "Content-Transfer-Encoding: 7bit\r\n"
          "\r\n"
        + kAttachmentText
        + "\r\n"
          "--b0undary\r\n"
          "Content-Type: application/pdf; name=\"resume.pdf\"\r\n"
          "Content-Transfer-Encoding: base64\r\n"
          "Content-Disposition: attachment; filename*=utf-8''r%C3%A9sum%C3%A9.pdf\r\n"
          "\r\n"
        + attachmentBase64()
        + "\r\n"
          "--b0undary--\r\n";
}

/// A text message of about `bytes` bytes (lines of 64), for streamed fetches.
inline QByteArray largeMessage(qsizetype bytes)
{
    QByteArray m = textMessage("large", "Alice <alice@example.org>", {});
    for (int line = 0; m.size() < bytes; ++line)
        m += QByteArray::number(line).rightJustified(8, '0')
            + " the quick brown fox jumps over the lazy dog again.\r\n";
    return m;
}

} // namespace tandem::test
