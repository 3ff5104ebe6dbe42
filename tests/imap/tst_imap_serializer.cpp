// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The IMAP command serializer: exact bytes, literal handling, injection
// resistance for every kind of argument, and password redaction.

#include <functional>

#include <QTest>

#include "mailcore/imap/serializer.h"
#include "support/datatable.h"

using namespace mailcore::imap;
using mailcore::ErrorCode;

Q_DECLARE_METATYPE(mailcore::imap::Command)

namespace {

using Pieces = QList<QPair<QByteArray, bool>>; // bytes, waits for continuation

Pieces piecesOf(const Command &c)
{
    Pieces out;
    for (const CommandPiece &p : c.pieces)
        out.append({p.bytes, p.waitForContinuation});
    return out;
}

// Walks the bytes the way a server reads them: lines end in CRLF; a line
// ending in {n} or {n+} is followed by n literal bytes. Anything after the
// final CRLF, a bare CR or LF, or a NUL outside a literal is an injection.
bool isOneCommand(const QByteArray &b, QString *why)
{
    qsizetype pos = 0;
    while (true) {
        const qsizetype lf = b.indexOf('\n', pos);
        if (lf < 0) {
            *why = QStringLiteral("no final CRLF");
            return false;
        }
        if (lf == 0 || b[lf - 1] != '\r') {
            *why = QStringLiteral("bare LF at %1").arg(lf);
            return false;
        }
        const QByteArray line = b.mid(pos, lf - 1 - pos);
        if (line.contains('\r') || line.contains('\0')) {
            *why = QStringLiteral("CR or NUL inside a line");
            return false;
        }
        qsizetype literal = -1;
        if (line.endsWith('}')) {
            const qsizetype open = line.lastIndexOf('{');
            QByteArray digits = line.mid(open + 1, line.size() - open - 2);
            if (digits.endsWith('+'))
                digits.chop(1);
            bool ok = false;
            literal = open >= 0 ? digits.toLongLong(&ok) : -1;
            if (!ok)
                literal = -1;
        }
        if (literal < 0) {
            if (lf + 1 != b.size()) {
                *why = QStringLiteral("a second line after the command: %1").arg(QString::fromLatin1(b.mid(lf + 1)));
                return false;
            }
            return true;
        }
        pos = lf + 1 + literal;
        if (pos > b.size()) {
            *why = QStringLiteral("literal runs past the end");
            return false;
        }
    }
}

SerializerOptions opts(bool literalPlus, bool utf8Accept = false, bool saslIr = false)
{
    SerializerOptions o;
    o.literalPlus = literalPlus;
    o.utf8Accept = utf8Accept;
    o.saslIr = saslIr;
    return o;
}

} // namespace

class TestImapSerializer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void exactBytes_data();
    void exactBytes();
    void injection_data();
    void injection();
    void forbiddenAtomsRejected_data();
    void forbiddenAtomsRejected();
    void redaction_data();
    void redaction();
    void dates();
    void uidSortWithoutCriteriaIsRefused();
    void controlCharactersInNamesAreRefused_data();
    void controlCharactersInNamesAreRefused();
};

void TestImapSerializer::exactBytes_data()
{
    const auto row = tandem::test::table<Command, Pieces, QByteArray>("command", "pieces", "logLine");
    const CommandBuilder b;
    const CommandBuilder plus(opts(true));
    const CommandBuilder utf8(opts(false, true));
    const CommandBuilder ir(opts(false, false, true));
    auto one = [](const char *bytes) { return Pieces{{QByteArray(bytes), false}}; };

    row("capability", b.capability("A1"), one("A1 CAPABILITY\r\n"), "A1 CAPABILITY");
    row("starttls", b.startTls("A2"), one("A2 STARTTLS\r\n"), "A2 STARTTLS");
    row("noop", b.noop("a.3"), one("a.3 NOOP\r\n"), "a.3 NOOP");
    row("logout", b.logout("A4"), one("A4 LOGOUT\r\n"), "A4 LOGOUT");
    row("namespace", b.namespaces("A5"), one("A5 NAMESPACE\r\n"), "A5 NAMESPACE");
    row("expunge", b.expunge("A6"), one("A6 EXPUNGE\r\n"), "A6 EXPUNGE");
    row("close", b.close("A7"), one("A7 CLOSE\r\n"), "A7 CLOSE");
    row("unselect", b.unselect("A8"), one("A8 UNSELECT\r\n"), "A8 UNSELECT");
    row("idle", b.idle("A9"), one("A9 IDLE\r\n"), "A9 IDLE");
    row("done", CommandBuilder::done(), one("DONE\r\n"), "DONE");
    row("login", b.login("A1", QStringLiteral("alice"), QStringLiteral("secret")), one("A1 LOGIN alice \"secret\"\r\n"),
        "A1 LOGIN alice ***");
    row("login quoting", b.login("A1", QStringLiteral("a l\"i\\ce"), QStringLiteral("p\"w\\")),
        one("A1 LOGIN \"a l\\\"i\\\\ce\" \"p\\\"w\\\\\"\r\n"), "A1 LOGIN \"a l\\\"i\\\\ce\" ***");
    row("login password with CRLF: sync literal", b.login("A1", QStringLiteral("alice"), QStringLiteral("x\r\ny")),
        Pieces{{"A1 LOGIN alice {4}\r\n", false}, {"x\r\ny\r\n", true}}, "A1 LOGIN alice {4}***");
    row("login 8-bit password: literal", b.login("A1", QStringLiteral("alice"), QStringLiteral("pässwort")),
        Pieces{{"A1 LOGIN alice {9}\r\n", false}, {"p\xc3\xa4sswort\r\n", true}}, "A1 LOGIN alice {9}***");
    row("login 8-bit password, LITERAL+", plus.login("A1", QStringLiteral("alice"), QStringLiteral("pässwort")),
        one("A1 LOGIN alice {9+}\r\np\xc3\xa4sswort\r\n"), "A1 LOGIN alice {9+}***");
    row("login 8-bit password, UTF8=ACCEPT", utf8.login("A1", QStringLiteral("alice"), QStringLiteral("pässwort")),
        one("A1 LOGIN alice \"p\xc3\xa4sswort\"\r\n"), "A1 LOGIN alice ***");
    row("authenticate plain, SASL-IR", ir.authenticatePlain("A1", QStringLiteral("alice"), QStringLiteral("secret")),
        one("A1 AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==\r\n"), "A1 AUTHENTICATE PLAIN ***");
    row("authenticate plain, continuation",
        b.authenticatePlain("A1", QStringLiteral("alice"), QStringLiteral("secret")),
        Pieces{{"A1 AUTHENTICATE PLAIN\r\n", false}, {"AGFsaWNlAHNlY3JldA==\r\n", true}},
        "A1 AUTHENTICATE PLAIN [continuation: ***]");
    row("enable", b.enable("A1", {"CONDSTORE", "QRESYNC"}), one("A1 ENABLE CONDSTORE QRESYNC\r\n"),
        "A1 ENABLE CONDSTORE QRESYNC");
    row("id",
        b.id("A1",
             {{QStringLiteral("name"), QStringLiteral("Tandem")},
              {QStringLiteral("version"), QStringLiteral("0.1")},
              {QStringLiteral("os"), QString()}}),
        one("A1 ID (\"name\" \"Tandem\" \"version\" \"0.1\" \"os\" NIL)\r\n"),
        "A1 ID (\"name\" \"Tandem\" \"version\" \"0.1\" \"os\" NIL)");
    row("id nil", b.id("A1", {}), one("A1 ID NIL\r\n"), "A1 ID NIL");
    row("list", b.list("A1", QString(), QStringLiteral("*")), one("A1 LIST \"\" \"*\"\r\n"), "A1 LIST \"\" \"*\"");
    ListReturnOptions ret;
    ret.specialUse = true;
    ret.statusItems = {"MESSAGES", "UNSEEN"};
    row("list return", b.list("A1", QString(), QStringLiteral("%"), ret),
        one("A1 LIST \"\" \"%\" RETURN (SPECIAL-USE STATUS (MESSAGES UNSEEN))\r\n"),
        "A1 LIST \"\" \"%\" RETURN (SPECIAL-USE STATUS (MESSAGES UNSEEN))");
    ListReturnOptions statusOnly;
    statusOnly.statusItems = {"UIDNEXT"};
    row("list return status only", b.list("A1", QStringLiteral("Archive/"), QStringLiteral("*"), statusOnly),
        one("A1 LIST Archive/ \"*\" RETURN (STATUS (UIDNEXT))\r\n"),
        "A1 LIST Archive/ \"*\" RETURN (STATUS (UIDNEXT))");
    row("lsub", b.lsub("A1", QString(), QStringLiteral("%")), one("A1 LSUB \"\" \"%\"\r\n"), "A1 LSUB \"\" \"%\"");
    row("create mutf7", b.create("A1", QStringLiteral("Entwürfe")), one("A1 CREATE Entw&APw-rfe\r\n"),
        "A1 CREATE Entw&APw-rfe");
    row("create utf8", utf8.create("A1", QStringLiteral("Entwürfe")), one("A1 CREATE \"Entw\xc3\xbcrfe\"\r\n"),
        "A1 CREATE \"Entw\xc3\xbcrfe\"");
    row("delete inbox normalised", b.deleteMailbox("A1", QStringLiteral("inbox")), one("A1 DELETE INBOX\r\n"),
        "A1 DELETE INBOX");
    row("rename", b.rename("A1", QStringLiteral("Old Stuff"), QStringLiteral("Archive/2024")),
        one("A1 RENAME \"Old Stuff\" Archive/2024\r\n"), "A1 RENAME \"Old Stuff\" Archive/2024");
    row("subscribe", b.subscribe("A1", QStringLiteral("a b")), one("A1 SUBSCRIBE \"a b\"\r\n"), "A1 SUBSCRIBE \"a b\"");
    row("unsubscribe", b.unsubscribe("A1", QStringLiteral("x")), one("A1 UNSUBSCRIBE x\r\n"), "A1 UNSUBSCRIBE x");
    row("status", b.status("A1", QStringLiteral("INBOX"), {"MESSAGES", "UIDNEXT", "HIGHESTMODSEQ"}),
        one("A1 STATUS INBOX (MESSAGES UIDNEXT HIGHESTMODSEQ)\r\n"),
        "A1 STATUS INBOX (MESSAGES UIDNEXT HIGHESTMODSEQ)");
    row("select", b.select("A1", QStringLiteral("INBOX")), one("A1 SELECT INBOX\r\n"), "A1 SELECT INBOX");
    SelectOptions cs;
    cs.condStore = true;
    row("select condstore", b.select("A1", QStringLiteral("INBOX"), cs), one("A1 SELECT INBOX (CONDSTORE)\r\n"),
        "A1 SELECT INBOX (CONDSTORE)");
    SelectOptions ex;
    ex.readOnly = true;
    row("examine", b.select("A1", QStringLiteral("Sent"), ex), one("A1 EXAMINE Sent\r\n"), "A1 EXAMINE Sent");
    SelectOptions qr;
    qr.qresync = QResyncParameters{67890007, 20050715194045000ull, *SequenceSet::parse("41,43:211")};
    row("select qresync", b.select("A1", QStringLiteral("INBOX"), qr),
        one("A1 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211))\r\n"),
        "A1 SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211))");
    FetchItems items;
    items.flags = true;
    items.size = true;
    items.sections = {FetchSection{"HEADER.FIELDS (FROM SUBJECT)", true, false, {}, 0},
                      FetchSection{"1", true, false, 0, 1024}, FetchSection{"", false, false, {}, 0},
                      FetchSection{"2", true, true, {}, 0}};
    row("uid fetch", b.uidFetch("A1", *SequenceSet::parse("5,1:3"), items, 12345, true),
        one("A1 UID FETCH 1:3,5 (UID FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)] "
            "BODY.PEEK[1]<0.1024> BODY[] BINARY.PEEK[2]) (CHANGEDSINCE 12345 VANISHED)\r\n"),
        "A1 UID FETCH 1:3,5 (UID FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (FROM SUBJECT)] "
        "BODY.PEEK[1]<0.1024> BODY[] BINARY.PEEK[2]) (CHANGEDSINCE 12345 VANISHED)");
    FetchItems all;
    all.flags = all.internalDate = all.envelope = all.bodyStructure = all.modSeq = true;
    row("uid fetch metadata", b.uidFetch("A1", SequenceSet::fromRange(1, SequenceSet::Star), all),
        one("A1 UID FETCH 1:* (UID FLAGS INTERNALDATE ENVELOPE BODYSTRUCTURE MODSEQ)\r\n"),
        "A1 UID FETCH 1:* (UID FLAGS INTERNALDATE ENVELOPE BODYSTRUCTURE MODSEQ)");
    row("uid search and",
        b.uidSearch("A1",
                    SearchKey::and_({SearchKey::unseen(), SearchKey::since(QDate(2024, 2, 1)),
                                     SearchKey::from(QStringLiteral("alice@example.org"))})),
        one("A1 UID SEARCH (UNSEEN SINCE 1-Feb-2024 FROM \"alice@example.org\")\r\n"),
        "A1 UID SEARCH (UNSEEN SINCE 1-Feb-2024 FROM \"alice@example.org\")");
    row("uid search or/not/header/size/uid/keyword",
        b.uidSearch("A1",
                    SearchKey::and_({SearchKey::or_(SearchKey::flagged(), SearchKey::not_(SearchKey::seen())),
                                     SearchKey::header("Message-ID", QStringLiteral("<x@y>")), SearchKey::larger(1000),
                                     SearchKey::smaller(99999), SearchKey::uid(*SequenceSet::parse("1:100")),
                                     SearchKey::keyword("$Junk"), SearchKey::unkeyword("$NotJunk"),
                                     SearchKey::before(QDate(2023, 12, 31)), SearchKey::on(QDate(2024, 1, 9)),
                                     SearchKey::answered(), SearchKey::deleted(), SearchKey::draft(),
                                     SearchKey::to(QStringLiteral("bob")), SearchKey::cc(QStringLiteral("c")),
                                     SearchKey::body(QStringLiteral("x y")), SearchKey::text(QStringLiteral("t"))})),
        one("A1 UID SEARCH (OR FLAGGED NOT SEEN HEADER Message-ID \"<x@y>\" LARGER 1000 SMALLER 99999 UID 1:100 "
            "KEYWORD $Junk UNKEYWORD $NotJunk BEFORE 31-Dec-2023 ON 9-Jan-2024 ANSWERED DELETED DRAFT TO \"bob\" "
            "CC \"c\" BODY \"x y\" TEXT \"t\")\r\n"),
        "A1 UID SEARCH (OR FLAGGED NOT SEEN HEADER Message-ID \"<x@y>\" LARGER 1000 SMALLER 99999 UID 1:100 "
        "KEYWORD $Junk UNKEYWORD $NotJunk BEFORE 31-Dec-2023 ON 9-Jan-2024 ANSWERED DELETED DRAFT TO \"bob\" "
        "CC \"c\" BODY \"x y\" TEXT \"t\")");
    row("uid sort reverse date, charset always", b.uidSort("A1", {"REVERSE", "DATE"}, SearchKey::all()),
        one("A1 UID SORT (REVERSE DATE) UTF-8 ALL\r\n"), "A1 UID SORT (REVERSE DATE) UTF-8 ALL");
    row("uid sort subject, charset even under UTF8=ACCEPT", utf8.uidSort("A1", {"SUBJECT"}, SearchKey::all()),
        one("A1 UID SORT (SUBJECT) UTF-8 ALL\r\n"), "A1 UID SORT (SUBJECT) UTF-8 ALL");
    row("uid search 8-bit: charset + literal", b.uidSearch("A1", SearchKey::subject(QStringLiteral("Grüße"))),
        Pieces{{"A1 UID SEARCH CHARSET UTF-8 SUBJECT {7}\r\n", false},
               {"Gr\xc3\xbc\xc3\x9f"
                "e\r\n",
                true}},
        "A1 UID SEARCH CHARSET UTF-8 SUBJECT {7}\"Gr\xc3\xbc\xc3\x9f"
        "e\"");
    row("uid search 8-bit, LITERAL+", plus.uidSearch("A1", SearchKey::subject(QStringLiteral("Grüße"))),
        one("A1 UID SEARCH CHARSET UTF-8 SUBJECT {7+}\r\nGr\xc3\xbc\xc3\x9f"
            "e\r\n"),
        "A1 UID SEARCH CHARSET UTF-8 SUBJECT {7+}\"Gr\xc3\xbc\xc3\x9f"
        "e\"");
    row("uid search 8-bit, UTF8=ACCEPT", utf8.uidSearch("A1", SearchKey::subject(QStringLiteral("Grüße"))),
        one("A1 UID SEARCH SUBJECT \"Gr\xc3\xbc\xc3\x9f"
            "e\"\r\n"),
        "A1 UID SEARCH SUBJECT \"Gr\xc3\xbc\xc3\x9f"
        "e\"");
    row("uid search esearch return", b.uidSearch("A1", SearchKey::all(), {"MIN", "MAX", "COUNT", "ALL"}),
        one("A1 UID SEARCH RETURN (MIN MAX COUNT ALL) ALL\r\n"), "A1 UID SEARCH RETURN (MIN MAX COUNT ALL) ALL");
    row("uid store", b.uidStore("A1", *SequenceSet::parse("1:5"), StoreMode::Add, {"\\Seen", "$Forwarded"}),
        one("A1 UID STORE 1:5 +FLAGS.SILENT (\\Seen $Forwarded)\r\n"),
        "A1 UID STORE 1:5 +FLAGS.SILENT (\\Seen $Forwarded)");
    row("uid store remove", b.uidStore("A1", *SequenceSet::parse("3"), StoreMode::Remove, {"\\Flagged"}, false),
        one("A1 UID STORE 3 -FLAGS (\\Flagged)\r\n"), "A1 UID STORE 3 -FLAGS (\\Flagged)");
    row("uid store unchangedsince",
        b.uidStore("A1", *SequenceSet::parse("7"), StoreMode::Replace, {"\\Deleted"}, true, 320162338),
        one("A1 UID STORE 7 (UNCHANGEDSINCE 320162338) FLAGS.SILENT (\\Deleted)\r\n"),
        "A1 UID STORE 7 (UNCHANGEDSINCE 320162338) FLAGS.SILENT (\\Deleted)");
    row("uid copy", b.uidCopy("A1", *SequenceSet::parse("2:4"), QStringLiteral("Archive")),
        one("A1 UID COPY 2:4 Archive\r\n"), "A1 UID COPY 2:4 Archive");
    row("uid move", b.uidMove("A1", *SequenceSet::parse("9"), QStringLiteral("Папка")),
        one("A1 UID MOVE 9 &BB8EMAQ,BDoEMA-\r\n"), "A1 UID MOVE 9 &BB8EMAQ,BDoEMA-");
    row("uid expunge", b.uidExpunge("A1", *SequenceSet::parse("3000:3002")), one("A1 UID EXPUNGE 3000:3002\r\n"),
        "A1 UID EXPUNGE 3000:3002");
    const QDateTime when(QDate(2024, 3, 5), QTime(14, 3, 9), Qt::OffsetFromUTC, 3600);
    row("append", b.append("A1", QStringLiteral("Drafts"), "hello", {"\\Draft"}, when),
        Pieces{{"A1 APPEND Drafts (\\Draft) \"05-Mar-2024 14:03:09 +0100\" {5}\r\n", false}, {"hello\r\n", true}},
        "A1 APPEND Drafts (\\Draft) \"05-Mar-2024 14:03:09 +0100\" {5}<5 bytes>");
    row("append LITERAL+", plus.append("A1", QStringLiteral("Sent"), "Subject: x\r\n\r\nhi\r\n"),
        one("A1 APPEND Sent {18+}\r\nSubject: x\r\n\r\nhi\r\n\r\n"), "A1 APPEND Sent {18+}<18 bytes>");
    const QString longName = QStringLiteral("Ordner ") + QString(1100, QLatin1Char('x'));
    row("append to literal mailbox name", utf8.append("A1", longName, "m"),
        Pieces{{"A1 APPEND {1107}\r\n", false}, {longName.toUtf8() + " {1}\r\n", true}, {"m\r\n", true}},
        "A1 APPEND {1107}\"" + longName.toUtf8() + "\" {1}<1 bytes>");
}

void TestImapSerializer::exactBytes()
{
    QFETCH(Command, command);
    QFETCH(Pieces, pieces);
    QFETCH(QByteArray, logLine);
    QVERIFY2(command.isValid(), qPrintable(command.error.toString()));
    QCOMPARE(piecesOf(command), pieces);
    QCOMPARE(command.logLine, logLine);
    QVERIFY(!command.logLine.contains('\r') && !command.logLine.contains('\n'));
    if (command.tag.isEmpty() || command.name == "AUTHENTICATE PLAIN")
        return; // DONE, and SASL's second line, are not single commands
    QString why;
    QVERIFY2(isOneCommand(command.bytes(), &why), qPrintable(why));
}

void TestImapSerializer::injection_data()
{
    const auto row = tandem::test::table<QString>("value");
    const char *values[] = {
        "\r\n", "a\rb", "a\nb", "x\r\nA2 DELETE INBOX", "\"",  "\\", "{5}", "{5}\r\n", "{5+}", ")", "(", "*", "%", "]",
        "[",    " ",    "",     "A1 OK\r\n* BYE",       "~{3}"};
    for (const char *v : values)
        row(QByteArray(v).toPercentEncoding().constData(), QString::fromLatin1(v));
    row("NUL", QString(QChar(0)));
    row("embedded NUL", QStringLiteral("a") + QChar(0) + QStringLiteral("b"));
    row("non-ASCII", QStringLiteral("Grüße 日本 📧"));
    row("non-ASCII with CRLF", QStringLiteral("é\r\né"));
    row("long", QString(5000, QLatin1Char('x')));
}

void TestImapSerializer::injection()
{
    // Every argument kind, under every option set: either a well-formed single
    // command (CR/LF only inside literals), or refused with BadArgument.
    QFETCH(QString, value);
    const QByteArray bytes = value.toUtf8();
    using Build = std::function<Command(const CommandBuilder &)>;
    const QList<QPair<const char *, Build>> builds = {
        {"create", [&](const CommandBuilder &b) { return b.create("T", value); }},
        {"select", [&](const CommandBuilder &b) { return b.select("T", value); }},
        {"rename", [&](const CommandBuilder &b) { return b.rename("T", value, value); }},
        {"list", [&](const CommandBuilder &b) { return b.list("T", value, value); }},
        {"status", [&](const CommandBuilder &b) { return b.status("T", value, {"MESSAGES"}); }},
        {"copy", [&](const CommandBuilder &b) { return b.uidCopy("T", SequenceSet::fromRange(1, 2), value); }},
        {"append", [&](const CommandBuilder &b) { return b.append("T", value, bytes); }},
        {"search subject", [&](const CommandBuilder &b) { return b.uidSearch("T", SearchKey::subject(value)); }},
        {"search text", [&](const CommandBuilder &b) { return b.uidSearch("T", SearchKey::text(value)); }},
        {"search header", [&](const CommandBuilder &b) { return b.uidSearch("T", SearchKey::header(bytes, value)); }},
        {"search keyword", [&](const CommandBuilder &b) { return b.uidSearch("T", SearchKey::keyword(bytes)); }},
        {"store flag",
         [&](const CommandBuilder &b) {
             return b.uidStore("T", SequenceSet::fromRange(1, 1), StoreMode::Add, {bytes});
         }},
        {"store system flag",
         [&](const CommandBuilder &b) {
             return b.uidStore("T", SequenceSet::fromRange(1, 1), StoreMode::Add, {"\\" + bytes});
         }},
        {"append flag", [&](const CommandBuilder &b) { return b.append("T", QStringLiteral("X"), "m", {bytes}); }},
        {"login user", [&](const CommandBuilder &b) { return b.login("T", value, QStringLiteral("pw")); }},
        {"login password", [&](const CommandBuilder &b) { return b.login("T", QStringLiteral("u"), value); }},
        {"authenticate", [&](const CommandBuilder &b) { return b.authenticatePlain("T", value, value); }},
        {"id key",
         [&](const CommandBuilder &b) {
             return b.id("T", {{value, QStringLiteral("v")}});
         }},
        {"id value",
         [&](const CommandBuilder &b) {
             return b.id("T", {{QStringLiteral("k"), value}});
         }},
        {"enable", [&](const CommandBuilder &b) { return b.enable("T", {bytes}); }},
        {"status item", [&](const CommandBuilder &b) { return b.status("T", QStringLiteral("X"), {bytes}); }},
        {"fetch section",
         [&](const CommandBuilder &b) {
             FetchItems items;
             items.sections = {FetchSection{bytes, true, false, {}, 0}};
             return b.uidFetch("T", SequenceSet::fromRange(1, 1), items);
         }},
        {"tag", [&](const CommandBuilder &b) { return b.noop(bytes); }},
    };
    for (const SerializerOptions &o : {opts(false), opts(true), opts(false, true), opts(true, true, true)}) {
        const CommandBuilder builder(o);
        for (const auto &[name, build] : builds) {
            const Command c = build(builder);
            const QString where = QString::fromLatin1(name)
                + QStringLiteral(" (literal+ %1, utf8 %2)").arg(o.literalPlus).arg(o.utf8Accept);
            QVERIFY2(!c.logLine.contains('\r') && !c.logLine.contains('\n'), qPrintable(where));
            if (!c.isValid()) {
                QVERIFY2(c.error.code() == ErrorCode::BadArgument, qPrintable(where));
                QVERIFY2(c.pieces.isEmpty(), qPrintable(where));
                continue;
            }
            QString why;
            const QByteArray wire = c.bytes();
            if (QByteArray(name) == "authenticate") {
                // Its one line holds only base64; the value cannot show through.
                QVERIFY2(wire.count('\n') == (o.saslIr ? 1 : 2), qPrintable(where));
                continue;
            }
            QVERIFY2(isOneCommand(wire, &why),
                     qPrintable(where + QStringLiteral(": ") + why + QStringLiteral("\n") + QString::fromUtf8(wire)));
            // A piece after a synchronising literal always waits for "+".
            for (qsizetype i = 1; i < c.pieces.size(); ++i)
                QVERIFY2(c.pieces[i].waitForContinuation && c.pieces[i - 1].bytes.endsWith("}\r\n"), qPrintable(where));
        }
    }
}

void TestImapSerializer::forbiddenAtomsRejected_data()
{
    const auto row = tandem::test::table<QByteArray>("flag");
    for (const char *f : {"\\Se en", "a(b", "a)b", "a{b", "a%b", "a*b", "a\"b", "a]b", "\\", "", "\\*", "a\\b", "a\rb",
                          "a\nb", "\xc3\xa9t\xc3\xa9", "\x01"})
        row(QByteArray(f).toPercentEncoding().constData(), f);
}

void TestImapSerializer::forbiddenAtomsRejected()
{
    QFETCH(QByteArray, flag);
    const CommandBuilder b;
    const Command store = b.uidStore("A1", SequenceSet::fromRange(1, 1), StoreMode::Add, {"\\Seen", flag});
    QCOMPARE(store.error.code(), ErrorCode::BadArgument);
    QVERIFY(store.pieces.isEmpty());
    QCOMPARE(b.append("A1", QStringLiteral("INBOX"), "x", {flag}).error.code(), ErrorCode::BadArgument);
    if (!flag.startsWith('\\'))
        QCOMPARE(b.uidSearch("A1", SearchKey::keyword(flag)).error.code(), ErrorCode::BadArgument);
    QCOMPARE(b.enable("A1", {flag}).error.code(), ErrorCode::BadArgument);
}

void TestImapSerializer::redaction_data()
{
    const auto row = tandem::test::table<QString>("password");
    row("plain", QStringLiteral("hunter2Secret"));
    row("quotes", QStringLiteral("hun\"ter\\2Secret"));
    row("8-bit", QStringLiteral("hünter2Secret"));
    row("CRLF", QStringLiteral("hunter2Secret\r\nA2 LOGOUT"));
    row("NUL", QStringLiteral("hunter2Secret") + QChar(0));
    row("long", QStringLiteral("hunter2Secret") + QString(3000, QLatin1Char('z')));
}

void TestImapSerializer::redaction()
{
    QFETCH(QString, password);
    const QByteArray secret = "2Secret"; // survives quoting and escaping on the wire
    const QByteArray plainB64 = QByteArray(QByteArray(1, '\0') + "alice" + '\0' + password.toUtf8()).toBase64();
    for (const SerializerOptions &o : {opts(false), opts(true), opts(false, true), opts(false, false, true)}) {
        const CommandBuilder b(o);
        for (const Command &c : {b.login("A1", QStringLiteral("alice"), password),
                                 b.authenticatePlain("A1", QStringLiteral("alice"), password)}) {
            QVERIFY2(!c.logLine.contains(secret), c.logLine.constData());
            QVERIFY(!c.logLine.contains(plainB64));
            QVERIFY(!c.logLine.contains(plainB64.left(12)));
            QVERIFY(!c.error.message().contains(QLatin1String(secret)));
            QVERIFY(!c.error.toString().contains(QLatin1String(secret)));
            if (c.isValid()) {
                QVERIFY(c.logLine.contains("alice") || c.logLine.contains("AUTHENTICATE"));
                QVERIFY(c.logLine.contains("***"));
                // ...while the wire does carry it.
                QVERIFY(c.bytes().contains(secret) || c.bytes().contains(plainB64));
            } else {
                QCOMPARE(c.error.code(), ErrorCode::BadArgument);
            }
        }
    }
}

void TestImapSerializer::dates()
{
    QCOMPARE(CommandBuilder::formatDate(QDate(2024, 2, 1)), QByteArray("1-Feb-2024"));
    QCOMPARE(CommandBuilder::formatDate(QDate(1999, 12, 31)), QByteArray("31-Dec-1999"));
    QCOMPARE(CommandBuilder::formatDateTime(
                 QDateTime(QDate(2024, 7, 9), QTime(1, 2, 3), Qt::OffsetFromUTC, -(3 * 3600 + 30 * 60))),
             QByteArray("09-Jul-2024 01:02:03 -0330"));
    QCOMPARE(CommandBuilder::formatDateTime(QDateTime(QDate(2024, 7, 9), QTime(1, 2, 3), Qt::UTC)),
             QByteArray("09-Jul-2024 01:02:03 +0000"));
    QCOMPARE(CommandBuilder().uidSearch("A1", SearchKey::since(QDate())).error.code(), ErrorCode::BadArgument);
    QCOMPARE(CommandBuilder().uidFetch("A1", SequenceSet(), FetchItems()).error.code(), ErrorCode::BadArgument);
}

void TestImapSerializer::uidSortWithoutCriteriaIsRefused()
{
    // "UID SORT () ..." is a BAD on the server; refused before it is sent.
    QCOMPARE(CommandBuilder().uidSort("A1", {}, SearchKey::all()).error.code(), ErrorCode::BadArgument);
    // A criterion is an atom: nothing could smuggle a second command in.
    QCOMPARE(CommandBuilder().uidSort("A1", {"DATE\r\nA2 LOGOUT"}, SearchKey::all()).error.code(),
             ErrorCode::BadArgument);
}

void TestImapSerializer::controlCharactersInNamesAreRefused_data()
{
    const auto row = tandem::test::table<QString>("name");
    row("CR", QStringLiteral("Inbox\rArchive"));
    row("LF", QStringLiteral("Inbox\nArchive"));
    row("CRLF", QStringLiteral("x\r\nA2 DELETE INBOX"));
    row("NUL", QStringLiteral("a") + QChar(0) + QStringLiteral("b"));
    row("TAB", QStringLiteral("a\tb"));
    row("DEL", QStringLiteral("a\x7f"));
}

void TestImapSerializer::controlCharactersInNamesAreRefused()
{
    // Encoded, they would reach the server safely, but it may echo them back
    // decoded and break the session: refused before sending, under every option.
    QFETCH(QString, name);
    const QString fine = QStringLiteral("Archive");
    for (const SerializerOptions &o : {opts(false), opts(true), opts(false, true), opts(true, true, true)}) {
        const CommandBuilder b(o);
        const QList<QPair<const char *, Command>> commands = {
            {"create", b.create("T", name)},
            {"delete", b.deleteMailbox("T", name)},
            {"rename from", b.rename("T", name, fine)},
            {"rename to", b.rename("T", fine, name)},
            {"subscribe", b.subscribe("T", name)},
            {"select", b.select("T", name)},
            {"status", b.status("T", name, {"MESSAGES"})},
            {"list pattern", b.list("T", QString(), name)},
            {"copy", b.uidCopy("T", SequenceSet::fromRange(1, 2), name)},
            {"move", b.uidMove("T", SequenceSet::fromRange(1, 2), name)},
            {"append", b.append("T", name, "m")},
            {"login user", b.login("T", name, QStringLiteral("pw"))},
            {"authenticate user", b.authenticatePlain("T", name, QStringLiteral("pw"))},
        };
        for (const auto &[what, command] : commands) {
            QVERIFY2(command.error.code() == ErrorCode::BadArgument, what);
            QVERIFY2(command.pieces.isEmpty(), what);
        }
        // The same commands with a plain name are fine (the refusal is the name's).
        QVERIFY(b.create("T", fine).isValid());
        QVERIFY(b.login("T", fine, QStringLiteral("pw")).isValid());
        QVERIFY(b.authenticatePlain("T", fine, QStringLiteral("pw")).isValid());
    }
}

QTEST_GUILESS_MAIN(TestImapSerializer)
#include "tst_imap_serializer.moc"
