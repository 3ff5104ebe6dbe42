// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QDate>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <optional>

#include "mailcore/mime/types.h"

namespace mailcore {

/// What a folder is for, from the server's special-use flags (RFC 6154).
enum class FolderRole { None, Inbox, Sent, Drafts, Trash, Junk, Archive, All, Flagged };

struct FolderInfo {
    QString name;    ///< full name, decoded (e.g. "Archive/2026")
    QChar delimiter; ///< hierarchy delimiter; null when the server has none
    FolderRole role = FolderRole::None;
    bool selectable = true;
    bool subscribed = false;
    QList<QByteArray> flags; ///< as the server sent them
    /// Counts from LIST-STATUS (one command) or STATUS per folder; unset for
    /// folders that cannot be selected.
    std::optional<quint32> messages;
    std::optional<quint32> unseen;
    friend bool operator==(const FolderInfo &, const FolderInfo &) = default;
};

struct FolderStatus {
    quint32 messages = 0;
    quint32 unseen = 0;
    quint32 uidNext = 0;
    quint32 uidValidity = 0;
    friend bool operator==(const FolderStatus &, const FolderStatus &) = default;
};

/// One leaf part of a message's MIME tree, from the server's BODYSTRUCTURE.
/// Multipart containers are not listed; an attached message (message/rfc822)
/// is one part, its own parts are not listed.
struct MessagePart {
    QByteArray section;  ///< IMAP section number ("1", "2.1"): what ImapClient::fetchPart() takes
    QString mimeType;    ///< lower case "type/subtype"
    QByteArray charset;  ///< as declared; empty if none
    QByteArray encoding; ///< Content-Transfer-Encoding, lower case ("base64", "7bit")
    quint64 size = 0;    ///< encoded size in bytes, as the server counts it
    QString fileName;    ///< decoded (RFC 2231 / RFC 2047); empty if none
    mime::Disposition disposition = mime::Disposition::Unspecified;
    QString contentId; ///< without angle brackets; empty if none

    /// A file the user would save, as opposed to text to show or an inline image.
    bool isAttachment() const
    {
        return disposition == mime::Disposition::Attachment || mimeType == QLatin1String("message/rfc822")
            || (disposition == mime::Disposition::Unspecified && !fileName.isEmpty());
    }
    friend bool operator==(const MessagePart &, const MessagePart &) = default;
};

/// One row of a message list: cheap to fetch for many messages at once
/// (flags, size, dates, the address and subject headers, BODYSTRUCTURE).
struct MessageSummary {
    quint32 uid = 0;
    QList<QByteArray> flags;
    quint64 size = 0;
    QDateTime internalDate;
    // Decoded (RFC 2047, charsets) by the MIME layer from the header fields.
    QString subject;
    QList<mime::MailAddress> from;
    QList<mime::MailAddress> to;
    QList<mime::MailAddress> cc;
    QDateTime date;    ///< the Date: header, with the sender's offset; invalid if absent
    QString messageId; ///< without angle brackets
    QString inReplyTo; ///< the first id, without angle brackets
    QList<MessagePart> parts;

    bool hasAttachments() const
    {
        return std::any_of(parts.cbegin(), parts.cend(), [](const MessagePart &p) { return p.isAttachment(); });
    }
    friend bool operator==(const MessageSummary &, const MessageSummary &) = default;
};

/// One page of a folder, newest first, and how many messages the folder held.
struct MessagePage {
    QList<MessageSummary> messages;
    quint32 total = 0;
    friend bool operator==(const MessagePage &, const MessagePage &) = default;
};

/// How a download (ImapClient::downloadMessagesAsync) ended.
struct BulkDownload {
    int delivered = 0; ///< messages handed to the sink
    int missing = 0;   ///< UIDs asked for that the server no longer had (expunged meanwhile)
    friend bool operator==(const BulkDownload &, const BulkDownload &) = default;
};

/// One message of a bulk fetch: its UID and raw RFC 5322 bytes.
struct FetchedMessage {
    quint32 uid = 0;
    QByteArray data;
    friend bool operator==(const FetchedMessage &, const FetchedMessage &) = default;
};

/// A message to append: its raw RFC 5322 bytes, flags, and optionally the
/// internal date (the server's "received" date; now when invalid).
struct NewMessage {
    QByteArray data;
    QList<QByteArray> flags;
    QDateTime internalDate;
    friend bool operator==(const NewMessage &, const NewMessage &) = default;
};

/// Server-side search criteria, all of which must match (an empty criteria
/// matches every message). Text matches are the server's: case-insensitive
/// substrings of the header or text named.
struct SearchCriteria {
    QString text; ///< anywhere in the header or body
    QString from;
    QString to;
    QString subject;
    QDate since;                ///< internal date on or after; invalid: not used
    QDate before;               ///< internal date before; invalid: not used
    QList<QByteArray> flagsSet; ///< "\\Seen", "\\Flagged", ... or keywords
    QList<QByteArray> flagsUnset;
    std::optional<quint64> largerThan; ///< RFC822.SIZE, bytes
    std::optional<quint64> smallerThan;
    friend bool operator==(const SearchCriteria &, const SearchCriteria &) = default;
};

/// What a folder can be sorted by on the server (RFC 5256 sort keys).
/// Arrival is the internal date, Date the Date: header, From the first
/// sender's mailbox, Subject the base subject ("Re: " etc. stripped), Size
/// RFC822.SIZE; ties are in UID order (the server's sequence order).
/// DisplayFrom: the sender as a list shows it, the display name (else the
/// address; RFC 5957 DISPLAYFROM); on a server without SORT=DISPLAY, From.
enum class SortKey { Arrival, Date, From, Subject, Size, DisplayFrom };

} // namespace mailcore
