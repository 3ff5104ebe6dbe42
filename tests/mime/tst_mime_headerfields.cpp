// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Message::parseHeaders decodes a well-formed header block field by field,
// without a GMimeMessage (mailcore/mime/headerfields.h); Message::parse always
// builds one. Both must give the same headers: for every message of the
// corpus, and for blocks written to catch the field-by-field reading out
// (folds, repeated fields, groups, raw 8-bit text, adjacent encoded words).

#include <QFile>
#include <QTest>

#include "corpusexpect.h"
#include "mailcore/mime/message.h"

using namespace mailcore;
using namespace mailcore::mime;

namespace {

QString addresses(const QList<MailAddress> &list)
{
    QStringList out;
    for (const MailAddress &a : list)
        out << QLatin1Char('[') + a.name + QLatin1Char('|') + a.address + QLatin1Char('|') + a.group + QLatin1Char(']');
    return out.join(QLatin1Char(','));
}

/// Every field of MessageHeaders, one per line, to compare and to show.
QString described(const MessageHeaders &h)
{
    QStringList lines{QStringLiteral("subject ") + h.subject,
                      QStringLiteral("from ") + addresses(h.from),
                      QStringLiteral("sender ") + addresses(h.sender),
                      QStringLiteral("reply-to ") + addresses(h.replyTo),
                      QStringLiteral("to ") + addresses(h.to),
                      QStringLiteral("cc ") + addresses(h.cc),
                      QStringLiteral("bcc ") + addresses(h.bcc),
                      QStringLiteral("date ") + h.date.toString(Qt::ISODate)
                          + QString::number(h.date.isValid() ? h.date.offsetFromUtc() : -1),
                      QStringLiteral("message-id ") + h.messageId,
                      QStringLiteral("in-reply-to ") + h.inReplyTo,
                      QStringLiteral("references ") + h.references.join(QLatin1Char(' '))};
    for (const HeaderField &f : h.listHeaders)
        lines << QStringLiteral("list ") + f.name + QLatin1Char('=') + f.value;
    return lines.join(QLatin1Char('\n'));
}

/// The header block of `raw`, as an IMAP server sends HEADER.FIELDS (no blank line).
QByteArray headerBlock(const QByteArray &raw)
{
    qsizetype end = raw.indexOf("\r\n\r\n");
    if (end < 0)
        end = raw.indexOf("\n\n");
    return end < 0 ? raw : raw.left(end + (raw.at(end) == '\r' ? 2 : 1));
}

} // namespace

class TestMimeHeaderFields : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameHeadersAsAWholeParse_data()
    {
        QTest::addColumn<QByteArray>("block");
        for (const QString &name : tandem::test::mimeCorpusNames()) {
            QFile file(tandem::test::mimeCorpusDir() + QLatin1Char('/') + name + QLatin1String(".eml"));
            QVERIFY(file.open(QIODevice::ReadOnly));
            QTest::newRow(qPrintable(name)) << headerBlock(file.readAll());
        }
        const QList<std::pair<const char *, QByteArray>> blocks{
            {"folded subject", "Subject: a long\r\n subject\r\n\tfolded twice\r\n"},
            {"folded encoded words",
             "Subject: =?utf-8?Q?Pr=C3=A9sentation?=\r\n =?utf-8?Q?_du_projet?=\r\nFrom: a@example.org\r\n"},
            {"adjacent base64 words", "Subject: =?utf-8?B?w6k=?= =?utf-8?B?w6g=?=\r\n"},
            {"two To fields", "To: a@example.org\r\nTo: B <b@example.org>, c@example.org\r\n"},
            {"two Subjects, two Dates, two ids",
             "Subject: first\r\nSubject: second\r\nDate: Mon, 1 Jan 2024 10:00:00 +0100\r\n"
             "Date: Tue, 2 Jan 2024 11:00:00 -0500\r\nMessage-ID: <a@x>\r\nMessage-Id: <b@x>\r\n"},
            {"two In-Reply-To and References",
             "In-Reply-To: <one@x>\r\nIn-Reply-To: <two@x>\r\nReferences: <r1@x> <r2@x>\r\nReferences: <r3@x>\r\n"},
            {"groups and comments",
             "To: Team: a@example.org, \"B, Jr.\" <b@example.org>;, (comment) c@example.org (C)\r\n"
             "Cc: Empty:;\r\n"},
            {"encoded names",
             "From: =?iso-8859-1?Q?H=E9l=E8ne?= <h@example.org>\r\n"
             "Cc: =?gb2312?B?zfXOsA==?= <w@example.org>, =?koi8-r?Q?=F0=D2=C9?= <p@example.org>\r\n"},
            {"raw 8-bit utf-8", "Subject: Caf\xc3\xa9 cr\xc3\xa8me\r\nFrom: J\xc3\xb6rg <j@example.org>\r\n"},
            {"raw 8-bit latin-1", "Subject: Caf\xe9\r\nFrom: J\xf6rg <j@example.org>\r\n"},
            {"bad date", "Date: sometime next week\r\nSubject: x\r\n"},
            {"date without zone", "Date: 3 Feb 2021 04:05:06\r\n"},
            {"lf line ends", "Subject: plain\nFrom: a@example.org\n To: folded\n"},
            {"names in any case", "SUBJECT: upper\r\nfrom: a@example.org\r\nmessage-id: <m@x>\r\n"},
            {"list headers", "List-Id: Team <team.example.org>\r\nList-Unsubscribe: <mailto:u@x>\r\n"},
            {"empty values", "Subject:\r\nFrom:\r\nTo: \r\nDate:\r\nMessage-ID:\r\n"},
            {"not a field: space before the colon", "Subject : spaced\r\n"},
            {"not a field: a line without a colon", "Subject: x\r\nno colon here\r\n"},
            {"mbox From line", "From someone Mon Jan  1 00:00:00 2024\r\nSubject: x\r\n"},
            {"starts folded", " Subject: x\r\n"},
            // Found by mutating the corpus: GMime's list parser gives up on an
            // unclosed comment where a GMimeMessage keeps the addresses before it;
            // a quoted name keeps the line break of a fold as it came.
            {"unclosed comment after an address", "To: Alice <a@example.org>(,\r\n B <b@example.org>\r\n"},
            {"quoted name across a fold", "From: \"Frank\r\n Osei\" <f@example.org>\r\n"},
            {"ids without brackets", "Message-ID: bare@x\r\nIn-Reply-To: junk <r@x> more\r\nReferences: a@x <b@x>\r\n"},
        };
        for (const auto &[name, block] : blocks)
            QTest::newRow(name) << block;
    }

    void sameHeadersAsAWholeParse()
    {
        QFETCH(QByteArray, block);
        const QString whole = described(Message::parse(block + "\r\n").headers());
        const QString fields = described(Message::parseHeaders(block));
        QCOMPARE(fields, whole);
    }
};

QTEST_GUILESS_MAIN(TestMimeHeaderFields)
#include "tst_mime_headerfields.moc"
