// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// POP3 command builders: exact bytes, refused arguments, redacted log lines.

#include <QTest>

#include "mailcore/pop3/commands.h"
#include "support/commandchecks.h"
#include "support/datatable.h"

using namespace mailcore;
using namespace mailcore::pop3;

Q_DECLARE_METATYPE(mailcore::pop3::Expect)

namespace {

// Every builder that takes text, so the injection table can throw the same
// hostile strings at all of them.
QList<tandem::test::TextBuilder<Command>> textBuilders()
{
    const QList<tandem::test::TextBuilder<Command>> builders = {
        {"user", [](const QString &s) { return Commands::user(s); }},
        {"pass", [](const QString &s) { return Commands::pass(s); }},
    };
    return builders + tandem::test::authPlainBuilders(&Commands::authPlain);
}

} // namespace

class TestPop3Commands : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void exactBytes_data();
    void exactBytes();
    void injectionRefused_data();
    void injectionRefused();
    void spaces();
    void numbersRefused();
    void passwordNeverLogged_data();
    void passwordNeverLogged();
    void longAuthPlainUsesContinuation();
};

void TestPop3Commands::exactBytes_data()
{
    const auto add = tandem::test::table<Command, QByteArray, QByteArray, Expect>("command", "bytes", "logLine",
                                                                                  "expect");
    auto row = [&add](const char *name, const Result<Command> &command, const char *bytes, const char *log,
                      Expect expect) {
        QVERIFY(command.isOk());
        add(name, command.value(), bytes, log, expect);
    };
    row("capa", Commands::capa(), "CAPA\r\n", "CAPA", Expect::MultiLine);
    row("stls", Commands::stls(), "STLS\r\n", "STLS", Expect::SingleLine);
    row("user", Commands::user(QStringLiteral("alice")), "USER alice\r\n", "USER alice", Expect::SingleLine);
    row("user-utf8", Commands::user(QString::fromUtf8("j\xc3\xb6rg")), "USER j\xc3\xb6rg\r\n", "USER j\xc3\xb6rg",
        Expect::SingleLine);
    row("pass", Commands::pass(QStringLiteral("s3cret")), "PASS s3cret\r\n", "PASS ***", Expect::SingleLine);
    row("pass-space", Commands::pass(QStringLiteral("two words")), "PASS two words\r\n", "PASS ***",
        Expect::SingleLine);
    // RFC 4616 example: authzid empty, "tim" / "tanstaaftanstaaf".
    row("auth-plain", Commands::authPlain(QStringLiteral("tim"), QStringLiteral("tanstaaftanstaaf")),
        "AUTH PLAIN AHRpbQB0YW5zdGFhZnRhbnN0YWFm\r\n", "AUTH PLAIN ***", Expect::SaslStep);
    row("auth-plain-authzid",
        Commands::authPlain(QStringLiteral("tim"), QStringLiteral("tanstaaftanstaaf"), QStringLiteral("Ursel")),
        "AUTH PLAIN VXJzZWwAdGltAHRhbnN0YWFmdGFuc3RhYWY=\r\n", "AUTH PLAIN ***", Expect::SaslStep);
    row("auth-cancel", Commands::authCancel(), "*\r\n", "*", Expect::SingleLine);
    row("stat", Commands::stat(), "STAT\r\n", "STAT", Expect::SingleLine);
    row("list", Commands::list(), "LIST\r\n", "LIST", Expect::MultiLine);
    row("list-one", Commands::list(7), "LIST 7\r\n", "LIST 7", Expect::SingleLine);
    row("uidl", Commands::uidl(), "UIDL\r\n", "UIDL", Expect::MultiLine);
    row("uidl-one", Commands::uidl(12345), "UIDL 12345\r\n", "UIDL 12345", Expect::SingleLine);
    row("top", Commands::top(3, 10), "TOP 3 10\r\n", "TOP 3 10", Expect::Message);
    row("top-headers", Commands::top(3, 0), "TOP 3 0\r\n", "TOP 3 0", Expect::Message);
    row("retr", Commands::retr(2147483647), "RETR 2147483647\r\n", "RETR 2147483647", Expect::Message);
    row("dele", Commands::dele(1), "DELE 1\r\n", "DELE 1", Expect::SingleLine);
    row("rset", Commands::rset(), "RSET\r\n", "RSET", Expect::SingleLine);
    row("noop", Commands::noop(), "NOOP\r\n", "NOOP", Expect::SingleLine);
    row("quit", Commands::quit(), "QUIT\r\n", "QUIT", Expect::SingleLine);
}

void TestPop3Commands::exactBytes()
{
    QFETCH(Command, command);
    QTEST(command.bytes, "bytes");
    QTEST(command.logLine, "logLine");
    QTEST(command.expect, "expect");
    QVERIFY(command.continuation.isEmpty());
}

void TestPop3Commands::injectionRefused_data()
{
    const auto emptyAuthzid = [](QByteArrayView builder, const QString &argument) {
        return builder == "authplain-authzid" && argument.isEmpty(); // "none": valid
    };
    tandem::test::addInjectionRows(textBuilders(),
                                   tandem::test::lineBreaking(QStringLiteral("alice"), QStringLiteral("DELE 1"))
                                       << tandem::test::Hostile("empty", QString()),
                                   emptyAuthzid);
}

void TestPop3Commands::injectionRefused() { tandem::test::verifyInjectionRefused(textBuilders()); }

void TestPop3Commands::spaces()
{
    QCOMPARE(Commands::user(QStringLiteral("a b")).error().code(), ErrorCode::BadArgument);
    QCOMPARE(Commands::user(QStringLiteral("a\tb")).error().code(), ErrorCode::BadArgument);
    QVERIFY(Commands::pass(QStringLiteral("a b")).isOk());
    QVERIFY(Commands::authPlain(QStringLiteral("a b"), QStringLiteral("c d")).isOk());
    // RFC 2449: 255 octets per command line; a longer USER is refused, not cut.
    QCOMPARE(Commands::user(QString(250, QLatin1Char('u'))).error().code(), ErrorCode::BadArgument);
    QCOMPARE(Commands::pass(QString(250, QLatin1Char('p'))).error().code(), ErrorCode::BadArgument);
}

void TestPop3Commands::numbersRefused()
{
    QCOMPARE(Commands::list(0).error().code(), ErrorCode::BadArgument);
    QCOMPARE(Commands::uidl(-1).error().code(), ErrorCode::BadArgument);
    QCOMPARE(Commands::retr(0).error().code(), ErrorCode::BadArgument);
    QCOMPARE(Commands::dele(0).error().code(), ErrorCode::BadArgument);
    QCOMPARE(Commands::top(0, 1).error().code(), ErrorCode::BadArgument);
    QCOMPARE(Commands::top(1, -1).error().code(), ErrorCode::BadArgument);
}

void TestPop3Commands::passwordNeverLogged_data() { tandem::test::addPasswordRows(200); }

void TestPop3Commands::passwordNeverLogged()
{
    QFETCH(QString, password);
    QList<Command> commands;
    if (auto pass = Commands::pass(password))
        commands.append(pass.value());
    const auto plain = Commands::authPlain(QStringLiteral("alice"), password);
    QVERIFY(plain.isOk());
    commands.append(plain.value());
    for (const Command &command : commands) {
        tandem::test::verifyRedacted(command.logLine, password.toUtf8());
        QVERIFY(!command.logLine.contains(command.continuation.trimmed()) || command.continuation.isEmpty());
    }
}

void TestPop3Commands::longAuthPlainUsesContinuation()
{
    const QString password(200, QLatin1Char('p'));
    const Result<Command> command = Commands::authPlain(QStringLiteral("alice"), password);
    tandem::test::verifyAuthPlainContinuation(command, QStringLiteral("alice"), password);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(command->expect, Expect::SaslStep);
    QVERIFY(!command->logLine.contains(password.toUtf8()));
}

QTEST_APPLESS_MAIN(TestPop3Commands)
#include "tst_pop3_commands.moc"
