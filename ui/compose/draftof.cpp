// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/compose/draftof.h"

namespace tandem::ui {

mailcore::mime::OutgoingMessage draftOf(const mailcore::mime::Message &written, const QStringList &envelope)
{
    const mailcore::mime::MessageHeaders &h = written.headers();
    mailcore::mime::OutgoingMessage draft;
    draft.to = h.to;
    draft.cc = h.cc;
    draft.subject = h.subject;
    draft.plainText = written.plainText();
    draft.inReplyTo = h.inReplyTo;
    draft.references = h.references;
    // Bcc is in the envelope only: whoever it names beyond To and Cc.
    QStringList shown;
    for (const mailcore::mime::MailAddress &a : h.to + h.cc)
        shown << a.address.toLower();
    for (const QString &r : envelope) {
        if (!shown.contains(r.toLower()))
            draft.bcc << mailcore::mime::MailAddress{{}, r, {}};
    }
    for (const mailcore::mime::AttachmentInfo &a : written.attachments()) {
        mailcore::mime::OutgoingAttachment file;
        file.fileName = a.fileName;
        file.mimeType = a.mimeType;
        file.data = written.attachmentContent(a.id);
        draft.attachments << file;
    }
    return draft;
}

} // namespace tandem::ui
