// Hostile and broken input: every case must end quickly, without a crash, with
// either a result or ErrorCode::Limit, never unbounded work.

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include "mailcore/mime/message.h"

using namespace mailcore;
using namespace mailcore::mime;

namespace {

const QByteArray kHead = QByteArrayLiteral("From: a@example.org\r\nSubject: hostile\r\nMIME-Version: 1.0\r\n");

} // namespace

class TestMimeRobustness : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hugeHeaderIsRefused()
    {
        QByteArray raw = kHead + "X-Big: " + QByteArray(50 * 1024 * 1024, 'a') + "\r\n\r\nbody\r\n";
        QElapsedTimer timer;
        timer.start();
        Error error;
        QVERIFY(Message::parse(raw, &error).isNull());
        QCOMPARE(error.code(), ErrorCode::Limit);
        Message::parseHeaders(raw, &error);
        QCOMPARE(error.code(), ErrorCode::Limit);
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    }

    void tenThousandParts()
    {
        QByteArray raw = kHead + "Content-Type: multipart/mixed; boundary=b\r\n\r\n";
        for (int i = 0; i < 10000; ++i)
            raw += "--b\r\nContent-Type: application/octet-stream; name=f" + QByteArray::number(i) + ".bin\r\n\r\nx\r\n";
        raw += "--b--\r\n";
        QElapsedTimer timer;
        timer.start();
        Error error;
        const Message m = Message::parse(raw, &error);
        QVERIFY2(!error.isError(), qPrintable(error.toString()));
        QVERIFY(m.isTruncated());
        QCOMPARE(m.attachments().size(), limits::MaxParts - 1);
        QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
    }

    void nestedForeverIsRefused()
    {
        QByteArray raw = kHead + "Content-Type: multipart/mixed; boundary=x0\r\n\r\n";
        for (int i = 0; i < 100000; ++i)
            raw += "--x" + QByteArray::number(i) + "\r\nContent-Type: multipart/mixed; boundary=x" + QByteArray::number(i + 1) + "\r\n\r\n";
        Error error;
        QVERIFY(Message::parse(raw, &error).isNull());
        QCOMPARE(error.code(), ErrorCode::Limit);
        // The headers of such a message are still listable.
        QCOMPARE(Message::parseHeaders(raw, &error).subject, QStringLiteral("hostile"));
        QVERIFY(!error.isError());
    }

    void nestedJustUnderTheContainerLimit()
    {
        QByteArray raw = kHead + "Content-Type: multipart/mixed; boundary=y0\r\n\r\n";
        const int depth = limits::MaxContainerParts - 1;
        for (int i = 0; i < depth; ++i)
            raw += "--y" + QByteArray::number(i) + "\r\nContent-Type: multipart/mixed; boundary=y" + QByteArray::number(i + 1) + "\r\n\r\n";
        raw += "--y" + QByteArray::number(depth) + "\r\nContent-Type: text/plain\r\n\r\ndeep\r\n";
        QElapsedTimer timer;
        timer.start();
        Error error;
        const Message m = Message::parse(raw, &error);
        QVERIFY2(!error.isError(), qPrintable(error.toString()));
        QVERIFY(m.isTruncated());
        QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
    }

    void digestNestingWithoutContentTypes()
    {
        // multipart/digest parts default to message/rfc822: nesting with few headers.
        QByteArray inner = "From: z@example.org\r\n\r\nleaf\r\n";
        for (int i = 0; i < 400; ++i) {
            const QByteArray b = "d" + QByteArray::number(i);
            inner = "From: z@example.org\r\nContent-Type: multipart/digest; boundary=" + b + "\r\n\r\n--" + b + "\r\n\r\n" + inner + "--" + b + "--\r\n";
        }
        Error error;
        const Message m = Message::parse(inner, &error);
        QVERIFY(error.isError() ? error.code() == ErrorCode::Limit : !m.isNull());
    }

    void missingBoundaryAndTruncatedBase64()
    {
        QByteArray raw = kHead + "Content-Type: multipart/mixed; boundary=never\r\n\r\n--never\r\n"
                         "Content-Type: image/png; name=a.png\r\nContent-Transfer-Encoding: base64\r\n\r\n";
        raw += QByteArray(20 * 1024 * 1024, 'A');
        raw += "AB=";
        Error error;
        const Message m = Message::parse(raw, &error);
        QVERIFY(!error.isError());
        QCOMPARE(m.attachments().size(), 1);
        QVERIFY(m.attachments().at(0).size > 15 * 1024 * 1024);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("a.png"));
        QVERIFY(!m.saveAttachment(m.attachments().at(0).id, path).isError());
        QCOMPARE(QFileInfo(path).size(), m.attachments().at(0).size);
    }

    void unknownCharsetAndGarbageHeaders()
    {
        QByteArray raw = "From: \xff\xfe <\x80@\x81>\r\nSubject: =?x-nothing?B?////?= \xc3\x28\r\n"
                         "Content-Type: text/plain; charset=\"x-\xff\"\r\n\r\n\xe9t\xe9\r\n";
        Error error;
        const Message m = Message::parse(raw, &error);
        QVERIFY(!error.isError());
        QCOMPARE(m.plainText(), QStringLiteral("été\n"));
    }

    void randomBytesNeverCrash()
    {
        QRandomGenerator random(12345);
        for (int round = 0; round < 200; ++round) {
            QByteArray raw(int(random.bounded(1, 20000)), Qt::Uninitialized);
            for (char &c : raw)
                c = char(random.bounded(256));
            // Sprinkle structure so the parser gets past the first line sometimes.
            if (round % 2)
                raw.prepend("Content-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\n");
            Error error;
            const Message m = Message::parse(raw, &error);
            const QList<AttachmentInfo> attachments = m.attachments();
            for (const AttachmentInfo &a : attachments)
                m.attachmentContent(a.id);
            Message::parseHeaders(raw, &error);
        }
    }

    void manyShortHeaders()
    {
        QByteArray raw = kHead;
        for (int i = 0; i < 60000; ++i)
            raw += "X-H: " + QByteArray::number(i) + "\r\n";
        raw += "\r\nbody\r\n";
        QElapsedTimer timer;
        timer.start();
        Error error;
        const MessageHeaders h = Message::parseHeaders(raw, &error);
        QVERIFY(!error.isError());
        QCOMPARE(h.subject, QStringLiteral("hostile"));
        QVERIFY2(timer.elapsed() < 10000, qPrintable(QString::number(timer.elapsed())));
    }
};

QTEST_GUILESS_MAIN(TestMimeRobustness)
#include "tst_mime_robustness.moc"
