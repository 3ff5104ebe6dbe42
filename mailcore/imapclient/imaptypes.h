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
enum class FolderRole {
    None,    ///< an ordinary folder
    Inbox,   ///< INBOX (by its name, which IMAP reserves)
    Sent,    ///< `\Sent`: messages sent
    Drafts,  ///< `\Drafts`: messages being written
    Trash,   ///< `\Trash`: deleted messages
    Junk,    ///< `\Junk`: spam
    Archive, ///< `\Archive`: archived messages
    All,     ///< `\All`: a virtual folder of every message
    Flagged  ///< `\Flagged`: a virtual folder of the flagged messages
};

/// One folder of ImapClient::listFolders(): its name, what it is for and,
/// when it can be selected, its counts.
struct FolderInfo {
    QString name;    ///< full name, decoded (e.g. "Archive/2026")
    QChar delimiter; ///< hierarchy delimiter; null when the server has none
    /// From the special-use flags, or Inbox; on a server that marks no
    /// folder, from the usual names ("Sent", "INBOX.Trash", "Deleted Items"...).
    FolderRole role = FolderRole::None;
    bool selectable = true;  ///< false for `\Noselect` and `\NonExistent`: a node of the tree only
    bool subscribed = false; ///< in the user's subscription list
    QList<QByteArray> flags; ///< as the server sent them
    /// Counts from LIST-STATUS (one command) or STATUS per folder; unset for
    /// folders that cannot be selected.
    std::optional<quint32> messages;
    std::optional<quint32> unseen; ///< messages without `\Seen`; unset like messages
    /// Member by member.
    friend bool operator==(const FolderInfo &, const FolderInfo &) = default;
};

/// What STATUS says about one folder (ImapClient::folderStatus()); a value the
/// server leaves out is 0.
struct FolderStatus {
    quint32 messages = 0;    ///< messages in the folder
    quint32 unseen = 0;      ///< messages without `\Seen`
    quint32 uidNext = 0;     ///< the next message's UID will be this or higher
    quint32 uidValidity = 0; ///< when it changes, every UID known of the folder is void
    /// Member by member.
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
    mime::Disposition disposition = mime::Disposition::Unspecified; ///< Content-Disposition
    QString contentId;                                              ///< without angle brackets; empty if none

    /// A file the user would save, as opposed to text to show or an inline image.
    bool isAttachment() const
    {
        return disposition == mime::Disposition::Attachment || mimeType == QLatin1String("message/rfc822")
            || (disposition == mime::Disposition::Unspecified && !fileName.isEmpty());
    }
    /// Member by member.
    friend bool operator==(const MessagePart &, const MessagePart &) = default;
};

/// One row of a message list: cheap to fetch for many messages at once
/// (flags, size, dates, the address and subject headers, BODYSTRUCTURE).
struct MessageSummary {
    quint32 uid = 0;         ///< the message's UID in its folder
    QList<QByteArray> flags; ///< "\\Seen", "\\Flagged", keywords...; never `\Recent` (it means nothing in a pool)
    quint64 size = 0;        ///< RFC822.SIZE: the whole message in bytes, as the server counts them
    QDateTime internalDate;  ///< when the server received it
    // Decoded (RFC 2047, charsets) by the MIME layer from the header fields.
    QString subject;               ///< decoded; empty if absent
    QList<mime::MailAddress> from; ///< the From: header, decoded
    QList<mime::MailAddress> to;   ///< the To: header, decoded
    QList<mime::MailAddress> cc;   ///< the Cc: header, decoded
    QDateTime date;                ///< the Date: header, with the sender's offset; invalid if absent
    QString messageId;             ///< without angle brackets
    QString inReplyTo;             ///< the first id, without angle brackets
    QStringList references;        ///< References: message ids, oldest first, without angle brackets
    QList<MessagePart> parts;      ///< the leaf parts, from BODYSTRUCTURE

    /// Takes the header fields a summary shows (subject, From, To, Cc, Date,
    /// Message-ID, In-Reply-To, References) from a decoded header block.
    void setHeaders(const mime::MessageHeaders &h)
    {
        subject = h.subject;
        from = h.from;
        to = h.to;
        cc = h.cc;
        date = h.date;
        messageId = h.messageId;
        inReplyTo = h.inReplyTo;
        references = h.references;
    }
    /// True when a part is a file the user would save (MessagePart::isAttachment()).
    bool hasAttachments() const
    {
        return std::any_of(parts.cbegin(), parts.cend(), [](const MessagePart &p) { return p.isAttachment(); });
    }
    /// Member by member.
    friend bool operator==(const MessageSummary &, const MessageSummary &) = default;
};

/// What a local copy knew of a folder when it last synced: what
/// ImapClient::folderChanges() compares the server with.
struct SyncState {
    quint32 uidValidity = 0;   ///< 0: never synced (every message is new)
    quint64 highestModSeq = 0; ///< the folder's HIGHESTMODSEQ then; 0: unknown (flags are read in full)
    QList<quint32> knownUids;  ///< the UIDs the copy holds
    /// The folder's UIDNEXT then; 0: unknown. Only UIDs from it on can be new
    /// (QRESYNC: no UID list is read when the server's UIDNEXT has not moved).
    quint32 uidNext = 0;
    /// Member by member.
    friend bool operator==(const SyncState &, const SyncState &) = default;
};

/// The flags of one message, and the MODSEQ they have (CONDSTORE; else 0).
struct FlagUpdate {
    quint32 uid = 0;         ///< the message
    QList<QByteArray> flags; ///< all its flags now; never `\Recent`
    quint64 modSeq = 0;      ///< its MODSEQ, 0 without CONDSTORE
    /// Member by member.
    friend bool operator==(const FlagUpdate &, const FlagUpdate &) = default;
};

/// How a folder changed since a SyncState (ImapClient::folderChanges()).
struct FolderChanges {
    /// How the changes were found.
    enum class Method {
        /// STATUS and the whole UID list (expunged and new UIDs by comparison),
        /// and only the flags changed since the known HIGHESTMODSEQ (RFC 7162)
        CondStore,
        /// STATUS and the whole UID list, and every known message's flags, read
        /// in chunks (no CONDSTORE, no MODSEQ known, or a new UIDVALIDITY)
        Full,
        /// One `SELECT folder (QRESYNC (uidvalidity modseq known-uids))` (RFC
        /// 7162, QRESYNC enabled on the connection, the known UIDVALIDITY,
        /// HIGHESTMODSEQ and UIDNEXT given): the server answers with the known
        /// UIDs expunged since (VANISHED (EARLIER)) and the flags changed since;
        /// the UIDs from the known UIDNEXT on are asked for only when UIDNEXT
        /// moved. A folder where nothing changed costs that one command.
        QResync
    };
    quint32 uidValidity = 0;         ///< the folder's UIDVALIDITY now
    quint32 uidNext = 0;             ///< its UIDNEXT now
    quint64 highestModSeq = 0;       ///< its HIGHESTMODSEQ now; 0 without CONDSTORE
    quint32 messages = 0;            ///< how many messages it holds now
    bool uidValidityChanged = false; ///< every known UID is void: vanished holds them all, newUids every UID
    QList<quint32> vanished;         ///< known UIDs the folder no longer holds, ascending
    QList<quint32> newUids;          ///< UIDs the copy does not know, ascending
    QList<FlagUpdate> flags;         ///< known messages' flags: the changed ones (QResync, CondStore) or all (Full)
    Method method = Method::Full;    ///< how the changes were found
    /// Member by member.
    friend bool operator==(const FolderChanges &, const FolderChanges &) = default;
};

/// One page of a folder, newest first, and how many messages the folder held.
struct MessagePage {
    QList<MessageSummary> messages; ///< the page, newest first
    quint32 total = 0;              ///< messages in the folder when the page was cut
    /// Member by member.
    friend bool operator==(const MessagePage &, const MessagePage &) = default;
};

/// How a download (ImapClient::downloadMessagesAsync) ended.
struct BulkDownload {
    int delivered = 0; ///< messages handed to the sink
    int missing = 0;   ///< UIDs asked for that the server no longer had (expunged meanwhile)
    /// Member by member.
    friend bool operator==(const BulkDownload &, const BulkDownload &) = default;
};

/// How a download (ImapClient::downloadMessagesAsync) shares the server with
/// the user's own commands.
enum class DownloadPace {
    /// As fast as the pool allows: its width adapts to the throughput
    /// (issue 15). For what the user asked for and waits on ("Download folder").
    Full,
    /// For what nobody waits on (a prefetch of the newest bodies): one
    /// connection, one small batch (five messages) on the wire at a time. A click on another
    /// connection then finds the server with little of the download's work
    /// left to finish, and the cores free for it; the download is slower.
    Background,
};

/// One message of a bulk fetch: its UID and raw RFC 5322 bytes.
struct FetchedMessage {
    quint32 uid = 0; ///< the message's UID in its folder
    QByteArray data; ///< exactly as the server has it
    /// Member by member.
    friend bool operator==(const FetchedMessage &, const FetchedMessage &) = default;
};

/// A message to append: its raw RFC 5322 bytes, flags, and optionally the
/// internal date (the server's "received" date; now when invalid).
struct NewMessage {
    QByteArray data;         ///< sent byte for byte: give it CR LF line ends, as IMAP expects
    QList<QByteArray> flags; ///< set on arrival ("\\Seen", keywords...)
    QDateTime internalDate;  ///< the server's "received" date; now when invalid
    /// Member by member.
    friend bool operator==(const NewMessage &, const NewMessage &) = default;
};

/// Server-side search criteria, all of which must match (an empty criteria
/// matches every message). Text matches are the server's: case-insensitive
/// substrings of the header or text named.
struct SearchCriteria {
    QString text;                       ///< anywhere in the header or body
    QString from;                       ///< in the From: header
    QString to;                         ///< in the To: header
    QString subject;                    ///< in the Subject: header
    QDate since;                        ///< internal date on or after; invalid: not used
    QDate before;                       ///< internal date before; invalid: not used
    QList<QByteArray> flagsSet;         ///< "\\Seen", "\\Flagged", ... or keywords
    QList<QByteArray> flagsUnset;       ///< flags or keywords the message must not have
    std::optional<quint64> largerThan;  ///< RFC822.SIZE, bytes
    std::optional<quint64> smallerThan; ///< RFC822.SIZE, bytes
    /// Member by member.
    friend bool operator==(const SearchCriteria &, const SearchCriteria &) = default;
};

/// What a folder can be sorted by on the server (RFC 5256 sort keys).
/// Arrival is the internal date, Date the Date: header, From the first
/// sender's mailbox, Subject the base subject ("Re: " etc. stripped), Size
/// RFC822.SIZE; ties are in UID order (the server's sequence order).
/// DisplayFrom: the sender as a list shows it, the display name (else the
/// address; RFC 5957 DISPLAYFROM); on a server without SORT=DISPLAY, From.
enum class SortKey {
    Arrival,    ///< ARRIVAL: the internal date
    Date,       ///< DATE: the Date: header
    From,       ///< FROM: the first sender's mailbox
    Subject,    ///< SUBJECT: the base subject
    Size,       ///< SIZE: RFC822.SIZE
    DisplayFrom ///< DISPLAYFROM: the sender's display name, else its address
};

} // namespace mailcore
