// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// libFuzzer target for the DNS reply parser of account discovery.
//
// Input: a whole reply as a name server would send it. The id asked for is
// taken from the reply's first two bytes (so most inputs get past the id
// check) and the question is always _imaps._tcp.example.org. Whatever the
// bytes, the parser must return a value or an error, within its bounds: no
// record beyond the reply's end, no target that is not a host name.

#include <cstdint>
#include <cstdlib>

#include <QByteArray>

#include "mailcore/discovery/dnsmessage.h"

using namespace mailcore;
using namespace mailcore::discovery;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(bytes), qsizetype(size));
    const quint16 id = input.size() >= 2 ? quint16(quint8(input[0]) << 8 | quint8(input[1])) : 0;
    static const QString name = QStringLiteral("_imaps._tcp.example.org");
    const Result<DnsReply> reply = parseSrvReply(input, id, name);
    if (reply) {
        if (reply->records.size() > 64)
            std::abort();
        for (const SrvRecord &record : reply->records) {
            if (record.target.size() > 255 || record.target.contains(QLatin1Char(' ')))
                std::abort();
        }
    } else if (reply.error().code() != ErrorCode::Protocol) {
        std::abort();
    }
    return 0;
}
