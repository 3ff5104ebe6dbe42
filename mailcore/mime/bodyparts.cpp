// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/mime/bodyparts.h"

#include <fcntl.h>

#include <QFile>
#include <QFileInfo>
#include <QMimeDatabase>

#include "mailcore/mime/gmimeglobal.h"

namespace mailcore::mime::detail {

namespace {

GObjectPtr<GMimeDataWrapper> wrapperFor(GMimeStream *stream)
{
    return GObjectPtr<GMimeDataWrapper>(g_mime_data_wrapper_new_with_stream(stream, GMIME_CONTENT_ENCODING_DEFAULT));
}

QString guessMimeType(const OutgoingAttachment &a, const QString &fileName)
{
    const QMimeDatabase db;
    QMimeType byContent = a.filePath.isEmpty() ? db.mimeTypeForData(a.data)
                                               : db.mimeTypeForFile(a.filePath, QMimeDatabase::MatchContent);
    // Magic numbers cannot tell a CSV from other text or know every format;
    // the name decides only where the content said nothing specific.
    if (!byContent.isValid() || byContent.isDefault() || byContent.name() == QLatin1String("text/plain")) {
        const QList<QMimeType> byName = db.mimeTypesForFileName(fileName);
        if (!byName.isEmpty()
            && (!byContent.isValid() || byContent.isDefault() || byName.first().inherits(byContent.name())))
            return byName.first().name();
    }
    return byContent.isValid() ? byContent.name() : QStringLiteral("application/octet-stream");
}

GObjectPtr<GMimeObject> makeMessagePart(const OutgoingAttachment &a, const QString &fileName)
{
    GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(a.data.constData(), size_t(a.data.size())));
    GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    ParserOptionsPtr options = makeParserOptions();
    GObjectPtr<GMimeMessage> inner(g_mime_parser_construct_message(parser.get(), options.get()));
    if (!inner)
        return nullptr;
    GObjectPtr<GMimeObject> part(GMIME_OBJECT(g_mime_message_part_new_with_message("rfc822", inner.get())));
    g_mime_object_set_disposition(part.get(), "attachment");
    if (!fileName.isEmpty())
        g_mime_object_set_content_disposition_parameter(part.get(), "filename", toHeaderUtf8(fileName).constData());
    return part;
}

} // namespace

GObjectPtr<GMimeObject> makeTextPart(const QString &text, const char *subtype)
{
    QString normalized = text;
    normalized.replace(QLatin1String("\r\n"), QLatin1String("\n"));
    normalized.replace(QLatin1Char('\r'), QLatin1Char('\n'));
    // Text on the wire is a sequence of lines; a missing final line break would
    // be added by the message's framing anyway, so add it here where it is visible.
    if (!normalized.isEmpty() && !normalized.endsWith(QLatin1Char('\n')))
        normalized += QLatin1Char('\n');
    const QByteArray utf8 = normalized.toUtf8();
    bool ascii = true;
    for (char c : utf8) {
        if (uchar(c) >= 0x80) {
            ascii = false;
            break;
        }
    }
    GObjectPtr<GMimePart> part(GMIME_PART(g_mime_text_part_new_with_subtype(subtype)));
    g_mime_object_set_content_type_parameter(GMIME_OBJECT(part.get()), "charset", ascii ? "us-ascii" : "utf-8");
    GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(utf8.constData(), size_t(utf8.size())));
    g_mime_part_set_content(part.get(), wrapperFor(stream.get()).get());
    // 7bit only when every line is short and ASCII; otherwise quoted-printable
    // (mostly-ASCII text) or base64 (mostly non-ASCII): GMime measures it.
    g_mime_part_set_content_encoding(part.get(),
                                     g_mime_part_get_best_content_encoding(part.get(), GMIME_ENCODING_CONSTRAINT_7BIT));
    return GObjectPtr<GMimeObject>(GMIME_OBJECT(part.release()));
}

GObjectPtr<GMimeObject> makeAttachmentPart(const OutgoingAttachment &a, Error *error)
{
    QString fileName = a.fileName;
    if (fileName.isEmpty() && !a.filePath.isEmpty())
        fileName = QFileInfo(a.filePath).fileName();
    const QString mimeType = a.mimeType.isEmpty() ? guessMimeType(a, fileName) : a.mimeType.toLower();

    if (mimeType == QLatin1String("message/rfc822") && a.filePath.isEmpty()) {
        if (GObjectPtr<GMimeObject> part = makeMessagePart(a, fileName))
            return part;
        // Not parseable as a message: attach the bytes as they are.
    }

    GObjectPtr<GMimeStream> stream;
    if (!a.filePath.isEmpty()) {
        GError *gerror = nullptr;
        stream.reset(g_mime_stream_fs_open(QFile::encodeName(a.filePath).constData(), O_RDONLY, 0, &gerror));
        if (!stream) {
            *error = Error(ErrorCode::Io,
                           QStringLiteral("cannot read %1: %2")
                               .arg(a.filePath, gerror ? QString::fromUtf8(gerror->message) : QString()));
            g_clear_error(&gerror);
            return nullptr;
        }
    } else {
        stream.reset(g_mime_stream_mem_new_with_buffer(a.data.constData(), size_t(a.data.size())));
    }

    const QByteArray type = mimeType.toUtf8();
    const qsizetype slash = type.indexOf('/');
    const QByteArray media = slash > 0 ? type.left(slash) : QByteArrayLiteral("application");
    const QByteArray subtype = slash > 0 ? type.mid(slash + 1) : QByteArrayLiteral("octet-stream");
    GObjectPtr<GMimePart> part(g_mime_part_new_with_type(media.constData(), subtype.constData()));
    g_mime_part_set_content(part.get(), wrapperFor(stream.get()).get());
    g_mime_object_set_disposition(GMIME_OBJECT(part.get()), a.inlineImage ? "inline" : "attachment");
    if (!fileName.isEmpty())
        g_mime_part_set_filename(part.get(), toHeaderUtf8(fileName).constData()); // RFC 2231 on output
    if (!a.contentId.isEmpty())
        g_mime_part_set_content_id(part.get(), toHeaderUtf8(a.contentId).constData());
    // Always base64, even for text files: 7bit or quoted-printable would let the
    // CRLF conversion on output change the file's own line endings.
    g_mime_part_set_content_encoding(part.get(), GMIME_CONTENT_ENCODING_BASE64);
    return GObjectPtr<GMimeObject>(GMIME_OBJECT(part.release()));
}

} // namespace mailcore::mime::detail
