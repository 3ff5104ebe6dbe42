// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/messages/parsedmessage.h"

namespace tandem::ui {

namespace {

/// Inline pictures larger than this are listed as attachments but not drawn:
/// decoding a hostile 60 MB "image" is not worth a stall.
constexpr qint64 MaxInlineImageBytes = 8 * 1024 * 1024;

} // namespace

ParsedMessage ParsedMessage::parse(const QString &folder, quint32 uid, const QByteArray &raw)
{
    mailcore::Error error;
    ParsedMessage parsed;
    parsed.folder = folder;
    parsed.uid = uid;
    parsed.message = mailcore::mime::Message::parse(raw, &error);
    if (parsed.message.isNull())
        throw mailcore::MailException(error);
    parsed.html = parsed.message.htmlText();
    parsed.plain = parsed.message.plainText();
    if (!parsed.html.isEmpty()) {
        for (const mailcore::mime::AttachmentInfo &part : parsed.message.attachments()) {
            if (part.contentId.isEmpty() || !part.mimeType.startsWith(QLatin1String("image/"))
                || part.size > MaxInlineImageBytes)
                continue;
            const QImage image = QImage::fromData(parsed.message.attachmentContent(part.id));
            if (!image.isNull())
                parsed.inlineImages.insert(part.contentId, image);
        }
    }
    return parsed;
}

} // namespace tandem::ui
