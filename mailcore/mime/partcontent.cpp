// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/mime/partcontent.h"

#include <cstring>

#include <fcntl.h>

#include <QFile>

#include "mailcore/mime/gmimeglobal.h"

namespace mailcore::mime::detail {

namespace {

// Writes decoded content into any stream; false on a stream error.
bool writeTo(GMimeObject *part, GMimeStream *stream)
{
    if (GMIME_IS_MESSAGE_PART(part)) {
        GMimeMessage *embedded = g_mime_message_part_get_message(GMIME_MESSAGE_PART(part));
        if (!embedded)
            return true;
        return g_mime_object_write_to_stream(GMIME_OBJECT(embedded), nullptr, stream) >= 0;
    }
    if (!GMIME_IS_PART(part))
        return true;
    GMimeDataWrapper *wrapper = g_mime_part_get_content(GMIME_PART(part));
    if (!wrapper)
        return true;
    return g_mime_data_wrapper_write_to_stream(wrapper, stream) >= 0;
}

} // namespace

QByteArray decodedContent(GMimeObject *part)
{
    GObjectPtr<GMimeStream> stream(g_mime_stream_mem_new());
    writeTo(part, stream.get());
    GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream.get()));
    if (!bytes || bytes->len == 0)
        return {};
    return QByteArray(reinterpret_cast<const char *>(bytes->data), qsizetype(bytes->len));
}

qint64 decodedSize(GMimeObject *part)
{
    GObjectPtr<GMimeStream> stream(g_mime_stream_null_new());
    writeTo(part, stream.get());
    return qint64(GMIME_STREAM_NULL(stream.get())->written);
}

Error writeDecoded(GMimeObject *part, const QString &filePath)
{
    GError *gerror = nullptr;
    GObjectPtr<GMimeStream> file(
        g_mime_stream_fs_open(QFile::encodeName(filePath).constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600, &gerror));
    if (!file) {
        const QString reason = gerror ? QString::fromUtf8(gerror->message) : QString();
        g_clear_error(&gerror);
        return Error(ErrorCode::Io, QStringLiteral("cannot create %1: %2").arg(filePath, reason));
    }
    const bool ok = writeTo(part, file.get());
    if (!ok || g_mime_stream_flush(file.get()) != 0 || g_mime_stream_close(file.get()) != 0)
        return Error(ErrorCode::Io, QStringLiteral("cannot write %1").arg(filePath));
    return {};
}

QString mimeTypeOf(GMimeObject *part)
{
    // RFC 2045 5.2: a Content-Type that cannot be read means text/plain, where
    // GMime would say application/octet-stream and hide the text.
    const char *header = g_mime_object_get_header(part, "Content-Type");
    if (header && !std::strchr(header, '/'))
        return QStringLiteral("text/plain");
    GMimeContentType *type = g_mime_object_get_content_type(part);
    if (!type)
        return QStringLiteral("application/octet-stream");
    GCharPtr mime(g_mime_content_type_get_mime_type(type));
    return fromGMime(mime.get()).toLower();
}

} // namespace mailcore::mime::detail
