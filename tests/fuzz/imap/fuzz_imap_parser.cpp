// libFuzzer target for the IMAP response parser.
//
// Input layout: byte 0 and 1 choose two chunk sizes (1..64 and 1..17) that
// alternate, the rest is server output. The same bytes are parsed once in one
// piece and once in chunks; any difference in the responses or the error is a
// framing bug and traps. Everything parsed is also described (the debug dump
// walks every field), and mailbox names and sequence sets are round-tripped.

#include <cstddef>
#include <cstdint>

#include "mailcore/imap/debugdump.h"
#include "mailcore/imap/parser.h"
#include "mailcore/imap/utf7.h"

using namespace mailcore::imap;

namespace {

struct Run {
    QList<Response> responses;
    bool error = false;
    ProtocolError protocolError;
};

Run parse(QByteArrayView input, qsizetype chunkA, qsizetype chunkB, const ParserLimits &limits)
{
    ResponseParser parser(limits);
    Run run;
    qsizetype pos = 0;
    bool useA = true;
    while (pos < input.size() && !run.error) {
        const qsizetype n = std::min(useA ? chunkA : chunkB, input.size() - pos);
        useA = !useA;
        QByteArrayView chunk = input.sliced(pos, n);
        pos += n;
        while (!chunk.isEmpty()) {
            const auto r = parser.feed(chunk);
            if (r.consumed < 0 || r.consumed > chunk.size())
                __builtin_trap();
            chunk = chunk.sliced(r.consumed);
            if (r.status == ParseStatus::Complete) {
                run.responses.append(r.response);
            } else if (r.status == ParseStatus::Error) {
                run.error = true;
                run.protocolError = r.error;
                break;
            } else {
                if (!chunk.isEmpty())
                    __builtin_trap(); // NeedMore must consume everything it was given
                break;
            }
        }
    }
    return run;
}

void exercise(const Response &r)
{
    (void)describe(r, true);
    if (const ListData *l = r.get<ListData>()) {
        if (auto name = decodeMailboxName(l->rawName)) {
            if (decodeMailboxName(encodeMailboxName(*name)) != name)
                __builtin_trap();
        }
    }
    if (const VanishedData *v = r.get<VanishedData>()) {
        if (SequenceSet::parse(v->uids.toByteArray()) != v->uids)
            __builtin_trap();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const qsizetype chunkA = data[0] % 64 + 1;
    const qsizetype chunkB = data[1] % 17 + 1;
    const QByteArrayView input(reinterpret_cast<const char *>(data) + 2, qsizetype(size) - 2);

    // Small limits so the fuzzer reaches them with small inputs.
    ParserLimits limits;
    limits.maxLineLength = 4096;
    limits.maxLiteralSize = 8192;
    limits.maxResponseLiteralBytes = 16384;
    limits.maxNestingDepth = 16;

    const Run whole = parse(input, input.size() + 1, input.size() + 1, limits);
    const Run chunked = parse(input, chunkA, chunkB, limits);
    if (whole.responses != chunked.responses || whole.error != chunked.error
        || whole.protocolError != chunked.protocolError)
        __builtin_trap();
    for (const Response &r : whole.responses)
        exercise(r);
    return 0;
}
