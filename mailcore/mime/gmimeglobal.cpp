// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/mime/gmimeglobal.h"

#include <iconv.h>

#include <mutex>
#include <vector>

#include <QString>

namespace mailcore::mime::detail {

namespace {

/// GMime opens an iconv converter for every encoded header it decodes and
/// closes it again; glibc unloads a charset's conversion module once its
/// last converter is closed, so each header loaded and unloaded the module
/// (dlopen and dlclose were a seventh of a summary sync's CPU). One standing
/// converter per charset common in mail keeps those modules loaded for the
/// life of the process.
void keepCharsetModulesLoaded()
{
    static const char *const charsets[] = {
        "ISO-8859-1",   "ISO-8859-2",   "ISO-8859-3",   "ISO-8859-4",   "ISO-8859-5",   "ISO-8859-6",   "ISO-8859-7",
        "ISO-8859-8",   "ISO-8859-9",   "ISO-8859-13",  "ISO-8859-15",  "WINDOWS-1250", "WINDOWS-1251", "WINDOWS-1252",
        "WINDOWS-1253", "WINDOWS-1254", "WINDOWS-1255", "WINDOWS-1256", "WINDOWS-1257", "KOI8-R",       "KOI8-U",
        "SHIFT_JIS",    "EUC-JP",       "ISO-2022-JP",  "GB2312",       "GBK",          "GB18030",      "BIG5",
        "EUC-KR",       "UTF-16",       "UTF-7"};
    // Never closed: that is the point (held here, so leak checkers see them
    // as still in use). A charset glibc lacks is skipped.
    static auto *const standing = new std::vector<iconv_t>; // never destroyed: outlives every parse
    for (const char *charset : charsets) {
        if (const iconv_t converter = iconv_open("UTF-8", charset); converter != iconv_t(-1))
            standing->push_back(converter);
    }
}

} // namespace

void ensureGMime()
{
    // g_mime_init() is not itself thread-safe and must run once; it is never
    // paired with g_mime_shutdown() because other threads may still be parsing
    // while the process exits.
    static std::once_flag once;
    std::call_once(once, [] {
        g_mime_init();
        keepCharsetModulesLoaded();
    });
}

ParserOptionsPtr makeParserOptions()
{
    ParserOptionsPtr options(g_mime_parser_options_new());
    g_mime_parser_options_set_rfc2047_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_address_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_parameter_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_allow_addresses_without_domain(options.get(), TRUE);
    // Raw 8-bit header text is tried as UTF-8 first (what modern senders use
    // without saying so), then windows-1252 (a superset of Latin-1 for text).
    const char *fallback[] = {"utf-8", "windows-1252", nullptr};
    g_mime_parser_options_set_fallback_charsets(options.get(), fallback);
    return options;
}

FormatOptionsPtr makeWireFormatOptions()
{
    FormatOptionsPtr options(g_mime_format_options_new());
    g_mime_format_options_set_newline_format(options.get(), GMIME_NEWLINE_FORMAT_DOS);
    g_mime_format_options_set_param_encoding_method(options.get(), GMIME_PARAM_ENCODING_METHOD_RFC2231);
    return options;
}

QString fromGMime(const char *text) { return text ? QString::fromUtf8(text) : QString(); }

QByteArray toHeaderUtf8(const QString &text)
{
    QString clean = text;
    clean.replace(QLatin1Char('\r'), QLatin1Char(' '));
    clean.replace(QLatin1Char('\n'), QLatin1Char(' '));
    clean.replace(QChar(0), QLatin1Char(' '));
    return clean.toUtf8();
}

} // namespace mailcore::mime::detail
