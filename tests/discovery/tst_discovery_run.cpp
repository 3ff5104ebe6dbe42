// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// discover() end to end, on a worker thread as a wizard calls it, against a
// local HTTP server (autoconfig), a local DNS responder (SRV) and the test
// kit's real servers (guesses): the sources in their order, each asked only
// when the ones before gave nothing, and hostile answers told in the steps.

#include <QFile>
#include <QFuture>
#include <QTest>
#include <QtConcurrent/QtConcurrentRun>

#include "localservers.h"
#include "mailcore/discovery/discovery.h"
#include "support/kitenv.h"

using namespace mailcore;
using namespace mailcore::discovery;
using tandem::test::KitEnv;
using tandem::test::LocalDnsResponder;
using tandem::test::LocalHttpServer;
namespace wire = tandem::test::dns;

namespace {

const QString address = QStringLiteral("jane@example.test");

// What a candidate is, in one comparable line.
QString line(const ServerCandidate &candidate)
{
    static const char *const protocols[] = {"imap", "pop3", "smtp"};
    static const char *const securities[] = {"tls", "starttls", "plain"};
    static const char *const sources[] = {"autoconfig", "srv", "guess"};
    return QStringLiteral("%1 %2:%3 %4 %5 %6")
        .arg(QLatin1String(protocols[int(candidate.protocol)]), candidate.endpoint.host)
        .arg(candidate.endpoint.port)
        .arg(QLatin1String(securities[int(candidate.endpoint.security)]), candidate.userName,
             QLatin1String(sources[int(candidate.source)]));
}

QStringList lines(const QList<ServerCandidate> &candidates)
{
    QStringList out;
    for (const ServerCandidate &candidate : candidates)
        out << line(candidate);
    return out;
}

} // namespace

class TestDiscoveryRun : public QObject
{
    Q_OBJECT

private:
    KitEnv m_kit;
    QByteArray m_ca;

    // Options that keep every question on this machine.
    DiscoveryOptions localOptions(const LocalHttpServer &http, const LocalDnsResponder &dns)
    {
        DiscoveryOptions options;
        options.autoconfigUrls = {http.url(QStringLiteral("/%DOMAIN%/config-v1.1.xml?emailaddress=%EMAIL%"))};
        options.nameServer = QStringLiteral("127.0.0.1");
        options.nameServerPort = dns.port();
        options.guessHosts = {QStringLiteral("localhost")};
        options.guessPorts = {m_kit.port(QStringLiteral("TANDEM_KIT_IMAPS_PORT")),
                              m_kit.port(QStringLiteral("TANDEM_KIT_IMAP_PORT")),
                              m_kit.port(QStringLiteral("TANDEM_KIT_POP3S_PORT")),
                              m_kit.port(QStringLiteral("TANDEM_KIT_POP3_PORT")),
                              m_kit.port(QStringLiteral("TANDEM_KIT_SUBMISSIONS_PORT")),
                              m_kit.port(QStringLiteral("TANDEM_KIT_SUBMISSION_PORT"))};
        options.timeout = std::chrono::seconds(5);
        options.extraCaCertificatesPem = {m_ca};
        return options;
    }

    // Runs discover() on a worker thread while this thread serves.
    static DiscoveryReport run(const DiscoveryOptions &options, const QString &email = address)
    {
        QFuture<DiscoveryReport> future = QtConcurrent::run([=] { return discover(email, options); });
        if (!QTest::qWaitFor([&] { return future.isFinished(); }, 60'000))
            qFatal("discover() did not end within a minute");
        return future.result();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_kit = KitEnv::load();
        QVERIFY2(m_kit.isValid(), qPrintable(m_kit.error()));
        QFile ca(m_kit.caCertificatePath());
        QVERIFY(ca.open(QIODevice::ReadOnly));
        m_ca = ca.readAll();
    }

    void autoconfigComesFirst()
    {
        LocalHttpServer http;
        LocalDnsResponder dns;
        QVERIFY(http.isListening() && dns.isBound());
        http.serve("/example.test/config-v1.1.xml",
                   "<?xml version=\"1.0\"?>\n"
                   "<clientConfig version=\"1.1\"><emailProvider id=\"example.test\">\n"
                   "  <incomingServer type=\"pop3\"><hostname>pop.%EMAILDOMAIN%</hostname><port>995</port>\n"
                   "    <socketType>SSL</socketType><username>%EMAILLOCALPART%</username></incomingServer>\n"
                   "  <incomingServer type=\"imap\"><hostname>imap.example.test</hostname><port>143</port>\n"
                   "    <socketType>STARTTLS</socketType><username>%EMAILADDRESS%</username></incomingServer>\n"
                   "  <incomingServer type=\"imap\"><hostname>imap.example.test</hostname><port>993</port>\n"
                   "    <socketType>SSL</socketType><username>%EMAILADDRESS%</username></incomingServer>\n"
                   "  <outgoingServer type=\"smtp\"><hostname>smtp.example.test</hostname><port>587</port>\n"
                   "    <socketType>STARTTLS</socketType><username>%EMAILLOCALPART%</username></outgoingServer>\n"
                   "  <outgoingServer type=\"smtp\"><hostname>smtp.example.test</hostname><port>465</port>\n"
                   "    <socketType>SSL</socketType><username>%EMAILLOCALPART%</username></outgoingServer>\n"
                   "</emailProvider></clientConfig>");
        dns.records.insert("_imaps._tcp.example.test", {{0, 0, 993, "srv.example.test"}});
        const DiscoveryReport report = run(localOptions(http, dns));
        QCOMPARE(lines(report.incoming),
                 (QStringList{QStringLiteral("imap imap.example.test:993 tls jane@example.test autoconfig"),
                              QStringLiteral("imap imap.example.test:143 starttls jane@example.test autoconfig"),
                              QStringLiteral("pop3 pop.example.test:995 tls jane autoconfig")}));
        QCOMPARE(lines(report.outgoing),
                 (QStringList{QStringLiteral("smtp smtp.example.test:465 tls jane autoconfig"),
                              QStringLiteral("smtp smtp.example.test:587 starttls jane autoconfig")}));
        QCOMPARE(http.requested, (QList<QByteArray>{"/example.test/config-v1.1.xml?emailaddress=jane%40example.test"}));
        QVERIFY(dns.asked.isEmpty()); // found: nothing else was asked
    }

    void srvWhenNoAutoconfig()
    {
        LocalHttpServer http; // serves nothing: 404
        LocalDnsResponder dns;
        dns.records.insert("_imaps._tcp.example.test",
                           {{20, 0, 993, "backup.example.test"},
                            {10, 1, 993, "light.example.test"},
                            {10, 9, 1993, "heavy.example.test"}});
        dns.records.insert("_imap._tcp.example.test", {{0, 0, 0, "."}});
        dns.records.insert("_submission._tcp.example.test", {{0, 0, 587, "smtp.example.test"}});
        dns.records.insert("_submissions._tcp.example.test", {{0, 0, 465, "smtp.example.test"}});
        const DiscoveryReport report = run(localOptions(http, dns));
        QCOMPARE(lines(report.incoming),
                 (QStringList{QStringLiteral("imap heavy.example.test:1993 tls jane@example.test srv"),
                              QStringLiteral("imap light.example.test:993 tls jane@example.test srv"),
                              QStringLiteral("imap backup.example.test:993 tls jane@example.test srv")}));
        QCOMPARE(lines(report.outgoing),
                 (QStringList{QStringLiteral("smtp smtp.example.test:465 tls jane@example.test srv"),
                              QStringLiteral("smtp smtp.example.test:587 starttls jane@example.test srv")}));
        QCOMPARE(dns.asked,
                 (QList<QByteArray>{"_imaps._tcp.example.test", "_imap._tcp.example.test", "_pop3s._tcp.example.test",
                                    "_pop3._tcp.example.test", "_submissions._tcp.example.test",
                                    "_submission._tcp.example.test"}));
        const QString steps = report.steps.join(QLatin1Char('\n'));
        QVERIFY2(steps.contains(QLatin1String("HTTP 404")), qPrintable(steps));
        QVERIFY2(steps.contains(QLatin1String("_imap._tcp.example.test: the domain says this service is not offered")),
                 qPrintable(steps));
        QVERIFY2(steps.contains(QLatin1String("_pop3s._tcp.example.test: no such record")), qPrintable(steps));
    }

    void guessesWhenBothMissing()
    {
        LocalHttpServer http;
        LocalDnsResponder dns;
        const DiscoveryReport report = run(localOptions(http, dns));
        const quint16 imaps = m_kit.port(QStringLiteral("TANDEM_KIT_IMAPS_PORT"));
        const quint16 imap = m_kit.port(QStringLiteral("TANDEM_KIT_IMAP_PORT"));
        const quint16 pop3s = m_kit.port(QStringLiteral("TANDEM_KIT_POP3S_PORT"));
        const quint16 pop3 = m_kit.port(QStringLiteral("TANDEM_KIT_POP3_PORT"));
        const quint16 submissions = m_kit.port(QStringLiteral("TANDEM_KIT_SUBMISSIONS_PORT"));
        const quint16 submission = m_kit.port(QStringLiteral("TANDEM_KIT_SUBMISSION_PORT"));
        QCOMPARE(lines(report.incoming),
                 (QStringList{QStringLiteral("imap localhost:%1 tls jane@example.test guess").arg(imaps),
                              QStringLiteral("imap localhost:%1 starttls jane@example.test guess").arg(imap),
                              QStringLiteral("pop3 localhost:%1 tls jane@example.test guess").arg(pop3s),
                              QStringLiteral("pop3 localhost:%1 starttls jane@example.test guess").arg(pop3)}));
        QCOMPARE(lines(report.outgoing),
                 (QStringList{QStringLiteral("smtp localhost:%1 tls jane@example.test guess").arg(submissions),
                              QStringLiteral("smtp localhost:%1 starttls jane@example.test guess").arg(submission)}));
        QCOMPARE(dns.asked.size(), 6);
        QVERIFY(report.steps.join(QLatin1Char('\n')).contains(QLatin1String("certificate verified")));
    }

    void guessesOnlyWhatWasMissing()
    {
        // Autoconfig names only an incoming server: SRV is asked for the outgoing one alone.
        LocalHttpServer http;
        LocalDnsResponder dns;
        http.serve("/example.test/config-v1.1.xml",
                   "<clientConfig><emailProvider><incomingServer type=\"imap\"><hostname>imap.example.test</hostname>"
                   "<port>993</port><socketType>SSL</socketType></incomingServer></emailProvider></clientConfig>");
        dns.records.insert("_submissions._tcp.example.test", {{0, 0, 465, "smtp.example.test"}});
        const DiscoveryReport report = run(localOptions(http, dns));
        QCOMPARE(lines(report.incoming),
                 QStringList{QStringLiteral("imap imap.example.test:993 tls jane@example.test autoconfig")});
        QCOMPARE(lines(report.outgoing),
                 QStringList{QStringLiteral("smtp smtp.example.test:465 tls jane@example.test srv")});
        QCOMPARE(dns.asked, (QList<QByteArray>{"_submissions._tcp.example.test", "_submission._tcp.example.test"}));
    }

    void hostileAnswersAreToldNotFatal()
    {
        LocalHttpServer http;
        LocalDnsResponder dns;
        http.serve("/example.test/config-v1.1.xml",
                   "<clientConfig><emailProvider><incomingServer type=\"imap\">"
                   "<hostname>&xx;</hostname></emailProvider>");
        dns.reply = [](const wire::Question &question) -> QList<QByteArray> {
            QByteArray bytes = wire::srvReply(question, {{0, 0, 993, "imap.example.test"}});
            if (question.name.startsWith("_imaps")) // an answer whose owner name points forward
                bytes.replace(bytes.indexOf(QByteArray::fromHex("c00c0021")), 2, QByteArray::fromHex("c0ff"));
            else if (question.name.startsWith("_imap.")) // cut short
                bytes.chop(7);
            else if (question.name.startsWith("_pop3s")) { // a forged reply first (wrong id), then the right one
                wire::Question forged = question;
                forged.id = quint16(question.id + 1);
                return {wire::srvReply(forged, {{0, 0, 995, "evil.example.test"}}),
                        wire::srvReply(question, {{0, 0, 995, "pop.example.test"}})};
            } else
                bytes = wire::srvReply(question, {}, 2); // server failure
            return {bytes};
        };
        DiscoveryOptions options = localOptions(http, dns);
        options.guessHosts.clear();
        options.guessHosts << QStringLiteral("127.0.0.1");
        const DiscoveryReport report = run(options);
        const QString steps = report.steps.join(QLatin1Char('\n'));
        QVERIFY2(steps.contains(QLatin1String("not a usable autoconfig file")), qPrintable(steps));
        QVERIFY2(steps.contains(QLatin1String(
                     "_imaps._tcp.example.test: malformed DNS reply: a compression pointer points forward")),
                 qPrintable(steps));
        QVERIFY2(steps.contains(QLatin1String("_imap._tcp.example.test: malformed DNS reply")), qPrintable(steps));
        QVERIFY2(steps.contains(QLatin1String("the name server failed (response code 2)")), qPrintable(steps));
        QCOMPARE(lines(report.incoming),
                 QStringList{QStringLiteral("pop3 pop.example.test:995 tls jane@example.test srv")});
        // Nothing for outgoing from SRV: guessed on 127.0.0.1 with the kit's ports.
        QCOMPARE(report.outgoing.size(), 2);
        QCOMPARE(report.outgoing.at(0).source, Source::Guess);
    }

    void truncatedAnswerAskedAgainOverTcp()
    {
        LocalHttpServer http;
        LocalDnsResponder dns;
        QVERIFY(dns.listenTcp());
        dns.records.insert("_imaps._tcp.example.test",
                           {{0, 0, 993, "one.example.test"}, {1, 0, 993, "two.example.test"}});
        // Over UDP only the first record fits, and the reply says so (TC).
        dns.reply = [&dns](const wire::Question &question) -> QList<QByteArray> {
            const QList<wire::Srv> all = dns.records.value(question.name);
            return {all.isEmpty() ? dns.standardReply(question) : wire::srvReply(question, all.mid(0, 1), 0, true)};
        };
        const DiscoveryReport report = run(localOptions(http, dns));
        QCOMPARE(dns.askedOverTcp, QList<QByteArray>{"_imaps._tcp.example.test"});
        QCOMPARE(lines(report.incoming.mid(0, 2)),
                 (QStringList{QStringLiteral("imap one.example.test:993 tls jane@example.test srv"),
                              QStringLiteral("imap two.example.test:993 tls jane@example.test srv")}));
    }

    void silentNameServer()
    {
        LocalHttpServer http;
        LocalDnsResponder dns;
        dns.reply = [](const wire::Question &) { return QList<QByteArray>{}; };
        DiscoveryOptions options = localOptions(http, dns);
        options.timeout = std::chrono::milliseconds(600);
        options.guessPorts = {1, 1, 1, 1, 1, 1}; // nothing listens on port 1
        const DiscoveryReport report = run(options);
        const QString steps = report.steps.join(QLatin1Char('\n'));
        QVERIFY2(steps.contains(QLatin1String("did not answer within")), qPrintable(steps));
        QVERIFY2(steps.contains(QLatin1String("no further SRV record was looked up")), qPrintable(steps));
        QCOMPARE(dns.asked.size(), 2); // one question, asked twice
        QVERIFY(report.incoming.isEmpty() && report.outgoing.isEmpty());
        QVERIFY2(steps.contains(QLatin1String("No incoming server was found")), qPrintable(steps));
    }

    void notAnAddress()
    {
        const DiscoveryReport report = discover(QStringLiteral("jane.example.test"), DiscoveryOptions{});
        QVERIFY(report.incoming.isEmpty());
        QVERIFY(report.steps.value(0).contains(QLatin1String("is not an e-mail address")));
    }
};

QTEST_GUILESS_MAIN(TestDiscoveryRun)
#include "tst_discovery_run.moc"
