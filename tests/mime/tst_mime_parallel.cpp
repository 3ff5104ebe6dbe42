// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Parsing different messages at the same time on a QThreadPool gives the same
// results as parsing them one by one (run under -DTANDEM_SANITIZE=address,undefined
// or thread to check for races in GMime's global state).

#include <atomic>

#include <QDir>
#include <QFile>
#include <QTest>
#include <QThreadPool>

#include "corpusexpect.h"
#include "mailcore/mime/builder.h"
#include "mailcore/mime/message.h"

using namespace mailcore;
using namespace mailcore::mime;

namespace {

// A digest of everything a parse produces, to compare runs.
QString summary(const QByteArray &raw)
{
    Error error;
    const Message m = Message::parse(raw, &error);
    QString s = Error::codeName(error.code()) + QLatin1Char('|') + m.headers().subject + QLatin1Char('|')
        + tandem::test::addressStrings(m.headers().from).join(QLatin1Char(',')) + QLatin1Char('|')
        + m.headers().date.toString(Qt::ISODate) + QLatin1Char('|') + m.plainText() + QLatin1Char('|') + m.htmlText();
    const QList<AttachmentInfo> attachments = m.attachments();
    for (const AttachmentInfo &a : attachments)
        s += QLatin1Char('|') + a.id + a.fileName + QString::number(a.size)
            + QString::number(qHash(m.attachmentContent(a.id)));
    s += QLatin1Char('|') + Message::parseHeaders(raw).subject;
    OutgoingMessage out;
    out.from = MailAddress{QStringLiteral("T"), QStringLiteral("t@example.org"), QString()};
    out.subject = m.headers().subject;
    out.plainText = m.plainText();
    s += QLatin1Char('|') + Message::parse(MessageBuilder::build(out)).plainText();
    return s;
}

} // namespace

class TestMimeParallel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parallelParsesMatchSerial()
    {
        QList<QByteArray> inputs;
        const QStringList names = tandem::test::mimeCorpusNames();
        for (const QString &name : names) {
            QFile f(tandem::test::mimeCorpusDir() + QLatin1Char('/') + name + QLatin1String(".eml"));
            QVERIFY(f.open(QIODevice::ReadOnly));
            inputs.append(f.readAll());
        }
        const QDir python(QStringLiteral("/usr/lib/python3.11/test/test_email/data"));
        const QStringList files = python.entryList({QStringLiteral("msg_*.txt")}, QDir::Files);
        for (const QString &file : files) {
            QFile f(python.filePath(file));
            QVERIFY(f.open(QIODevice::ReadOnly));
            inputs.append(f.readAll());
        }
        QVERIFY(inputs.size() > 100);

        QStringList expected;
        for (const QByteArray &raw : std::as_const(inputs))
            expected.append(summary(raw));

        constexpr int rounds = 4;
        QList<QString> results(inputs.size() * rounds);
        QThreadPool pool; // never the global instance (design brief)
        pool.setMaxThreadCount(4);
        for (int r = 0; r < rounds; ++r) {
            for (int i = 0; i < inputs.size(); ++i) {
                const int slot = r * int(inputs.size()) + i;
                pool.start([&results, &inputs, slot, i] { results[slot] = summary(inputs.at(i)); });
            }
        }
        QVERIFY(pool.waitForDone(300000));
        for (int slot = 0; slot < results.size(); ++slot)
            QCOMPARE(results.at(slot), expected.at(slot % inputs.size()));
    }
};

QTEST_GUILESS_MAIN(TestMimeParallel)
#include "tst_mime_parallel.moc"
