// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/discovery/dnsmessage.h"

#include <QUrl>

#include <optional>

namespace mailcore::discovery {

namespace {

constexpr quint16 typeSrv = 33;
constexpr quint16 classIn = 1;
constexpr qsizetype headerSize = 12;
constexpr qsizetype maxNameLength = 255; // RFC 1035 3.1, in octets on the wire
constexpr qsizetype maxLabelLength = 63;
constexpr qsizetype maxRecordsKept = 64; // more SRV records than any domain needs

// Reading a message; every read is checked against its end, and the first
// failure is kept (later reads then fail too) so callers test once.
class Reader
{
public:
    explicit Reader(QByteArrayView bytes)
        : m_bytes(bytes)
    {
    }

    bool failed() const { return !m_why.isEmpty(); }
    QString why() const { return m_why; }
    qsizetype position() const { return m_position; }
    void seek(qsizetype position) { m_position = position; }
    void fail(const QString &why)
    {
        if (m_why.isEmpty())
            m_why = why;
    }

    quint16 u16()
    {
        if (!need(2))
            return 0;
        const quint16 value = quint16(byteAt(m_position) << 8 | byteAt(m_position + 1));
        m_position += 2;
        return value;
    }
    quint32 u32()
    {
        const quint32 high = u16();
        return high << 16 | u16();
    }
    void skip(qsizetype count)
    {
        if (need(count))
            m_position += count;
    }

    // A name at the current position, its labels lower-cased (ASCII) and
    // joined by dots; the position moves past it (past the first pointer when
    // it is compressed). Pointers must point strictly backwards, so following
    // them always ends, whatever the message says.
    QByteArray name()
    {
        QByteArray name;
        qsizetype at = m_position;
        std::optional<qsizetype> after;
        qsizetype wireLength = 0;
        while (!failed()) {
            if (at >= m_bytes.size()) {
                fail(QStringLiteral("a name runs past the end of the reply"));
                break;
            }
            const quint8 length = byteAt(at);
            if ((length & 0xC0) == 0xC0) {
                if (at + 1 >= m_bytes.size()) {
                    fail(QStringLiteral("a name's compression pointer is cut off"));
                    break;
                }
                const qsizetype target = qsizetype(length & 0x3F) << 8 | byteAt(at + 1);
                if (!after)
                    after = at + 2;
                if (target >= at) {
                    fail(QStringLiteral("a compression pointer points forward (at byte %1)").arg(at));
                    break;
                }
                at = target;
                continue;
            }
            if (length & 0xC0) {
                fail(QStringLiteral("a name uses an unknown label type (at byte %1)").arg(at));
                break;
            }
            wireLength += length + 1;
            if (wireLength > maxNameLength) {
                fail(QStringLiteral("a name is longer than 255 octets"));
                break;
            }
            if (length == 0) {
                if (!after)
                    after = at + 1;
                break;
            }
            if (at + 1 + length > m_bytes.size()) {
                fail(QStringLiteral("a name runs past the end of the reply"));
                break;
            }
            if (!name.isEmpty())
                name += '.';
            name += m_bytes.sliced(at + 1, length).toByteArray().toLower();
            at += 1 + length;
        }
        if (!failed())
            m_position = *after;
        return name;
    }

private:
    quint8 byteAt(qsizetype index) const { return quint8(m_bytes[index]); }
    bool need(qsizetype count)
    {
        if (failed())
            return false;
        if (count > m_bytes.size() - m_position) {
            fail(QStringLiteral("the reply ends in the middle of a record"));
            return false;
        }
        return true;
    }

    QByteArrayView m_bytes;
    qsizetype m_position = 0;
    QString m_why;
};

// A host name as a connection may use it: letters, digits, '-' and '_' in
// dot-separated labels. A target with anything else is not followed.
bool isHostName(const QByteArray &name)
{
    if (name.isEmpty())
        return false;
    for (const QByteArray &label : name.split('.')) {
        if (label.isEmpty())
            return false;
        for (char c : label) {
            const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok)
                return false;
        }
    }
    return true;
}

// The name as the wire compares it: ASCII lower case, each non-ASCII label in
// its IDNA form, no final dot. Empty when a label cannot be encoded.
QByteArray wireName(const QString &name)
{
    QString trimmed = name;
    if (trimmed.endsWith(QLatin1Char('.')))
        trimmed.chop(1);
    QByteArray out;
    const QStringList labels = trimmed.split(QLatin1Char('.'));
    for (const QString &label : labels) {
        bool ascii = true;
        for (QChar c : label)
            ascii = ascii && c.unicode() < 0x80;
        const QByteArray encoded = ascii ? label.toLatin1().toLower() : QUrl::toAce(label);
        if (encoded.isEmpty() || encoded.size() > maxLabelLength || encoded.contains('.'))
            return {};
        if (!out.isEmpty())
            out += '.';
        out += encoded;
    }
    return out.size() + 2 > maxNameLength ? QByteArray() : out;
}

Error malformed(const QString &why)
{
    return Error(ErrorCode::Protocol, QStringLiteral("malformed DNS reply: %1").arg(why));
}

} // namespace

Result<QByteArray> buildSrvQuery(quint16 id, const QString &name)
{
    const QByteArray wire = wireName(name);
    if (wire.isEmpty())
        return Error(ErrorCode::BadArgument, QStringLiteral("\"%1\" is not a name DNS can look up").arg(name));
    QByteArray query;
    auto put16 = [&query](quint16 value) {
        query += char(value >> 8);
        query += char(value & 0xFF);
    };
    put16(id);
    put16(0x0100); // a standard query, recursion desired
    put16(1);      // one question
    put16(0);
    put16(0);
    put16(0);
    for (const QByteArray &label : wire.split('.')) {
        query += char(label.size());
        query += label;
    }
    query += char(0);
    put16(typeSrv);
    put16(classIn);
    return query;
}

Result<DnsReply> parseSrvReply(QByteArrayView bytes, quint16 id, const QString &name)
{
    if (bytes.size() < headerSize)
        return malformed(QStringLiteral("%1 bytes, shorter than a DNS header").arg(bytes.size()));
    if (bytes.size() > maxDnsMessageSize)
        return malformed(QStringLiteral("%1 bytes, longer than a DNS message can be").arg(bytes.size()));
    const QByteArray asked = wireName(name);
    Reader in(bytes);
    DnsReply reply;
    reply.id = in.u16();
    const quint16 flags = in.u16();
    const quint16 questions = in.u16();
    const quint16 answers = in.u16();
    in.skip(4); // authority and additional counts: nothing there is used
    if (reply.id != id)
        return malformed(QStringLiteral("it answers query %1, not %2").arg(reply.id).arg(id));
    if (!(flags & 0x8000))
        return malformed(QStringLiteral("it is a query, not a reply"));
    if ((flags >> 11 & 0xF) != 0)
        return malformed(QStringLiteral("it is not a standard query's reply"));
    reply.truncated = flags & 0x0200;
    reply.responseCode = flags & 0xF;
    if (questions > 1)
        return malformed(QStringLiteral("it repeats %1 questions; one was asked").arg(questions));
    if (questions == 1) {
        const QByteArray question = in.name();
        const quint16 type = in.u16();
        const quint16 klass = in.u16();
        if (in.failed())
            return malformed(in.why());
        if (question != asked || type != typeSrv || klass != classIn)
            return malformed(QStringLiteral("it answers another question (%1)").arg(QString::fromLatin1(question)));
    }
    if (reply.responseCode != 0)
        return reply;
    for (int i = 0; i < answers && !in.failed(); ++i) {
        const QByteArray owner = in.name();
        const quint16 type = in.u16();
        const quint16 klass = in.u16();
        in.u32(); // time to live: the answer is used once
        const quint16 length = in.u16();
        const qsizetype dataStart = in.position();
        in.skip(length);
        if (in.failed())
            break;
        if (type != typeSrv || klass != classIn || owner != asked)
            continue; // a CNAME on the way, or something not asked for
        const qsizetype dataEnd = in.position();
        in.seek(dataStart);
        SrvRecord record;
        record.priority = in.u16();
        record.weight = in.u16();
        record.port = in.u16();
        const QByteArray target = in.name();
        if (in.failed())
            break;
        if (in.position() != dataEnd) {
            in.fail(QStringLiteral("an SRV record's length does not match its content"));
            break;
        }
        if (!target.isEmpty() && !isHostName(target))
            return malformed(QStringLiteral("an SRV target is not a host name"));
        record.target = QString::fromLatin1(target);
        if (reply.records.size() < maxRecordsKept)
            reply.records.append(record);
    }
    // A truncated reply ends where the datagram did: what came whole is kept.
    if (in.failed() && !reply.truncated)
        return malformed(in.why());
    return reply;
}

QString firstNameServer(QByteArrayView resolvConf)
{
    const QList<QByteArray> lines = resolvConf.toByteArray().split('\n');
    for (const QByteArray &line : lines) {
        const QList<QByteArray> words = line.simplified().split(' ');
        if (words.size() >= 2 && words.at(0) == "nameserver")
            return QString::fromLatin1(words.at(1));
    }
    return {};
}

} // namespace mailcore::discovery
