// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/mime/headerreader.h"

#include <QDateTime>

#include "mailcore/mime/gmimeglobal.h"

namespace mailcore::mime::detail {

namespace {

void appendMailbox(QList<MailAddress> *out, InternetAddress *address, const QString &group)
{
    MailAddress a;
    a.name = fromGMime(internet_address_get_name(address)).trimmed();
    a.address = fromGMime(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address))).trimmed();
    a.group = group;
    out->append(a);
}

QString messageIdFrom(const char *value)
{
    if (!value)
        return {};
    GCharPtr id(g_mime_utils_decode_message_id(value));
    return fromGMime(id.get());
}

} // namespace

QDateTime readDate(GDateTime *date)
{
    if (!date)
        return {};
    const QDate day(g_date_time_get_year(date), g_date_time_get_month(date), g_date_time_get_day_of_month(date));
    const QTime time(g_date_time_get_hour(date), g_date_time_get_minute(date), g_date_time_get_second(date));
    const int offsetSeconds = int(g_date_time_get_utc_offset(date) / G_TIME_SPAN_SECOND);
    return QDateTime(day, time, Qt::OffsetFromUTC, offsetSeconds);
}

QList<MailAddress> readAddressList(InternetAddressList *list)
{
    QList<MailAddress> out;
    if (!list)
        return out;
    const int count = internet_address_list_length(list);
    for (int i = 0; i < count; ++i) {
        InternetAddress *address = internet_address_list_get_address(list, i);
        if (INTERNET_ADDRESS_IS_GROUP(address)) {
            const QString group = fromGMime(internet_address_get_name(address)).trimmed();
            InternetAddressList *members = internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address));
            const int memberCount = members ? internet_address_list_length(members) : 0;
            if (memberCount == 0) {
                MailAddress empty;
                empty.group = group;
                out.append(empty);
            }
            for (int m = 0; m < memberCount; ++m) {
                InternetAddress *member = internet_address_list_get_address(members, m);
                // RFC 5322 forbids nested groups; GMime keeps them, we flatten them.
                if (INTERNET_ADDRESS_IS_MAILBOX(member))
                    appendMailbox(&out, member, group);
            }
        } else if (INTERNET_ADDRESS_IS_MAILBOX(address)) {
            appendMailbox(&out, address, QString());
        }
    }
    return out;
}

MessageHeaders readHeaders(GMimeMessage *message, GMimeParserOptions *options)
{
    MessageHeaders h;
    h.subject = fromGMime(g_mime_message_get_subject(message)).trimmed();
    h.from = readAddressList(g_mime_message_get_from(message));
    h.sender = readAddressList(g_mime_message_get_sender(message));
    h.replyTo = readAddressList(g_mime_message_get_reply_to(message));
    h.to = readAddressList(g_mime_message_get_to(message));
    h.cc = readAddressList(g_mime_message_get_cc(message));
    h.bcc = readAddressList(g_mime_message_get_bcc(message));
    h.date = readDate(g_mime_message_get_date(message));
    h.messageId = fromGMime(g_mime_message_get_message_id(message));

    GMimeObject *object = GMIME_OBJECT(message);
    h.inReplyTo = messageIdFrom(g_mime_object_get_header(object, "In-Reply-To"));
    if (const char *refs = g_mime_object_get_header(object, "References")) {
        if (GMimeReferences *list = g_mime_references_parse(options, refs)) {
            const int n = g_mime_references_length(list);
            for (int i = 0; i < n; ++i)
                h.references.append(fromGMime(g_mime_references_get_message_id(list, i)));
            g_mime_references_free(list);
        }
    }

    GMimeHeaderList *headers = g_mime_object_get_header_list(object);
    const int count = headers ? g_mime_header_list_get_count(headers) : 0;
    for (int i = 0; i < count; ++i) {
        GMimeHeader *header = g_mime_header_list_get_header_at(headers, i);
        const char *name = g_mime_header_get_name(header);
        if (name && g_ascii_strncasecmp(name, "List-", 5) == 0)
            h.listHeaders.append({fromGMime(name), fromGMime(g_mime_header_get_value(header)).trimmed()});
    }
    return h;
}

} // namespace mailcore::mime::detail
