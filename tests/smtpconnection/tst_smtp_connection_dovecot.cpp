// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The SMTP connection against the kit's real servers: Dovecot submission
// (STARTTLS and implicit TLS, PIPELINING, relaying to the store) and aiosmtpd
// (STARTTLS required, implicit TLS, no PIPELINING), each with AUTH. Every
// message must land in the store byte for byte, exactly once.

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>
#include <QUuid>

#include <mutex>
#include <thread>

#include "mailcore/mime/builder.h"
#include "mailcore/smtp/connection.h"
#include "support/kitenv.h"
#include "support/outcome.h"
#include "support/smtpstore.h"
#include "support/verify.h"

using namespace mailcore;
using namespace mailcore::smtp;
using tandem::test::KitEnv;
using tandem::test::SmtpStore;
using tandem::test::withoutOneReceivedField;

namespace {

using tandem::test::outcome;

QString uniqueId() { return QUuid::createUuid().toString(QUuid::WithoutBraces) + QStringLiteral("@tandem.test"); }

/// Messages as the app sends them: built by the MIME layer (CRLF, lines that
/// start with "."), and one written by hand whose body is mostly dots.
QList<QByteArray> messagesFor(const QString &from, const QString &to, QStringList *ids)
{
    QList<QByteArray> out;
    mime::OutgoingMessage built;
    built.from = mime::MailAddress{QStringLiteral("Jürgen Müller"), from, QString()};
    built.to = {mime::MailAddress{QString(), to, QString()}};
    built.subject = QStringLiteral("SMTP connection – Grüße ✓");
    built.plainText = QStringLiteral(".\nA line that starts with a dot follows\n.hidden\n..double\nFrom here\n")
        + QString(3000, QChar(0x00e9)) + QLatin1Char('\n');
    built.htmlText = QStringLiteral("<p>Grüße</p>");
    built.messageId = uniqueId();
    *ids << built.messageId;
    out << mime::MessageBuilder::build(built);

    mime::OutgoingMessage ascii;
    ascii.from = mime::MailAddress{QString(), from, QString()};
    ascii.to = {mime::MailAddress{QString(), to, QString()}};
    ascii.subject = QStringLiteral("plain ASCII with dot lines");
    ascii.plainText = QStringLiteral("just ascii\n.\n..\n.starts with a dot\nlast\n");
    ascii.messageId = uniqueId();
    *ids << ascii.messageId;
    out << mime::MessageBuilder::build(ascii);

    const QString id = uniqueId();
    *ids << id;
    out << "From: " + from.toUtf8() + "\r\nTo: " + to.toUtf8() + "\r\nSubject: dots\r\nMessage-ID: <" + id.toUtf8()
            + ">\r\n\r\n.\r\n..\r\n.leading\r\n. \r\nend.\r\n.\r\n";
    return out;
}

} // namespace

class TestSmtpConnectionDovecot : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void sendsByteIdentical_data();
    void sendsByteIdentical();
    void wrongPasswordIsAnAuthError_data();
    void wrongPasswordIsAnAuthError();
    void concurrentSendsFromThreadsArriveOnce_data();
    void concurrentSendsFromThreadsArriveOnce();

private:
    SessionSettings settings(const QString &portKey, Security security, const QString &password = {}) const;
    void addServerRows() const;
    KitEnv m_env;
};

void TestSmtpConnectionDovecot::initTestCase()
{
    m_env = KitEnv::load();
    QVERIFY2(m_env.isValid(), qPrintable(m_env.error()));
}

SessionSettings TestSmtpConnectionDovecot::settings(const QString &portKey, Security security,
                                                    const QString &password) const
{
    Endpoint endpoint = m_env.endpoint(portKey);
    endpoint.security = security;
    return m_env.sessionSettings<SessionSettings>(endpoint, 0, password);
}

void TestSmtpConnectionDovecot::addServerRows() const
{
    QTest::addColumn<QString>("portKey");
    QTest::addColumn<Security>("security");
    QTest::addColumn<bool>("relayed"); // through Dovecot, which adds a Received: field
    QTest::newRow("dovecot submission starttls")
        << QStringLiteral("TANDEM_KIT_SUBMISSION_PORT") << Security::StartTls << true;
    QTest::newRow("dovecot submissions") << QStringLiteral("TANDEM_KIT_SUBMISSIONS_PORT") << Security::ImplicitTls
                                         << true;
    QTest::newRow("aiosmtpd starttls") << QStringLiteral("TANDEM_KIT_SMTP_PORT") << Security::StartTls << false;
    QTest::newRow("aiosmtpd smtps") << QStringLiteral("TANDEM_KIT_SMTPS_PORT") << Security::ImplicitTls << false;
}

void TestSmtpConnectionDovecot::sendsByteIdentical_data() { addServerRows(); }

void TestSmtpConnectionDovecot::sendsByteIdentical()
{
    QFETCH(QString, portKey);
    QFETCH(Security, security);
    QFETCH(bool, relayed);
    SmtpConnection connection(settings(portKey, security));
    auto opened = connection.open();
    VERIFY_OK(opened);
    QVERIFY(!opened.result().authMechanisms.isEmpty());

    const QString from = m_env.user() + QStringLiteral("@localhost");
    const QString to = QStringLiteral("rcpt@example.org");
    const SmtpStore store(m_env);
    QStringList ids;
    const QList<QByteArray> messages = messagesFor(from, to, &ids);
    for (qsizetype i = 0; i < messages.size(); ++i) {
        Envelope envelope;
        envelope.from = from;
        // The server refuses "reject..." (tools/testkit/smtp_server.py): the
        // message still goes to the other two, and the refusal is reported.
        envelope.recipients = {to, QStringLiteral("reject-me@example.org"), QStringLiteral("second@example.org")};
        envelope.message = messages.at(i);
        auto sent = connection.send(envelope);
        VERIFY_OK(sent);
        QVERIFY(sent.result().isDelivered());
        QCOMPARE(sent.result().refused().size(), 1);
        QCOMPARE(sent.result().refused().first().address, QStringLiteral("reject-me@example.org"));
        QCOMPARE(sent.result().refused().first().reply.code, 550);

        const QList<SmtpStore::Message> stored = store.waitForMessageId(ids.at(i));
        QCOMPARE(stored.size(), 1);
        const QByteArray stored0 = stored.first().bytes;
        const QByteArray bytes = relayed ? withoutOneReceivedField(stored0) : stored0;
        if (relayed)
            QVERIFY2(bytes.size() < stored0.size(), "Dovecot's Received: field is missing");
        QCOMPARE(bytes.size(), messages.at(i).size());
        QVERIFY2(bytes == messages.at(i), "the stored message differs from the sent bytes");

        // The envelope beside it names both recipients and the sender.
        const QJsonObject meta = store.envelopeOf(stored.first());
        QVERIFY2(!meta.isEmpty(), qPrintable(stored.first().fileName));
        QCOMPARE(meta.value(QLatin1String("mail_from")).toString(), from);
        QCOMPARE(meta.value(QLatin1String("rcpt_tos")).toArray().size(), 2);
    }
    VERIFY_OK(connection.quit());
    QCOMPARE(connection.state(), SessionState::Closed);
}

void TestSmtpConnectionDovecot::wrongPasswordIsAnAuthError_data() { addServerRows(); }

void TestSmtpConnectionDovecot::wrongPasswordIsAnAuthError()
{
    QFETCH(QString, portKey);
    QFETCH(Security, security);
    const QString wrong = QStringLiteral("not-the-password-42");
    SmtpConnection connection(settings(portKey, security, wrong));
    const Error error = outcome(connection.open());
    QCOMPARE(error.code(), ErrorCode::Auth);
    QVERIFY(!error.message().contains(wrong));
    QTRY_COMPARE(connection.state(), SessionState::Closed);
}

void TestSmtpConnectionDovecot::concurrentSendsFromThreadsArriveOnce_data() { addServerRows(); }

void TestSmtpConnectionDovecot::concurrentSendsFromThreadsArriveOnce()
{
    QFETCH(QString, portKey);
    QFETCH(Security, security);
    QFETCH(bool, relayed);
    constexpr int kThreads = 4;
    constexpr int kPerThread = 5;
    SmtpConnection connection(settings(portKey, security));
    const QString from = m_env.user() + QStringLiteral("@localhost");
    std::mutex mutex;
    QList<QFuture<SendResult>> futures;
    QStringList ids;
    QList<QByteArray> messages;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                const QString id = uniqueId();
                Envelope envelope;
                envelope.from = from;
                envelope.recipients = {QStringLiteral("thread%1@example.org").arg(t)};
                envelope.message = "Subject: thread " + QByteArray::number(t) + " message " + QByteArray::number(i)
                    + "\r\nMessage-ID: <" + id.toUtf8() + ">\r\n\r\n.dot line\r\nbody " + QByteArray::number(i)
                    + "\r\n";
                auto future = connection.send(envelope);
                std::lock_guard lock(mutex);
                futures << future;
                ids << id;
                messages << envelope.message;
            }
        });
    }
    for (std::thread &thread : threads)
        thread.join();
    for (const auto &future : std::as_const(futures)) {
        VERIFY_OK(future);
    }
    const SmtpStore store(m_env);
    for (qsizetype i = 0; i < ids.size(); ++i) {
        const QList<SmtpStore::Message> stored = store.waitForMessageId(ids.at(i));
        QCOMPARE(stored.size(), 1);
        QVERIFY(messages.at(i) == (relayed ? withoutOneReceivedField(stored.first().bytes) : stored.first().bytes));
    }
    VERIFY_OK(connection.quit());
}

QTEST_GUILESS_MAIN(TestSmtpConnectionDovecot)
#include "tst_smtp_connection_dovecot.moc"
