// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The probe's dialogues, pure, byte for byte: what each protocol's probe
// writes after each thing a server says. It reads greeting and capabilities,
// upgrades with STARTTLS only when the server offers it (never going on in
// plain text), reads the capabilities again over TLS, says goodbye, and never
// writes a user name or a password.

#include <QTest>

#include "mailcore/discovery/probedialogue.h"

using namespace mailcore;
using namespace mailcore::discovery;
using Next = ProbeDialogue::Next;

namespace {

// One exchange: what the server says (or, with `secured`, the TLS handshake
// completes), and what the dialogue must write and do then.
struct Exchange {
    QByteArray server;
    QByteArray write;
    Next next = Next::Wait;
    bool secured = false;
};

// Runs `script` and returns the last step; fails the test on the first
// mismatch. No write may ever carry a login.
ProbeDialogue::Step run(ProbeDialogue &dialogue, const QList<Exchange> &script)
{
    ProbeDialogue::Step step;
    for (const Exchange &exchange : script) {
        step = exchange.secured ? dialogue.secured() : dialogue.received(exchange.server);
        const QByteArray upper = step.write.toUpper();
        for (const char *login : {"LOGIN", "AUTHENTICATE", "AUTH ", "USER ", "PASS ", "APOP"})
            if (upper.contains(login)) {
                qWarning("the probe wrote a login: %s", step.write.constData());
                return ProbeDialogue::Step{{}, Next::Failed, Error(ErrorCode::Internal, QStringLiteral("a login"))};
            }
        if (step.write != exchange.write || step.next != exchange.next) {
            qWarning("after %s: wrote %s, next %d (%s); expected %s, next %d", exchange.server.constData(),
                     step.write.constData(), int(step.next), qPrintable(step.error.message()),
                     exchange.write.constData(), int(exchange.next));
            return ProbeDialogue::Step{{}, Next::Failed, Error(ErrorCode::Internal, QStringLiteral("script mismatch"))};
        }
    }
    return step;
}

bool ranAsScripted(Protocol protocol, Security security, const QList<Exchange> &script, ProbeDialogue **keep = nullptr)
{
    static std::unique_ptr<ProbeDialogue> last;
    last = ProbeDialogue::create(protocol, security, QStringLiteral("mail.example.org"));
    if (keep)
        *keep = last.get();
    const ProbeDialogue::Step step = run(*last, script);
    return step.error.code() != ErrorCode::Internal;
}

} // namespace

class TestDiscoveryDialogues : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void imapImplicitTls()
    {
        ProbeDialogue *dialogue = nullptr;
        QVERIFY(ranAsScripted(
            Protocol::Imap, Security::ImplicitTls,
            {{"* OK [CAPABILITY IMAP4rev1 SASL-IR ID AUTH=PLAIN] Dovecot ready.\r\n", "p3 LOGOUT\r\n", Next::Finished}},
            &dialogue));
        QCOMPARE(dialogue->greeting(), QStringLiteral("Dovecot ready."));
        QCOMPARE(dialogue->capabilities(),
                 (QStringList{QStringLiteral("IMAP4REV1"), QStringLiteral("SASL-IR"), QStringLiteral("ID"),
                              QStringLiteral("AUTH=PLAIN")}));
    }

    void imapStartTls()
    {
        ProbeDialogue *dialogue = nullptr;
        QVERIFY(ranAsScripted(Protocol::Imap, Security::StartTls,
                              {{"* OK ready\r\n", "p1 CAPABILITY\r\n"},
                               {"* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\n", ""},
                               {"p1 OK done\r\n", "p2 STARTTLS\r\n"},
                               // What follows the go-ahead in the same packet is never parsed.
                               {"p2 OK Begin TLS\r\n* CAPABILITY IMAP4rev1 INJECTED\r\n", "", Next::StartTls},
                               {"", "p1 CAPABILITY\r\n", Next::Wait, true},
                               {"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\np1 OK\r\n", "p3 LOGOUT\r\n", Next::Finished}},
                              &dialogue));
        QCOMPARE(dialogue->capabilities(), (QStringList{QStringLiteral("IMAP4REV1"), QStringLiteral("AUTH=PLAIN")}));
    }

    void imapRefusals_data()
    {
        QTest::addColumn<int>("security");
        QTest::addColumn<QByteArray>("server");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("says");
        QTest::newRow("no STARTTLS") << int(Security::StartTls) << QByteArray("* OK [CAPABILITY IMAP4rev1] hi\r\n")
                                     << int(ErrorCode::Tls) << QStringLiteral("does not offer STARTTLS");
        QTest::newRow("PREAUTH") << int(Security::StartTls)
                                 << QByteArray("* PREAUTH [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n")
                                 << int(ErrorCode::Tls) << QStringLiteral("PREAUTH");
        QTest::newRow("BYE") << int(Security::ImplicitTls) << QByteArray("* BYE too busy\r\n")
                             << int(ErrorCode::ServerRefused) << QStringLiteral("too busy");
        QTest::newRow("not IMAP") << int(Security::ImplicitTls) << QByteArray("HTTP/1.1 400 Bad Request\r\n")
                                  << int(ErrorCode::Protocol) << QStringLiteral("does not answer as an IMAP server");
    }

    void imapRefusals()
    {
        QFETCH(int, security);
        QFETCH(QByteArray, server);
        QFETCH(int, code);
        QFETCH(QString, says);
        auto dialogue = ProbeDialogue::create(Protocol::Imap, Security(security), QStringLiteral("mail.example.org"));
        const ProbeDialogue::Step step = dialogue->received(server);
        QCOMPARE(step.next, Next::Failed);
        QVERIFY(step.write.isEmpty());
        QCOMPARE(int(step.error.code()), code);
        QVERIFY2(step.error.message().contains(says), qPrintable(step.error.message()));
    }

    void imapStartTlsRefused()
    {
        auto dialogue = ProbeDialogue::create(Protocol::Imap, Security::StartTls, QStringLiteral("mail.example.org"));
        QCOMPARE(dialogue->received("* OK [CAPABILITY IMAP4rev1 STARTTLS] hi\r\n").write,
                 QByteArray("p2 STARTTLS\r\n"));
        const ProbeDialogue::Step step = dialogue->received("p2 NO not now\r\n");
        QCOMPARE(step.next, Next::Failed);
        QCOMPARE(step.error.code(), ErrorCode::Tls);
    }

    void pop3StartTls()
    {
        ProbeDialogue *dialogue = nullptr;
        QVERIFY(ranAsScripted(Protocol::Pop3, Security::StartTls,
                              {{"+OK Dovecot ready.\r\n", "CAPA\r\n"},
                               {"+OK\r\nCAPA\r\nTOP\r\nUIDL\r\n", ""},
                               {"STLS\r\nUSER\r\n.\r\n", "STLS\r\n"},
                               {"+OK Begin TLS negotiation now.\r\n", "", Next::StartTls},
                               {"", "CAPA\r\n", Next::Wait, true},
                               {"+OK\r\nTOP\r\nUSER\r\nSASL PLAIN\r\n.\r\n", "QUIT\r\n", Next::Finished}},
                              &dialogue));
        QCOMPARE(dialogue->greeting(), QStringLiteral("Dovecot ready."));
        QCOMPARE(dialogue->capabilities(),
                 (QStringList{QStringLiteral("TOP"), QStringLiteral("USER"), QStringLiteral("SASL PLAIN")}));
    }

    void pop3Refusals()
    {
        auto noStls = ProbeDialogue::create(Protocol::Pop3, Security::StartTls, QStringLiteral("pop.example.org"));
        noStls->received("+OK hi\r\n");
        ProbeDialogue::Step step = noStls->received("+OK\r\nUSER\r\n.\r\n");
        QCOMPARE(step.next, Next::Failed);
        QVERIFY(step.error.message().contains(QLatin1String("does not offer STARTTLS")));

        auto injected = ProbeDialogue::create(Protocol::Pop3, Security::StartTls, QStringLiteral("pop.example.org"));
        injected->received("+OK hi\r\n");
        QCOMPARE(injected->received("+OK\r\nSTLS\r\n.\r\n").write, QByteArray("STLS\r\n"));
        step = injected->received("+OK go\r\n+OK planted\r\n");
        QCOMPARE(step.next, Next::Failed);
        QCOMPARE(step.error.code(), ErrorCode::Tls);

        auto turnedAway = ProbeDialogue::create(Protocol::Pop3, Security::ImplicitTls,
                                                QStringLiteral("pop.example.org"));
        step = turnedAway->received("-ERR [SYS/TEMP] later\r\n");
        QCOMPARE(step.next, Next::Failed);
        QCOMPARE(step.error.code(), ErrorCode::ServerRefused);
    }

    void smtpStartTls()
    {
        ProbeDialogue *dialogue = nullptr;
        QVERIFY(ranAsScripted(
            Protocol::Smtp, Security::StartTls,
            {{"220 mx.example.org ESMTP\r\n", "EHLO [127.0.0.1]\r\n"},
             {"250-mx.example.org\r\n250-PIPELINING\r\n250 STARTTLS\r\n", "STARTTLS\r\n"},
             {"220 2.0.0 Ready to start TLS\r\n", "", Next::StartTls},
             {"", "EHLO [127.0.0.1]\r\n", Next::Wait, true},
             {"250-mx.example.org\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n", "QUIT\r\n", Next::Finished}},
            &dialogue));
        QCOMPARE(dialogue->greeting(), QStringLiteral("mx.example.org ESMTP"));
        QCOMPARE(dialogue->capabilities(),
                 (QStringList{QStringLiteral("AUTH PLAIN LOGIN"), QStringLiteral("8BITMIME")}));
    }

    void smtpRefusals()
    {
        auto noStartTls = ProbeDialogue::create(Protocol::Smtp, Security::StartTls, QStringLiteral("smtp.example.org"));
        noStartTls->received("220 hi\r\n");
        ProbeDialogue::Step step = noStartTls->received("250-smtp.example.org\r\n250 AUTH PLAIN\r\n");
        QCOMPARE(step.next, Next::Failed);
        QCOMPARE(step.error.code(), ErrorCode::Tls);
        QVERIFY(step.error.message().contains(QLatin1String("does not offer STARTTLS")));

        auto goAway = ProbeDialogue::create(Protocol::Smtp, Security::ImplicitTls, QStringLiteral("smtp.example.org"));
        step = goAway->received("554 no service\r\n");
        QCOMPARE(step.next, Next::Failed);
        QCOMPARE(step.error.code(), ErrorCode::ServerRefused);
        QVERIFY(step.error.message().contains(QLatin1String("no service")));
    }
};

QTEST_GUILESS_MAIN(TestDiscoveryDialogues)
#include "tst_discovery_dialogues.moc"
