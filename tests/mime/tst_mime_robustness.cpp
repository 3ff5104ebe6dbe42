// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Hostile and broken input: every case must end without a crash, with either
// a result or ErrorCode::Limit, never unbounded work: where the input is large,
// the work on it may grow with its size, not faster (CPU time, measured
// against a quarter of the input: see support/cputime.h).

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include "mailcore/mime/message.h"
#include "support/cputime.h"

using namespace mailcore;
using namespace mailcore::mime;

namespace {

using tandem::test::cpuTimeUs;
using tandem::test::worseThanLinear;

const QByteArray kHead = QByteArrayLiteral("From: a@example.org\r\nSubject: hostile\r\nMIME-Version: 1.0\r\n");

QByteArray hugeHeader(qsizetype bytes) { return kHead + "X-Big: " + QByteArray(bytes, 'a') + "\r\n\r\nbody\r\n"; }

QByteArray manyParts(int parts)
{
    QByteArray raw = kHead + "Content-Type: multipart/mixed; boundary=b\r\n\r\n";
    for (int i = 0; i < parts; ++i)
        raw += "--b\r\nContent-Type: application/octet-stream; name=f" + QByteArray::number(i) + ".bin\r\n\r\nx\r\n";
    return raw + "--b--\r\n";
}

QByteArray nested(int depth)
{
    QByteArray raw = kHead + "Content-Type: multipart/mixed; boundary=y0\r\n\r\n";
    for (int i = 0; i < depth; ++i)
        raw += "--y" + QByteArray::number(i) + "\r\nContent-Type: multipart/mixed; boundary=y"
            + QByteArray::number(i + 1) + "\r\n\r\n";
    return raw + "--y" + QByteArray::number(depth) + "\r\nContent-Type: text/plain\r\n\r\ndeep\r\n";
}

QByteArray manyHeaders(int count)
{
    QByteArray raw = kHead;
    for (int i = 0; i < count; ++i)
        raw += "X-H: " + QByteArray::number(i) + "\r\n";
    return raw + "\r\nbody\r\n";
}

} // namespace

class TestMimeRobustness : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void hugeHeaderIsRefused()
    {
        const QByteArray quarter = hugeHeader(50 * 1024 * 1024 / 4);
        const QByteArray raw = hugeHeader(50 * 1024 * 1024);
        Error quarterError;
        const qint64 quarterUs = cpuTimeUs([&] { Message::parse(quarter, &quarterError); });
        Error error;
        Message message;
        const qint64 wholeUs = cpuTimeUs([&] { message = Message::parse(raw, &error); });
        QVERIFY(message.isNull());
        QCOMPARE(error.code(), ErrorCode::Limit);
        QCOMPARE(quarterError.code(), ErrorCode::Limit);
        const QString growth = worseThanLinear(quarterUs, wholeUs);
        QVERIFY2(growth.isEmpty(), qPrintable(growth));
        Message::parseHeaders(raw, &error);
        QCOMPARE(error.code(), ErrorCode::Limit);
    }

    void tenThousandParts()
    {
        const QByteArray quarter = manyParts(2500);
        const QByteArray raw = manyParts(10000);
        const qint64 quarterUs = cpuTimeUs([&] { Message::parse(quarter).attachments(); });
        Error error;
        Message m;
        const qint64 wholeUs = cpuTimeUs([&] {
            m = Message::parse(raw, &error);
            m.attachments();
        });
        QVERIFY2(!error.isError(), qPrintable(error.toString()));
        QVERIFY(m.isTruncated());
        QCOMPARE(m.attachments().size(), limits::MaxParts - 1);
        const QString growth = worseThanLinear(quarterUs, wholeUs);
        QVERIFY2(growth.isEmpty(), qPrintable(growth));
    }

    void nestedForeverIsRefused()
    {
        QByteArray raw = kHead + "Content-Type: multipart/mixed; boundary=x0\r\n\r\n";
        for (int i = 0; i < 100000; ++i)
            raw += "--x" + QByteArray::number(i) + "\r\nContent-Type: multipart/mixed; boundary=x"
                + QByteArray::number(i + 1) + "\r\n\r\n";
        Error error;
        QVERIFY(Message::parse(raw, &error).isNull());
        QCOMPARE(error.code(), ErrorCode::Limit);
        // The headers of such a message are still listable.
        QCOMPARE(Message::parseHeaders(raw, &error).subject, QStringLiteral("hostile"));
        QVERIFY(!error.isError());
    }

    void nestedJustUnderTheContainerLimit()
    {
        const int depth = limits::MaxContainerParts - 1;
        const QByteArray quarter = nested(depth / 4);
        const QByteArray raw = nested(depth);
        const qint64 quarterUs = cpuTimeUs([&] { Message::parse(quarter); });
        Error error;
        Message m;
        const qint64 wholeUs = cpuTimeUs([&] { m = Message::parse(raw, &error); });
        QVERIFY2(!error.isError(), qPrintable(error.toString()));
        QVERIFY(m.isTruncated());
        const QString growth = worseThanLinear(quarterUs, wholeUs);
        QVERIFY2(growth.isEmpty(), qPrintable(growth));
    }

    void digestNestingWithoutContentTypes()
    {
        // multipart/digest parts default to message/rfc822: nesting with few headers.
        QByteArray inner = "From: z@example.org\r\n\r\nleaf\r\n";
        for (int i = 0; i < 400; ++i) {
            const QByteArray b = "d" + QByteArray::number(i);
            inner = "From: z@example.org\r\nContent-Type: multipart/digest; boundary=" + b + "\r\n\r\n--" + b
                + "\r\n\r\n" + inner + "--" + b + "--\r\n";
        }
        Error error;
        const Message m = Message::parse(inner, &error);
        QVERIFY(error.isError() ? error.code() == ErrorCode::Limit : !m.isNull());
    }

    void missingBoundaryAndTruncatedBase64()
    {
        QByteArray raw = kHead
            + "Content-Type: multipart/mixed; boundary=never\r\n\r\n--never\r\n"
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
        const QByteArray quarter = manyHeaders(15000);
        const QByteArray raw = manyHeaders(60000);
        const qint64 quarterUs = cpuTimeUs([&] { Message::parseHeaders(quarter); });
        Error error;
        MessageHeaders h;
        const qint64 wholeUs = cpuTimeUs([&] { h = Message::parseHeaders(raw, &error); });
        QVERIFY(!error.isError());
        QCOMPARE(h.subject, QStringLiteral("hostile"));
        const QString growth = worseThanLinear(quarterUs, wholeUs);
        QVERIFY2(growth.isEmpty(), qPrintable(growth));
    }
};

QTEST_GUILESS_MAIN(TestMimeRobustness)
#include "tst_mime_robustness.moc"
