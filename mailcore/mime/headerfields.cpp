// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/mime/headerfields.h"

#include <vector>

#include "mailcore/mime/gmimeglobal.h"
#include "mailcore/mime/headerreader.h"

namespace mailcore::mime::detail {

namespace {

struct Field {
    QByteArray name;     // as written
    QByteArray rawValue; // after the colon to the end of its last line, line breaks included as GMime keeps them
};

bool isNameChar(char c) { return c > ' ' && c < 127 && c != ':'; }

/// The block's fields, or nullopt at the first line that is neither a field
/// ("Name:" with a name of printable characters) nor a continuation (starting
/// with a space or tab), or at a NUL byte. A blank line ends the block; a
/// block without any field is not read here either.
std::optional<std::vector<Field>> splitFields(const QByteArray &block)
{
    std::vector<Field> fields;
    const char *begin = block.constData();
    const char *end = begin + block.size();
    const char *valueBegin = nullptr; // of the field being read
    const auto finish = [&](const char *valueEnd) {
        if (valueBegin)
            fields.back().rawValue = QByteArray(valueBegin, valueEnd - valueBegin);
    };
    const char *lastLineEnd = begin;
    for (const char *p = begin; p < end;) {
        const char *lineEnd = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
        const char *next = lineEnd ? lineEnd + 1 : end;
        const char *textEnd = lineEnd ? lineEnd : end;
        if (textEnd > p && textEnd[-1] == '\r')
            --textEnd;
        if (std::memchr(p, '\0', size_t(next - p)))
            return std::nullopt;
        if (textEnd == p) // a blank line: the end of the block
            break;
        if (*p == ' ' || *p == '\t') {
            if (fields.empty())
                return std::nullopt;
            // A continuation: the value runs on, its line breaks kept as they
            // came (GMime keeps them in the raw value; a quoted name keeps them).
        } else {
            const char *colon = p;
            while (colon < textEnd && isNameChar(*colon))
                ++colon;
            if (colon == p || colon == textEnd || *colon != ':')
                return std::nullopt;
            finish(lastLineEnd);
            fields.push_back({QByteArray(p, colon - p), {}});
            valueBegin = colon + 1;
        }
        lastLineEnd = next;
        p = next;
    }
    finish(lastLineEnd);
    if (fields.empty()) // GMime makes no message of that: its error is kept
        return std::nullopt;
    return fields;
}

bool named(const Field &f, const char *name) { return qstricmp(f.name.constData(), name) == 0; }

/// What GMimeHeader::get_value gives: unfolded, encoded words decoded.
GCharPtr decodedValue(GMimeParserOptions *options, const Field &f)
{
    GCharPtr unfolded(g_mime_utils_header_unfold(f.rawValue.constData()));
    return GCharPtr(g_mime_utils_header_decode_text(options, unfolded.get()));
}

/// False when GMime's list parser gives up on a value that is not blank:
/// it then returns no list at all, where a GMimeMessage keeps the addresses
/// read before the fault (through a private function), so such a block is
/// left to the GMimeMessage.
bool appendAddresses(QList<MailAddress> &out, GMimeParserOptions *options, const Field &f)
{
    // As GMimeMessage does: each header's raw value parsed, the lists of
    // headers of one name joined.
    InternetAddressList *list = internet_address_list_parse(options, f.rawValue.constData());
    if (!list)
        return f.rawValue.trimmed().isEmpty();
    out += readAddressList(list);
    g_object_unref(list);
    return true;
}

} // namespace

std::optional<MessageHeaders> decodeWellFormedHeaders(const QByteArray &block)
{
    std::optional<std::vector<Field>> fields = splitFields(block);
    if (!fields)
        return std::nullopt;
    ensureGMime();
    // Read only during decoding, so one for every thread.
    static const ParserOptionsPtr options = makeParserOptions();
    GMimeParserOptions *o = options.get();
    MessageHeaders h;
    bool inReplyToSeen = false;
    bool referencesSeen = false;
    for (const Field &f : *fields) {
        // Subject, Date and Message-Id: the last one counts (GMimeMessage
        // takes each as it is added); In-Reply-To and References: the first
        // (g_mime_object_get_header).
        if (named(f, "Subject")) {
            h.subject = fromGMime(decodedValue(o, f).get()).trimmed();
        } else if (named(f, "From")) {
            if (!appendAddresses(h.from, o, f))
                return std::nullopt;
        } else if (named(f, "Sender")) {
            if (!appendAddresses(h.sender, o, f))
                return std::nullopt;
        } else if (named(f, "Reply-To")) {
            if (!appendAddresses(h.replyTo, o, f))
                return std::nullopt;
        } else if (named(f, "To")) {
            if (!appendAddresses(h.to, o, f))
                return std::nullopt;
        } else if (named(f, "Cc")) {
            if (!appendAddresses(h.cc, o, f))
                return std::nullopt;
        } else if (named(f, "Bcc")) {
            if (!appendAddresses(h.bcc, o, f))
                return std::nullopt;
        } else if (named(f, "Date")) {
            const DateTimePtr date(g_mime_utils_header_decode_date(decodedValue(o, f).get()));
            h.date = readDate(date.get());
        } else if (named(f, "Message-Id")) {
            const GCharPtr id(g_mime_utils_decode_message_id(decodedValue(o, f).get()));
            h.messageId = fromGMime(id.get());
        } else if (named(f, "In-Reply-To")) {
            if (!std::exchange(inReplyToSeen, true)) {
                const GCharPtr id(g_mime_utils_decode_message_id(decodedValue(o, f).get()));
                h.inReplyTo = fromGMime(id.get());
            }
        } else if (named(f, "References")) {
            if (!std::exchange(referencesSeen, true)) {
                if (GMimeReferences *list = g_mime_references_parse(o, decodedValue(o, f).get())) {
                    const int n = g_mime_references_length(list);
                    for (int i = 0; i < n; ++i)
                        h.references.append(fromGMime(g_mime_references_get_message_id(list, i)));
                    g_mime_references_free(list);
                }
            }
        } else if (qstrnicmp(f.name.constData(), "List-", 5) == 0) {
            h.listHeaders.append({QString::fromLatin1(f.name), fromGMime(decodedValue(o, f).get()).trimmed()});
        }
    }
    return h;
}

} // namespace mailcore::mime::detail
