// SMTP command builders: exact bytes, address rules, refused injection, redaction.

#include <functional>

#include <QTest>

#include "mailcore/smtp/commands.h"

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

using Builder = std::function<Result<Command>(const QString &)>;

// Every builder that takes text, so the same hostile strings reach all of them.
QList<QPair<const char *, Builder>> textBuilders()
{
    const QString ok = QStringLiteral("fine");
    return {
        {"ehlo", [](const QString &s) { return Commands::ehlo(s); }},
        {"helo", [](const QString &s) { return Commands::helo(s); }},
        {"authplain-user", [ok](const QString &s) { return Commands::authPlain(s, ok); }},
        {"authplain-pass", [ok](const QString &s) { return Commands::authPlain(ok, s); }},
        {"authplain-authzid", [ok](const QString &s) { return Commands::authPlain(ok, ok, s); }},
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
    QTest::addColumn<Command>("command");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QByteArray>("logLine");
    auto row = [](const char *name, const Result<Command> &command, const char *bytes, const char *log) {
        QVERIFY2(command.isOk(), qPrintable(command.error().toString()));
        QTest::newRow(name) << command.value() << QByteArray(bytes) << QByteArray(log);
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
    row("mail-from-all", Commands::mailFrom(QString::fromUtf8("j\xc3\xb6rg@b\xc3\xbc.example"), all, fullCapabilities()),
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
    QTest::addColumn<int>("builder");
    QTest::addColumn<QString>("argument");
    const QList<QPair<const char *, QString>> hostile = {
        {"cr", QStringLiteral("a@b\rc")},
        {"lf", QStringLiteral("a@b\nc")},
        {"crlf-smuggle", QStringLiteral("a@b.c>\r\nRCPT TO:<evil@x.y")},
        {"crlf-smuggle-plain", QStringLiteral("a@b.c\r\nRSET")},
        {"lf-smuggle", QStringLiteral("a@b.c\nQUIT")},
        {"nul", QString::fromUtf8("a@b\0c", 5)},
        {"trailing-crlf", QStringLiteral("a@b.c\r\n")},
    };
    const auto builders = textBuilders();
    for (int b = 0; b < builders.size(); ++b) {
        for (const auto &[name, value] : hostile)
            QTest::addRow("%s-%s", builders.at(b).first, name) << b << value;
    }
}

void TestSmtpCommands::injectionRefused()
{
    QFETCH(int, builder);
    QFETCH(QString, argument);
    const Result<Command> command = textBuilders().at(builder).second(argument);
    QVERIFY(!command.isOk());
    QCOMPARE(command.error().code(), ErrorCode::BadArgument);
}

void TestSmtpCommands::addresses_data()
{
    QTest::addColumn<QString>("address");
    QTest::addColumn<bool>("utf8");
    QTest::addColumn<bool>("valid");
    auto row = [](const char *name, const char *address, bool utf8, bool valid) {
        QTest::newRow(name) << QString::fromUtf8(address) << utf8 << valid;
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
    QCOMPARE(Commands::mailFrom(QStringLiteral("a@b.c"), utf8, Capabilities()).error().code(),
             ErrorCode::BadArgument);
    // A non-ASCII sender needs SMTPUTF8 requested, even when the server offers it.
    QCOMPARE(Commands::mailFrom(QString::fromUtf8("j\xc3\xb6rg@b.c"), {}, fullCapabilities()).error().code(),
             ErrorCode::BadArgument);
    MailOptions huge;
    huge.size = 20 * 1024 * 1024;
    QCOMPARE(Commands::mailFrom(QStringLiteral("a@b.c"), huge, fullCapabilities()).error().code(),
             ErrorCode::Limit);
    Capabilities unlimited;
    unlimited.size = true;
    QCOMPARE(Commands::mailFrom(QStringLiteral("a@b.c"), huge, unlimited)->bytes,
             QByteArray("MAIL FROM:<a@b.c> SIZE=20971520\r\n"));
    QCOMPARE(Commands::rcptTo(QString()).error().code(), ErrorCode::BadArgument);
    QCOMPARE(Commands::ehlo(QString()).error().code(), ErrorCode::BadArgument);
    QCOMPARE(Commands::ehlo(QStringLiteral("two words")).error().code(), ErrorCode::BadArgument);
    QCOMPARE(Commands::ehlo(QString::fromUtf8("b\xc3\xbc.example")).error().code(), ErrorCode::BadArgument);
}

void TestSmtpCommands::passwordNeverLogged_data()
{
    QTest::addColumn<QString>("password");
    QTest::newRow("short") << QStringLiteral("hunter2");
    QTest::newRow("spaces") << QStringLiteral("correct horse battery");
    QTest::newRow("utf8") << QString::fromUtf8("p\xc3\xa4sswort");
    QTest::newRow("long") << QString(400, QLatin1Char('x'));
}

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
        QVERIFY(!command->logLine.contains(secret));
        QVERIFY(!command->logLine.contains(secret.toBase64().left(8)));
        const QByteArray encoded = command->continuation.isEmpty()
            ? command->bytes.split(' ').constLast().trimmed()
            : command->continuation.trimmed();
        QVERIFY(QByteArray::fromBase64(encoded).contains(secret)); // and it is really sent
        QVERIFY(command->logLine.contains("***"));
    }
}

void TestSmtpCommands::longAuthPlainUsesContinuation()
{
    const QString password(400, QLatin1Char('p'));
    const Result<Command> command = Commands::authPlain(QStringLiteral("alice"), password);
    QVERIFY(command.isOk());
    QCOMPARE(command->bytes, QByteArray("AUTH PLAIN\r\n"));
    QCOMPARE(command->continuation,
             QByteArray(QByteArray("\0alice\0", 7) + password.toUtf8()).toBase64() + "\r\n");
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
