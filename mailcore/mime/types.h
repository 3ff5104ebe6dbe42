// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include "mailcore/mailcore_export.h"

/// Messages on GMime (docs/MIME.md): parsing (Message), writing
/// (MessageBuilder), replies and forwards. No public header shows a GMime type.
namespace mailcore::mime {

/// One mailbox of an address header, with its display name already decoded.
/// Members of an RFC 5322 group ("Team: a@x, b@y;") carry the group's name in
/// `group`; an empty group ("undisclosed-recipients:;") is one entry with an
/// empty address.
struct MAILCORE_EXPORT MailAddress {
    QString name;    ///< display name, decoded (RFC 2047); may be empty
    QString address; ///< "local@domain", without angle brackets; empty for an empty group
    QString group;   ///< the name of the group it was listed in; empty for most addresses

    /// "Name <addr>" or "addr"; the display form for the UI (not for headers).
    QString toDisplayString() const;
    /// Member by member.
    friend bool operator==(const MailAddress &, const MailAddress &) = default;
};

/// A header that is shown as-is (List-* etc.), name as written, value decoded.
struct MAILCORE_EXPORT HeaderField {
    QString name;  ///< as written in the message ("List-Id")
    QString value; ///< decoded, trimmed
    /// Member by member.
    friend bool operator==(const HeaderField &, const HeaderField &) = default;
};

/// What a message list needs, decoded from the header block only.
struct MAILCORE_EXPORT MessageHeaders {
    QString subject;                ///< decoded; empty if absent
    QList<MailAddress> from;        ///< From: usually one, the author
    QList<MailAddress> sender;      ///< Sender: who sent it for the author, if someone else
    QList<MailAddress> replyTo;     ///< Reply-To: where replies go instead of From
    QList<MailAddress> to;          ///< To:
    QList<MailAddress> cc;          ///< Cc:
    QList<MailAddress> bcc;         ///< Bcc: (only in a copy the sender kept)
    QDateTime date;                 ///< with the sender's UTC offset; invalid if absent or unreadable
    QString messageId;              ///< without angle brackets
    QString inReplyTo;              ///< the first id of In-Reply-To, without angle brackets
    QStringList references;         ///< oldest first, without angle brackets
    QList<HeaderField> listHeaders; ///< List-Id, List-Unsubscribe, List-Post, ...

    /// The value of a List-* header by case-insensitive name, or an empty string.
    QString listHeader(QStringView name) const;
};

/// How a part asked to be shown.
enum class Disposition {
    Unspecified, ///< no Content-Disposition, or another value than these two
    Inline,      ///< "inline": shown within the message
    Attachment   ///< "attachment": a file to save
};

/// A part that is not the message's shown text: a file, an inline image, an
/// attached message. `id` names the part within its message (a path such as "2.1").
struct MAILCORE_EXPORT AttachmentInfo {
    QString id;       ///< the part's path, for attachmentContent(), saveAttachment(), openAttachedMessage()
    QString fileName; ///< decoded (RFC 2231 / RFC 2047) and made safe (safeFileName()); may be empty
    QString mimeType; ///< lower case, "type/subtype"
    qint64 size = 0;  ///< decoded size in bytes
    Disposition disposition = Disposition::Unspecified; ///< as the part declared it
    QString contentId;                                  ///< without angle brackets; empty if none
    bool isMessage = false;                             ///< message/rfc822: open with Message::openAttachedMessage()
};

/// A signed or encrypted part recognised in the message (not verified/decrypted here).
enum class SecurityKind {
    PgpSigned,     ///< OpenPGP: multipart/signed, or an inline "BEGIN PGP SIGNED MESSAGE" text
    PgpEncrypted,  ///< OpenPGP: multipart/encrypted, or an inline "BEGIN PGP MESSAGE" text
    SmimeSigned,   ///< S/MIME: multipart/signed or application/pkcs7-mime signed-data
    SmimeEncrypted ///< S/MIME: application/pkcs7-mime enveloped data (or multipart/encrypted)
};

/// One signed or encrypted part of a message (Message::security()).
struct MAILCORE_EXPORT SecurityInfo {
    SecurityKind kind = SecurityKind::PgpSigned; ///< which scheme, signed or encrypted
    QString partId;                              ///< the part that carries the signature or encryption
    /// Member by member.
    friend bool operator==(const SecurityInfo &, const SecurityInfo &) = default;
};

/// The explicit limits of the parser (see docs/MIME.md for why each value).
namespace limits {
/// Larger inputs are refused with ErrorCode::Limit.
inline constexpr qsizetype MaxMessageBytes = qsizetype(512) * 1024 * 1024;
/// A top-level header block larger than this is refused (ErrorCode::Limit).
inline constexpr qsizetype MaxHeaderBytes = 1024 * 1024;
/// Multipart or message/* parts a message may declare before it is refused;
/// bounds GMime's recursion and its per-line boundary checks.
inline constexpr int MaxContainerParts = 512;
/// Deeper parts are not looked at (their bytes stay in the raw message).
inline constexpr int MaxDepth = 32;
/// Parts after this many are not looked at; Message::isTruncated() says so.
inline constexpr int MaxParts = 1000;
/// The shown text (each of plain and HTML) is cut at this many decoded bytes.
inline constexpr qsizetype MaxTextBytes = 16 * 1024 * 1024;
/// attachmentContent() refuses larger parts: use saveAttachment() to stream them.
inline constexpr qint64 MaxInMemoryAttachment = 64 * 1024 * 1024;
} // namespace limits

} // namespace mailcore::mime
