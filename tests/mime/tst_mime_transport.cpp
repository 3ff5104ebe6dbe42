// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Built messages pass through the real servers of the test kit byte-intact:
// IMAP APPEND then UID FETCH BODY.PEEK[] gives back the same bytes, and SMTP
// (STARTTLS, AUTH PLAIN, dot-stuffed DATA) delivers the same message. The
// protocol clients of mailcore are not used on purpose: this test checks the
// MIME layer's output, so it speaks minimal IMAP and SMTP itself.

#include <QRegularExpression>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTest>

#include "mailcore/mime/builder.h"
#include "mailcore/mime/message.h"
#include "support/kitenv.h"
#include "support/smtpstore.h"

using namespace mailcore;
using namespace mailcore::mime;

namespace {

constexpr int kTimeoutMs = 15000;

// A blocking line/literal reader over a socket, for the test thread only.
class Wire
{
public:
    explicit Wire(QSslSocket *socket)
        : m_socket(socket)
    {
    }

    bool fill()
    {
        if (!m_socket->waitForReadyRead(kTimeoutMs))
            return false;
        m_buffer += m_socket->readAll();
        return true;
    }

    QByteArray line()
    {
        for (;;) {
            const qsizetype nl = m_buffer.indexOf("\r\n");
            if (nl >= 0) {
                const QByteArray l = m_buffer.left(nl);
                m_buffer.remove(0, nl + 2);
                return l;
            }
            if (!fill())
                return QByteArrayLiteral("<timeout>");
        }
    }

    QByteArray bytes(qsizetype n)
    {
        while (m_buffer.size() < n) {
            if (!fill())
                return {};
        }
        const QByteArray b = m_buffer.left(n);
        m_buffer.remove(0, n);
        return b;
    }

    void send(const QByteArray &data)
    {
        m_socket->write(data);
        m_socket->flush();
    }

    // Reads IMAP lines until the tagged one; returns it, untagged lines in *untagged.
    QByteArray tagged(const QByteArray &tag, QList<QByteArray> *untagged = nullptr)
    {
        for (;;) {
            const QByteArray l = line();
            if (l.startsWith(QByteArray(tag + ' ')) || l == "<timeout>")
                return l;
            if (untagged)
                untagged->append(l);
        }
    }

    // Reads one (possibly multi-line) SMTP reply; returns its last line.
    QByteArray smtpReply()
    {
        for (;;) {
            const QByteArray l = line();
            if (l.size() < 4 || l.at(3) != '-')
                return l;
        }
    }

private:
    QSslSocket *m_socket;
    QByteArray m_buffer;
};

QByteArray quoted(const QString &s)
{
    QByteArray q = s.toUtf8();
    q.replace('\\', "\\\\");
    q.replace('"', "\\\"");
    return '"' + q + '"';
}

QByteArray dotStuffed(const QByteArray &message)
{
    QByteArray out = message;
    if (out.startsWith('.'))
        out.prepend('.');
    out.replace("\r\n.", "\r\n..");
    return out;
}

QList<QByteArray> builtMessages(const QString &to)
{
    QList<QByteArray> out;
    OutgoingMessage a;
    a.from = MailAddress{QStringLiteral("Jürgen Müller"), QStringLiteral("jm@example.de"), QString()};
    a.to = {MailAddress{QStringLiteral("Кит"), to, QString()}};
    a.subject = QStringLiteral("Transport – Grüße ✓ %1").arg(QDateTime::currentMSecsSinceEpoch());
    a.plainText = QStringLiteral(".\nA line that starts with a dot follows\n.hidden\n..double\nFrom here\n")
        + QString(2000, QChar(0x00e9)) + QLatin1Char('\n');
    a.htmlText = QStringLiteral("<p>Grüße</p>");
    OutgoingAttachment blob;
    for (int i = 0; i < 200000; ++i)
        blob.data.append(char((i * 31) & 0xff));
    blob.fileName = QStringLiteral("données.bin");
    a.attachments = {blob};
    out.append(MessageBuilder::build(a));

    OutgoingMessage b;
    b.from = MailAddress{QString(), QStringLiteral("plain@example.org"), QString()};
    b.to = {MailAddress{QString(), to, QString()}};
    b.subject = QStringLiteral("Plain %1").arg(QDateTime::currentMSecsSinceEpoch());
    b.plainText = QStringLiteral("just ascii\n.\n");
    out.append(MessageBuilder::build(b));
    return out;
}

/// Connects `socket` to the kit's server on the port named by `portKey`,
/// trusting the kit's CA, over TLS from the first byte or in plain text (for
/// STARTTLS later); false with the socket's error when it could not.
bool connectToKit(QSslSocket &socket, const tandem::test::KitEnv &kit, const QString &portKey, bool implicitTls)
{
    QSslConfiguration config = socket.sslConfiguration();
    if (!config.addCaCertificates(kit.caCertificatePath()))
        return false;
    socket.setSslConfiguration(config);
    if (!implicitTls) {
        socket.connectToHost(kit.host(), kit.port(portKey));
        return socket.waitForConnected(kTimeoutMs);
    }
    socket.connectToHostEncrypted(kit.host(), kit.port(portKey));
    return socket.waitForEncrypted(kTimeoutMs);
}

} // namespace

class TestMimeTransport : public QObject
{
    Q_OBJECT

private:
    tandem::test::KitEnv m_kit;

private Q_SLOTS:
    void initTestCase()
    {
        m_kit = tandem::test::KitEnv::load();
        QVERIFY2(m_kit.isValid(), qPrintable(m_kit.error()));
    }

    void imapAppendFetchIsByteIntact()
    {
        QSslSocket socket;
        QVERIFY2(connectToKit(socket, m_kit, QStringLiteral("TANDEM_KIT_IMAPS_PORT"), true),
                 qPrintable(socket.errorString()));
        Wire wire(&socket);
        QVERIFY(wire.line().startsWith("* OK"));
        wire.send("a1 LOGIN " + quoted(m_kit.user()) + ' ' + quoted(m_kit.password()) + "\r\n");
        QVERIFY(wire.tagged("a1").startsWith("a1 OK"));
        // A folder of its own: other tests count the corpus folders of the shared kit.
        wire.send("a0 CREATE MimeTransport\r\n");
        wire.tagged("a0"); // NO when an earlier run made it: fine
        wire.send("a2 SELECT MimeTransport\r\n");
        QVERIFY(wire.tagged("a2").startsWith("a2 OK"));

        const QList<QByteArray> messages = builtMessages(m_kit.user());
        int n = 0;
        for (const QByteArray &message : messages) {
            const QByteArray tag = "b" + QByteArray::number(++n);
            wire.send(tag + " APPEND MimeTransport {" + QByteArray::number(message.size()) + "}\r\n");
            QVERIFY(wire.line().startsWith("+"));
            wire.send(message + "\r\n");
            const QByteArray done = wire.tagged(tag);
            QVERIFY2(done.startsWith(QByteArray(tag + " OK")), done.constData());
            static const QRegularExpression appendUid(QStringLiteral("APPENDUID (\\d+) (\\d+)"));
            const QRegularExpressionMatch match = appendUid.match(QString::fromLatin1(done));
            QVERIFY2(match.hasMatch(), done.constData());
            const QByteArray uid = match.captured(2).toLatin1();

            const QByteArray fetchTag = "f" + QByteArray::number(n);
            wire.send(fetchTag + " UID FETCH " + uid + " BODY.PEEK[]\r\n");
            const QByteArray head = wire.line();
            static const QRegularExpression literal(QStringLiteral("\\{(\\d+)\\}$"));
            const QRegularExpressionMatch size = literal.match(QString::fromLatin1(head));
            QVERIFY2(head.startsWith("* ") && size.hasMatch(), head.constData());
            const QByteArray fetched = wire.bytes(size.captured(1).toLongLong());
            QVERIFY(wire.tagged(fetchTag).startsWith(QByteArray(fetchTag + " OK")));
            QCOMPARE(fetched.size(), message.size());
            QVERIFY(fetched == message);
            QCOMPARE(Message::parse(fetched).headers().subject, Message::parse(message).headers().subject);
        }
        wire.send("z LOGOUT\r\n");
    }

    void smtpDeliveryIsByteIntact()
    {
        QSslSocket socket;
        QVERIFY2(connectToKit(socket, m_kit, QStringLiteral("TANDEM_KIT_SMTP_PORT"), false),
                 qPrintable(socket.errorString()));
        Wire wire(&socket);
        QVERIFY(wire.smtpReply().startsWith("220"));
        wire.send("EHLO tandem.test\r\n");
        QVERIFY(wire.smtpReply().startsWith("250"));
        wire.send("STARTTLS\r\n");
        QVERIFY(wire.smtpReply().startsWith("220"));
        socket.setPeerVerifyName(m_kit.host());
        socket.startClientEncryption();
        QVERIFY2(socket.waitForEncrypted(kTimeoutMs), qPrintable(socket.errorString()));
        wire.send("EHLO tandem.test\r\n");
        QVERIFY(wire.smtpReply().startsWith("250"));
        const QByteArray credentials = '\0' + m_kit.user().toUtf8() + '\0' + m_kit.password().toUtf8();
        wire.send("AUTH PLAIN " + credentials.toBase64() + "\r\n");
        const QByteArray auth = wire.smtpReply();
        QVERIFY2(auth.startsWith("235"), auth.constData());

        const tandem::test::SmtpStore store(m_kit);
        const QList<QByteArray> messages = builtMessages(QStringLiteral("rcpt@example.org"));
        for (const QByteArray &message : messages) {
            wire.send("MAIL FROM:<sender@example.org>\r\n");
            QVERIFY(wire.smtpReply().startsWith("250"));
            wire.send("RCPT TO:<rcpt@example.org>\r\n");
            QVERIFY(wire.smtpReply().startsWith("250"));
            wire.send("DATA\r\n");
            QVERIFY(wire.smtpReply().startsWith("354"));
            wire.send(dotStuffed(message) + ".\r\n"); // the message ends in CRLF already
            const QByteArray accepted = wire.smtpReply();
            QVERIFY2(accepted.startsWith("250"), accepted.constData());

            // The stored file may carry trace headers in front and LF line ends;
            // after them, the sent bytes.
            const QString subject = Message::parse(message).headers().subject;
            const auto lf = [](QByteArray bytes) { return bytes.replace("\r\n", "\n"); };
            const QByteArray sent = lf(message);
            const QByteArray stored = lf(
                store.waitForMessage([&](const QByteArray &bytes) { return lf(bytes).contains(sent); }, kTimeoutMs)
                    .bytes);
            QVERIFY2(!stored.isEmpty(), "the sent bytes are in no file of the SMTP store");
            const Message parsed = Message::parse(stored);
            QCOMPARE(parsed.headers().subject, subject);
            QCOMPARE(parsed.plainText(), Message::parse(message).plainText());
        }
        wire.send("QUIT\r\n");
    }
};

QTEST_GUILESS_MAIN(TestMimeTransport)
#include "tst_mime_transport.moc"
