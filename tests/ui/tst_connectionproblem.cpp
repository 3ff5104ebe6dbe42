// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// connectionProblem(): each kind of failure the wizard's test and the Outbox
// meet, in the words a user acts on, with the library's own text after it.
// (The wizard's test against the kit shows the wrong password for real;
// "no such host" cannot be made without asking a DNS server off the machine.)

#include <QTest>

#include "mailcore/base/tlsfailure.h"
#include "ui/account/connectionproblem.h"

using mailcore::Error;
using mailcore::ErrorCode;
using tandem::ui::connectionProblem;

class TestConnectionProblem : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eachFailureInPlainWords_data()
    {
        QTest::addColumn<Error>("error");
        QTest::addColumn<QString>("says");
        QTest::newRow("wrong password") << Error(ErrorCode::Auth, QStringLiteral("[AUTHENTICATIONFAILED] no"))
                                        << QStringLiteral("imap.example.org:993 refused the user name or the password");
        QTest::newRow("no such host") << Error(ErrorCode::Network,
                                               QStringLiteral("imap.example.org:993: Host not found"))
                                      << QStringLiteral("There is no server called imap.example.org");
        QTest::newRow("refused") << Error(ErrorCode::Network,
                                          QStringLiteral("imap.example.org:993: Connection refused"))
                                 << QStringLiteral("refuses connections on that port");
        QTest::newRow("silent") << Error(ErrorCode::Timeout, QStringLiteral("no greeting in 30 s"))
                                << QStringLiteral("did not answer in time");
        mailcore::TlsFailure failure;
        failure.host = QStringLiteral("imap.example.org");
        failure.port = 993;
        failure.errors = {QStringLiteral("The certificate is self-signed, and untrusted")};
        failure.chain = {mailcore::CertificateInfo{}};
        QTest::newRow("certificate") << Error::fromTlsFailure(failure)
                                     << QStringLiteral("is not trusted, so Tandem did not send the password");
        QTest::newRow("server says no") << Error(ErrorCode::ServerRefused, QStringLiteral("5.7.1 relaying denied"))
                                        << QStringLiteral("refused: 5.7.1 relaying denied");
    }
    void eachFailureInPlainWords()
    {
        QFETCH(Error, error);
        QFETCH(QString, says);
        const QString text = connectionProblem(error, QStringLiteral("imap.example.org:993"));
        QVERIFY2(text.contains(says), qPrintable(text));
        QVERIFY2(text.contains(error.message()), qPrintable(text)); // the details stay
    }
};

QTEST_GUILESS_MAIN(TestConnectionProblem)
#include "tst_connectionproblem.moc"
