// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Fuzzes Message::parse / parseHeaders and every accessor that decodes content.

#include <cstddef>
#include <cstdint>

#include "mailcore/mime/message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace mailcore::mime;
    const QByteArray raw(reinterpret_cast<const char *>(data), qsizetype(size));
    mailcore::Error error;
    Message::parseHeaders(raw, &error);
    const Message message = Message::parse(raw, &error);
    if (message.isNull())
        return 0;
    (void)message.plainText();
    (void)message.htmlText();
    const QList<AttachmentInfo> attachments = message.attachments();
    for (const AttachmentInfo &a : attachments) {
        (void)message.attachmentContent(a.id);
        if (!a.contentId.isEmpty())
            (void)message.findByContentId(a.contentId);
        if (a.isMessage)
            (void)message.openAttachedMessage(a.id).plainText();
    }
    return 0;
}
