// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/mime/partwalker.h"

#include "mailcore/base/logging.h"
#include "mailcore/mime/charset.h"
#include "mailcore/mime/filename.h"
#include "mailcore/mime/flowed.h"
#include "mailcore/mime/gmimeglobal.h"
#include "mailcore/mime/partcontent.h"

namespace mailcore::mime::detail {

namespace {

class Walker
{
public:
    WalkResult result;

    void walk(GMimeObject *part, const QString &id, int depth, bool inAlternative)
    {
        if (++m_visited > limits::MaxParts || depth > limits::MaxDepth) {
            result.truncated = true;
            return;
        }
        const QString mime = mimeTypeOf(part);
        if (GMIME_IS_MULTIPART_SIGNED(part)) {
            const QString protocol = fromGMime(g_mime_object_get_content_type_parameter(part, "protocol")).toLower();
            addSecurity(protocol.contains(QLatin1String("pgp")) ? SecurityKind::PgpSigned : SecurityKind::SmimeSigned,
                        id);
            // Only the signed content is shown; the signature part is not an attachment.
            GMimeMultipart *multipart = GMIME_MULTIPART(part);
            if (g_mime_multipart_get_count(multipart) > 0)
                walk(g_mime_multipart_get_part(multipart, 0), childId(id, 1), depth + 1, inAlternative);
            return;
        }
        if (GMIME_IS_MULTIPART_ENCRYPTED(part)) {
            const QString protocol = fromGMime(g_mime_object_get_content_type_parameter(part, "protocol")).toLower();
            addSecurity(protocol.contains(QLatin1String("pgp")) ? SecurityKind::PgpEncrypted
                                                                : SecurityKind::SmimeEncrypted,
                        id);
            return; // the content is ciphertext: nothing to show or list
        }
        if (GMIME_IS_MULTIPART(part)) {
            walkMultipart(GMIME_MULTIPART(part), mime, id, depth);
            return;
        }
        if (GMIME_IS_APPLICATION_PKCS7_MIME(part)) {
            const QString smimeType = fromGMime(g_mime_object_get_content_type_parameter(part, "smime-type")).toLower();
            if (smimeType == QLatin1String("signed-data")) {
                addSecurity(SecurityKind::SmimeSigned, id);
                return;
            }
            if (smimeType != QLatin1String("certs-only")) { // enveloped-data, authenveloped-data, or unsaid
                addSecurity(SecurityKind::SmimeEncrypted, id);
                return;
            }
        }
        if (GMIME_IS_MESSAGE_PART(part)) {
            addAttachment(part, id, mime, true);
            return;
        }
        if (GMIME_IS_PART(part)) {
            if (!isBodyText(part, mime)) {
                addAttachment(part, id, mime, false);
                return;
            }
            addText(part, mime, inAlternative);
            // A named text shown inline (a log, notes.txt) is still a file the
            // reader may want to save: listed too.
            if (g_mime_part_get_filename(GMIME_PART(part)))
                addAttachment(part, id, mime, false);
        }
    }

private:
    int m_visited = 0;

    static QString childId(const QString &parent, int index)
    {
        return parent.isEmpty() ? QString::number(index) : parent + QLatin1Char('.') + QString::number(index);
    }

    void addSecurity(SecurityKind kind, const QString &id)
    {
        result.security.append({kind, id.isEmpty() ? QStringLiteral("1") : id});
    }

    void walkMultipart(GMimeMultipart *multipart, const QString &mime, const QString &id, int depth)
    {
        const int count = g_mime_multipart_get_count(multipart);
        const bool alternative = (mime == QLatin1String("multipart/alternative"));
        for (int i = 0; i < count && !result.truncated; ++i)
            walk(g_mime_multipart_get_part(multipart, i), childId(id, i + 1), depth + 1, alternative);
    }

    static bool isBodyText(GMimeObject *part, const QString &mime)
    {
        if (mime != QLatin1String("text/plain") && mime != QLatin1String("text/html"))
            return false;
        const char *disposition = g_mime_object_get_disposition(part);
        if (disposition && g_ascii_strcasecmp(disposition, "attachment") == 0)
            return false;
        // A named text part without an inline disposition is a file someone attached.
        return !g_mime_part_get_filename(GMIME_PART(part))
            || (disposition && g_ascii_strcasecmp(disposition, "inline") == 0);
    }

    void addText(GMimeObject *part, const QString &mime, bool inAlternative)
    {
        QByteArray bytes = decodedContent(part);
        const QByteArray charset = QByteArray(g_mime_object_get_content_type_parameter(part, "charset"));
        if (bytes.size() > limits::MaxTextBytes) {
            bytes.truncate(limits::MaxTextBytes);
            result.truncated = true;
            // Do not leave half a UTF-8 sequence, or the whole text would fall back to windows-1252.
            qsizetype cut = bytes.size();
            while (cut > 0 && (uchar(bytes.at(cut - 1)) & 0xC0) == 0x80)
                --cut;
            if (cut > 0 && uchar(bytes.at(cut - 1)) >= 0xC0)
                bytes.truncate(cut - 1);
        }
        QString text = decodeText(bytes, charset);
        // The wire's CRLF means nothing to a viewer; the text uses '\n' only.
        text.replace(QLatin1String("\r\n"), QLatin1String("\n"));
        const bool html = (mime == QLatin1String("text/html"));
        if (!html) {
            const char *format = g_mime_object_get_content_type_parameter(part, "format");
            if (format && g_ascii_strcasecmp(format, "flowed") == 0) {
                const char *delsp = g_mime_object_get_content_type_parameter(part, "delsp");
                text = unflow(text, delsp && g_ascii_strcasecmp(delsp, "yes") == 0);
            }
            detectInlinePgp(text);
        }
        QString &target = html ? result.html : result.plain;
        if (target.isEmpty()) {
            target = text;
        } else if (!inAlternative) {
            // Several inline text parts in a multipart/mixed are shown one after the other.
            if (!html && !target.endsWith(QLatin1Char('\n')))
                target += QLatin1Char('\n');
            target += text;
        }
    }

    void detectInlinePgp(const QString &text)
    {
        if (text.contains(QLatin1String("-----BEGIN PGP SIGNED MESSAGE-----")))
            addSecurity(SecurityKind::PgpSigned, QString());
        else if (text.contains(QLatin1String("-----BEGIN PGP MESSAGE-----")))
            addSecurity(SecurityKind::PgpEncrypted, QString());
    }

    void addAttachment(GMimeObject *part, const QString &id, const QString &mime, bool isMessage)
    {
        AttachmentInfo info;
        info.id = id.isEmpty() ? QStringLiteral("1") : id;
        info.mimeType = mime;
        info.isMessage = isMessage;
        const char *name = GMIME_IS_PART(part) ? g_mime_part_get_filename(GMIME_PART(part))
                                               : g_mime_object_get_content_disposition_parameter(part, "filename");
        if (!name && !GMIME_IS_PART(part))
            name = g_mime_object_get_content_type_parameter(part, "name");
        // The sender chose these names: made safe here, so that no program
        // showing them in a save dialog or saving under them has to remember to.
        info.fileName = safeFileName(fromGMime(name));
        if (isMessage && info.fileName.isEmpty()) {
            GMimeMessage *embedded = g_mime_message_part_get_message(GMIME_MESSAGE_PART(part));
            const QString subject = embedded ? fromGMime(g_mime_message_get_subject(embedded)) : QString();
            info.fileName = messageFileName(subject);
        }
        const char *disposition = g_mime_object_get_disposition(part);
        if (disposition && g_ascii_strcasecmp(disposition, "inline") == 0)
            info.disposition = Disposition::Inline;
        else if (disposition && g_ascii_strcasecmp(disposition, "attachment") == 0)
            info.disposition = Disposition::Attachment;
        info.contentId = fromGMime(g_mime_object_get_content_id(part));
        info.size = decodedSize(part);
        result.parts.insert(info.id, part);
        result.attachments.append(info);
    }
};

} // namespace

WalkResult walkMessage(GMimeMessage *message)
{
    Walker walker;
    GMimeObject *root = g_mime_message_get_mime_part(message);
    if (root)
        walker.walk(root, QString(), 0, false);
    if (walker.result.truncated)
        qCInfo(log::mime) << "message has more parts or depth than the limits; the rest is not shown";
    return std::move(walker.result);
}

} // namespace mailcore::mime::detail
