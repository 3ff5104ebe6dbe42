// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Feeding the IMAP response parser the way a connection does, shared by its
// unit test and its fuzzer. Header-only, with no Qt Test in it: the fuzzer
// links nothing but mailcore.

#include <QByteArray>
#include <QByteArrayList>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <algorithm>

#include "mailcore/imap/debugdump.h"
#include "mailcore/imap/parser.h"

namespace tandem::test {

/// What the parser made of an input.
struct ImapFeed {
    QList<mailcore::imap::Response> responses;
    bool error = false;
    mailcore::imap::ProtocolError protocolError;
    bool partial = false; ///< an unfinished response is buffered at the end
    QString problem;      ///< a broken framer contract; empty when it held

    /// Every response described (debugdump), one per line, then the error and
    /// whether a response was left unfinished: equal for equal parses.
    QByteArray dump() const
    {
        QByteArrayList lines;
        for (const mailcore::imap::Response &r : responses)
            lines.append(mailcore::imap::describe(r, true));
        if (error)
            lines.append("ERROR " + protocolError.description.toUtf8() + " @"
                         + QByteArray::number(protocolError.position));
        if (partial)
            lines.append("PARTIAL");
        return lines.join('\n');
    }
};

/// Feeds `input` in chunks of the given sizes (cycled), the way a connection
/// does: advance by what the parser consumed, the next chunk at NeedMore, stop
/// at an error; and checks the framer's contract on the way.
inline ImapFeed feedImapParser(QByteArrayView input, const QList<qsizetype> &chunkSizes,
                               const mailcore::imap::ParserLimits &limits = {})
{
    using mailcore::imap::ParseStatus;
    mailcore::imap::ResponseParser parser(limits);
    ImapFeed feed;
    qsizetype pos = 0;
    qsizetype next = 0;
    while (pos < input.size() && !feed.error) {
        const qsizetype size = std::min(chunkSizes[next++ % chunkSizes.size()], input.size() - pos);
        QByteArrayView chunk = input.sliced(pos, size);
        pos += size;
        while (!chunk.isEmpty()) {
            const auto r = parser.feed(chunk);
            if (r.consumed < 0 || r.consumed > chunk.size())
                feed.problem = QStringLiteral("consumed out of range");
            chunk = chunk.sliced(std::clamp<qsizetype>(r.consumed, 0, chunk.size()));
            if (r.status == ParseStatus::Complete) {
                if (r.consumed == 0)
                    feed.problem = QStringLiteral("Complete without consuming");
                feed.responses.append(r.response);
            } else if (r.status == ParseStatus::Error) {
                feed.error = true;
                feed.protocolError = r.error;
                break;
            } else {
                if (!chunk.isEmpty())
                    feed.problem = QStringLiteral("NeedMore left input unconsumed");
                break;
            }
        }
    }
    feed.partial = !feed.error && parser.framer().hasPartialResponse();
    return feed;
}

} // namespace tandem::test
