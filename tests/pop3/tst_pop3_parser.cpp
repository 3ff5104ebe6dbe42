// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The POP3 reply parser and the typed reply parsers. Every parser case is run
// with its input whole, split in two at every byte position and fed byte by
// byte; all runs must describe the same events.

#include <functional>

#include <QTest>

#include "mailcore/pop3/parser.h"
#include "mailcore/pop3/responses.h"
#include "support/chunkings.h"
#include "support/datatable.h"

using namespace mailcore;
using namespace mailcore::pop3;

Q_DECLARE_METATYPE(mailcore::pop3::ReplyLimits)

namespace {

QByteArray escaped(const QByteArray &bytes)
{
    QByteArray out;
    for (char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\r')
            out += "\\r";
        else if (c == '\n')
            out += "\\n";
        else if (c == '\\')
            out += "\\\\";
        else if (u < 0x20 || u >= 0x7F)
            out += "\\x" + QByteArray::number(u, 16).rightJustified(2, '0');
        else
            out += c;
    }
    return out;
}

QString describe(const Reply &reply)
{
    const char *status = reply.isOk() ? "+OK" : reply.isErr() ? "-ERR" : "+";
    QByteArray text = "R:" + QByteArray(status) + '|' + reply.code + '|' + escaped(reply.text);
    if (reply.hasPayload)
        text += "|P:" + escaped(reply.payload);
    return QString::fromLatin1(text);
}

// Feeds the chunks, draining events after each, and describes what came out.
// Consecutive data chunks are merged (their boundaries depend on chunking by
// design), and data right before an error is dropped for the same reason.
QStringList run(const QList<Expect> &expects, const QList<QByteArray> &chunks, ReplyLimits limits)
{
    ReplyParser parser(limits);
    for (Expect e : expects)
        parser.expect(e);
    QStringList events;
    QByteArray data;
    auto flushData = [&]() {
        if (!data.isEmpty())
            events.append(QStringLiteral("D:") + QString::fromLatin1(escaped(data)));
        data.clear();
    };
    for (const QByteArray &chunk : chunks) {
        parser.feed(chunk);
        for (;;) {
            ParserEvent event = parser.next();
            if (event.type == ParserEvent::Type::NeedMoreData)
                break;
            if (event.type == ParserEvent::Type::DataChunk) {
                data += event.data;
                continue;
            }
            if (event.type == ParserEvent::Type::Error) {
                data.clear();
                events.append(QStringLiteral("X:") + Error::codeName(event.error.code()));
                // A failed parser must stay failed and never hand out more.
                if (parser.next().type != ParserEvent::Type::Error)
                    events.append(QStringLiteral("BUG:recovered"));
                return events;
            }
            flushData();
            if (event.type == ParserEvent::Type::Reply)
                events.append(describe(event.reply));
            else
                events.append(QStringLiteral("E"));
        }
    }
    flushData();
    events.append(QStringLiteral("pending:%1").arg(parser.pendingReplies()));
    return events;
}

/// A reply as the parser hands it to the typed reply parsers.
Reply singleLine(const QByteArray &text, Reply::Status status = Reply::Status::Ok)
{
    Reply reply;
    reply.status = status;
    reply.text = text;
    return reply;
}

Reply multiLine(const QByteArray &payload)
{
    Reply reply;
    reply.status = Reply::Status::Ok;
    reply.hasPayload = true;
    reply.payload = payload;
    return reply;
}

const auto S = Expect::SingleLine;
const auto A = Expect::SaslStep;
const auto M = Expect::MultiLine;
const auto G = Expect::Message;
const auto T = Expect::MessageStreamed;

} // namespace

class TestPop3Parser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void chunked_data();
    void chunked();
    void largeMessageStreams();
    void largeBufferedMessageHitsLimit();
    void stlsInjectionIsVisible();
    void greeting_data();
    void greeting();
    void capabilities();
    void stat_data();
    void stat();
    void list_data();
    void list();
    void uidl_data();
    void uidl();
    void singleEntries();
    void errorMapping();
};

void TestPop3Parser::chunked_data()
{
    const auto add = tandem::test::table<QList<Expect>, QByteArray, QStringList, ReplyLimits>("expects", "input",
                                                                                              "events", "limits");
    auto row = [&add](const char *name, QList<Expect> expects, const QByteArray &input, QStringList events,
                      int maxLine = 8192, int maxReply = 1 << 20, int maxStreamed = 0) {
        add(name, expects, input, events, ReplyLimits{maxLine, maxReply, maxStreamed});
    };
    auto L = [](std::initializer_list<const char *> items) {
        QStringList list;
        for (const char *item : items)
            list.append(QString::fromLatin1(item));
        return list;
    };
    const QByteArray many = QByteArray("1 100\r\n").repeated(100);

    // Single-line replies
    row("greeting", {S}, "+OK POP3 ready <1896.697170952@dbc.mailcom>\r\n",
        L({"R:+OK||POP3 ready <1896.697170952@dbc.mailcom>", "pending:0"}));
    row("ok-empty", {S}, "+OK\r\n", L({"R:+OK||", "pending:0"}));
    row("err-empty", {S}, "-ERR\r\n", L({"R:-ERR||", "pending:0"}));
    row("err-in-use", {S}, "-ERR [IN-USE] Mailbox is locked\r\n", L({"R:-ERR|IN-USE|Mailbox is locked", "pending:0"}));
    row("err-login-delay", {S}, "-ERR [LOGIN-DELAY] wait\r\n", L({"R:-ERR|LOGIN-DELAY|wait", "pending:0"}));
    row("err-sys-temp", {S}, "-ERR [SYS/TEMP] try later\r\n", L({"R:-ERR|SYS/TEMP|try later", "pending:0"}));
    row("err-auth", {S}, "-ERR [AUTH] Authentication failed.\r\n",
        L({"R:-ERR|AUTH|Authentication failed.", "pending:0"}));
    row("ok-with-code", {S}, "+OK [X-FOO] fine\r\n", L({"R:+OK|X-FOO|fine", "pending:0"}));
    row("bracket-not-code", {S}, "-ERR [oops no close\r\n", L({"R:-ERR||[oops no close", "pending:0"}));
    row("bracket-with-space", {S}, "-ERR [a b] text\r\n", L({"R:-ERR||[a b] text", "pending:0"}));
    row("bare-lf-status", {S}, "+OK hi\n", L({"R:+OK||hi", "pending:0"}));
    row("8bit-text", {S}, "-ERR caf\xc3\xa9\r\n", L({"R:-ERR||caf\\xc3\\xa9", "pending:0"}));
    row("incomplete-line", {S}, "+OK partial", L({"pending:1"}));
    row("at-line-limit", {S}, "+OK 678901\r\n", L({"R:+OK||678901", "pending:0"}), 10);
    row("sasl-empty", {A}, "+ \r\n", L({"R:+||", "pending:0"}));
    row("sasl-bare-plus", {A}, "+\r\n", L({"R:+||", "pending:0"}));
    row("sasl-challenge", {A, A}, "+ dGVzdA==\r\n+OK Logged in.\r\n",
        L({"R:+||dGVzdA==", "R:+OK||Logged in.", "pending:0"}));

    // Multi-line replies
    row("capa", {M}, "+OK Capability list follows\r\nTOP\r\nUSER\r\nSASL PLAIN LOGIN\r\nRESP-CODES\r\n.\r\n",
        L({"R:+OK||Capability list follows|P:TOP\\r\\nUSER\\r\\nSASL PLAIN LOGIN\\r\\nRESP-CODES\\r\\n", "pending:0"}));
    row("list-empty", {M}, "+OK 0 messages\r\n.\r\n", L({"R:+OK||0 messages|P:", "pending:0"}));
    row("err-to-multiline", {M, S}, "-ERR no such message\r\n+OK\r\n",
        L({"R:-ERR||no such message", "R:+OK||", "pending:0"}));
    row("dot-stuffing", {G}, "+OK 40 octets\r\nSubject: x\r\n\r\n..leading dot\r\n...\r\n..\r\n.\r\n",
        L({"R:+OK||40 octets|P:Subject: x\\r\\n\\r\\n.leading dot\\r\\n..\\r\\n.\\r\\n", "pending:0"}));
    row("binary-safe", {G}, QByteArray("+OK\r\na\0b\xff\x80\r\n\0\r\n.\r\n", 18),
        L({"R:+OK|||P:a\\x00b\\xff\\x80\\r\\n\\x00\\r\\n", "pending:0"}));
    row("bare-lf-in-message", {G}, "+OK\r\nline1\nline2\r\nx\ry\r\n.\r\n",
        L({"R:+OK|||P:line1\\nline2\\r\\nx\\ry\\r\\n", "pending:0"}));
    row("dot-cr-not-end", {G}, "+OK\r\n.\rx\r\n.\r\n", L({"R:+OK|||P:\\rx\\r\\n", "pending:0"}));
    row("dot-lf-end", {G}, "+OK\r\nabc\n.\n", L({"R:+OK|||P:abc\\n", "pending:0"}));
    row("no-final-crlf-before-dot", {G}, "+OK\r\nabc.\r\n.\r\n", L({"R:+OK|||P:abc.\\r\\n", "pending:0"}));
    row("long-line-in-message", {G}, "+OK\r\n" + QByteArray(100, 'x') + "\r\n.\r\n",
        L({"R:+OK|||P:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
           "xxxxxxxxxxxxxxxxxxxxxxxx\\r\\n",
           "pending:0"}),
        64);
    row("incomplete-multiline", {M}, "+OK\r\n1 100\r\n", L({"pending:1"}));
    row("streamed", {T}, "+OK 12 octets\r\nabc\r\n..d\r\n.\r\n",
        L({"R:+OK||12 octets|P:", "D:abc\\r\\n.d\\r\\n", "E", "pending:0"}));
    row("streamed-empty", {T, S}, "+OK\r\n.\r\n+OK\r\n", L({"R:+OK|||P:", "E", "R:+OK||", "pending:0"}));
    row("streamed-err", {T}, "-ERR [SYS/TEMP] no\r\n", L({"R:-ERR|SYS/TEMP|no", "pending:0"}));
    row("pipelined", {S, M, T, S}, "+OK 2 320\r\n+OK\r\n1 120\r\n2 200\r\n.\r\n+OK\r\nhi\r\n.\r\n+OK bye\r\n",
        L({"R:+OK||2 320", "R:+OK|||P:1 120\\r\\n2 200\\r\\n", "R:+OK|||P:", "D:hi\\r\\n", "E", "R:+OK||bye",
           "pending:0"}));

    // Malformed input: each a clean error, nothing after it.
    row("garbage", {S}, "HELLO THERE\r\n", L({"X:protocol"}));
    row("lowercase-ok", {S}, "+ok\r\n", L({"X:protocol"}));
    row("okay", {S}, "+OKAY\r\n", L({"X:protocol"}));
    row("empty-line", {S}, "\r\n", L({"X:protocol"}));
    row("nul-in-status", {S}, QByteArray("+OK a\0b\r\n", 9), L({"X:protocol"}));
    row("continuation-not-sasl", {S}, "+ abc\r\n", L({"X:protocol"}));
    row("continuation-in-multiline", {M}, "+ abc\r\n", L({"X:protocol"}));
    row("unsolicited", {}, "+OK\r\n", L({"X:protocol"}));
    row("extra-reply", {S}, "+OK\r\n-ERR\r\n", L({"R:+OK||", "X:protocol"}));
    row("garbage-after-pipeline", {S, S}, "+OK\r\n\x01\x02\r\n", L({"R:+OK||", "X:protocol"}));
    row("status-too-long-no-crlf", {S}, QByteArray(200, 'A'), L({"X:limit"}), 64);
    row("status-over-limit", {S}, "+OK 6789012\r\n", L({"X:limit"}), 10);
    row("multiline-line-too-long", {M}, "+OK\r\n" + QByteArray(100, 'x') + "\r\n.\r\n", L({"X:limit"}), 64);
    row("multiline-never-ends", {M}, "+OK\r\n" + many, L({"X:limit"}), 8192, 256);
    row("message-over-limit", {G}, "+OK\r\n" + many + ".\r\n", L({"X:limit"}), 8192, 256);
    row("message-at-limit", {G}, "+OK\r\n" + QByteArray("1 100\r\n").repeated(2) + ".\r\n",
        L({"R:+OK|||P:1 100\\r\\n1 100\\r\\n", "pending:0"}), 8192, 14);
    row("streamed-over-limit", {T}, "+OK\r\n" + many + ".\r\n", L({"R:+OK|||P:", "X:limit"}), 8192, 1 << 20, 256);
}

void TestPop3Parser::chunked()
{
    QFETCH(QList<Expect>, expects);
    QFETCH(QByteArray, input);
    QFETCH(QStringList, events);
    QFETCH(ReplyLimits, limits);

    const qsizetype step = input.size() > 4096 ? input.size() / 509 : 1; // long input: cut at about 500 places
    tandem::test::compareEveryChunking(tandem::test::chunkings(input, step), events,
                                       [&](const QList<QByteArray> &chunks) { return run(expects, chunks, limits); });
}

void TestPop3Parser::largeMessageStreams()
{
    // 20 MB with a dot-stuffed line every 1000 lines: the parser must hand it
    // out as it arrives and never hold more than one received chunk.
    QByteArray message;
    QByteArray wire = "+OK 20 MB follow\r\n";
    const QByteArray line = QByteArray(78, 'm') + "\r\n";
    for (int i = 0; message.size() < 20 * 1024 * 1024; ++i) {
        if (i % 1000 == 0) {
            message += ".dot\r\n";
            wire += "..dot\r\n";
        }
        message += line;
        wire += line;
    }
    wire += ".\r\n+OK\r\n";

    ReplyLimits limits;
    limits.maxReplySize = 1024 * 1024; // must not apply to a streamed reply
    ReplyParser parser(limits);
    parser.expect(Expect::MessageStreamed);
    parser.expect(Expect::SingleLine);
    QByteArray received;
    int replies = 0;
    bool ended = false;
    const qsizetype chunk = 65536 + 7; // odd size so "\r\n." straddles chunk edges
    for (qsizetype pos = 0; pos < wire.size(); pos += chunk) {
        parser.feed(QByteArrayView(wire).sliced(pos, qMin(chunk, wire.size() - pos)));
        for (;;) {
            ParserEvent event = parser.next();
            QVERIFY(event.type != ParserEvent::Type::Error);
            if (event.type == ParserEvent::Type::NeedMoreData)
                break;
            if (event.type == ParserEvent::Type::DataChunk) {
                QVERIFY(event.data.size() <= chunk);
                received += event.data;
            }
            replies += event.type == ParserEvent::Type::Reply;
            ended = ended || event.type == ParserEvent::Type::DataEnd;
        }
        QVERIFY(parser.bufferedBytes() <= 2);
    }
    QVERIFY(ended);
    QCOMPARE(replies, 2);
    QCOMPARE(received.size(), message.size());
    QVERIFY(received == message);
}

void TestPop3Parser::largeBufferedMessageHitsLimit()
{
    ReplyLimits limits;
    limits.maxReplySize = 1024 * 1024;
    ReplyParser parser(limits);
    parser.expect(Expect::Message);
    parser.feed("+OK\r\n");
    const QByteArray block = QByteArray(1022, 'z') + "\r\n";
    ParserEvent event;
    int fed = 0;
    // Feeds up to 20 MB, but the parser must give up after about 1 MB.
    while (fed < 20 * 1024 && event.type != ParserEvent::Type::Error) {
        parser.feed(block);
        ++fed;
        event = parser.next();
    }
    QCOMPARE(event.type, ParserEvent::Type::Error);
    QCOMPARE(event.error.code(), ErrorCode::Limit);
    QVERIFY(fed <= 1025);
    QCOMPARE(parser.bufferedBytes(), 0);
}

void TestPop3Parser::stlsInjectionIsVisible()
{
    // A man in the middle appends a reply after "+OK Begin TLS"; the connection
    // must see that bytes are left over instead of parsing them after the handshake.
    ReplyParser parser;
    parser.expect(Expect::SingleLine);
    parser.feed("+OK Begin TLS negotiation\r\n+OK injected\r\n");
    QCOMPARE(parser.next().type, ParserEvent::Type::Reply);
    QCOMPARE(parser.bufferedBytes(), 14);
}

void TestPop3Parser::greeting_data()
{
    const auto row = tandem::test::table<QByteArray, QByteArray>("line", "timestamp");
    row("rfc-example", "POP3 server ready <1896.697170952@dbc.mtview.ca.us>", "<1896.697170952@dbc.mtview.ca.us>");
    row("dovecot", "Dovecot (Debian) ready.", QByteArray());
    row("no-at", "ready <12345>", QByteArray());
    row("space-inside", "ready <a b@c>", QByteArray());
    row("unclosed", "ready <a@b", QByteArray());
}

void TestPop3Parser::greeting()
{
    QFETCH(QByteArray, line);
    QFETCH(QByteArray, timestamp);
    Reply reply = singleLine(line);
    const Result<Greeting> greeting = Responses::greeting(reply);
    QVERIFY(greeting.isOk());
    QCOMPARE(greeting->apopTimestamp, timestamp);
    reply.status = Reply::Status::Err;
    QCOMPARE(Responses::greeting(reply).error().code(), ErrorCode::ServerRefused);
}

void TestPop3Parser::capabilities()
{
    const Result<Capabilities> caps = Responses::capabilities(
        multiLine("CAPA\r\nTOP\r\nUIDL\r\nRESP-CODES\r\nPIPELINING\r\nAUTH-RESP-CODE\r\nUSER\r\n"
                  "SASL PLAIN login\r\nSTLS\r\nIMPLEMENTATION Dovecot 2.3\r\nLOGIN-DELAY 900\r\n"
                  "X-UNKNOWN yes\r\n"));
    QVERIFY(caps.isOk());
    QVERIFY(caps->top && caps->uidl && caps->respCodes && caps->pipelining && caps->authRespCode);
    QVERIFY(caps->user && caps->stls && !caps->utf8);
    QCOMPARE(caps->saslMechanisms, (QList<QByteArray>{"PLAIN", "LOGIN"}));
    QVERIFY(caps->hasSasl("plain"));
    QVERIFY(!caps->hasSasl("CRAM-MD5"));
    QCOMPARE(caps->implementation, QByteArray("Dovecot 2.3"));
    QCOMPARE(caps->loginDelaySeconds, std::optional<int>(900));
    QCOMPARE(caps->lines.size(), 12); // the "CAPA" line too

    const Result<Capabilities> none = Responses::capabilities(multiLine(""));
    QVERIFY(none.isOk());
    QVERIFY(!none->pipelining && none->saslMechanisms.isEmpty());

    QCOMPARE(Responses::capabilities(multiLine(QByteArray("TOP\r\nU\0SER\r\n", 12))).error().code(),
             ErrorCode::Protocol);
}

void TestPop3Parser::stat_data()
{
    const auto row = tandem::test::table<QByteArray, bool, int, qint64>("text", "valid", "count", "size");
    row("plain", "2 320", true, 2, qint64(320));
    row("empty-box", "0 0", true, 0, qint64(0));
    row("big", "5 9000000000", true, 5, qint64(9000000000));
    row("trailing-info", "2 320 messages", true, 2, qint64(320));
    row("missing-size", "2", false, 0, qint64(0));
    row("negative", "-2 320", false, 0, qint64(0));
    row("plus-sign", "+2 320", false, 0, qint64(0));
    row("double-space", "2  320", false, 0, qint64(0));
    row("overflow", "2 99999999999999999999", false, 0, qint64(0));
    row("int-overflow", "3000000000 1", false, 0, qint64(0));
    row("letters", "two 320", false, 0, qint64(0));
    row("empty", QByteArray(), false, 0, qint64(0));
}

void TestPop3Parser::stat()
{
    QFETCH(QByteArray, text);
    QFETCH(bool, valid);
    const Result<Stat> stat = Responses::stat(singleLine(text));
    QCOMPARE(stat.isOk(), valid);
    if (valid) {
        QTEST(stat->count, "count");
        QTEST(stat->size, "size");
    } else {
        QCOMPARE(stat.error().code(), ErrorCode::Protocol);
    }
}

void TestPop3Parser::list_data()
{
    const auto row = tandem::test::table<QByteArray, bool, int>("payload", "valid", "entries");
    row("two", "1 120\r\n2 200\r\n", true, 2);
    row("none", QByteArray(), true, 0);
    row("gaps", "1 120\r\n7 9\r\n", true, 2);
    row("bare-lf", "1 120\n2 200\n", true, 2);
    row("zero-number", "0 120\r\n", false, 0);
    row("duplicate", "1 120\r\n1 200\r\n", false, 0);
    row("garbage", "hello\r\n", false, 0);
    row("nul", QByteArray("1 1\0\r\n", 6), false, 0);
}

void TestPop3Parser::list()
{
    QFETCH(QByteArray, payload);
    QFETCH(bool, valid);
    QFETCH(int, entries);
    const auto list = Responses::list(multiLine(payload));
    QCOMPARE(list.isOk(), valid);
    if (valid)
        QCOMPARE(list->size(), entries);
    else
        QCOMPARE(list.error().code(), ErrorCode::Protocol);
}

void TestPop3Parser::uidl_data()
{
    const auto row = tandem::test::table<QByteArray, bool>("payload", "valid");
    row("dovecot", "1 000000014f3c8b5a\r\n2 000000024f3c8b5a\r\n", true);
    row("punctuation", "1 !~<>\"#\r\n", true);
    row("70-chars", QByteArray("1 " + QByteArray(70, 'u') + "\r\n"), true);
    row("71-chars", QByteArray("1 " + QByteArray(71, 'u') + "\r\n"), false);
    row("empty-id", "1 \r\n", false);
    row("no-id", "1\r\n", false);
    row("del-char", "1 ab\x7f\r\n", false);
    row("8bit", "1 ab\xc3\xa9\r\n", false);
    row("nul", QByteArray("1 ab\0c\r\n", 8), false);
    row("tab", "1 ab\tc\r\n", false);
    row("duplicate-number", "1 a\r\n1 b\r\n", false);
    row("duplicate-id", "1 a\r\n2 a\r\n", false);
}

void TestPop3Parser::uidl()
{
    QFETCH(QByteArray, payload);
    QFETCH(bool, valid);
    const auto uids = Responses::uidl(multiLine(payload));
    QCOMPARE(uids.isOk(), valid);
    if (!valid)
        QCOMPARE(uids.error().code(), ErrorCode::Protocol);
}

void TestPop3Parser::singleEntries()
{
    Reply reply = singleLine("3 4711");
    QCOMPARE(Responses::listOne(reply)->number, 3);
    QCOMPARE(Responses::listOne(reply)->size, qint64(4711));
    reply.text = "3 whDxbj9Q";
    QCOMPARE(Responses::uidlOne(reply)->uid, QByteArray("whDxbj9Q"));
    QCOMPARE(Responses::listOne(reply).error().code(), ErrorCode::Protocol);
    reply.text = "3 " + QByteArray(71, 'u');
    QCOMPARE(Responses::uidlOne(reply).error().code(), ErrorCode::Protocol);
    reply.status = Reply::Status::Err;
    reply.text = "no such message";
    QCOMPARE(Responses::uidlOne(reply).error().code(), ErrorCode::ServerRefused);
}

void TestPop3Parser::errorMapping()
{
    Reply reply = singleLine("Authentication failed.", Reply::Status::Err);
    reply.code = "AUTH";
    QCOMPARE(reply.toError().code(), ErrorCode::Auth);
    QVERIFY(!reply.isTransientFailure());
    reply.code = "IN-USE";
    QCOMPARE(reply.toError().code(), ErrorCode::ServerRefused);
    QCOMPARE(reply.toError().message(), QStringLiteral("[IN-USE] Authentication failed."));
    QVERIFY(reply.isTransientFailure());
    reply.code = "SYS/TEMP";
    QVERIFY(reply.isTransientFailure());
    reply.code = "SYS/PERM";
    QVERIFY(!reply.isTransientFailure());
    reply.status = Reply::Status::Ok;
    QVERIFY(!reply.toError().isError());
}

QTEST_APPLESS_MAIN(TestPop3Parser)
#include "tst_pop3_parser.moc"
