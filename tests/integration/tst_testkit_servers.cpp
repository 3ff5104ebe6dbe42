// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Proves the test kit: real Dovecot and SMTP servers answer over TLS with the
// kit's CA, accept the kit's users, and the SMTP store keeps what it receives.
// Deliberately written against raw sockets, independent of mailcore's clients.

#include <QDir>
#include <QFile>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTest>

#include "support/kitenv.h"

using tandem::test::KitEnv;

namespace {

constexpr int kTimeoutMs = 10000;

/// A blocking line-oriented dialogue over one socket, for test code only.
class Dialogue
{
public:
    explicit Dialogue(QSslSocket &socket)
        : m_socket(socket)
    {
    }

    QByteArray readLine()
    {
        while (!m_socket.canReadLine()) {
            if (!m_socket.waitForReadyRead(kTimeoutMs))
                return {};
        }
        return m_socket.readLine();
    }

    /// Reads lines until one starts with `prefix`; returns everything read.
    QByteArray readUntil(const QByteArray &prefix)
    {
        QByteArray all;
        for (;;) {
            const QByteArray line = readLine();
            if (line.isEmpty())
                return all;
            all += line;
            if (line.startsWith(prefix))
                return all;
        }
    }

    void send(const QByteArray &bytes)
    {
        m_socket.write(bytes);
        m_socket.flush();
    }

private:
    QSslSocket &m_socket;
};

QSslConfiguration kitTls(const KitEnv &env)
{
    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setCaCertificates(QSslCertificate::fromPath(env.caCertificatePath()));
    return config;
}

} // namespace

class TestKitServers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void imapsLoginAndCapability();
    void imapPlainPortOffersStarttls();
    void pop3sLoginAndCapability();
    void untrustedCertificateIsRefused();
    void smtpStarttlsAuthStoresMessage();
    void submissionRelaysToStore();

private:
    bool connectTls(QSslSocket &socket, quint16 port);
    QByteArray sendSmtpMessage(QSslSocket &socket, bool upgradeWithStarttls, const QByteArray &subject);
    QString waitForStoredMessageContaining(const QByteArray &needle);

    KitEnv m_env;
};

void TestKitServers::initTestCase()
{
    m_env = KitEnv::load();
    if (!m_env.isValid())
        QFAIL(qPrintable(m_env.error()));
    QVERIFY(QFile::exists(m_env.caCertificatePath()));
}

bool TestKitServers::connectTls(QSslSocket &socket, quint16 port)
{
    socket.setSslConfiguration(kitTls(m_env));
    socket.connectToHostEncrypted(m_env.host(), port);
    return socket.waitForEncrypted(kTimeoutMs);
}

void TestKitServers::imapsLoginAndCapability()
{
    QSslSocket socket;
    QVERIFY2(connectTls(socket, m_env.port(QStringLiteral("TANDEM_KIT_IMAPS_PORT"))), qPrintable(socket.errorString()));
    Dialogue imap(socket);
    QVERIFY(imap.readLine().startsWith("* OK"));

    imap.send("a1 CAPABILITY\r\n");
    const QByteArray caps = imap.readUntil("a1 ");
    QVERIFY2(caps.contains("* CAPABILITY IMAP4rev1"), caps.constData());
    QVERIFY(caps.contains("a1 OK"));

    imap.send("a2 LOGIN " + m_env.user().toUtf8() + " \"" + m_env.password().toUtf8() + "\"\r\n");
    QVERIFY(imap.readUntil("a2 ").contains("a2 OK"));

    imap.send("a3 LIST \"\" \"*\"\r\n");
    const QByteArray list = imap.readUntil("a3 ");
    QVERIFY2(list.contains("INBOX"), list.constData());
    QVERIFY2(list.contains("\\Sent"), list.constData());

    imap.send("a4 LOGOUT\r\n");
    QVERIFY(imap.readUntil("a4 ").contains("a4 OK"));
}

void TestKitServers::imapPlainPortOffersStarttls()
{
    QSslSocket socket;
    socket.setSslConfiguration(kitTls(m_env));
    socket.connectToHost(m_env.host(), m_env.port(QStringLiteral("TANDEM_KIT_IMAP_PORT")));
    QVERIFY(socket.waitForConnected(kTimeoutMs));
    Dialogue imap(socket);
    const QByteArray greeting = imap.readLine();
    QVERIFY2(greeting.contains("STARTTLS"), greeting.constData());

    imap.send("s1 STARTTLS\r\n");
    QVERIFY(imap.readUntil("s1 ").startsWith("s1 OK"));
    socket.startClientEncryption();
    QVERIFY2(socket.waitForEncrypted(kTimeoutMs), qPrintable(socket.errorString()));

    imap.send("s2 CAPABILITY\r\n");
    const QByteArray caps = imap.readUntil("s2 ");
    QVERIFY2(!caps.contains("STARTTLS"), "STARTTLS must not be offered again after the upgrade");
    QVERIFY(caps.contains("s2 OK"));
}

void TestKitServers::pop3sLoginAndCapability()
{
    QSslSocket socket;
    QVERIFY2(connectTls(socket, m_env.port(QStringLiteral("TANDEM_KIT_POP3S_PORT"))), qPrintable(socket.errorString()));
    Dialogue pop(socket);
    QVERIFY(pop.readLine().startsWith("+OK"));

    pop.send("CAPA\r\n");
    const QByteArray caps = pop.readUntil(".\r\n");
    QVERIFY2(caps.startsWith("+OK"), caps.constData());
    QVERIFY2(caps.contains("UIDL"), caps.constData());
    QVERIFY2(caps.contains("PIPELINING"), caps.constData());

    pop.send("USER " + m_env.user().toUtf8() + "\r\n");
    QVERIFY(pop.readLine().startsWith("+OK"));
    pop.send("PASS " + m_env.password().toUtf8() + "\r\n");
    QVERIFY(pop.readLine().startsWith("+OK"));
    pop.send("STAT\r\n");
    QVERIFY(pop.readLine().startsWith("+OK"));
    pop.send("QUIT\r\n");
    QVERIFY(pop.readLine().startsWith("+OK"));
}

void TestKitServers::untrustedCertificateIsRefused()
{
    // Without the kit's CA the server's certificate must not verify: proves the
    // kit's TLS is real and that Qt checks certificates by default.
    QSslSocket socket;
    socket.connectToHostEncrypted(m_env.host(), m_env.port(QStringLiteral("TANDEM_KIT_IMAPS_PORT")));
    QVERIFY(!socket.waitForEncrypted(kTimeoutMs));
    QVERIFY(!socket.sslHandshakeErrors().isEmpty());
}

QByteArray TestKitServers::sendSmtpMessage(QSslSocket &socket, bool upgradeWithStarttls, const QByteArray &subject)
{
    Dialogue smtp(socket);
    if (!smtp.readLine().startsWith("220"))
        return "no greeting";
    smtp.send("EHLO tandem.test\r\n");
    QByteArray ehlo = smtp.readUntil("250 ");
    if (upgradeWithStarttls) {
        if (!ehlo.contains("STARTTLS"))
            return "no STARTTLS offered: " + ehlo;
        smtp.send("STARTTLS\r\n");
        if (!smtp.readLine().startsWith("220"))
            return "STARTTLS refused";
        socket.startClientEncryption();
        if (!socket.waitForEncrypted(kTimeoutMs))
            return "TLS failed: " + socket.errorString().toUtf8();
        smtp.send("EHLO tandem.test\r\n");
        ehlo = smtp.readUntil("250 ");
    }
    if (!ehlo.contains("AUTH"))
        return "no AUTH offered: " + ehlo;
    const QByteArray plain = QByteArray("\0", 1) + m_env.user().toUtf8() + QByteArray("\0", 1)
        + m_env.password().toUtf8();
    smtp.send("AUTH PLAIN " + plain.toBase64() + "\r\n");
    const QByteArray auth = smtp.readLine();
    if (!auth.startsWith("235"))
        return "AUTH failed: " + auth;
    smtp.send("MAIL FROM:<alice@localhost>\r\n");
    if (!smtp.readLine().startsWith("250"))
        return "MAIL refused";
    smtp.send("RCPT TO:<bob@localhost>\r\n");
    if (!smtp.readLine().startsWith("250"))
        return "RCPT refused";
    smtp.send("DATA\r\n");
    if (!smtp.readLine().startsWith("354"))
        return "DATA refused";
    smtp.send("From: alice@localhost\r\nTo: bob@localhost\r\nSubject: " + subject
              + "\r\n\r\nHello Bob.\r\n..a line that starts with a dot\r\n.\r\n");
    const QByteArray accepted = smtp.readLine();
    if (!accepted.startsWith("250"))
        return "message refused: " + accepted;
    smtp.send("QUIT\r\n");
    smtp.readLine();
    return {};
}

QString TestKitServers::waitForStoredMessageContaining(const QByteArray &needle)
{
    const QDir store(m_env.smtpStore() + QStringLiteral("/new"));
    QString found;
    // A relayed message reaches the store a little after the client's 250.
    [[maybe_unused]] const bool ok = QTest::qWaitFor(
        [&] {
            const QStringList files = store.entryList({QStringLiteral("*.eml")}, QDir::Files);
            for (const QString &name : files) {
                QFile file(store.filePath(name));
                if (file.open(QIODevice::ReadOnly) && file.readAll().contains(needle)) {
                    found = file.fileName();
                    return true;
                }
            }
            return false;
        },
        kTimeoutMs);
    return found;
}

void TestKitServers::smtpStarttlsAuthStoresMessage()
{
    QSslSocket socket;
    socket.setSslConfiguration(kitTls(m_env));
    socket.connectToHost(m_env.host(), m_env.port(QStringLiteral("TANDEM_KIT_SMTP_PORT")));
    QVERIFY(socket.waitForConnected(kTimeoutMs));
    const QByteArray subject = "kit smtp " + QByteArray::number(QDateTime::currentMSecsSinceEpoch());
    const QByteArray failure = sendSmtpMessage(socket, true, subject);
    QVERIFY2(failure.isEmpty(), failure.constData());

    const QString path = waitForStoredMessageContaining(subject);
    QVERIFY2(!path.isEmpty(), "the message did not reach the SMTP store");
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray stored = file.readAll();
    // Dot-unstuffed, line endings kept: the store holds what the client meant.
    QVERIFY2(stored.endsWith("Hello Bob.\r\n.a line that starts with a dot\r\n"), stored.constData());
}

void TestKitServers::submissionRelaysToStore()
{
    QSslSocket socket;
    QVERIFY2(connectTls(socket, m_env.port(QStringLiteral("TANDEM_KIT_SUBMISSIONS_PORT"))),
             qPrintable(socket.errorString()));
    const QByteArray subject = "kit submission " + QByteArray::number(QDateTime::currentMSecsSinceEpoch());
    const QByteArray failure = sendSmtpMessage(socket, false, subject);
    QVERIFY2(failure.isEmpty(), failure.constData());
    QVERIFY2(!waitForStoredMessageContaining(subject).isEmpty(), "Dovecot submission did not relay to the store");
}

QTEST_GUILESS_MAIN(TestKitServers)
#include "tst_testkit_servers.moc"
