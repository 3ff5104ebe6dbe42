// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The autoconfig file, pure: a provider's config-v1.1 document read into
// candidates (placeholders filled in, plain text skipped), the URLs tried,
// and broken or hostile documents, each a clear error.

#include <QTest>

#include "mailcore/discovery/autoconfig.h"

using namespace mailcore;
using namespace mailcore::discovery;

namespace {

const QString address = QStringLiteral("jane.doe@example.org");

const QByteArray provider =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<clientConfig version=\"1.1\">\n"
    "  <emailProvider id=\"example.org\">\n"
    "    <domain>example.org</domain>\n"
    "    <displayName>Example Mail</displayName>\n"
    "    <incomingServer type=\"pop3\">\n"
    "      <hostname>pop.%EMAILDOMAIN%</hostname>\n"
    "      <port>995</port>\n"
    "      <socketType>SSL</socketType>\n"
    "      <username>%EMAILLOCALPART%</username>\n"
    "      <authentication>password-cleartext</authentication>\n"
    "    </incomingServer>\n"
    "    <incomingServer type=\"imap\">\n"
    "      <hostname>imap.example.org</hostname>\n"
    "      <port>143</port>\n"
    "      <socketType>STARTTLS</socketType>\n"
    "      <username>%EMAILADDRESS%</username>\n"
    "    </incomingServer>\n"
    "    <incomingServer type=\"imap\">\n"
    "      <hostname>old.example.org</hostname>\n"
    "      <port>143</port>\n"
    "      <socketType>plain</socketType>\n"
    "    </incomingServer>\n"
    "    <incomingServer type=\"exchange\">\n"
    "      <hostname>ews.example.org</hostname>\n"
    "    </incomingServer>\n"
    "    <outgoingServer type=\"smtp\">\n"
    "      <hostname>smtp.example.org</hostname>\n"
    "      <port>465</port>\n"
    "      <socketType>SSL</socketType>\n"
    "      <username>%EMAILLOCALPART%@%EMAILDOMAIN%</username>\n"
    "    </outgoingServer>\n"
    "    <documentation url=\"https://example.org/help\"><descr lang=\"en\">Help</descr></documentation>\n"
    "  </emailProvider>\n"
    "</clientConfig>\n";

} // namespace

class TestDiscoveryAutoconfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsAProvidersFile()
    {
        const Result<AutoconfigServers> parsed = parseAutoconfig(provider, address);
        QVERIFY2(parsed, qPrintable(parsed.error().toString()));
        QCOMPARE(parsed->servers.size(), 3);
        const ServerCandidate &pop = parsed->servers.at(0);
        QCOMPARE(pop.protocol, Protocol::Pop3);
        QCOMPARE(pop.endpoint.host, QStringLiteral("pop.example.org"));
        QCOMPARE(pop.endpoint.port, quint16(995));
        QCOMPARE(pop.endpoint.security, Security::ImplicitTls);
        QCOMPARE(pop.userName, QStringLiteral("jane.doe"));
        QCOMPARE(pop.source, Source::Autoconfig);
        const ServerCandidate &imap = parsed->servers.at(1);
        QCOMPARE(imap.protocol, Protocol::Imap);
        QCOMPARE(imap.endpoint.security, Security::StartTls);
        QCOMPARE(imap.userName, address);
        const ServerCandidate &smtp = parsed->servers.at(2);
        QCOMPARE(smtp.protocol, Protocol::Smtp);
        QCOMPARE(smtp.endpoint.port, quint16(465));
        QCOMPARE(smtp.userName, address);
        // The plain-text server and the one Tandem does not speak are said, not taken.
        QCOMPARE(parsed->skipped.size(), 2);
        QVERIFY(parsed->skipped.at(0).contains(QLatin1String("without encryption")));
        QVERIFY(parsed->skipped.at(1).contains(QLatin1String("exchange")));
    }

    void userNameDefaultsToTheAddress()
    {
        const QByteArray xml =
            "<clientConfig><emailProvider><incomingServer type=\"imap\"><hostname>h.example.org</hostname>"
            "<port>993</port><socketType>SSL</socketType></incomingServer></emailProvider></clientConfig>";
        QCOMPARE(parseAutoconfig(xml, address)->servers.at(0).userName, address);
    }

    void broken_data()
    {
        QTest::addColumn<QByteArray>("xml");
        QTest::addColumn<QString>("says");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("not a usable autoconfig file");
        QTest::newRow("html") << QByteArray("<html><body>404</body></html>") << QStringLiteral("not <clientConfig>");
        QTest::newRow("not xml") << QByteArray("{\"imap\": 1}") << QStringLiteral("not a usable autoconfig file");
        QTest::newRow("unclosed") << provider.left(provider.size() / 2) << QStringLiteral("line");
        QTest::newRow("no server") << QByteArray("<clientConfig><emailProvider/></clientConfig>")
                                   << QStringLiteral("names no server");
        QTest::newRow("bad port") << QByteArray(
            "<clientConfig><emailProvider><incomingServer type=\"imap\">"
            "<hostname>h.example.org</hostname><port>99999</port><socketType>SSL</socketType>"
            "</incomingServer></emailProvider></clientConfig>")
                                  << QStringLiteral("port \"99999\"");
        QTest::newRow("bad host") << QByteArray(
            "<clientConfig><emailProvider><incomingServer type=\"imap\">"
            "<hostname>evil.org/x?y</hostname><port>993</port><socketType>SSL</socketType>"
            "</incomingServer></emailProvider></clientConfig>")
                                  << QStringLiteral("not one");
        QTest::newRow("only plain") << QByteArray(
            "<clientConfig><emailProvider><incomingServer type=\"imap\">"
            "<hostname>h.example.org</hostname><port>143</port><socketType>plain</socketType>"
            "</incomingServer></emailProvider></clientConfig>")
                                    << QStringLiteral("without encryption");
        // Entities expanding a thousand times over: refused by the reader, not expanded.
        QByteArray bomb =
            "<?xml version=\"1.0\"?><!DOCTYPE clientConfig [<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">";
        for (int i = 1; i < 8; ++i)
            bomb += QStringLiteral("<!ENTITY %1 \"&%2;&%2;&%2;&%2;&%2;&%2;&%2;&%2;&%2;&%2;\">")
                        .arg(QChar(u'a' + i))
                        .arg(QChar(u'a' + i - 1))
                        .toLatin1();
        bomb += "]><clientConfig><emailProvider><incomingServer type=\"imap\"><hostname>&h;</hostname>"
                "</incomingServer></emailProvider></clientConfig>";
        QTest::newRow("entity bomb") << bomb << QStringLiteral("not a usable autoconfig file");
        QTest::newRow("too big") << QByteArray(maxAutoconfigSize + 1, ' ')
                                 << QStringLiteral("more than such a file can need");
    }

    void broken()
    {
        QFETCH(QByteArray, xml);
        QFETCH(QString, says);
        const Result<AutoconfigServers> parsed = parseAutoconfig(xml, address);
        QVERIFY(!parsed);
        QVERIFY2(parsed.error().message().contains(says), qPrintable(parsed.error().message()));
    }

    void urls()
    {
        const QList<QUrl> standard = autoconfigUrls({}, QStringLiteral("a+b@Example.org"));
        QCOMPARE(standard.size(), 2);
        QCOMPARE(
            standard.at(0).toString(),
            QStringLiteral("https://autoconfig.example.org/mail/config-v1.1.xml?emailaddress=a%2Bb%40Example.org"));
        QCOMPARE(standard.at(1).toString(),
                 QStringLiteral("https://example.org/.well-known/autoconfig/mail/config-v1.1.xml"));
        const QList<QUrl> injected = autoconfigUrls(
            {QStringLiteral("http://127.0.0.1:8080/%DOMAIN%/config.xml?e=%EMAIL%")}, QStringLiteral("a@example.org"));
        QCOMPARE(injected.at(0).toString(),
                 QStringLiteral("http://127.0.0.1:8080/example.org/config.xml?e=a%40example.org"));
        QVERIFY(autoconfigUrls({}, QStringLiteral("no address")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestDiscoveryAutoconfig)
#include "tst_discovery_autoconfig.moc"
