// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The SMTP reply parser, EHLO capabilities and reply-to-error mapping. Every
// parser case runs with its input whole, split at every byte and byte by byte.

#include <QTest>

#include "mailcore/smtp/capabilities.h"
#include "mailcore/smtp/parser.h"
#include "mailcore/smtp/recipients.h"
#include "support/chunkings.h"
#include "support/datatable.h"

using namespace mailcore;
using namespace mailcore::smtp;

Q_DECLARE_METATYPE(mailcore::smtp::ReplyLimits)

namespace {

QString describe(const smtp::Reply &reply)
{
    QString text = QStringLiteral("R:%1|").arg(reply.code) + QString::fromLatin1(reply.enhancedText());
    for (const QByteArray &line : reply.lines)
        text += QLatin1Char('|') + QString::fromLatin1(line);
    return text;
}

QStringList run(const QList<QByteArray> &chunks, ReplyLimits limits)
{
    ReplyParser parser(limits);
    QStringList events;
    for (const QByteArray &chunk : chunks) {
        parser.feed(chunk);
        for (;;) {
            const ParseResult result = parser.next();
            if (result.status == ParseResult::Status::NeedMoreData)
                break;
            if (result.status == ParseResult::Status::Error) {
                events.append(QStringLiteral("X:") + Error::codeName(result.error.code()));
                if (parser.next().status != ParseResult::Status::Error)
                    events.append(QStringLiteral("BUG:recovered"));
                return events;
            }
            events.append(describe(result.reply));
        }
    }
    events.append(QStringLiteral("buffered:%1").arg(parser.bufferedBytes()));
    return events;
}

smtp::Reply reply(int code, QList<QByteArray> lines, EnhancedStatus enhanced = {})
{
    smtp::Reply r;
    r.code = code;
    r.lines = std::move(lines);
    r.enhanced = enhanced;
    return r;
}

} // namespace

class TestSmtpParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void chunked_data();
    void chunked();
    void ehlo();
    void ehloRefused();
    void challenge_data();
    void challenge();
    void toError_data();
    void toError();
    void perRecipientResults();
};

void TestSmtpParser::chunked_data()
{
    const auto add = tandem::test::table<QByteArray, QStringList, ReplyLimits>("input", "events", "limits");
    auto row = [&add](const char *name, const QByteArray &input, std::initializer_list<const char *> events,
                      int maxLine = 4096, int maxLines = 256) {
        QStringList list;
        for (const char *e : events)
            list.append(QString::fromLatin1(e));
        add(name, input, list, ReplyLimits{maxLine, maxLines});
    };

    row("greeting", "220 mail.example.org ESMTP Postfix (Debian/GNU)\r\n",
        {"R:220||mail.example.org ESMTP Postfix (Debian/GNU)", "buffered:0"});
    row("ehlo-postfix",
        "250-mail.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-VRFY\r\n250-ETRN\r\n"
        "250-STARTTLS\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250-SMTPUTF8\r\n"
        "250 CHUNKING\r\n",
        {"R:250||mail.example.org|PIPELINING|SIZE 10240000|VRFY|ETRN|STARTTLS|ENHANCEDSTATUSCODES"
         "|8BITMIME|DSN|SMTPUTF8|CHUNKING",
         "buffered:0"});
    row("code-only", "250\r\n", {"R:250||", "buffered:0"});
    row("code-only-continuation", "250-\r\n250\r\n", {"R:250|||", "buffered:0"});
    row("enhanced", "550 5.1.1 <nobody@example.org>: Recipient address rejected\r\n",
        {"R:550|5.1.1|<nobody@example.org>: Recipient address rejected", "buffered:0"});
    row("enhanced-only", "250 2.0.0\r\n", {"R:250|2.0.0|", "buffered:0"});
    row("enhanced-multiline", "550-5.7.1 first line\r\n550 5.7.1 second line\r\n",
        {"R:550|5.7.1|first line|second line", "buffered:0"});
    row("enhanced-wrong-class", "550 2.0.0 odd\r\n", {"R:550||2.0.0 odd", "buffered:0"});
    row("enhanced-too-many-digits", "550 5.1234.1 x\r\n", {"R:550||5.1234.1 x", "buffered:0"});
    row("not-enhanced-text", "421 4.3 seconds left\r\n", {"R:421||4.3 seconds left", "buffered:0"});
    row("queued", "250 2.0.0 Ok: queued as 4F3C8B5A\r\n", {"R:250|2.0.0|Ok: queued as 4F3C8B5A", "buffered:0"});
    row("challenge", "334 VXNlcm5hbWU6\r\n", {"R:334||VXNlcm5hbWU6", "buffered:0"});
    row("empty-challenge", "334 \r\n", {"R:334||", "buffered:0"});
    row("bare-lf", "250 ok\n", {"R:250||ok", "buffered:0"});
    row("8bit-text", "554 5.6.0 Nachricht abgelehnt \xc3\xa4\r\n",
        {"R:554|5.6.0|Nachricht abgelehnt \xc3\xa4", "buffered:0"});
    row("pipelined",
        "250 2.1.0 Ok\r\n550 5.1.1 unknown user\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n",
        {"R:250|2.1.0|Ok", "R:550|5.1.1|unknown user", "R:250|2.1.5|Ok", "R:354||End data with <CR><LF>.<CR><LF>",
         "buffered:0"});
    row("incomplete", "250-a\r\n250 b", {"buffered:5"});
    row("at-line-limit", "250 67890\r\n", {"R:250||67890", "buffered:0"}, 9);
    row("at-lines-limit", "250-a\r\n250-b\r\n250 c\r\n", {"R:250||a|b|c", "buffered:0"}, 4096, 3);

    row("garbage", "hello world\r\n", {"X:protocol"});
    row("four-digits", "2500 x\r\n", {"X:protocol"});
    row("no-separator", "250x\r\n", {"X:protocol"});
    row("class-6", "600 x\r\n", {"X:protocol"});
    row("class-1", "199 x\r\n", {"X:protocol"});
    row("second-digit-6", "260 x\r\n", {"X:protocol"});
    row("short", "25\r\n", {"X:protocol"});
    row("empty-line", "\r\n", {"X:protocol"});
    row("inconsistent-codes", "250-first\r\n251 second\r\n", {"X:protocol"});
    row("inconsistent-after-reply", "250 ok\r\n250-a\r\n550 b\r\n", {"R:250||ok", "X:protocol"});
    row("nul", QByteArray("250 a\0b\r\n", 9), {"X:protocol"});
    row("too-long-no-crlf", QByteArray(300, '2'), {"X:limit"}, 64);
    row("too-long-line", "250 678901\r\n", {"X:limit"}, 9);
    row("too-many-lines", "250-a\r\n250-b\r\n250-c\r\n250 d\r\n", {"X:limit"}, 4096, 3);
    row("endless-continuation", QByteArray("250-x\r\n").repeated(300), {"X:limit"});
}

void TestSmtpParser::chunked()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, events);
    QFETCH(ReplyLimits, limits);
    tandem::test::compareEveryChunking(tandem::test::chunkings(input), events,
                                       [&](const QList<QByteArray> &chunks) { return run(chunks, limits); });
}

void TestSmtpParser::ehlo()
{
    const auto caps = Capabilities::fromEhlo(reply(
        250,
        {"mx.example.org Hello [127.0.0.1]", "PIPELINING", "size 35882577", "8BITMIME", "SMTPUTF8", "STARTTLS",
         "AUTH PLAIN LOGIN", "AUTH=PLAIN LOGIN CRAM-MD5", "ENHANCEDSTATUSCODES", "CHUNKING", "DSN", "X-FOO bar"}));
    QVERIFY(caps.isOk());
    QCOMPARE(caps->greeting, QByteArray("mx.example.org Hello [127.0.0.1]"));
    QVERIFY(caps->pipelining && caps->eightBitMime && caps->smtpUtf8 && caps->startTls);
    QVERIFY(caps->enhancedStatusCodes && caps->chunking && caps->dsn && !caps->binaryMime);
    QVERIFY(caps->size);
    QCOMPARE(caps->maxSize, qint64(35882577));
    QCOMPARE(caps->authMechanisms, (QList<QByteArray>{"PLAIN", "LOGIN", "CRAM-MD5"}));
    QVERIFY(caps->hasAuth("login"));
    QCOMPARE(caps->lines.size(), 11);

    // Only the old form, as some old servers send it.
    const auto old = Capabilities::fromEhlo(reply(250, {"old.example.org", "AUTH=LOGIN"}));
    QCOMPARE(old->authMechanisms, (QList<QByteArray>{"LOGIN"}));
    QVERIFY(!old->size && !old->pipelining);

    const auto sizeOnly = Capabilities::fromEhlo(reply(250, {"x", "SIZE"}));
    QVERIFY(sizeOnly->size);
    QCOMPARE(sizeOnly->maxSize, qint64(0));
    const auto badSize = Capabilities::fromEhlo(reply(250, {"x", "SIZE lots"}));
    QVERIFY(badSize->size);
    QCOMPARE(badSize->maxSize, qint64(0));
    const auto bare = Capabilities::fromEhlo(reply(250, {"x"}));
    QVERIFY(bare.isOk());
    QVERIFY(bare->authMechanisms.isEmpty());
}

void TestSmtpParser::ehloRefused()
{
    QCOMPARE(Capabilities::fromEhlo(reply(502, {"5.5.1 EHLO not supported"})).error().code(), ErrorCode::ServerRefused);
    QCOMPARE(Capabilities::fromEhlo(reply(354, {"go ahead"})).error().code(), ErrorCode::Protocol);
}

void TestSmtpParser::challenge_data()
{
    const auto row = tandem::test::table<int, QByteArray, bool, QByteArray>("code", "line", "valid", "decoded");
    row("username", 334, "VXNlcm5hbWU6", true, "Username:");
    row("password", 334, "UGFzc3dvcmQ6", true, "Password:");
    row("empty", 334, QByteArray(), true, QByteArray());
    row("not-base64", 334, "***not base64***", false, QByteArray());
    row("not-334", 250, "VXNlcm5hbWU6", false, QByteArray());
}

void TestSmtpParser::challenge()
{
    QFETCH(int, code);
    QFETCH(QByteArray, line);
    QFETCH(bool, valid);
    const auto decoded = reply(code, {line}).challenge();
    QCOMPARE(decoded.isOk(), valid);
    if (valid)
        QTEST(decoded.value(), "decoded");
    else
        QCOMPARE(decoded.error().code(), ErrorCode::Protocol);
}

void TestSmtpParser::toError_data()
{
    const auto row = tandem::test::table<int, int, int, int, ErrorCode>("code", "klass", "subject", "detail", "error");
    row("ok", 250, 2, 0, 0, ErrorCode::None);
    row("354", 354, 0, 0, 0, ErrorCode::None);
    row("auth", 535, 5, 7, 8, ErrorCode::Auth);
    row("auth-no-enhanced", 535, 0, 0, 0, ErrorCode::Auth);
    row("size-552", 552, 0, 0, 0, ErrorCode::Limit);
    row("size-534", 554, 5, 3, 4, ErrorCode::Limit);
    row("quota", 452, 4, 2, 2, ErrorCode::Limit);
    row("unknown-user", 550, 5, 1, 1, ErrorCode::ServerRefused);
    row("greylisted", 451, 4, 7, 1, ErrorCode::ServerRefused);
}

void TestSmtpParser::toError()
{
    QFETCH(int, code);
    QFETCH(int, klass);
    QFETCH(int, subject);
    QFETCH(int, detail);
    QFETCH(ErrorCode, error);
    const Error e = reply(code, {"text"}, EnhancedStatus{klass, subject, detail}).toError();
    QCOMPARE(e.code(), error);
    if (e.isError())
        QVERIFY(e.message().contains(QStringLiteral("text")));
}

void TestSmtpParser::perRecipientResults()
{
    SendResult result;
    result.recipients = {
        {QStringLiteral("a@example.org"), reply(250, {"Ok"}, {2, 1, 5})},
        {QStringLiteral("nobody@example.org"), reply(550, {"no such user"}, {5, 1, 1})},
        {QStringLiteral("later@example.org"), reply(451, {"try later"}, {4, 3, 0})},
    };
    result.dataReply = reply(250, {"queued"});
    QVERIFY(result.isDelivered());
    const QList<RecipientResult> refused = result.refused();
    QCOMPARE(refused.size(), 2);
    QCOMPARE(refused.at(0).address, QStringLiteral("nobody@example.org"));
    QCOMPARE(refused.at(0).error().code(), ErrorCode::ServerRefused);
    QVERIFY(refused.at(1).reply.isTransientFailure());
    QVERIFY(!result.recipients.at(0).error().isError());

    result.recipients.removeFirst();
    QVERIFY(!result.isDelivered()); // nobody accepted
    result.recipients.append({QStringLiteral("b@example.org"), reply(250, {"Ok"})});
    result.dataReply = reply(554, {"rejected"}, {5, 6, 0});
    QVERIFY(!result.isDelivered());
}

QTEST_APPLESS_MAIN(TestSmtpParser)
#include "tst_smtp_parser.moc"
