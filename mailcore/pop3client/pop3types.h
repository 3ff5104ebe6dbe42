// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QList>

namespace mailcore {

/// What STAT says about a POP3 maildrop: the messages not marked deleted.
struct Pop3MailboxInfo {
    int messageCount = 0; ///< messages not marked deleted
    qint64 totalSize = 0; ///< octets, as the server counts them (CR LF line ends)
    /// Member by member.
    friend bool operator==(const Pop3MailboxInfo &, const Pop3MailboxInfo &) = default;
};

/// One message of a POP3 maildrop. The UIDL id is how every Pop3Client call
/// names a message; message numbers never leave a connection (S16 in docs/POOL.md).
struct Pop3MessageInfo {
    QByteArray uid;  ///< the server's unique id (UIDL), stable across sessions
    qint64 size = 0; ///< octets, as the server counts them
    /// Member by member.
    friend bool operator==(const Pop3MessageInfo &, const Pop3MessageInfo &) = default;
};

/// One message of a bulk fetch, as it arrives.
struct Pop3FetchedMessage {
    QByteArray uid;  ///< the UIDL id it was asked for by
    QByteArray data; ///< the message exactly as the server stores it
};

} // namespace mailcore
