// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Parsing: the hand-written corpus (tests/mime/corpus, each message with its
// expected values) and every message of Python's email test data.

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include "corpusexpect.h"
#include "mailcore/mime/message.h"

using namespace mailcore;
using namespace mailcore::mime;

namespace {

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

} // namespace

class TestMimeParse : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void corpusIsLargeEnough()
    {
        QVERIFY2(tandem::test::mimeCorpusNames().size() >= 60, qPrintable(tandem::test::mimeCorpusDir()));
    }

    void corpus_data()
    {
        QTest::addColumn<QString>("name");
        const QStringList names = tandem::test::mimeCorpusNames();
        for (const QString &name : names)
            QTest::newRow(qPrintable(name)) << name;
    }

    void corpus()
    {
        QFETCH(QString, name);
        const QString base = tandem::test::mimeCorpusDir() + QLatin1Char('/') + name;
        const QByteArray raw = readFile(base + QLatin1String(".eml"));
        QJsonParseError jsonError;
        const QJsonDocument expect = QJsonDocument::fromJson(readFile(base + QLatin1String(".json")), &jsonError);
        QVERIFY2(jsonError.error == QJsonParseError::NoError, qPrintable(jsonError.errorString()));
        Error error;
        const Message message = Message::parse(raw, &error);
        const QStringList failures = tandem::test::checkExpectations(expect.object(), message, error);
        // A known limitation of GMime is recorded as an expected failure, so it
        // stays visible and the test notices (XPASS) when it gets fixed.
        const QString knownIssue = expect.object().value(QLatin1String("knownIssue")).toString();
        if (!knownIssue.isEmpty())
            QEXPECT_FAIL("", qPrintable(knownIssue), Continue);
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1String("\n   "))));
    }

    // The header-only parse must give exactly the headers of the full parse.
    void headersOnlyMatchFullParse_data() { corpus_data(); }
    void headersOnlyMatchFullParse()
    {
        QFETCH(QString, name);
        const QByteArray raw = readFile(tandem::test::mimeCorpusDir() + QLatin1Char('/') + name
                                        + QLatin1String(".eml"));
        Error fullError;
        const Message full = Message::parse(raw, &fullError);
        if (fullError.isError())
            return; // refused messages are covered by corpus()
        Error error;
        const MessageHeaders headers = Message::parseHeaders(raw, &error);
        QVERIFY2(!error.isError(), qPrintable(error.toString()));
        QCOMPARE(headers.subject, full.headers().subject);
        QCOMPARE(headers.from, full.headers().from);
        QCOMPARE(headers.to, full.headers().to);
        QCOMPARE(headers.cc, full.headers().cc);
        QCOMPARE(headers.date, full.headers().date);
        QCOMPARE(headers.messageId, full.headers().messageId);
        QCOMPARE(headers.references, full.headers().references);
        QCOMPARE(headers.listHeaders, full.headers().listHeaders);
    }

    void pythonEmailTestData_data()
    {
        QTest::addColumn<QString>("path");
        const QDir dir(QStringLiteral("/usr/lib/python3.11/test/test_email/data"));
        const QStringList files = dir.entryList({QStringLiteral("msg_*.txt")}, QDir::Files, QDir::Name);
        QVERIFY2(files.size() >= 40, "libpython3.11-testsuite is not installed");
        for (const QString &file : files)
            QTest::newRow(qPrintable(file)) << dir.filePath(file);
    }

    // Every message parses without an error; touching every part must not crash.
    void pythonEmailTestData()
    {
        QFETCH(QString, path);
        const QByteArray raw = readFile(path);
        QVERIFY(!raw.isEmpty());
        Error error;
        const Message message = Message::parse(raw, &error);
        QVERIFY2(!error.isError(), qPrintable(error.toString()));
        QVERIFY(!message.isNull());
        const QList<AttachmentInfo> attachments = message.attachments();
        for (const AttachmentInfo &a : attachments) {
            Error contentError;
            const QByteArray content = message.attachmentContent(a.id, &contentError);
            QVERIFY2(!contentError.isError(), qPrintable(contentError.toString()));
            QCOMPARE(qint64(content.size()), a.size);
            if (a.isMessage) {
                Error innerError;
                message.openAttachedMessage(a.id, &innerError);
                QVERIFY2(!innerError.isError(), qPrintable(innerError.toString()));
            }
        }
        Error headerError;
        Message::parseHeaders(raw, &headerError);
        QVERIFY2(!headerError.isError(), qPrintable(headerError.toString()));
    }
};

QTEST_GUILESS_MAIN(TestMimeParse)
#include "tst_mime_parse.moc"
