// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/mime/builder.h"

#include <QFileInfo>

#include "mailcore/base/logging.h"
#include "mailcore/mime/bodyparts.h"
#include "mailcore/mime/gmimeglobal.h"

namespace mailcore::mime {

using namespace detail;

namespace {

bool hasLineBreak(const QString &s)
{
    return s.contains(QLatin1Char('\r')) || s.contains(QLatin1Char('\n')) || s.contains(QChar(0));
}

Error checkAddresses(const QList<MailAddress> &list, const char *field)
{
    for (const MailAddress &a : list) {
        // A line break in an address would end the header and start another.
        if (a.address.trimmed().isEmpty() || hasLineBreak(a.address) || hasLineBreak(a.name)
            || a.address.contains(QLatin1Char('<')) || a.address.contains(QLatin1Char('>')))
            return Error(ErrorCode::BadArgument,
                         QStringLiteral("unusable %1 address \"%2\"").arg(QLatin1String(field), a.address.left(200)));
    }
    return {};
}

Error validate(const OutgoingMessage &m)
{
    if (Error e = checkAddresses({m.from}, "From"); e.isError())
        return e;
    if (Error e = checkAddresses(m.to, "To"); e.isError())
        return e;
    if (Error e = checkAddresses(m.cc, "Cc"); e.isError())
        return e;
    if (Error e = checkAddresses(m.bcc, "Bcc"); e.isError())
        return e;
    if (Error e = checkAddresses(m.replyTo, "Reply-To"); e.isError())
        return e;
    QStringList ids = m.references;
    ids << m.inReplyTo << m.messageId;
    for (const QString &id : std::as_const(ids)) {
        if (hasLineBreak(id) || id.contains(QLatin1Char(' ')) || id.contains(QLatin1Char('<'))
            || id.contains(QLatin1Char('>')))
            return Error(ErrorCode::BadArgument, QStringLiteral("unusable message id \"%1\"").arg(id.left(200)));
    }
    return {};
}

void addAddresses(GMimeMessage *message, GMimeAddressType type, const QList<MailAddress> &list)
{
    for (const MailAddress &a : list)
        g_mime_message_add_mailbox(message, type, toHeaderUtf8(a.name.trimmed()).constData(),
                                   toHeaderUtf8(a.address.trimmed()).constData());
}

DateTimePtr toGDateTime(const QDateTime &date)
{
    const QDateTime when = date.isValid() ? date : QDateTime::currentDateTime();
    GTimeZone *zone = g_time_zone_new_offset(when.offsetFromUtc());
    const QDate d = when.date();
    const QTime t = when.time();
    DateTimePtr result(g_date_time_new(zone, d.year(), d.month(), d.day(), t.hour(), t.minute(), t.second()));
    g_time_zone_unref(zone);
    return result;
}

QByteArray domainOf(const QString &address)
{
    const qsizetype at = address.lastIndexOf(QLatin1Char('@'));
    const QString domain = at >= 0 ? address.mid(at + 1).trimmed() : QString();
    return domain.isEmpty() ? QByteArrayLiteral("tandem.invalid") : domain.toUtf8();
}

// Builds the part tree: mixed( alternative( plain, related( html, images ) ), files ).
GObjectPtr<GMimeObject> buildBody(const OutgoingMessage &m, Error *error)
{
    const bool wantsHtml = !m.htmlText.isEmpty();
    GObjectPtr<GMimeObject> body;
    GObjectPtr<GMimeObject> plain = (!wantsHtml || !m.plainText.isEmpty()) ? makeTextPart(m.plainText, "plain")
                                                                           : nullptr;
    if (wantsHtml) {
        GObjectPtr<GMimeObject> html = makeTextPart(m.htmlText, "html");
        QList<const OutgoingAttachment *> images;
        for (const OutgoingAttachment &a : m.attachments) {
            if (a.inlineImage && !a.contentId.isEmpty())
                images.append(&a);
        }
        if (!images.isEmpty()) {
            GObjectPtr<GMimeMultipart> related(g_mime_multipart_new_with_subtype("related"));
            g_mime_object_set_content_type_parameter(GMIME_OBJECT(related.get()), "type", "text/html");
            g_mime_multipart_add(related.get(), html.get());
            for (const OutgoingAttachment *image : std::as_const(images)) {
                GObjectPtr<GMimeObject> part = makeAttachmentPart(*image, error);
                if (!part)
                    return nullptr;
                g_mime_multipart_add(related.get(), part.get());
            }
            html.reset(GMIME_OBJECT(related.release()));
        }
        if (plain) {
            GObjectPtr<GMimeMultipart> alternative(g_mime_multipart_new_with_subtype("alternative"));
            g_mime_multipart_add(alternative.get(), plain.get());
            g_mime_multipart_add(alternative.get(), html.get());
            body.reset(GMIME_OBJECT(alternative.release()));
        } else {
            body = std::move(html);
        }
    } else {
        body = std::move(plain);
    }

    GObjectPtr<GMimeMultipart> mixed;
    for (const OutgoingAttachment &a : m.attachments) {
        if (wantsHtml && a.inlineImage && !a.contentId.isEmpty())
            continue; // already in multipart/related
        GObjectPtr<GMimeObject> part = makeAttachmentPart(a, error);
        if (!part)
            return nullptr;
        if (!mixed) {
            mixed.reset(g_mime_multipart_new_with_subtype("mixed"));
            g_mime_multipart_add(mixed.get(), body.get());
        }
        g_mime_multipart_add(mixed.get(), part.get());
    }
    if (mixed)
        return GObjectPtr<GMimeObject>(GMIME_OBJECT(mixed.release()));
    return body;
}

QByteArray angle(const QString &id) { return '<' + id.toUtf8() + '>'; }

} // namespace

OutgoingAttachment OutgoingAttachment::fromFile(const QString &path)
{
    OutgoingAttachment a;
    a.filePath = path;
    a.fileName = QFileInfo(path).fileName();
    return a;
}

QStringList OutgoingMessage::envelopeRecipients() const
{
    QStringList out;
    for (const QList<MailAddress> *list : {&to, &cc, &bcc}) {
        for (const MailAddress &a : *list) {
            const QString address = a.address.trimmed();
            if (!address.isEmpty() && !out.contains(address, Qt::CaseInsensitive))
                out.append(address);
        }
    }
    return out;
}

QByteArray MessageBuilder::build(const OutgoingMessage &m, Error *error)
{
    Error localError;
    Error *err = error ? error : &localError;
    *err = validate(m);
    if (err->isError())
        return {};
    ensureGMime();

    GObjectPtr<GMimeMessage> message(g_mime_message_new(TRUE));
    addAddresses(message.get(), GMIME_ADDRESS_TYPE_FROM, {m.from});
    addAddresses(message.get(), GMIME_ADDRESS_TYPE_REPLY_TO, m.replyTo);
    addAddresses(message.get(), GMIME_ADDRESS_TYPE_TO, m.to);
    addAddresses(message.get(), GMIME_ADDRESS_TYPE_CC, m.cc);
    g_mime_message_set_subject(message.get(), toHeaderUtf8(m.subject).constData(), "utf-8");
    DateTimePtr date = toGDateTime(m.date);
    g_mime_message_set_date(message.get(), date.get());
    if (m.messageId.isEmpty()) {
        GCharPtr id(g_mime_utils_generate_message_id(domainOf(m.from.address).constData()));
        g_mime_message_set_message_id(message.get(), id.get());
    } else {
        g_mime_message_set_message_id(message.get(), m.messageId.toUtf8().constData());
    }
    GMimeObject *object = GMIME_OBJECT(message.get());
    if (!m.inReplyTo.isEmpty())
        g_mime_object_set_header(object, "In-Reply-To", angle(m.inReplyTo).constData(), nullptr);
    if (!m.references.isEmpty()) {
        QByteArray refs;
        for (const QString &id : m.references)
            refs += (refs.isEmpty() ? QByteArray() : QByteArrayLiteral(" ")) + angle(id);
        g_mime_object_set_header(object, "References", refs.constData(), nullptr);
    }

    GObjectPtr<GMimeObject> body = buildBody(m, err);
    if (!body)
        return {};
    g_mime_message_set_mime_part(message.get(), body.get());

    FormatOptionsPtr format = makeWireFormatOptions();
    GObjectPtr<GMimeStream> out(g_mime_stream_mem_new());
    if (g_mime_object_write_to_stream(object, format.get(), out.get()) < 0) {
        *err = Error(ErrorCode::Io, QStringLiteral("writing the message failed (an attachment became unreadable?)"));
        return {};
    }
    GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out.get()));
    QByteArray result(reinterpret_cast<const char *>(bytes->data), qsizetype(bytes->len));
    if (!result.endsWith("\r\n"))
        result += "\r\n";
    qCDebug(log::mime) << "built a message of" << result.size() << "bytes with" << m.attachments.size()
                       << "attachments";
    return result;
}

} // namespace mailcore::mime
