// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/mime/charset.h"

#include <cerrno>

#include <iconv.h>

#include <QStringDecoder>

#include "mailcore/mime/gmimeglobal.h"

namespace mailcore::mime::detail {

namespace {

bool decodeUtf8Strict(const QByteArray &bytes, QString *out)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder.decode(bytes);
    if (decoder.hasError())
        return false;
    *out = std::move(text);
    return true;
}

bool isAsciiLabel(const QByteArray &lower)
{
    return lower.isEmpty() || lower == "us-ascii" || lower == "ascii" || lower == "ansi_x3.4-1968";
}

} // namespace

bool convertStrict(const QByteArray &bytes, const char *charset, QString *out)
{
    ensureGMime();
    iconv_t cd = g_mime_iconv_open("UTF-8", charset);
    if (cd == reinterpret_cast<iconv_t>(-1))
        return false;
    QByteArray result;
    // UTF-8 needs at most 4 bytes per input byte for every single-byte charset
    // and fewer for multi-byte ones; grow on E2BIG anyway.
    result.resize(bytes.size() * 2 + 16);
    char *in = const_cast<char *>(bytes.constData());
    size_t inLeft = size_t(bytes.size());
    char *outPtr = result.data();
    size_t outLeft = size_t(result.size());
    bool ok = true;
    while (inLeft > 0) {
        const size_t r = iconv(cd, &in, &inLeft, &outPtr, &outLeft);
        if (r != size_t(-1))
            continue;
        if (errno == E2BIG) {
            const qsizetype used = outPtr - result.data();
            result.resize(result.size() * 2);
            outPtr = result.data() + used;
            outLeft = size_t(result.size() - used);
            continue;
        }
        ok = false; // EILSEQ or EINVAL: the bytes are not in this charset
        break;
    }
    if (ok) {
        // Flush any shift state (ISO-2022-JP ends in ASCII mode).
        if (iconv(cd, nullptr, nullptr, &outPtr, &outLeft) == size_t(-1))
            ok = false;
    }
    g_mime_iconv_close(cd);
    if (!ok)
        return false;
    result.truncate(outPtr - result.data());
    *out = QString::fromUtf8(result);
    return true;
}

QString decodeText(const QByteArray &bytes, const QByteArray &charset)
{
    QString text;
    const QByteArray lower = charset.trimmed().toLower();
    if (isAsciiLabel(lower) || lower == "utf-8" || lower == "utf8") {
        // Undeclared or "us-ascii" 8-bit text is UTF-8 far more often than not today.
        if (decodeUtf8Strict(bytes, &text))
            return text;
    } else if (convertStrict(bytes, lower.constData(), &text)) {
        return text;
    }
    if (convertStrict(bytes, "windows-1252", &text))
        return text;
    return QString::fromLatin1(bytes);
}

} // namespace mailcore::mime::detail
