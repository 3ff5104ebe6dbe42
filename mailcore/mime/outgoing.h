// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include "mailcore/mailcore_export.h"
#include "mailcore/mime/types.h"

namespace mailcore::mime {

/// A file for an outgoing message: from a file (read while the message is
/// written, never whole in advance) or from bytes in memory.
struct MAILCORE_EXPORT OutgoingAttachment {
    QString filePath;         ///< used when not empty
    QByteArray data;          ///< used when filePath is empty
    QString fileName;         ///< shown name; defaults to the file's name
    QString mimeType;         ///< guessed from the content (then the name) when empty
    QString contentId;        ///< without <>; set for images the HTML shows as cid:
    bool inlineImage = false; ///< an image the HTML part refers to by contentId

    /// The file at `path`, named as on disk; read only when the message is built.
    static OutgoingAttachment fromFile(const QString &path);
};

/// What the user composed. MessageBuilder turns it into RFC 5322 bytes.
struct MAILCORE_EXPORT OutgoingMessage {
    MailAddress from;                      ///< the author; its address is required
    QList<MailAddress> to;                 ///< To: recipients
    QList<MailAddress> cc;                 ///< Cc: recipients
    QList<MailAddress> bcc;                ///< envelope only: never written to the headers
    QList<MailAddress> replyTo;            ///< where replies should go, if not to `from`
    QString subject;                       ///< plain text; RFC 2047-encoded when not ASCII
    QString plainText;                     ///< text/plain, any line ends; not written when empty and htmlText is set
    QString htmlText;                      ///< optional; with plainText makes multipart/alternative
    QList<OutgoingAttachment> attachments; ///< files, and images the HTML shows (inlineImage)
    QString inReplyTo;                     ///< a Message-ID without <>
    QStringList references;                ///< Message-IDs without <>, oldest first
    QString messageId;                     ///< generated when empty
    QDateTime date;                        ///< now when invalid

    /// Everyone the SMTP envelope must name: to, cc and bcc, without duplicates.
    QStringList envelopeRecipients() const;
};

} // namespace mailcore::mime
