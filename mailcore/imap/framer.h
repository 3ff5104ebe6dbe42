// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include "mailcore/base/error.h"
#include "mailcore/mailcore_export.h"

namespace mailcore::imap {

/// Explicit bounds on what a server can make us buffer or recurse into. A
/// hostile or broken server hits these and gets a protocol error; nothing is
/// allocated on the strength of a number it announced beyond these values.
struct ParserLimits {
    /// Non-literal text of one response, all its lines together. Real responses
    /// are far below this; a FETCH of 1000 flag lists is ~100 KiB.
    qsizetype maxLineLength = 1 << 20;
    /// One literal (BODY[] of one message). Larger messages need a partial fetch.
    qint64 maxLiteralSize = qint64(64) << 20;
    /// All literals of one response together (a FETCH of several sections).
    qint64 maxResponseLiteralBytes = qint64(256) << 20;
    /// Parenthesised lists inside each other (BODYSTRUCTURE nesting). The parser
    /// recurses, so this also bounds stack use.
    int maxNestingDepth = 64;
};

/// A malformed response. `position` counts bytes from the start of the
/// offending response as it was received (literal bytes included).
struct ProtocolError {
    QString description;
    qint64 position = 0;
    MAILCORE_EXPORT Error toError() const; ///< ErrorCode::Protocol
    friend bool operator==(const ProtocolError &, const ProtocolError &) = default;
};

/// One complete response cut from the stream, not yet interpreted. `text` is
/// every line as received, terminators included, with each literal's bytes cut
/// out; literals[i].offset is where literal i sat in `text` (right after the
/// line that announced it). Literal bytes live in their own buffers so a 20 MB
/// BODY[] is never copied again once received.
struct Frame {
    struct Literal {
        qsizetype offset = 0;
        QByteArray data;
        friend bool operator==(const Literal &, const Literal &) = default;
    };
    QByteArray text;
    QList<Literal> literals;
    friend bool operator==(const Frame &, const Frame &) = default;
};

enum class ParseStatus { Complete, NeedMore, Error };

/// Cuts a byte stream into complete responses: lines plus the {n}, {n+} and
/// ~{n} literals they announce. Input may arrive split at any byte. The framer
/// keeps only the unfinished response; the caller keeps its own buffer and
/// advances it by `consumed`:
///
///     while (!input.isEmpty()) {
///         auto r = framer.feed(input);
///         input = input.sliced(r.consumed);
///         if (r.status != ParseStatus::Complete) break; // NeedMore or Error
///         handle(r.frame);
///     }
///
/// After an Error the stream is unusable (the connection must be dropped);
/// reset() starts over. Not thread-safe; owned by one connection.
class MAILCORE_EXPORT ResponseFramer
{
public:
    struct Result {
        ParseStatus status = ParseStatus::NeedMore;
        qsizetype consumed = 0; ///< bytes of the input used by this call
        Frame frame;            ///< when Complete
        ProtocolError error;    ///< when Error
    };

    explicit ResponseFramer(ParserLimits limits = {});

    /// Consumes input up to the end of the first complete response (Complete),
    /// or all of it (NeedMore), or up to the offending byte (Error).
    Result feed(QByteArrayView input);
    void reset();

    const ParserLimits &limits() const { return m_limits; }
    /// Progress of the literal being received, for download progress reports:
    /// bytes so far and announced size; both 0 when not inside a literal.
    qint64 literalReceived() const { return m_inLiteral ? m_literal.size() : 0; }
    qint64 literalExpected() const { return m_inLiteral ? m_literalSize : 0; }
    /// True while part of a response is buffered.
    bool hasPartialResponse() const { return !m_frame.text.isEmpty() || m_inLiteral; }

private:
    Result fail(QString description, qsizetype consumed);
    /// After a complete line: does it announce a literal? Sets m_inLiteral.
    bool startLiteralIfAnnounced(qsizetype lineStart, QString *error);
    bool lineMayCarryLiteral() const;

    ParserLimits m_limits;
    Frame m_frame;
    qsizetype m_lineStart = 0; ///< where the current line starts in m_frame.text
    bool m_inLiteral = false;
    qint64 m_literalSize = 0;
    qint64 m_literalBytesInResponse = 0;
    qint64 m_streamPos = 0; ///< bytes of the current response received so far
    QByteArray m_literal;
    bool m_failed = false;
};

} // namespace mailcore::imap
