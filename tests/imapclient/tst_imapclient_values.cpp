// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The pure parts of ImapClient: BODYSTRUCTURE to MessagePart (section numbers,
// decoded file names) and SearchCriteria to the exact SEARCH bytes.

#include <QTest>

#include "mailcore/imap/serializer.h"
#include "mailcore/imapclient/bodystructure.h"
#include "mailcore/imapclient/localsort.h"
#include "mailcore/imapclient/search.h"

using namespace mailcore;
using namespace mailcore::imap;
using namespace mailcore::imapops;

namespace {

BodyStructure leaf(const QByteArray &type, const QByteArray &subtype, quint64 size = 10)
{
    BodyStructure b;
    b.type = type;
    b.subtype = subtype;
    b.encoding = "7BIT";
    b.size = size;
    return b;
}

BodyStructure multipart(std::vector<BodyStructure> parts)
{
    BodyStructure b;
    b.type = "multipart";
    b.subtype = "mixed";
    b.parts = std::move(parts);
    return b;
}

QByteArray searchBytes(const SearchCriteria &criteria)
{
    return CommandBuilder().uidSearch("t1", searchKeyOf(criteria)).bytes();
}

} // namespace

class TestImapClientValues : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aSinglePartMessageIsSectionOne();
    void nestedMultipartsAndAttachedMessagesAreNumberedLikeRfc3501();
    void fileNamesAreDecoded_data();
    void fileNamesAreDecoded();
    void sectionsAreCheckedAgainstTheStructure();
    void searchCriteriaBecomeExactSearchKeys();
    void sortKeysBecomeRfc5256CriteriaReversedWhenDescending();
    void baseSubjectsFollowRfc5256_data();
    void baseSubjectsFollowRfc5256();
    void localSortOrdersLikeUidSort();
};

void TestImapClientValues::aSinglePartMessageIsSectionOne()
{
    BodyStructure body = leaf("text", "plain", 42);
    body.parameters = {{"CHARSET", "ISO-8859-1"}};
    const QList<MessagePart> parts = partsOf(body);
    QCOMPARE(parts.size(), 1);
    QCOMPARE(parts[0].section, QByteArray("1"));
    QCOMPARE(parts[0].mimeType, QStringLiteral("text/plain"));
    QCOMPARE(parts[0].charset, QByteArray("ISO-8859-1"));
    QCOMPARE(parts[0].encoding, QByteArray("7bit"));
    QCOMPARE(parts[0].size, 42u);
    QVERIFY(!parts[0].isAttachment());
}

void TestImapClientValues::nestedMultipartsAndAttachedMessagesAreNumberedLikeRfc3501()
{
    BodyStructure alternative = multipart({leaf("text", "plain"), leaf("text", "html")});
    alternative.subtype = "alternative";
    BodyStructure image = leaf("image", "png");
    image.id = "<logo@x>";
    image.disposition = "INLINE";
    image.dispositionParameters = {{"FILENAME", "logo.png"}};
    BodyStructure attached = leaf("message", "rfc822");
    attached.parts.push_back(multipart({leaf("text", "plain"), leaf("application", "zip")}));
    const BodyStructure body = multipart({multipart({alternative, image}), attached});

    const QList<MessagePart> parts = partsOf(body);
    QCOMPARE(parts.size(), 4);
    QCOMPARE(parts[0].section, QByteArray("1.1.1"));
    QCOMPARE(parts[1].section, QByteArray("1.1.2"));
    QCOMPARE(parts[1].mimeType, QStringLiteral("text/html"));
    QCOMPARE(parts[2].section, QByteArray("1.2"));
    QCOMPARE(parts[2].contentId, QStringLiteral("logo@x"));
    QCOMPARE(parts[2].fileName, QStringLiteral("logo.png"));
    QCOMPARE(parts[2].disposition, mime::Disposition::Inline);
    QVERIFY(!parts[2].isAttachment());           // an inline image is shown, not saved
    QCOMPARE(parts[3].section, QByteArray("2")); // the attached message is one part
    QCOMPARE(parts[3].mimeType, QStringLiteral("message/rfc822"));
    QVERIFY(parts[3].isAttachment());
}

void TestImapClientValues::fileNamesAreDecoded_data()
{
    QTest::addColumn<ParamList>("disposition");
    QTest::addColumn<ParamList>("type");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << ParamList{{"filename", "a.txt"}} << ParamList{} << QStringLiteral("a.txt");
    QTest::newRow("name only") << ParamList{} << ParamList{{"NAME", "b.txt"}} << QStringLiteral("b.txt");
    QTest::newRow("filename wins") << ParamList{{"filename", "c.txt"}} << ParamList{{"name", "other.txt"}}
                                   << QStringLiteral("c.txt");
    QTest::newRow("rfc 2047 name") << ParamList{} << ParamList{{"name", "=?utf-8?Q?=C3=BCber.pdf?="}}
                                   << QStringLiteral("über.pdf");
    QTest::newRow("rfc 2231") << ParamList{{"filename*", "utf-8''r%C3%A9sum%C3%A9.pdf"}} << ParamList{}
                              << QStringLiteral("résumé.pdf");
    QTest::newRow("rfc 2231 latin-1 with language")
        << ParamList{{"FILENAME*", "iso-8859-1'fr'caf%E9.txt"}} << ParamList{} << QStringLiteral("café.txt");
    QTest::newRow("rfc 2231 continuations, out of order")
        << ParamList{{"filename*1", "part.txt"}, {"filename*0*", "utf-8''%E2%82%AC-"}} << ParamList{}
        << QStringLiteral("€-part.txt");
    QTest::newRow("extended wins over plain")
        << ParamList{{"filename", "fallback.txt"}, {"filename*", "utf-8''%C3%A0.txt"}} << ParamList{}
        << QStringLiteral("à.txt");
    QTest::newRow("CR LF cannot break the header")
        << ParamList{{"filename", "a\r\nSubject: x.txt"}} << ParamList{} << QStringLiteral("a  Subject: x.txt");
    QTest::newRow("none") << ParamList{} << ParamList{{"charset", "utf-8"}} << QString();
}

void TestImapClientValues::fileNamesAreDecoded()
{
    QFETCH(ParamList, disposition);
    QFETCH(ParamList, type);
    QFETCH(QString, expected);
    BodyStructure part = leaf("application", "octet-stream");
    part.dispositionParameters = disposition;
    part.parameters = type;
    QCOMPARE(fileNameOf(part), expected);
}

void TestImapClientValues::sectionsAreCheckedAgainstTheStructure()
{
    BodyStructure attached = leaf("message", "rfc822");
    attached.parts.push_back(leaf("text", "plain"));
    const BodyStructure body = multipart(
        {leaf("text", "plain"), multipart({leaf("image", "png"), leaf("image", "gif")}), attached});
    for (const char *good : {"1", "2", "2.1", "2.2", "3", "3.1", "1.MIME", "2.2.MIME", "3.HEADER"})
        QVERIFY2(hasSection(body, good), good);
    for (const char *bad : {"4", "0", "2.3", "1.1", "3.2", "2.1.1", "MIME"})
        QVERIFY2(!hasSection(body, bad), bad);
    const BodyStructure single = leaf("text", "plain");
    QVERIFY(hasSection(single, "1"));
    QVERIFY(!hasSection(single, "2"));
    QVERIFY(!hasSection(single, "1.1"));
}

void TestImapClientValues::searchCriteriaBecomeExactSearchKeys()
{
    QCOMPARE(searchBytes({}), QByteArray("t1 UID SEARCH ALL\r\n"));
    SearchCriteria one;
    one.from = QStringLiteral("ann@example.org");
    QCOMPARE(searchBytes(one), QByteArray("t1 UID SEARCH FROM \"ann@example.org\"\r\n"));
    SearchCriteria all;
    all.text = QStringLiteral("two words");
    all.to = QStringLiteral("bob");
    all.subject = QStringLiteral("Grüße");
    all.since = QDate(2024, 1, 5);
    all.before = QDate(2024, 12, 31);
    all.flagsSet = {"\\Seen", "$Work"};
    all.flagsUnset = {"\\Flagged", "\\DRAFT"};
    all.largerThan = 1000;
    all.smallerThan = 5000;
    QCOMPARE(
        searchBytes(all),
        QByteArray(
            "t1 UID SEARCH CHARSET UTF-8 (TEXT \"two words\" TO \"bob\" SUBJECT {7}\r\nGr\xc3\xbc\xc3\x9f"
            "e"
            " SINCE 5-Jan-2024 BEFORE 31-Dec-2024 SEEN KEYWORD $Work UNFLAGGED UNDRAFT LARGER 1000 SMALLER 5000)\r\n"));
}

void TestImapClientValues::sortKeysBecomeRfc5256CriteriaReversedWhenDescending()
{
    const auto sortBytes = [](SortKey key, Qt::SortOrder order) {
        return CommandBuilder().uidSort("t1", sortCriteriaOf(key, order), imap::SearchKey::all()).bytes();
    };
    QCOMPARE(sortBytes(SortKey::Arrival, Qt::AscendingOrder), QByteArray("t1 UID SORT (ARRIVAL) UTF-8 ALL\r\n"));
    QCOMPARE(sortBytes(SortKey::Date, Qt::AscendingOrder), QByteArray("t1 UID SORT (DATE) UTF-8 ALL\r\n"));
    QCOMPARE(sortBytes(SortKey::From, Qt::AscendingOrder), QByteArray("t1 UID SORT (FROM) UTF-8 ALL\r\n"));
    QCOMPARE(sortBytes(SortKey::Subject, Qt::AscendingOrder), QByteArray("t1 UID SORT (SUBJECT) UTF-8 ALL\r\n"));
    QCOMPARE(sortBytes(SortKey::Size, Qt::AscendingOrder), QByteArray("t1 UID SORT (SIZE) UTF-8 ALL\r\n"));
    QCOMPARE(sortBytes(SortKey::Arrival, Qt::DescendingOrder),
             QByteArray("t1 UID SORT (REVERSE ARRIVAL) UTF-8 ALL\r\n"));
    QCOMPARE(sortBytes(SortKey::Date, Qt::DescendingOrder), QByteArray("t1 UID SORT (REVERSE DATE) UTF-8 ALL\r\n"));
    QCOMPARE(sortBytes(SortKey::Size, Qt::DescendingOrder), QByteArray("t1 UID SORT (REVERSE SIZE) UTF-8 ALL\r\n"));
    QCOMPARE(sortBytes(SortKey::DisplayFrom, Qt::AscendingOrder),
             QByteArray("t1 UID SORT (DISPLAYFROM) UTF-8 ALL\r\n"));
}

void TestImapClientValues::baseSubjectsFollowRfc5256_data()
{
    QTest::addColumn<QString>("subject");
    QTest::addColumn<QString>("base");
    const auto row = [](const char *name, const char *subject, const char *base) {
        QTest::newRow(name) << QString::fromUtf8(subject) << QString::fromUtf8(base);
    };
    row("plain", "Lunch", "Lunch");
    row("re", "Re: Lunch", "Lunch");
    row("repeated and mixed", "RE: Fwd: re:Lunch", "Lunch");
    row("fw", "Fw: Lunch", "Lunch");
    row("blob in the leader", "Re[2]: Lunch", "Lunch");
    row("list tag", "[team] Re: Lunch", "Lunch");
    row("list tag alone stays", "[team]", "[team]");
    row("fwd trailer", "Lunch (fwd)", "Lunch");
    row("fwd wrapper", "[Fwd: Re: Lunch]", "Lunch");
    row("white space", "  Re:   Lunch \t at  noon ", "Lunch at noon");
    row("not a leader", "Regarding lunch", "Regarding lunch");
    row("empty", "", "");
}

void TestImapClientValues::baseSubjectsFollowRfc5256()
{
    QFETCH(QString, subject);
    QFETCH(QString, base);
    QCOMPARE(baseSubject(subject), base);
}

void TestImapClientValues::localSortOrdersLikeUidSort()
{
    const auto message = [](quint32 uid, const char *subject, const char *name, const char *address, quint64 size,
                            QDateTime date, QDateTime arrival) {
        MessageSummary m;
        m.uid = uid;
        m.subject = QString::fromUtf8(subject);
        m.from = {mime::MailAddress{QString::fromUtf8(name), QString::fromUtf8(address), QString()}};
        m.size = size;
        m.date = date;
        m.internalDate = arrival;
        return m;
    };
    const QDateTime day(QDate(2024, 3, 4), QTime(10, 0), Qt::UTC);
    const QList<MessageSummary> messages = {
        message(1, "Re: beta", "Zed", "a.zed@example.org", 300, day.addSecs(7200), day.addDays(2)),
        message(2, "alpha", "Amy", "z.amy@example.org", 100, QDateTime(), day.addDays(1)), // no Date: the arrival
        message(3, "[list] Gamma", "", "m.mia@example.org", 200,
                QDateTime(QDate(2024, 3, 4), QTime(13, 0), Qt::OffsetFromUTC, 3 * 3600), day), // 10:00 UTC
        message(4, "Fwd: Beta", "Bo", "b.bo@example.org", 100, day.addSecs(7200), day.addDays(3)),
    };
    QCOMPARE(sortedLocally(messages, SortKey::Arrival, Qt::AscendingOrder), (QList<quint32>{3, 2, 1, 4}));
    // Message 3 was sent at 10:00 UTC (13:00 +0300), message 2 has no Date.
    QCOMPARE(sortedLocally(messages, SortKey::Date, Qt::AscendingOrder), (QList<quint32>{3, 1, 4, 2}));
    QCOMPARE(sortedLocally(messages, SortKey::Subject, Qt::AscendingOrder), (QList<quint32>{2, 1, 4, 3}));
    QCOMPARE(sortedLocally(messages, SortKey::From, Qt::AscendingOrder), (QList<quint32>{1, 4, 3, 2}));
    // No display name: the address stands in ("m.mia@..." between Bo and Zed).
    QCOMPARE(sortedLocally(messages, SortKey::DisplayFrom, Qt::AscendingOrder), (QList<quint32>{2, 4, 3, 1}));
    // Equal sizes stay in UID order, also reversed (REVERSE reverses the key only).
    QCOMPARE(sortedLocally(messages, SortKey::Size, Qt::AscendingOrder), (QList<quint32>{2, 4, 3, 1}));
    QCOMPARE(sortedLocally(messages, SortKey::Size, Qt::DescendingOrder), (QList<quint32>{1, 3, 2, 4}));
}

QTEST_MAIN(TestImapClientValues)
#include "tst_imapclient_values.moc"
