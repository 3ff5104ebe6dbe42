// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <memory>

#include <QByteArray>
#include <QList>
#include <QString>

#include "mailcore/base/error.h"
#include "mailcore/mailcore_export.h"
#include "mailcore/mime/types.h"

namespace mailcore::mime {

class MessagePrivate;

/// A parsed RFC 5322 message: decoded headers, the text to show, attachments and
/// recognised security parts. Parsing never throws and never crashes on hostile
/// input; refused input (see mime::limits) gives an Error with ErrorCode::Limit.
///
/// A Message is an immutable, implicitly shared value. Different Message objects
/// may be parsed and used on different threads at the same time; the content
/// accessors of one Message are internally serialised, so sharing one across
/// threads is safe too (just not parallel).
class MAILCORE_EXPORT Message
{
public:
    /// A null Message (isNull()): no headers, no text, no parts.
    Message();
    /// Drops this copy; the parsed message goes with the last one.
    ~Message();
    /// Copies share the parsed message: nothing is parsed or copied again.
    Message(const Message &);
    /// Shares the other's parsed message.
    Message &operator=(const Message &);
    /// Takes the parsed message over, leaving the source null.
    Message(Message &&) noexcept;
    /// Takes the parsed message over, leaving the source null.
    Message &operator=(Message &&) noexcept;

    /// Parses a whole message. On failure the returned Message is null and *error is set.
    static Message parse(const QByteArray &raw, Error *error = nullptr);

    /// Parses the header block only, for message lists: bodies are not decoded.
    static MessageHeaders parseHeaders(const QByteArray &raw, Error *error = nullptr);

    /// True for a default-constructed Message and for one whose parsing failed.
    bool isNull() const;

    /// The decoded header block; all fields empty when null.
    const MessageHeaders &headers() const;

    /// The text/plain body (format=flowed undone), converted from its charset.
    QString plainText() const;
    /// The text/html body, converted from its charset. Not sanitised: the viewer
    /// must block remote content and scripts.
    QString htmlText() const;

    /// Every part that is not shown text, in the order of the message.
    QList<AttachmentInfo> attachments() const;
    /// The signed and encrypted parts recognised, outermost first.
    QList<SecurityInfo> security() const;

    /// True if parts were skipped because of MaxParts or MaxDepth.
    bool isTruncated() const;

    /// The decoded content of an attachment. Refuses parts larger than
    /// limits::MaxInMemoryAttachment (ErrorCode::Limit): use saveAttachment().
    QByteArray attachmentContent(const QString &id, Error *error = nullptr) const;

    /// Decodes an attachment into a file, streaming (memory use does not grow with its size).
    Error saveAttachment(const QString &id, const QString &filePath) const;

    /// The attachment whose Content-ID is `cid` (with or without "cid:" and <>),
    /// for the HTML viewer's inline images; null AttachmentInfo::id if none.
    AttachmentInfo findByContentId(const QString &cid) const;

    /// Parses an attached message/rfc822 part as a Message of its own.
    Message openAttachedMessage(const QString &id, Error *error = nullptr) const;

    /// The bytes this Message was parsed from.
    QByteArray rawData() const;

private:
    explicit Message(std::shared_ptr<const MessagePrivate> d);
    std::shared_ptr<const MessagePrivate> d;
};

} // namespace mailcore::mime
