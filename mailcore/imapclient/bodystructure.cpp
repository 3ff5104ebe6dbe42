// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/imapclient/bodystructure.h"

#include <algorithm>

#include "mailcore/mime/message.h"

namespace mailcore::imapops {

using imap::BodyStructure;
using imap::ParamList;

namespace {

QByteArray parameter(const ParamList &params, QByteArrayView name)
{
    for (const auto &[key, value] : params) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

/// Decodes RFC 2047 words and 8-bit text. mime has no public call for one
/// header value, so the value goes through its header parser as a Subject:
/// one decoder for the whole program, with its charset table and its
/// workarounds for GMime.
QString decodeHeaderValue(QByteArray value)
{
    value.replace('\r', ' ').replace('\n', ' '); // a literal could carry them; a header line cannot
    return mime::Message::parseHeaders("Subject: " + value + "\r\n\r\n").subject;
}

bool isCharsetName(QByteArrayView name)
{
    return !name.isEmpty() && name.size() <= 40 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
            || c == '.' || c == ':';
    });
}

/// RFC 2231: `name*0*=utf-8''%E2%82%AC`, `name*1=...`, or one `name*=...`.
/// Returns a null string when the parameter has no such form.
QString rfc2231Value(const ParamList &params, QByteArrayView name)
{
    struct Piece {
        int index;
        bool encoded;
        QByteArray value;
    };
    QList<Piece> pieces;
    const QByteArray prefix = name.toByteArray().toLower() + '*';
    for (const auto &[rawKey, value] : params) {
        const QByteArray key = rawKey.toLower();
        if (!key.startsWith(prefix))
            continue;
        QByteArray rest = key.mid(prefix.size()); // "", "0", "0*", "1"
        const bool encoded = rest.isEmpty() || rest.endsWith('*');
        if (rest.endsWith('*'))
            rest.chop(1);
        bool ok = true;
        const int index = rest.isEmpty() ? 0 : rest.toInt(&ok);
        if (ok && index >= 0 && index < 1000)
            pieces << Piece{index, encoded, value};
    }
    if (pieces.isEmpty())
        return {};
    std::sort(pieces.begin(), pieces.end(), [](const Piece &a, const Piece &b) { return a.index < b.index; });
    QByteArray charset = "utf-8";
    QByteArray bytes;
    for (const Piece &p : std::as_const(pieces)) {
        QByteArray value = p.value;
        if (p.encoded && &p == &pieces.first()) { // charset'language'text
            const QList<QByteArray> fields = value.split('\'');
            if (fields.size() >= 3) {
                if (isCharsetName(fields[0]))
                    charset = fields[0];
                value = value.mid(fields[0].size() + fields[1].size() + 2);
            }
        }
        bytes += p.encoded ? QByteArray::fromPercentEncoding(value) : value;
    }
    // Back into one encoded word, so the charset goes through the same decoder.
    return decodeHeaderValue("=?" + charset + "?B?" + bytes.toBase64() + "?=");
}

QString decodedParameter(const ParamList &params, QByteArrayView name)
{
    const QString extended = rfc2231Value(params, name);
    if (!extended.isNull())
        return extended;
    const QByteArray plain = parameter(params, name);
    return plain.isEmpty() ? QString() : decodeHeaderValue(plain);
}

mime::Disposition dispositionOf(const QByteArray &disposition)
{
    if (disposition.compare("attachment", Qt::CaseInsensitive) == 0)
        return mime::Disposition::Attachment;
    if (disposition.compare("inline", Qt::CaseInsensitive) == 0)
        return mime::Disposition::Inline;
    return mime::Disposition::Unspecified;
}

void collect(const BodyStructure &body, const QByteArray &section, QList<MessagePart> &out)
{
    if (body.isMultipart()) {
        for (std::size_t i = 0; i < body.parts.size(); ++i) {
            const QByteArray number = QByteArray::number(qulonglong(i + 1));
            collect(body.parts[i], section.isEmpty() ? number : section + '.' + number, out);
        }
        return;
    }
    MessagePart part;
    part.section = section.isEmpty() ? QByteArrayLiteral("1") : section;
    part.mimeType = QString::fromLatin1(body.type + '/' + body.subtype).toLower();
    part.charset = parameter(body.parameters, "charset");
    part.encoding = body.encoding.toLower();
    part.size = body.size;
    part.fileName = fileNameOf(body);
    part.disposition = dispositionOf(body.disposition);
    QByteArray id = body.id;
    if (id.startsWith('<') && id.endsWith('>'))
        id = id.mid(1, id.size() - 2);
    part.contentId = QString::fromLatin1(id);
    out << part;
}

} // namespace

QList<MessagePart> partsOf(const BodyStructure &body)
{
    QList<MessagePart> parts;
    collect(body, {}, parts); // depth is bounded by the parser's nesting limit
    return parts;
}

bool hasSection(const BodyStructure &body, QByteArrayView section)
{
    const BodyStructure *node = &body;
    bool atRoot = true;
    for (const QByteArray &step : section.toByteArray().split('.')) {
        bool number = false;
        const qulonglong n = step.toULongLong(&number);
        if (!number)
            break; // MIME, HEADER, TEXT: a suffix of the part named so far
        const bool isMessage = node->type == "message" && node->subtype == "rfc822" && node->parts.size() == 1;
        const BodyStructure *container = isMessage ? &node->parts.front() : node;
        if (container->isMultipart()) {
            if (n < 1 || n > container->parts.size())
                return false;
            node = &container->parts[n - 1];
        } else if (n != 1 || (!atRoot && !isMessage)) {
            return false; // a single part has only "1": itself at the top, the body of an attached message below
        } else {
            node = container;
        }
        atRoot = false;
    }
    return !atRoot;
}

QString fileNameOf(const BodyStructure &part)
{
    const QString fromDisposition = decodedParameter(part.dispositionParameters, "filename");
    return fromDisposition.isEmpty() ? decodedParameter(part.parameters, "name") : fromDisposition;
}

} // namespace mailcore::imapops
