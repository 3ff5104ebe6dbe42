// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// libFuzzer target for the SMTP reply parser.
//
// The input is raw server output, parsed whole, byte by byte and in
// pseudo-random chunks; the replies must be identical. Each reply also goes
// through EHLO capability parsing, challenge decoding and error mapping. The
// same bytes are then run through the DATA encoder, whole and chunked: the
// output must be identical and never contain an early end-of-data marker.

#include <cstdint>
#include <cstdlib>

#include <QByteArray>
#include <QList>

#include "mailcore/smtp/capabilities.h"
#include "mailcore/smtp/dataencoder.h"
#include "mailcore/smtp/parser.h"

using namespace mailcore;
using namespace mailcore::smtp;

namespace {

QList<qsizetype> pseudoRandomCuts(QByteArrayView input)
{
    QList<qsizetype> cuts;
    uint32_t state = 2166136261u;
    for (char c : input.first(qMin<qsizetype>(input.size(), 32)))
        state = (state ^ uint8_t(c)) * 16777619u;
    for (qsizetype pos = 0;;) {
        state = state * 1103515245u + 12345u;
        pos += 1 + (state >> 16) % 29;
        if (pos >= input.size())
            return cuts;
        cuts.append(pos);
    }
}

QByteArray runParser(QByteArrayView input, const QList<qsizetype> &cuts)
{
    ReplyLimits limits;
    limits.maxLineLength = 512;
    limits.maxLines = 64;
    ReplyParser parser(limits);
    QByteArray log;
    qsizetype pos = 0;
    for (qsizetype i = 0; i <= cuts.size(); ++i) {
        const qsizetype end = i < cuts.size() ? cuts.at(i) : input.size();
        parser.feed(input.sliced(pos, end - pos));
        pos = end;
        for (int guard = 0;; ++guard) {
            if (guard > 100000)
                abort();
            const ParseResult result = parser.next();
            if (result.status == ParseResult::Status::NeedMoreData)
                break;
            if (result.status == ParseResult::Status::Error) {
                if (parser.next().status != ParseResult::Status::Error)
                    abort();
                return log + "X" + QByteArray::number(int(result.error.code()));
            }
            const Reply &r = result.reply;
            if (r.code < 200 || r.code > 559 || r.lines.isEmpty())
                abort();
            (void)Capabilities::fromEhlo(r);
            (void)r.challenge();
            (void)r.toError();
            log += "R" + QByteArray::number(r.code) + r.enhancedText() + '|' + r.lines.join('|') + '\n';
        }
    }
    return log + "B" + QByteArray::number(parser.bufferedBytes());
}

QByteArray runEncoder(QByteArrayView input, const QList<qsizetype> &cuts)
{
    DataEncoder encoder;
    QByteArray out;
    qsizetype pos = 0;
    for (qsizetype i = 0; i <= cuts.size(); ++i) {
        const qsizetype end = i < cuts.size() ? cuts.at(i) : input.size();
        encoder.encode(input.sliced(pos, end - pos), out);
        pos = end;
    }
    out += encoder.finish();
    return out;
}

void checkEncoded(const QByteArray &out)
{
    // Exactly one end marker, at the end; every CR is part of a CR LF.
    if (!out.endsWith(".\r\n") || (out.size() > 3 && !out.endsWith("\r\n.\r\n")))
        abort();
    const QByteArrayView body = QByteArrayView(out).chopped(3);
    if (body.indexOf("\r\n.\r\n") >= 0 || body.startsWith(".\r\n"))
        abort();
    for (qsizetype i = 0; i < out.size(); ++i) {
        if (out.at(i) == '\r' && (i + 1 == out.size() || out.at(i + 1) != '\n'))
            abort();
        if (out.at(i) == '\n' && (i == 0 || out.at(i - 1) != '\r'))
            abort();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(bytes), qsizetype(size));
    const QList<qsizetype> cuts = pseudoRandomCuts(input);
    QList<qsizetype> everyByte;
    if (input.size() <= 2048) {
        for (qsizetype i = 1; i < input.size(); ++i)
            everyByte.append(i);
    }

    const QByteArray whole = runParser(input, {});
    if (runParser(input, cuts) != whole)
        abort();
    if (!everyByte.isEmpty() && runParser(input, everyByte) != whole)
        abort();

    const QByteArray encoded = runEncoder(input, {});
    checkEncoded(encoded);
    if (runEncoder(input, cuts) != encoded)
        abort();
    if (!everyByte.isEmpty() && runEncoder(input, everyByte) != encoded)
        abort();
    return 0;
}
