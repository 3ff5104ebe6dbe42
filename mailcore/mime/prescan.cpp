// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/mime/prescan.h"

#include <cstring>

#include "mailcore/mime/types.h"

namespace mailcore::mime::detail {

namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

bool startsWithNoCase(const char *p, const char *end, const char *word)
{
    const size_t n = std::strlen(word);
    if (size_t(end - p) < n)
        return false;
    for (size_t i = 0; i < n; ++i) {
        if (lower(p[i]) != word[i])
            return false;
    }
    return true;
}

// True if the line at `p` is a Content-Type header declaring a container
// (multipart/* or message/*), allowing folding between the colon and the value.
bool declaresContainer(const char *p, const char *end)
{
    if (!startsWithNoCase(p, end, "content-type"))
        return false;
    p += 12;
    while (p < end && (*p == ' ' || *p == '\t'))
        ++p;
    if (p >= end || *p != ':')
        return false;
    ++p;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
        ++p;
    return startsWithNoCase(p, end, "multipart") || startsWithNoCase(p, end, "message");
}

} // namespace

qsizetype headerBlockEnd(const QByteArray &raw)
{
    const char *begin = raw.constData();
    const char *end = begin + raw.size();
    // A message may start with its body directly (no headers at all).
    if (raw.startsWith("\r\n"))
        return 2;
    if (raw.startsWith('\n'))
        return 1;
    for (const char *p = begin; p < end;) {
        const char *nl = static_cast<const char *>(std::memchr(p, '\n', size_t(end - p)));
        if (!nl)
            break;
        const char *next = nl + 1;
        if (next < end && *next == '\n')
            return next + 1 - begin;
        if (next + 1 < end && next[0] == '\r' && next[1] == '\n')
            return next + 2 - begin;
        p = next;
    }
    return raw.size();
}

Error checkLimits(const QByteArray &raw)
{
    if (raw.size() > limits::MaxMessageBytes)
        return Error(ErrorCode::Limit,
                     QStringLiteral("message of %1 bytes is larger than the limit of %2")
                         .arg(raw.size())
                         .arg(limits::MaxMessageBytes));
    const qsizetype headerEnd = headerBlockEnd(raw);
    if (headerEnd > limits::MaxHeaderBytes)
        return Error(ErrorCode::Limit,
                     QStringLiteral("header block of %1 bytes is larger than the limit of %2")
                         .arg(headerEnd)
                         .arg(limits::MaxHeaderBytes));
    int containers = 0;
    const char *begin = raw.constData();
    const char *end = begin + raw.size();
    for (const char *line = begin; line < end;) {
        if (declaresContainer(line, end) && ++containers > limits::MaxContainerParts)
            return Error(ErrorCode::Limit,
                         QStringLiteral("message declares more than %1 multipart or message parts")
                             .arg(limits::MaxContainerParts));
        const char *nl = static_cast<const char *>(std::memchr(line, '\n', size_t(end - line)));
        if (!nl)
            break;
        line = nl + 1;
    }
    return {};
}

} // namespace mailcore::mime::detail
