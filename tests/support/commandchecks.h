// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Checks shared by the tests of command builders (POP3, SMTP): every builder
// that takes text refuses each hostile string (CR, LF, NUL, a smuggled second
// command) with ErrorCode::BadArgument rather than put it on the wire, and a
// password never shows in a command's log line.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>
#include <QTest>

#include <functional>

#include "mailcore/base/error.h"
#include "mailcore/base/result.h"
#include "support/datatable.h"

namespace tandem::test {

/// A builder that takes text, by name, as one callable.
template <typename Command>
struct TextBuilder {
    const char *name;
    std::function<mailcore::Result<Command>(const QString &)> build;
};

/// AUTH PLAIN's three text arguments (RFC 4616: user, password, authzid) as
/// builders, given the protocol's `authPlain(user, password, authzid)`.
template <typename Command>
QList<TextBuilder<Command>> authPlainBuilders(mailcore::Result<Command> (*authPlain)(const QString &, const QString &,
                                                                                     const QString &))
{
    const QString ok = QStringLiteral("fine");
    return {
        {"authplain-user", [=](const QString &s) { return authPlain(s, ok, {}); }},
        {"authplain-pass", [=](const QString &s) { return authPlain(ok, s, {}); }},
        {"authplain-authzid", [=](const QString &s) { return authPlain(ok, ok, s); }},
    };
}

/// A hostile argument, by name.
using Hostile = QPair<const char *, QString>;

/// What no text argument of a line-based protocol may carry, made from one
/// the builders take (`valid`): a CR or an LF inside, `command` smuggled after
/// CR LF or after LF, a NUL inside, CR LF at the end.
inline QList<Hostile> lineBreaking(const QString &valid, const QString &command)
{
    const auto inside = [&valid](QChar c) -> QString {
        return valid.left(valid.size() / 2) + c + valid.mid(valid.size() / 2);
    };
    return {
        {"cr", inside(QLatin1Char('\r'))},
        {"lf", inside(QLatin1Char('\n'))},
        {"crlf-smuggle", valid + QLatin1String("\r\n") + command},
        {"lf-smuggle", valid + QLatin1Char('\n') + command},
        {"nul", inside(QChar(0))},
        {"trailing-crlf", valid + QLatin1String("\r\n")},
    };
}

/// The _data() table: every builder with every hostile argument, rows named
/// "<builder>-<argument>", columns "builder" (its index) and "argument";
/// `isValid` names the pairs to leave out, where the argument is fine.
template <typename Command>
void addInjectionRows(const QList<TextBuilder<Command>> &builders, const QList<Hostile> &hostile,
                      const std::function<bool(QByteArrayView builder, const QString &argument)> &isValid = {})
{
    const auto row = table<int, QString>("builder", "argument");
    for (qsizetype b = 0; b < builders.size(); ++b) {
        for (const auto &[name, value] : hostile) {
            if (!isValid || !isValid(builders.at(b).name, value))
                row(QByteArray(QByteArray(builders.at(b).name) + '-' + name).constData(), int(b), value);
        }
    }
}

/// The test of a row: its builder refuses its argument.
template <typename Command>
void verifyInjectionRefused(const QList<TextBuilder<Command>> &builders)
{
    QFETCH(int, builder);
    QFETCH(QString, argument);
    const mailcore::Result<Command> command = builders.at(builder).build(argument);
    QVERIFY(!command.isOk());
    QCOMPARE(command.error().code(), mailcore::ErrorCode::BadArgument);
}

/// The _data() table of a redaction test: column "password", short, with
/// spaces, UTF-8, and one of `longLength` characters.
inline void addPasswordRows(int longLength)
{
    const auto row = table<QString>("password");
    row("short", QStringLiteral("hunter2"));
    row("spaces", QStringLiteral("correct horse battery"));
    row("utf8", QString::fromUtf8("p\xc3\xa4sswort"));
    row("long", QString(longLength, QLatin1Char('x')));
}

/// A command's log line hides `secret`: neither it nor its base64 shows,
/// "***" stands in its place.
inline void verifyRedacted(const QByteArray &logLine, const QByteArray &secret)
{
    QVERIFY2(!logLine.contains(secret), logLine.constData());
    QVERIFY2(!logLine.contains(secret.toBase64().left(8)), logLine.constData());
    QVERIFY2(logLine.contains("***"), logLine.constData());
}

/// AUTH PLAIN too long for one line (RFC 4954, RFC 5034): the command goes
/// alone, the credentials (empty authzid, `user`, `password`) after the
/// server's "+" or 334.
template <typename Command>
void verifyAuthPlainContinuation(const mailcore::Result<Command> &command, const QString &user, const QString &password)
{
    QVERIFY(command.isOk());
    QCOMPARE(command->bytes, QByteArray("AUTH PLAIN\r\n"));
    const QByteArray credentials = '\0' + user.toUtf8() + '\0' + password.toUtf8();
    QCOMPARE(command->continuation, credentials.toBase64() + "\r\n");
}

} // namespace tandem::test
