// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/mime/gmimeglobal.h"

#include <mutex>

#include <QString>

namespace mailcore::mime::detail {

void ensureGMime()
{
    // g_mime_init() is not itself thread-safe and must run once; it is never
    // paired with g_mime_shutdown() because other threads may still be parsing
    // while the process exits.
    static std::once_flag once;
    std::call_once(once, [] { g_mime_init(); });
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
