// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include "mailcore/base/error.h"
#include "mailcore/mailcore_export.h"

namespace mailcore::smtp {

/// Turns a message into the bytes sent after "354": line ends normalised to
/// CR LF (bare LF and bare CR each become CR LF), lines starting with "." get a
/// second one (RFC 5321 §4.5.2), and finish() adds the final "." line.
///
/// Streaming: feed the message in chunks of any size; the state that matters at
/// a boundary (a CR whose LF may follow, being at a line start) is carried over,
/// so the output is the same however the input is cut.
///
/// Lines longer than the limit (RFC 5322: 998 octets) are not broken, since that
/// would change the message; they are reported through error(), and the caller
/// decides (re-encode, or send anyway to a server known to accept them).
class MAILCORE_EXPORT DataEncoder
{
public:
    static constexpr qsizetype DefaultMaxLineLength = 998;

    /// maxLineLength 0 turns the line length check off.
    explicit DataEncoder(qsizetype maxLineLength = DefaultMaxLineLength);

    /// Appends the encoded form of chunk to out.
    void encode(QByteArrayView chunk, QByteArray &out);
    QByteArray encode(QByteArrayView chunk);
    /// The end: CR LF if the message did not end with a line end, then ".\r\n".
    /// Call once; encode() must not be called afterwards.
    QByteArray finish();

    /// Limit error naming the first overlong line (1-based), or None.
    Error error() const;
    /// Longest line seen, in octets of the input without line end.
    qsizetype longestLine() const { return m_longestLine; }
    bool hasEightBitData() const { return m_eightBit; }
    bool hasNul() const { return m_nul; }

    /// The whole message in one go: encode(message) + finish().
    static QByteArray encodeAll(QByteArrayView message);

private:
    void endLine(QByteArray &out);

    qsizetype m_maxLineLength;
    qsizetype m_lineLength = 0;
    qsizetype m_longestLine = 0;
    qint64 m_line = 1;
    qint64 m_firstOverlongLine = 0;
    bool m_atLineStart = true;
    bool m_afterCr = false; // the last input octet was a CR, already written as CR LF
    bool m_eightBit = false;
    bool m_nul = false;
    bool m_finished = false;
};

} // namespace mailcore::smtp
