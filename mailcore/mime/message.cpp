// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/mime/message.h"

#include <algorithm>

#include "mailcore/base/logging.h"
#include "mailcore/mime/encodedwords.h"
#include "mailcore/mime/gmimeglobal.h"
#include "mailcore/mime/headerfields.h"
#include "mailcore/mime/headerreader.h"
#include "mailcore/mime/messageprivate.h"
#include "mailcore/mime/partcontent.h"
#include "mailcore/mime/prescan.h"

namespace mailcore::mime {

using namespace detail;

namespace {

void setError(Error *error, Error value)
{
    if (error)
        *error = std::move(value);
}

// Parses `bytes` (copied once into GMime's memory stream; parts then refer to
// ranges of it instead of copying their content).
std::shared_ptr<MessagePrivate> construct(const QByteArray &original, qsizetype size, Error *error)
{
    ensureGMime();
    // Only the top-level header block is rewritten (see encodedwords.h); the
    // body goes to GMime as it came.
    const qsizetype headerEnd = std::min(headerBlockEnd(original), size);
    const QByteArray headers = original.left(headerEnd);
    const QByteArray merged = mergeAdjacentBase64Words(headers);
    QByteArray rewritten;
    if (merged.size() != headers.size() || merged != headers)
        rewritten = merged + original.mid(headerEnd, size - headerEnd);
    const char *data = rewritten.isNull() ? original.constData() : rewritten.constData();
    size = rewritten.isNull() ? size : rewritten.size();
    auto d = std::make_shared<MessagePrivate>();
    d->stream.reset(g_mime_stream_mem_new_with_buffer(data, size_t(size)));
    d->options = makeParserOptions();
    GObjectPtr<GMimeParser> parser(g_mime_parser_new_with_stream(d->stream.get()));
    g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
    g_mime_parser_set_persist_stream(parser.get(), TRUE);
    d->message.reset(g_mime_parser_construct_message(parser.get(), d->options.get()));
    if (!d->message && size > 0 && data[0] != '\n') {
        // GMime gives up on input that starts with a body line instead of a
        // header; such a "message" is shown as a header-less text.
        const QByteArray withBlankLine = QByteArray(1, '\n') + QByteArray(data, size);
        return construct(withBlankLine, withBlankLine.size(), error);
    }
    if (!d->message) {
        setError(error, Error(ErrorCode::Protocol, QStringLiteral("the data is not a mail message")));
        return nullptr;
    }
    d->headers = readHeaders(d->message.get(), d->options.get());
    return d;
}

const MessageHeaders &emptyHeaders()
{
    static const MessageHeaders empty;
    return empty;
}

} // namespace

QString MailAddress::toDisplayString() const
{
    if (name.isEmpty())
        return address;
    return name + QLatin1String(" <") + address + QLatin1Char('>');
}

QString MessageHeaders::listHeader(QStringView name) const
{
    for (const HeaderField &field : listHeaders) {
        if (name.compare(field.name, Qt::CaseInsensitive) == 0)
            return field.value;
    }
    return {};
}

Message::Message() = default;
Message::~Message() = default;
Message::Message(const Message &) = default;
Message &Message::operator=(const Message &) = default;
Message::Message(Message &&) noexcept = default;
Message &Message::operator=(Message &&) noexcept = default;
Message::Message(std::shared_ptr<const MessagePrivate> dd)
    : d(std::move(dd))
{
}

Message Message::parse(const QByteArray &raw, Error *error)
{
    setError(error, Error());
    if (Error refused = checkLimits(raw); refused.isError()) {
        qCWarning(log::mime) << "message refused:" << refused.message();
        setError(error, refused);
        return {};
    }
    std::shared_ptr<MessagePrivate> d = construct(raw, raw.size(), error);
    if (!d)
        return {};
    d->raw = raw; // shared with the caller's array, not copied
    d->body = walkMessage(d->message.get());
    return Message(std::move(d));
}

MessageHeaders Message::parseHeaders(const QByteArray &raw, Error *error)
{
    setError(error, Error());
    const qsizetype end = headerBlockEnd(raw);
    if (end > limits::MaxHeaderBytes) {
        setError(error,
                 Error(ErrorCode::Limit,
                       QStringLiteral("header block of %1 bytes is larger than the limit of %2")
                           .arg(end)
                           .arg(limits::MaxHeaderBytes)));
        return {};
    }
    // A plainly well-formed block is decoded field by field, without a
    // GMimeMessage (headerfields.h); the same words merged first (encodedwords.h).
    if (std::optional<MessageHeaders> fields = decodeWellFormedHeaders(mergeAdjacentBase64Words(raw.left(end))))
        return *std::move(fields);
    // Only the header block goes to GMime, so no body is ever scanned or decoded.
    std::shared_ptr<MessagePrivate> d = construct(raw, end, error);
    return d ? d->headers : MessageHeaders();
}

bool Message::isNull() const { return !d; }

const MessageHeaders &Message::headers() const { return d ? d->headers : emptyHeaders(); }

QString Message::plainText() const { return d ? d->body.plain : QString(); }

QString Message::htmlText() const { return d ? d->body.html : QString(); }

QList<AttachmentInfo> Message::attachments() const { return d ? d->body.attachments : QList<AttachmentInfo>(); }

QList<SecurityInfo> Message::security() const { return d ? d->body.security : QList<SecurityInfo>(); }

bool Message::isTruncated() const { return d && d->body.truncated; }

QByteArray Message::attachmentContent(const QString &id, Error *error) const
{
    setError(error, Error());
    GMimeObject *part = d ? d->body.parts.value(id) : nullptr;
    if (!part) {
        setError(error, Error(ErrorCode::NotFound, QStringLiteral("no attachment %1").arg(id)));
        return {};
    }
    std::lock_guard lock(d->mutex);
    if (decodedSize(part) > limits::MaxInMemoryAttachment) {
        setError(error,
                 Error(ErrorCode::Limit, QStringLiteral("attachment %1 is too large to hold in memory").arg(id)));
        return {};
    }
    return decodedContent(part);
}

Error Message::saveAttachment(const QString &id, const QString &filePath) const
{
    GMimeObject *part = d ? d->body.parts.value(id) : nullptr;
    if (!part)
        return Error(ErrorCode::NotFound, QStringLiteral("no attachment %1").arg(id));
    std::lock_guard lock(d->mutex);
    return writeDecoded(part, filePath);
}

AttachmentInfo Message::findByContentId(const QString &cid) const
{
    QString wanted = cid.trimmed();
    if (wanted.startsWith(QLatin1String("cid:"), Qt::CaseInsensitive))
        wanted = wanted.mid(4);
    if (wanted.startsWith(QLatin1Char('<')) && wanted.endsWith(QLatin1Char('>')))
        wanted = wanted.mid(1, wanted.size() - 2);
    if (!d || wanted.isEmpty())
        return {};
    for (const AttachmentInfo &info : d->body.attachments) {
        if (info.contentId == wanted)
            return info;
    }
    return {};
}

Message Message::openAttachedMessage(const QString &id, Error *error) const
{
    setError(error, Error());
    GMimeObject *part = d ? d->body.parts.value(id) : nullptr;
    if (!part || !GMIME_IS_MESSAGE_PART(part)) {
        setError(error, Error(ErrorCode::NotFound, QStringLiteral("no attached message %1").arg(id)));
        return {};
    }
    QByteArray bytes;
    {
        std::lock_guard lock(d->mutex);
        bytes = decodedContent(part);
    }
    return parse(bytes, error);
}

QByteArray Message::rawData() const { return d ? d->raw : QByteArray(); }

} // namespace mailcore::mime
