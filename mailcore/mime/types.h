// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include "mailcore/mailcore_export.h"

namespace mailcore::mime {

/// One mailbox of an address header, with its display name already decoded.
/// Members of an RFC 5322 group ("Team: a@x, b@y;") carry the group's name in
/// `group`; an empty group ("undisclosed-recipients:;") is one entry with an
/// empty address.
struct MAILCORE_EXPORT MailAddress {
    QString name;
    QString address;
    QString group;

    /// "Name <addr>" or "addr"; the display form for the UI (not for headers).
    QString toDisplayString() const;
    friend bool operator==(const MailAddress &, const MailAddress &) = default;
};

/// A header that is shown as-is (List-* etc.), name as written, value decoded.
struct MAILCORE_EXPORT HeaderField {
    QString name;
    QString value;
    friend bool operator==(const HeaderField &, const HeaderField &) = default;
};

/// What a message list needs, decoded from the header block only.
struct MAILCORE_EXPORT MessageHeaders {
    QString subject;
    QList<MailAddress> from;
    QList<MailAddress> sender;
    QList<MailAddress> replyTo;
    QList<MailAddress> to;
    QList<MailAddress> cc;
    QList<MailAddress> bcc;
    QDateTime date;                 ///< with the sender's UTC offset; invalid if absent or unreadable
    QString messageId;              ///< without angle brackets
    QString inReplyTo;              ///< the first id of In-Reply-To, without angle brackets
    QStringList references;         ///< oldest first, without angle brackets
    QList<HeaderField> listHeaders; ///< List-Id, List-Unsubscribe, List-Post, ...

    /// The value of a List-* header by case-insensitive name, or an empty string.
    QString listHeader(QStringView name) const;
};

/// How a part asked to be shown.
enum class Disposition { Unspecified, Inline, Attachment };

/// A part that is not the message's shown text: a file, an inline image, an
/// attached message. `id` names the part within its message (a path such as "2.1").
struct MAILCORE_EXPORT AttachmentInfo {
    QString id;
    QString fileName; ///< decoded (RFC 2231 / RFC 2047); may be empty
    QString mimeType; ///< lower case, "type/subtype"
    qint64 size = 0;  ///< decoded size in bytes
    Disposition disposition = Disposition::Unspecified;
    QString contentId;      ///< without angle brackets; empty if none
    bool isMessage = false; ///< message/rfc822: open with Message::openAttachedMessage()
};

/// A signed or encrypted part recognised in the message (not verified/decrypted here).
enum class SecurityKind { PgpSigned, PgpEncrypted, SmimeSigned, SmimeEncrypted };

struct MAILCORE_EXPORT SecurityInfo {
    SecurityKind kind = SecurityKind::PgpSigned;
    QString partId; ///< the part that carries the signature or encryption
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
