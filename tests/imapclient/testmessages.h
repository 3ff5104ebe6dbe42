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
    return "From: " + from + "\r\n"
           "To: Bob <bob@example.org>\r\n"
           "Cc: carol@example.org\r\n"
           "Subject: " + subject + "\r\n"
           "Date: Tue, 03 Nov 2026 10:15:00 +0100\r\n"
           "Message-ID: <" + subject.toLower().replace(' ', '-') + "@example.org>\r\n"
           "MIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=utf-8\r\n"
           "\r\n" + body;
}

} // namespace tandem::test
