// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Building: wire rules (CRLF, <= 998 octets, 7-bit headers, no Bcc), transfer
// encodings chosen by content, round trip through the parser, reply and forward.

#include <QTemporaryDir>
#include <QTest>

#include "mailcore/mime/builder.h"
#include "mailcore/mime/message.h"
#include "mailcore/mime/reply.h"

using namespace mailcore;
using namespace mailcore::mime;

Q_DECLARE_METATYPE(mailcore::mime::OutgoingMessage)

namespace {

MailAddress addr(const QString &name, const QString &address) { return MailAddress{name, address, QString()}; }

OutgoingMessage basic()
{
    OutgoingMessage m;
    m.from = addr(QStringLiteral("Alice Example"), QStringLiteral("alice@example.org"));
    m.to = {addr(QString(), QStringLiteral("bob@example.net"))};
    m.subject = QStringLiteral("Lunch");
    m.plainText = QStringLiteral("Noon?\n");
    m.date = QDateTime(QDate(2024, 3, 4), QTime(10, 15, 0), Qt::OffsetFromUTC, 3600);
    return m;
}

// The builder ends every text with a line break.
QString lineTerminated(const QString &text)
{
    return text.isEmpty() || text.endsWith(QLatin1Char('\n')) ? text : text + QLatin1Char('\n');
}

QByteArray headerBlock(const QByteArray &raw) { return raw.left(raw.indexOf("\r\n\r\n") + 2); }

// Returns an empty string when the bytes keep every wire rule, else the first broken one.
QString wireProblem(const QByteArray &raw)
{
    qsizetype start = 0;
    while (start < raw.size()) {
        const qsizetype nl = raw.indexOf('\n', start);
        if (nl < 0)
            return QStringLiteral("last line has no CRLF");
        if (nl == 0 || raw.at(nl - 1) != '\r')
            return QStringLiteral("bare LF at %1").arg(nl);
        const QByteArray line = raw.mid(start, nl - 1 - start);
        if (line.contains('\r'))
            return QStringLiteral("bare CR in line at %1").arg(start);
        if (line.size() > 998)
            return QStringLiteral("line of %1 octets at %2").arg(line.size()).arg(start);
        start = nl + 1;
    }
    const QByteArray headers = headerBlock(raw);
    for (char c : headers) {
        if (uchar(c) >= 0x80)
            return QStringLiteral("8-bit byte in the header block");
    }
    return {};
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &content)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(content);
    return path;
}

QByteArray binaryBlob(int size)
{
    QByteArray b;
    b.reserve(size);
    for (int i = 0; i < size; ++i)
        b.append(char((quint32(i) * 7919u + quint32(i) / 251u) & 0xffu)); // unsigned: wraps, never overflows
    return b;
}

} // namespace

class TestMimeBuild : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<OutgoingMessage>("draft");
        QVERIFY(m_dir.isValid());
        QTest::newRow("plain ascii") << basic();

        OutgoingMessage intl = basic();
        intl.from = addr(QStringLiteral("Jürgen Müller"), QStringLiteral("jm@example.de"));
        intl.to = {addr(QStringLiteral("Доктор Иванов"), QStringLiteral("ivanov@example.ru")),
                   addr(QStringLiteral("Doe, John"), QStringLiteral("jd@example.com"))};
        intl.cc = {addr(QStringLiteral("山田太郎"), QStringLiteral("yamada@example.jp"))};
        intl.bcc = {addr(QString(), QStringLiteral("secret@example.org"))};
        intl.replyTo = {addr(QStringLiteral("Liste"), QStringLiteral("list@example.de"))};
        intl.subject = QStringLiteral(
            "Grüße – Привет – こんにちは, a subject long enough that it has to be folded over more than one line");
        intl.plainText = QStringLiteral("Schöne Grüße!\nПривет!\n\n.\nFrom the start of a line\n. leading dot\n");
        intl.inReplyTo = QStringLiteral("parent@example.org");
        intl.references = {QStringLiteral("root@example.org"), QStringLiteral("parent@example.org")};
        QTest::newRow("international") << intl;

        OutgoingMessage longLines = basic();
        longLines.plainText = QString(5000, QLatin1Char('x')) + QLatin1Char('\n') + QString(3000, QChar(0x00e9))
            + QLatin1Char('\n');
        QTest::newRow("long lines") << longLines;

        OutgoingMessage html = basic();
        html.htmlText = QStringLiteral(
            "<html><body><p>Noon? <b>Café</b></p><img src=\"cid:pic1@tandem\"></body></html>");
        OutgoingAttachment image;
        image.data = QByteArray::fromBase64("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");
        image.fileName = QStringLiteral("pic.gif");
        image.contentId = QStringLiteral("pic1@tandem");
        image.inlineImage = true;
        html.attachments = {image};
        QTest::newRow("html with inline image") << html;

        OutgoingMessage files = basic();
        files.attachments = {
            OutgoingAttachment::fromFile(writeFile(m_dir, QStringLiteral("data.bin"), binaryBlob(300000))),
            OutgoingAttachment::fromFile(
                writeFile(m_dir, QStringLiteral("naïve résumé – 2024.txt"), QByteArrayLiteral("line\r\nother\nlast"))),
            OutgoingAttachment::fromFile(writeFile(m_dir, QStringLiteral("empty.dat"), QByteArray())),
        };
        QTest::newRow("file attachments") << files;

        OutgoingMessage htmlOnly = basic();
        htmlOnly.plainText.clear();
        htmlOnly.htmlText = QStringLiteral("<p>only html</p>");
        QTest::newRow("html only") << htmlOnly;
    }

    // Every built message keeps the wire rules and parses back to the same values.
    void roundTrip()
    {
        QFETCH(OutgoingMessage, draft);
        Error error;
        const QByteArray raw = MessageBuilder::build(draft, &error);
        QVERIFY2(!error.isError(), qPrintable(error.toString()));
        const QString problem = wireProblem(raw);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        const QByteArray lines = "\r\n" + headerBlock(raw);
        QVERIFY(!lines.contains("\r\nBcc:"));
        QVERIFY(lines.contains("\r\nMessage-Id: <") || lines.contains("\r\nMessage-ID: <"));
        QVERIFY(lines.contains("\r\nDate: "));

        const Message parsed = Message::parse(raw, &error);
        QVERIFY2(!error.isError(), qPrintable(error.toString()));
        const MessageHeaders &h = parsed.headers();
        QCOMPARE(h.from, QList<MailAddress>{draft.from});
        QCOMPARE(h.to, draft.to);
        QCOMPARE(h.cc, draft.cc);
        QCOMPARE(h.replyTo, draft.replyTo);
        QVERIFY(h.bcc.isEmpty());
        QCOMPARE(h.subject, draft.subject);
        QCOMPARE(h.date, draft.date);
        QCOMPARE(h.date.offsetFromUtc(), draft.date.offsetFromUtc());
        QVERIFY(!h.messageId.isEmpty());
        QCOMPARE(h.inReplyTo, draft.inReplyTo);
        QCOMPARE(h.references, draft.references);
        QCOMPARE(parsed.plainText(), lineTerminated(draft.plainText));
        QCOMPARE(parsed.htmlText(), lineTerminated(draft.htmlText));
        QCOMPARE(parsed.attachments().size(), draft.attachments.size());
        for (int i = 0; i < draft.attachments.size(); ++i) {
            const OutgoingAttachment &out = draft.attachments.at(i);
            const AttachmentInfo &in = parsed.attachments().at(i);
            QCOMPARE(in.fileName, out.fileName);
            QCOMPARE(in.contentId, out.contentId);
            QByteArray expected = out.data;
            if (!out.filePath.isEmpty()) {
                QFile file(out.filePath);
                QVERIFY(file.open(QIODevice::ReadOnly));
                expected = file.readAll();
            }
            QCOMPARE(in.size, qint64(expected.size()));
            QCOMPARE(parsed.attachmentContent(in.id), expected);
            if (out.inlineImage)
                QCOMPARE(parsed.findByContentId(QLatin1String("cid:") + out.contentId).id, in.id);
        }
        QCOMPARE(draft.envelopeRecipients().size(), draft.to.size() + draft.cc.size() + draft.bcc.size());
    }

    void transferEncodingByContent_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QByteArray>("encoding");
        QTest::newRow("short ascii") << QStringLiteral("hello\nworld\n") << QByteArrayLiteral("7bit");
        QTest::newRow("mostly latin") << QStringLiteral(
            "Hello from Köln, see you tomorrow at the usual place near the station.\n")
                                      << QByteArrayLiteral("quoted-printable");
        QTest::newRow("long ascii line") << QString(1200, QLatin1Char('a')) << QByteArrayLiteral("quoted-printable");
        QTest::newRow("cyrillic") << QStringLiteral("Привет, как дела? Всё хорошо.\n") << QByteArrayLiteral("base64");
    }

    void transferEncodingByContent()
    {
        QFETCH(QString, text);
        QFETCH(QByteArray, encoding);
        OutgoingMessage m = basic();
        m.plainText = text;
        const QByteArray raw = MessageBuilder::build(m);
        const QByteArray lower = raw.toLower();
        if (encoding == "7bit") // 7bit is the default and may go unsaid
            QVERIFY2(!lower.contains("content-transfer-encoding:") || lower.contains("content-transfer-encoding: 7bit"),
                     raw.constData());
        else
            QVERIFY2(lower.contains(QByteArray("content-transfer-encoding: " + encoding)), raw.constData());
        QCOMPARE(Message::parse(raw).plainText(), lineTerminated(text));
    }

    void nonAsciiFileNameUsesRfc2231()
    {
        OutgoingMessage m = basic();
        OutgoingAttachment a;
        a.data = QByteArrayLiteral("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n");
        a.fileName = QStringLiteral("Über.pdf");
        m.attachments = {a};
        const QByteArray raw = MessageBuilder::build(m);
        QVERIFY2(raw.contains("filename*="), raw.constData());
        const AttachmentInfo parsed = Message::parse(raw).attachments().value(0);
        QCOMPARE(parsed.fileName, a.fileName);
        QCOMPARE(parsed.mimeType, QStringLiteral("application/pdf")); // guessed from the content
    }

    void headerInjectionIsRefusedOrNeutralised()
    {
        OutgoingMessage bad = basic();
        bad.to = {addr(QString(), QStringLiteral("bob@example.net\r\nBcc: victim@example.org"))};
        Error error;
        QVERIFY(MessageBuilder::build(bad, &error).isEmpty());
        QCOMPARE(error.code(), ErrorCode::BadArgument);

        OutgoingMessage subject = basic();
        subject.subject = QStringLiteral("hi\r\nX-Injected: yes");
        const QByteArray raw = MessageBuilder::build(subject, &error);
        QVERIFY(!error.isError());
        QVERIFY(!raw.contains("\r\nX-Injected:"));
    }

    void unreadableAttachmentIsAnIoError()
    {
        OutgoingMessage m = basic();
        m.attachments = {OutgoingAttachment::fromFile(QStringLiteral("/nonexistent/file.bin"))};
        Error error;
        QVERIFY(MessageBuilder::build(m, &error).isEmpty());
        QCOMPARE(error.code(), ErrorCode::Io);
    }

    void reply()
    {
        OutgoingMessage o = basic();
        o.from = addr(QStringLiteral("Carol"), QStringLiteral("carol@example.com"));
        o.to = {addr(QStringLiteral("Me"), QStringLiteral("me@example.org")),
                addr(QString(), QStringLiteral("dave@example.com"))};
        o.cc = {addr(QString(), QStringLiteral("ME-ALIAS@example.org")),
                addr(QString(), QStringLiteral("erin@example.com")),
                addr(QString(), QStringLiteral("carol@example.com"))};
        o.subject = QStringLiteral("Plans");
        o.plainText = QStringLiteral("Line one\n> older quote\n");
        o.messageId = QStringLiteral("orig@example.com");
        o.references = {QStringLiteral("root@example.com")};
        const Message original = Message::parse(MessageBuilder::build(o));
        const MailAddress me = addr(QStringLiteral("Me"), QStringLiteral("me@example.org"));

        const OutgoingMessage toSender = makeReply(original, me, ReplyMode::Sender);
        QCOMPARE(toSender.subject, QStringLiteral("Re: Plans"));
        QCOMPARE(toSender.to, QList<MailAddress>{o.from});
        QVERIFY(toSender.cc.isEmpty());
        QCOMPARE(toSender.inReplyTo, QStringLiteral("orig@example.com"));
        QCOMPARE(toSender.references,
                 (QStringList{QStringLiteral("root@example.com"), QStringLiteral("orig@example.com")}));
        QVERIFY2(toSender.plainText.contains(
                     QLatin1String("Carol <carol@example.com> wrote:\n> Line one\n>> older quote\n")),
                 qPrintable(toSender.plainText));

        const OutgoingMessage all = makeReply(original, me, ReplyMode::All, {QStringLiteral("me-alias@example.org")});
        QStringList to, cc;
        for (const MailAddress &a : all.to)
            to << a.address;
        for (const MailAddress &a : all.cc)
            cc << a.address;
        QCOMPARE(to, (QStringList{QStringLiteral("carol@example.com"), QStringLiteral("dave@example.com")}));
        QCOMPARE(cc, QStringList{QStringLiteral("erin@example.com")});

        // Replying to a reply does not stack prefixes, and the reply builds and parses.
        const Message replied = Message::parse(MessageBuilder::build(all));
        QCOMPARE(makeReply(replied, o.from, ReplyMode::Sender).subject, QStringLiteral("Re: Plans"));
        QCOMPARE(replied.headers().inReplyTo, QStringLiteral("orig@example.com"));
    }

    void forward()
    {
        OutgoingMessage o = basic();
        o.subject = QStringLiteral("Report");
        OutgoingAttachment a;
        a.data = binaryBlob(1000);
        a.fileName = QStringLiteral("r.bin");
        o.attachments = {a};
        const Message original = Message::parse(MessageBuilder::build(o));
        const MailAddress me = addr(QString(), QStringLiteral("me@example.org"));

        const OutgoingMessage inlineFwd = makeForward(original, me, ForwardMode::Inline);
        QCOMPARE(inlineFwd.subject, QStringLiteral("Fwd: Report"));
        QVERIFY(inlineFwd.plainText.contains(QLatin1String("Subject: Report\n")));
        QVERIFY(inlineFwd.plainText.contains(QLatin1String("Noon?")));
        QCOMPARE(inlineFwd.attachments.size(), 1);
        QCOMPARE(inlineFwd.attachments.at(0).data, a.data);

        OutgoingMessage asAttachment = makeForward(original, me, ForwardMode::AsAttachment);
        asAttachment.to = {addr(QString(), QStringLiteral("x@example.org"))};
        const Message sent = Message::parse(MessageBuilder::build(asAttachment));
        QCOMPARE(sent.attachments().size(), 1);
        QVERIFY(sent.attachments().at(0).isMessage);
        QCOMPARE(sent.attachments().at(0).fileName, QStringLiteral("Report.eml"));
        const Message inner = sent.openAttachedMessage(sent.attachments().at(0).id);
        QCOMPARE(inner.headers().subject, QStringLiteral("Report"));
        QCOMPARE(inner.headers().messageId, original.headers().messageId);
        QCOMPARE(inner.attachmentContent(inner.attachments().value(0).id), a.data);
    }
};

QTEST_GUILESS_MAIN(TestMimeBuild)
#include "tst_mime_build.moc"
