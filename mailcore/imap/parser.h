// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include "mailcore/imap/framer.h"
#include "mailcore/imap/response.h"
#include "mailcore/mailcore_export.h"

namespace mailcore::imap {

/// Either a Response or the reason there is none.
struct ParsedResponse {
    bool ok = false;
    Response response;
    ProtocolError error;
};

/// Pure function: one complete framed response to a value. Never throws, never
/// loops on its input; unknown untagged responses become GenericData, anything
/// malformed a ProtocolError with the offending position.
MAILCORE_EXPORT ParsedResponse parseResponse(const Frame &frame, const ParserLimits &limits = {});

/// Convenience for tests and tools: frames and parses one complete response
/// given as bytes. Fails if `bytes` is not exactly one response.
MAILCORE_EXPORT ParsedResponse parseResponseBytes(QByteArrayView bytes, const ParserLimits &limits = {});

/// The incremental parser a connection owns: framer plus parseResponse().
/// Feed whatever the socket delivered; each call yields at most one response.
///
///     QByteArrayView in = socketBytes;
///     while (!in.isEmpty()) {
///         auto r = parser.feed(in);
///         in = in.sliced(r.consumed);
///         if (r.status == ParseStatus::NeedMore) break;
///         if (r.status == ParseStatus::Error) { dropConnection(r.error.toError()); break; }
///         route(r.response); // by r.response.tag
///     }
class MAILCORE_EXPORT ResponseParser
{
public:
    struct Result {
        ParseStatus status = ParseStatus::NeedMore;
        qsizetype consumed = 0;
        Response response;   ///< when Complete
        ProtocolError error; ///< when Error
    };

    explicit ResponseParser(ParserLimits limits = {});

    Result feed(QByteArrayView input);
    /// Forget any partial response, e.g. when the stream restarts after STARTTLS
    /// (bytes received before the handshake must never be parsed).
    void reset() { m_framer.reset(); }

    const ResponseFramer &framer() const { return m_framer; }

private:
    ResponseFramer m_framer;
};

} // namespace mailcore::imap
