// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Private to mailcore/mime: RAII owners for GLib/GMime objects, so that every
// early return releases what it took.

#include <memory>

#include <gmime/gmime.h>

namespace mailcore::mime::detail {

struct GObjectUnref {
    void operator()(gpointer p) const
    {
        if (p)
            g_object_unref(p);
    }
};

/// Owns one reference of a GObject (GMimeMessage, GMimeStream, ...).
template <typename T>
using GObjectPtr = std::unique_ptr<T, GObjectUnref>;

/// Takes a new reference to an object someone else owns.
template <typename T>
GObjectPtr<T> addRef(T *object)
{
    if (object)
        g_object_ref(object);
    return GObjectPtr<T>(object);
}

struct GFree {
    void operator()(gpointer p) const { g_free(p); }
};
using GCharPtr = std::unique_ptr<char, GFree>;

struct ParserOptionsFree {
    void operator()(GMimeParserOptions *p) const { g_mime_parser_options_free(p); }
};
using ParserOptionsPtr = std::unique_ptr<GMimeParserOptions, ParserOptionsFree>;

struct FormatOptionsFree {
    void operator()(GMimeFormatOptions *p) const { g_mime_format_options_free(p); }
};
using FormatOptionsPtr = std::unique_ptr<GMimeFormatOptions, FormatOptionsFree>;

struct DateTimeUnref {
    void operator()(GDateTime *p) const
    {
        if (p)
            g_date_time_unref(p);
    }
};
using DateTimePtr = std::unique_ptr<GDateTime, DateTimeUnref>;

} // namespace mailcore::mime::detail
