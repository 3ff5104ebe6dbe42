// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// libFuzzer target for the POP3 reply parser.
//
// Input: an optional first line "#<kinds>\n" naming the replies to expect
// (S single, A SASL step, M multi-line, G message, T streamed message; "l"
// switches to tiny limits), then raw server bytes. Without the line the
// parser expects a greeting and then alternates kinds.
//
// The stream is parsed three times: whole, byte by byte and in pseudo-random
// chunks. The event sequences must be identical (chunking must never change
// the result); every reply also goes through the typed parsers.

#include <cstdint>
#include <cstdlib>

#include <QByteArray>
#include <QList>

#include "mailcore/pop3/parser.h"
#include "mailcore/pop3/responses.h"

using namespace mailcore;
using namespace mailcore::pop3;

namespace {

struct Setup {
    QList<Expect> expects;
    ReplyLimits limits;
    QByteArrayView stream;
};

Setup setup(QByteArrayView input)
{
    Setup s;
    s.limits.maxLineLength = 1024;
    s.limits.maxReplySize = 256 * 1024;
    s.stream = input;
    if (input.startsWith('#')) {
        qsizetype end = input.indexOf('\n');
        if (end < 0)
            end = input.size();
        for (char c : input.sliced(1, end - 1).first(qMin<qsizetype>(end - 1, 64))) {
            switch (c) {
            case 'S': s.expects.append(Expect::SingleLine); break;
            case 'A': s.expects.append(Expect::SaslStep); break;
            case 'M': s.expects.append(Expect::MultiLine); break;
            case 'G': s.expects.append(Expect::Message); break;
            case 'T': s.expects.append(Expect::MessageStreamed); break;
            case 'l':
                s.limits.maxLineLength = 32;
                s.limits.maxReplySize = 128;
                s.limits.maxStreamedSize = 256;
                break;
            default: break;
            }
        }
        s.stream = input.sliced(qMin(end + 1, input.size()));
    } else {
        s.expects = {Expect::SingleLine,      Expect::MultiLine, Expect::SingleLine, Expect::Message,
                     Expect::MessageStreamed, Expect::SaslStep,  Expect::MultiLine,  Expect::SingleLine};
    }
    return s;
}

void exerciseTyped(const Reply &reply)
{
    (void)Responses::greeting(reply);
    (void)Responses::stat(reply);
    (void)Responses::listOne(reply);
    (void)Responses::uidlOne(reply);
    (void)reply.toError();
    (void)reply.isTransientFailure();
    if (reply.hasPayload) {
        (void)Responses::capabilities(reply);
        (void)Responses::list(reply);
        (void)Responses::uidl(reply);
    }
}

// One run; data chunks are merged and data before an error dropped, since
// their boundaries legitimately depend on chunking.
QByteArray run(const Setup &s, const QList<qsizetype> &cuts)
{
    ReplyParser parser(s.limits);
    for (Expect e : s.expects)
        parser.expect(e);
    QByteArray log;
    QByteArray data;
    qsizetype pos = 0;
    for (qsizetype i = 0; i <= cuts.size(); ++i) {
        const qsizetype end = i < cuts.size() ? cuts.at(i) : s.stream.size();
        parser.feed(s.stream.sliced(pos, end - pos));
        pos = end;
        for (int guard = 0;; ++guard) {
            if (guard > 100000)
                abort(); // next() must make progress or say NeedMoreData
            ParserEvent event = parser.next();
            if (event.type == ParserEvent::Type::NeedMoreData)
                break;
            if (event.type == ParserEvent::Type::DataChunk) {
                if (event.data.isEmpty())
                    abort(); // empty chunks are never handed out
                data += event.data;
                continue;
            }
            if (event.type == ParserEvent::Type::Error) {
                if (parser.next().type != ParserEvent::Type::Error)
                    abort(); // a failed parser must stay failed
                return log + "X" + QByteArray::number(int(event.error.code()));
            }
            if (!data.isEmpty())
                log += "D" + QByteArray::number(data.size()) + ':' + data;
            data.clear();
            if (event.type == ParserEvent::Type::Reply) {
                const Reply &r = event.reply;
                exerciseTyped(r);
                log += "R" + QByteArray::number(int(r.status)) + '|' + r.code + '|' + r.text + '|'
                    + QByteArray::number(r.hasPayload) + QByteArray::number(r.payload.size()) + ':' + r.payload;
            } else {
                log += "E";
            }
        }
    }
    if (!data.isEmpty())
        log += "D" + QByteArray::number(data.size()) + ':' + data;
    return log + "P" + QByteArray::number(parser.pendingReplies());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(bytes), qsizetype(size));
    const Setup s = setup(input);
    const QByteArray whole = run(s, {});

    QList<qsizetype> cuts;
    if (s.stream.size() <= 2048) {
        for (qsizetype i = 1; i < s.stream.size(); ++i)
            cuts.append(i);
        if (run(s, cuts) != whole)
            abort();
    }
    cuts.clear();
    uint32_t state = 2166136261u;
    for (char c : s.stream.first(qMin<qsizetype>(s.stream.size(), 32)))
        state = (state ^ uint8_t(c)) * 16777619u;
    for (qsizetype pos = 0;;) {
        state = state * 1103515245u + 12345u;
        pos += 1 + (state >> 16) % 37;
        if (pos >= s.stream.size())
            break;
        cuts.append(pos);
    }
    if (run(s, cuts) != whole)
        abort();
    return 0;
}
