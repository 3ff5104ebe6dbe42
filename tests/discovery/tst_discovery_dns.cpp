// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The DNS messages of an SRV lookup, pure: the query's exact bytes, replies
// written byte by byte (compression, "not offered", other records), and
// hostile replies (cut short, pointer loops and forward pointers, counts the
// bytes cannot hold, a name too long), each a clear error and never a crash.

#include <QTest>

#include "dnsbytes.h"
#include "mailcore/discovery/dnsmessage.h"

using namespace mailcore;
using namespace mailcore::discovery;
namespace dns = tandem::test::dns;

namespace {

const QString asked = QStringLiteral("_imaps._tcp.example.org");

dns::Question question(quint16 id = 0x1234)
{
    const Result<QByteArray> query = buildSrvQuery(id, asked);
    return dns::questionOf(query.value());
}

} // namespace

class TestDiscoveryDns : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void queryBytes()
    {
        const Result<QByteArray> query = buildSrvQuery(0xBEEF, QStringLiteral("_IMAPS._tcp.Example.org."));
        QVERIFY(query);
        const QByteArray expected = QByteArray::fromHex("beef01000001000000000000")
            + "\x06_imaps\x04_tcp\x07"
              "example\x03org"
            + QByteArray::fromHex("0000210001");
        QCOMPARE(query.value(), expected);
    }

    void queryRefusesNonNames()
    {
        QCOMPARE(buildSrvQuery(1, QStringLiteral("a..b")).error().code(), ErrorCode::BadArgument);
        QCOMPARE(buildSrvQuery(1, QString(64, QLatin1Char('a')) + QStringLiteral(".org")).error().code(),
                 ErrorCode::BadArgument);
        QString longName;
        for (int i = 0; i < 50; ++i)
            longName += QStringLiteral("abcdef.");
        QCOMPARE(buildSrvQuery(1, longName + QStringLiteral("org")).error().code(), ErrorCode::BadArgument);
    }

    void parsesAnswersWithCompression()
    {
        const QByteArray reply = dns::srvReply(question(),
                                               {{10, 5, 993, "imap.example.org"}, {0, 0, 993, "IMAP2.Example.org"}});
        const Result<DnsReply> parsed = parseSrvReply(reply, 0x1234, asked);
        QVERIFY2(parsed, qPrintable(parsed.error().toString()));
        QCOMPARE(parsed->records.size(), 2);
        QCOMPARE(parsed->records.at(0), (SrvRecord{10, 5, 993, QStringLiteral("imap.example.org")}));
        QCOMPARE(parsed->records.at(1).target, QStringLiteral("imap2.example.org"));
        QCOMPARE(parsed->responseCode, 0);
        QVERIFY(!parsed->truncated);
    }

    void exactBytesOfAServersReply()
    {
        // One answer whose target is compressed into the question's domain:
        // "mail" + pointer to "example.org" at offset 24.
        const QByteArray reply = QByteArray::fromHex("12348180000100010000000006")
            + "_imaps\x04_tcp\x07"
              "example\x03org"
            + QByteArray::fromHex("0000210001"
                                  "c00c00210001"
                                  "00000e10"
                                  "000d"
                                  "0001000203e1"
                                  "046d61696c"
                                  "c018");
        const Result<DnsReply> parsed = parseSrvReply(reply, 0x1234, asked);
        QVERIFY2(parsed, qPrintable(parsed.error().toString()));
        QCOMPARE(parsed->records, (QList<SrvRecord>{{1, 2, 993, QStringLiteral("mail.example.org")}}));
    }

    void dotTargetMeansNotOffered()
    {
        const Result<DnsReply> parsed = parseSrvReply(dns::srvReply(question(), {{0, 0, 0, "."}}), 0x1234, asked);
        QVERIFY(parsed);
        QCOMPARE(parsed->records.size(), 1);
        QVERIFY(parsed->records.at(0).target.isEmpty());
    }

    void noSuchNameAndServerFailure()
    {
        QCOMPARE(parseSrvReply(dns::srvReply(question(), {}, 3), 0x1234, asked)->responseCode, 3);
        QCOMPARE(parseSrvReply(dns::srvReply(question(), {}, 2), 0x1234, asked)->responseCode, 2);
    }

    void skipsOtherRecordTypesAndNames()
    {
        const dns::Question q = question();
        // A CNAME for the asked name, then an SRV record for another name.
        QByteArray reply = dns::u16(q.id) + dns::u16(0x8180) + dns::u16(1) + dns::u16(2) + dns::u16(0) + dns::u16(0)
            + q.section;
        const QByteArray cname = dns::name("other.example.org");
        reply += dns::u16(0xC00C) + dns::u16(5) + dns::u16(1) + dns::u16(0) + dns::u16(60)
            + dns::u16(quint16(cname.size())) + cname;
        const QByteArray srv = dns::u16(0) + dns::u16(0) + dns::u16(993) + dns::name("evil.example.net");
        reply += dns::name("_imaps._tcp.other.org") + dns::u16(33) + dns::u16(1) + dns::u16(0) + dns::u16(60)
            + dns::u16(quint16(srv.size())) + srv;
        const Result<DnsReply> parsed = parseSrvReply(reply, q.id, asked);
        QVERIFY2(parsed, qPrintable(parsed.error().toString()));
        QVERIFY(parsed->records.isEmpty());
    }

    void hostile_data()
    {
        QTest::addColumn<QByteArray>("reply");
        QTest::addColumn<QString>("says");
        const dns::Question q = question();
        const QByteArray good = dns::srvReply(q, {{0, 0, 993, "imap.example.org"}});
        const QByteArray header = dns::u16(q.id) + dns::u16(0x8180) + dns::u16(1) + dns::u16(1) + dns::u16(0)
            + dns::u16(0);
        const QByteArray rrHead = dns::u16(0xC00C) + dns::u16(33) + dns::u16(1) + dns::u16(0) + dns::u16(60);

        QTest::newRow("empty") << QByteArray() << QStringLiteral("shorter than a DNS header");
        QTest::newRow("header only, claims answers") << header << QStringLiteral("runs past the end");
        QTest::newRow("cut in the answer") << good.left(good.size() - 5) << QStringLiteral("ends in the middle");
        for (qsizetype cut = 13; cut < good.size(); cut += 7)
            QTest::addRow("cut at %lld", qlonglong(cut)) << good.left(cut) << QString();
        QTest::newRow("wrong id") << dns::srvReply(dns::Question{0x4321, q.section, q.name}, {})
                                  << QStringLiteral("answers query");
        QByteArray notReply = good;
        notReply[2] = 0x01;
        QTest::newRow("a query, not a reply") << notReply << QStringLiteral("not a reply");
        QByteArray otherQuestion = header + dns::name("_imaps._tcp.evil.org") + dns::u16(33) + dns::u16(1);
        QTest::newRow("another question") << otherQuestion << QStringLiteral("another question");
        // The question's name points at itself: a loop.
        QTest::newRow("pointer loop") << header + dns::u16(0xC00C) + dns::u16(33) + dns::u16(1)
                                      << QStringLiteral("points forward");
        // An answer's target pointing forward, past itself.
        const QByteArray forward = dns::u16(0) + dns::u16(0) + dns::u16(993) + dns::u16(0xC0FF);
        QTest::newRow("forward pointer") << header + q.section + rrHead + dns::u16(quint16(forward.size())) + forward
                                         << QStringLiteral("points forward");
        QTest::newRow("pointer out of range") << header + q.section + rrHead + dns::u16(8) + dns::u16(0) + dns::u16(0)
                + dns::u16(993)
                + dns::u16(0xC000 | 0x3FFF) << QString();
        // rdlength larger than what follows.
        QTest::newRow("rdlength too long")
            << header + q.section + rrHead + dns::u16(4000) + dns::u16(0) << QStringLiteral("ends in the middle");
        // rdlength that disagrees with the name inside.
        const QByteArray data = dns::u16(0) + dns::u16(0) + dns::u16(993) + dns::name("imap.example.org") + "xx";
        QTest::newRow("rdlength mismatch")
            << header + q.section + rrHead + dns::u16(quint16(data.size())) + data << QStringLiteral("does not match");
        // A target made of 200 labels of 1 octet: over 255 octets.
        QByteArray deep = dns::u16(0) + dns::u16(0) + dns::u16(993);
        for (int i = 0; i < 200; ++i)
            deep += QByteArray("\x01x", 2);
        deep += char(0);
        QTest::newRow("name too long") << header + q.section + rrHead + dns::u16(quint16(deep.size())) + deep
                                       << QStringLiteral("longer than 255");
        const QByteArray weird = dns::u16(0) + dns::u16(0) + dns::u16(993) + dns::name("bad host/x.org");
        QTest::newRow("target not a host name") << header + q.section + rrHead + dns::u16(quint16(weird.size())) + weird
                                                << QStringLiteral("not a host name");
        QTest::newRow("65535 answers claimed") << dns::u16(q.id) + dns::u16(0x8180) + dns::u16(1) + dns::u16(0xFFFF)
                + dns::u16(0) + dns::u16(0)
                + q.section << QStringLiteral("runs past the end");
        QTest::newRow("label type 01") << header + q.section + dns::u16(0x4000) << QStringLiteral("unknown label type");
    }

    void hostile()
    {
        QFETCH(QByteArray, reply);
        QFETCH(QString, says);
        const Result<DnsReply> parsed = parseSrvReply(reply, question().id, asked);
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code(), ErrorCode::Protocol);
        QVERIFY2(parsed.error().message().startsWith(QLatin1String("malformed DNS reply: ")),
                 qPrintable(parsed.error().message()));
        if (!says.isEmpty())
            QVERIFY2(parsed.error().message().contains(says), qPrintable(parsed.error().message()));
    }

    void truncatedKeepsWhatCameWhole()
    {
        const QByteArray whole = dns::srvReply(
            question(), {{0, 0, 993, "imap.example.org"}, {1, 0, 993, "imap2.example.org"}}, 0, true);
        const Result<DnsReply> parsed = parseSrvReply(whole.left(whole.size() - 4), 0x1234, asked);
        QVERIFY(parsed);
        QVERIFY(parsed->truncated);
        QCOMPARE(parsed->records.size(), 1);
    }

    void resolvConf()
    {
        QCOMPARE(firstNameServer("# comment\nsearch example.org\nnameserver  10.0.0.53 \nnameserver 10.0.0.54\n"),
                 QStringLiteral("10.0.0.53"));
        QCOMPARE(firstNameServer("search example.org\n"), QString());
    }
};

QTEST_GUILESS_MAIN(TestDiscoveryDns)
#include "tst_discovery_dns.moc"
