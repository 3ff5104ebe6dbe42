// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// SMTP command builders: exact bytes, address rules, refused injection, redaction.

#include <QTest>

#include "mailcore/smtp/commands.h"
#include "support/commandchecks.h"
#include "support/datatable.h"

using namespace mailcore;
using namespace mailcore::smtp;

namespace {

Capabilities fullCapabilities()
{
    Capabilities caps;
    caps.size = true;
    caps.maxSize = 10 * 1024 * 1024;
    caps.eightBitMime = true;
    caps.smtpUtf8 = true;
    return caps;
}

// Every builder that takes text, so the same hostile strings reach all of them.
QList<tandem::test::TextBuilder<Command>> textBuilders()
{
    QList<tandem::test::TextBuilder<Command>> builders = {
        {"ehlo", [](const QString &s) { return Commands::ehlo(s); }},
        {"helo", [](const QString &s) { return Commands::helo(s); }},
        {"authlogin-user", [](const QString &s) { return Commands::authLoginUser(s); }},
        {"authlogin-pass", [](const QString &s) { return Commands::authLoginPassword(s); }},
        {"mailfrom", [](const QString &s) { return Commands::mailFrom(s, {}, Capabilities()); }},
        {"mailfrom-utf8",
         [](const QString &s) {
             MailOptions options;
             options.smtpUtf8 = true;
             return Commands::mailFrom(s, options, fullCapabilities());
         }},
        {"rcptto", [](const QString &s) { return Commands::rcptTo(s); }},
        {"rcptto-utf8", [](const QString &s) { return Commands::rcptTo(s, true); }},
    };
    return builders + tandem::test::authPlainBuilders(&Commands::authPlain);
}

} // namespace

class TestSmtpCommands : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void exactBytes_data();
    void exactBytes();
    void injectionRefused_data();
    void injectionRefused();
    void addresses_data();
    void addresses();
    void mailParameters();
    void passwordNeverLogged_data();
    void passwordNeverLogged();
    void longAuthPlainUsesContinuation();
    void commandLineLimit();
};

void TestSmtpCommands::exactBytes_data()
{
    const auto add = tandem::test::table<Command, QByteArray, QByteArray>("command", "bytes", "logLine");
    auto row = [&add](const char *name, const Result<Command> &command, const char *bytes, const char *log) {
        QVERIFY2(command.isOk(), qPrintable(command.error().toString()));
        add(name, command.value(), bytes, log);
    };
    MailOptions all;
    all.size = 12345;
    all.eightBitMime = true;
    all.smtpUtf8 = true;
    MailOptions sized;
    sized.size = 4711;

    row("ehlo", Commands::ehlo(QStringLiteral("client.example.org")), "EHLO client.example.org\r\n",
        "EHLO client.example.org");
    row("ehlo-literal", Commands::ehlo(QStringLiteral("[127.0.0.1]")), "EHLO [127.0.0.1]\r\n", "EHLO [127.0.0.1]");
    row("helo", Commands::helo(QStringLiteral("client.example.org")), "HELO client.example.org\r\n",
        "HELO client.example.org");
    row("starttls", Commands::startTls(), "STARTTLS\r\n", "STARTTLS");
    row("auth-plain", Commands::authPlain(QStringLiteral("tim"), QStringLiteral("tanstaaftanstaaf")),
        "AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm\r\n", "AUTH PLAIN ***");
    row("auth-plain-authzid",
        Commands::authPlain(QStringLiteral("tim"), QStringLiteral("tanstaaftanstaaf"), QStringLiteral("Ursel")),
        "AUTH PLAIN VXJzZWwAdGltAHRhbnN0YWFmdGFuc3RhYWY=\r\n", "AUTH PLAIN ***");
    row("auth-login", Commands::authLogin(), "AUTH LOGIN\r\n", "AUTH LOGIN");
    row("auth-login-user", Commands::authLoginUser(QStringLiteral("tim")), "dGlt\r\n", "(AUTH LOGIN user name)");
    row("auth-login-pass", Commands::authLoginPassword(QStringLiteral("tanstaaftanstaaf")),
        "dGFuc3RhYWZ0YW5zdGFhZg==\r\n", "***");
    row("auth-cancel", Commands::authCancel(), "*\r\n", "*");
    row("mail-from", Commands::mailFrom(QStringLiteral("alice@example.org"), {}, Capabilities()),
        "MAIL FROM:<alice@example.org>\r\n", "MAIL FROM:<alice@example.org>");
    row("mail-from-null", Commands::mailFrom(QString(), {}, Capabilities()), "MAIL FROM:<>\r\n", "MAIL FROM:<>");
    row("mail-from-size", Commands::mailFrom(QStringLiteral("a@b.c"), sized, fullCapabilities()),
        "MAIL FROM:<a@b.c> SIZE=4711\r\n", "MAIL FROM:<a@b.c> SIZE=4711");
    row("mail-from-size-not-offered", Commands::mailFrom(QStringLiteral("a@b.c"), sized, Capabilities()),
        "MAIL FROM:<a@b.c>\r\n", "MAIL FROM:<a@b.c>");
    row("mail-from-all",
        Commands::mailFrom(QString::fromUtf8("j\xc3\xb6rg@b\xc3\xbc.example"), all, fullCapabilities()),
        "MAIL FROM:<j\xc3\xb6rg@b\xc3\xbc.example> SIZE=12345 BODY=8BITMIME SMTPUTF8\r\n",
        "MAIL FROM:<j\xc3\xb6rg@b\xc3\xbc.example> SIZE=12345 BODY=8BITMIME SMTPUTF8");
    row("rcpt-to", Commands::rcptTo(QStringLiteral("bob@example.org")), "RCPT TO:<bob@example.org>\r\n",
        "RCPT TO:<bob@example.org>");
    row("rcpt-to-quoted", Commands::rcptTo(QStringLiteral("\"john doe\"@example.org")),
        "RCPT TO:<\"john doe\"@example.org>\r\n", "RCPT TO:<\"john doe\"@example.org>");
    row("rcpt-to-postmaster", Commands::rcptTo(QStringLiteral("Postmaster")), "RCPT TO:<Postmaster>\r\n",
        "RCPT TO:<Postmaster>");
    row("data", Commands::data(), "DATA\r\n", "DATA");
    row("rset", Commands::rset(), "RSET\r\n", "RSET");
    row("noop", Commands::noop(), "NOOP\r\n", "NOOP");
    row("quit", Commands::quit(), "QUIT\r\n", "QUIT");
}

void TestSmtpCommands::exactBytes()
{
    QFETCH(Command, command);
    QTEST(command.bytes, "bytes");
    QTEST(command.logLine, "logLine");
    QVERIFY(command.continuation.isEmpty());
}

void TestSmtpCommands::injectionRefused_data()
{
    // In an address, a ">" first would end the path where the builder put it.
    tandem::test::addInjectionRows(
        textBuilders(),
        tandem::test::lineBreaking(QStringLiteral("a@b.c"), QStringLiteral("RSET"))
            << tandem::test::Hostile("crlf-smuggle-path", QStringLiteral("a@b.c>\r\nRCPT TO:<evil@x.y")));
}

void TestSmtpCommands::injectionRefused() { tandem::test::verifyInjectionRefused(textBuilders()); }

void TestSmtpCommands::addresses_data()
{
    const auto add = tandem::test::table<QString, bool, bool>("address", "utf8", "valid");
    auto row = [&add](const char *name, const char *address, bool utf8, bool valid) {
        add(name, QString::fromUtf8(address), utf8, valid);
    };
    row("plain", "alice@example.org", false, true);
    row("plus", "alice+tag@example.org", false, true);
    row("literal", "alice@[192.0.2.1]", false, true);
    row("quoted-space", "\"john doe\"@example.org", false, true);
    row("quoted-at", "\"a@b\"@example.org", false, true);
    row("quoted-escape", "\"a\\\"b\"@example.org", false, true);
    row("utf8-with-smtputf8", "j\xc3\xb6rg@example.org", true, true);
    row("utf8-without", "j\xc3\xb6rg@example.org", false, false);
    row("utf8-domain-without", "a@b\xc3\xbc.example", false, false);
    row("space", "john doe@example.org", false, false);
    row("space-in-domain", "john@exa mple.org", false, false);
    row("space-after-quote", "\"john\" @example.org", false, false);
    row("tab", "john\t@example.org", false, false);
    row("lt", "a<b@example.org", false, false);
    row("gt", "a@example.org>", false, false);
    row("gt-in-quotes", "\"a>b\"@example.org", false, false);
    row("no-at", "alice", false, false);
    row("empty-local", "@example.org", false, false);
    row("empty-domain", "alice@", false, false);
    row("two-ats", "a@b@example.org", false, false);
    row("unterminated-quote", "\"abc@example.org", false, false);
    row("quote-not-before-at", "\"abc\"x@example.org", false, false);
    row("stray-quote", "ab\"c@example.org", false, false);
    row("control", "a\x01@example.org", false, false);
    row("del", "a\x7f@example.org", false, false);
    row("postmaster", "postmaster", false, true);
}

void TestSmtpCommands::addresses()
{
    QFETCH(QString, address);
    QFETCH(bool, utf8);
    QFETCH(bool, valid);
    const Error error = Commands::checkAddress(address, utf8);
    QCOMPARE(!error.isError(), valid);
    if (!valid)
        QCOMPARE(error.code(), ErrorCode::BadArgument);
    QCOMPARE(Commands::rcptTo(address, utf8).isOk(), valid);
}

void TestSmtpCommands::mailParameters()
{
    MailOptions eightBit;
    eightBit.eightBitMime = true;
    QCOMPARE(Commands::mailFrom(QStringLiteral("a@b.c"), eightBit, Capabilities()).error().code(),
             ErrorCode::BadArgument);
    MailOptions utf8;
    utf8.smtpUtf8 = true;
    QCOMPARE(Commands::mailFrom(QStringLiteral("a@b.c"), utf8, Capabilities()).error().code(), ErrorCode::BadArgument);
    // A non-ASCII sender needs SMTPUTF8 requested, even when the server offers it.
    QCOMPARE(Commands::mailFrom(QString::fromUtf8("j\xc3\xb6rg@b.c"), {}, fullCapabilities()).error().code(),
             ErrorCode::BadArgument);
    MailOptions huge;
    huge.size = 20 * 1024 * 1024;
    QCOMPARE(Commands::mailFrom(QStringLiteral("a@b.c"), huge, fullCapabilities()).error().code(), ErrorCode::Limit);
    Capabilities unlimited;
    unlimited.size = true;
    QCOMPARE(Commands::mailFrom(QStringLiteral("a@b.c"), huge, unlimited)->bytes,
             QByteArray("MAIL FROM:<a@b.c> SIZE=20971520\r\n"));
    QCOMPARE(Commands::rcptTo(QString()).error().code(), ErrorCode::BadArgument);
    QCOMPARE(Commands::ehlo(QString()).error().code(), ErrorCode::BadArgument);
    QCOMPARE(Commands::ehlo(QStringLiteral("two words")).error().code(), ErrorCode::BadArgument);
    QCOMPARE(Commands::ehlo(QString::fromUtf8("b\xc3\xbc.example")).error().code(), ErrorCode::BadArgument);
}

void TestSmtpCommands::passwordNeverLogged_data() { tandem::test::addPasswordRows(400); }

void TestSmtpCommands::passwordNeverLogged()
{
    QFETCH(QString, password);
    const QByteArray secret = password.toUtf8();
    const QList<Result<Command>> commands = {
        Commands::authPlain(QStringLiteral("alice"), password),
        Commands::authLoginPassword(password),
    };
    for (const Result<Command> &command : commands) {
        QVERIFY(command.isOk());
        tandem::test::verifyRedacted(command->logLine, secret);
        const QByteArray encoded = command->continuation.isEmpty() ? command->bytes.split(' ').constLast().trimmed()
                                                                   : command->continuation.trimmed();
        QVERIFY(QByteArray::fromBase64(encoded).contains(secret)); // and it is really sent
    }
}

void TestSmtpCommands::longAuthPlainUsesContinuation()
{
    const QString password(400, QLatin1Char('p'));
    tandem::test::verifyAuthPlainContinuation(Commands::authPlain(QStringLiteral("alice"), password),
                                              QStringLiteral("alice"), password);
}

void TestSmtpCommands::commandLineLimit()
{
    const QString local(300, QLatin1Char('l'));
    const QString domain(300, QLatin1Char('d'));
    QCOMPARE(Commands::rcptTo(local + QLatin1Char('@') + domain).error().code(), ErrorCode::BadArgument);
    QVERIFY(Commands::rcptTo(local + QStringLiteral("@example.org")).isOk());
}

QTEST_APPLESS_MAIN(TestSmtpCommands)
#include "tst_smtp_commands.moc"
