// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
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
#include "support/imapfeed.h"

using namespace mailcore::imap;

namespace {

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

    const tandem::test::ImapFeed whole = tandem::test::feedImapParser(input, {input.size() + 1}, limits);
    const tandem::test::ImapFeed chunked = tandem::test::feedImapParser(input, {chunkA, chunkB}, limits);
    if (!whole.problem.isEmpty() || !chunked.problem.isEmpty()) // the framer broke its contract
        __builtin_trap();
    if (whole.responses != chunked.responses || whole.error != chunked.error
        || whole.protocolError != chunked.protocolError)
        __builtin_trap();
    for (const Response &r : whole.responses)
        exercise(r);
    return 0;
}
