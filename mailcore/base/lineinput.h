// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include "mailcore/base/error.h"

namespace mailcore {

/// What a reply parser of a line-based protocol (POP3, SMTP) has received, how
/// far it has read, and what broke the stream if something did. Lines end at
/// LF; a CR right before the LF is not part of the line. A line longer than the
/// parser's limit is reported as soon as that many bytes have arrived, not when
/// (or if) its LF does. A broken stream is never resynchronised: fail() drops
/// what is buffered and append() takes nothing more.
///
/// Inline on purpose: the fuzzers compile the parsers into themselves for
/// coverage feedback, and this code is the first thing a server's bytes meet.
struct LineInput {
    /// The line at the read position, as peekLine() finds it.
    struct Line {
        enum Status { Incomplete, TooLong, Complete };
        Status status = Incomplete;
        /// Complete: the line without its LF and a CR before it. Points into
        /// bytes, so it is valid until the buffer changes.
        QByteArrayView text;
        /// Complete: where the next line starts.
        qsizetype next = 0;
    };

    QByteArray bytes;
    /// The first byte not read yet.
    qsizetype pos = 0;
    Error error;

    bool failed() const { return error.isError(); }
    qsizetype unread() const { return bytes.size() - pos; }

    /// Appends received bytes, unless the stream has failed.
    void append(QByteArrayView more)
    {
        if (!failed())
            bytes.append(more.data(), more.size());
    }

    /// Records what broke the stream and drops every byte buffered.
    void fail(const Error &why)
    {
        error = why;
        bytes.clear();
        pos = 0;
    }

    /// Looks at the line at pos without reading it; `maxLength` excludes CR LF.
    Line peekLine(qsizetype maxLength) const
    {
        const qsizetype lf = bytes.indexOf('\n', pos);
        const qsizetype available = (lf < 0 ? bytes.size() : lf) - pos;
        // +1: a CR before the LF does not count towards the line length.
        if (available > maxLength + 1)
            return {Line::TooLong, {}, 0};
        if (lf < 0)
            return {Line::Incomplete, {}, 0};
        QByteArrayView text(bytes.constData() + pos, lf - pos);
        if (text.endsWith('\r'))
            text.chop(1);
        if (text.size() > maxLength)
            return {Line::TooLong, {}, 0};
        return {Line::Complete, text, lf + 1};
    }

    /// Drops the bytes read once they are most of the buffer, so that a long
    /// session does not keep everything it ever received, without shifting
    /// memory on every line.
    void compact()
    {
        if (pos == bytes.size()) {
            bytes.clear();
            pos = 0;
        } else if (pos > 4096 && pos > bytes.size() / 2) {
            bytes.remove(0, pos);
            pos = 0;
        }
    }
};

} // namespace mailcore
