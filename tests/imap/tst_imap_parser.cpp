// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The incremental IMAP response parser: every response type a client meets,
// every malformed shape from the security checklist, and the same results
// whatever the chunking of the input.

#include <QTest>

#include "mailcore/imap/debugdump.h"
#include "mailcore/imap/parser.h"
#include "support/cputime.h"
#include "support/datatable.h"
#include "support/imapfeed.h"

using namespace mailcore::imap;

namespace {

using Outcome = tandem::test::ImapFeed;

Outcome run(const QByteArray &input, const QList<qsizetype> &chunkSizes, ParserLimits limits = {})
{
    return tandem::test::feedImapParser(input, chunkSizes, limits);
}

Outcome runWhole(const QByteArray &input, ParserLimits limits = {})
{
    return run(input, {std::max<qsizetype>(input.size(), 1)}, limits);
}

QByteArray bs(const char *s) // readable backslashes in the tables below
{
    return QByteArray(s);
}

template <std::size_t N>
QByteArray withNul(const char (&s)[N]) // keeps embedded NULs
{
    return QByteArray(s, N - 1);
}

struct Row {
    QByteArray name;
    QByteArray input;
    QByteArray expected; ///< valid rows: describe() of every response, one per line
    QString error;       ///< malformed rows: part of the error description
};

// Lets the tables read like Qt Test tables ("newRow(name) << input << expected")
// while being shared between the valid/malformed tests and the split test.
class RowSink
{
public:
    RowSink(QList<Row> &rows, const char *name)
        : m_rows(rows)
    {
        m_row.name = name;
    }
    ~RowSink() { m_rows.append(m_row); }
    RowSink &operator<<(const QByteArray &b)
    {
        (m_columns++ == 0 ? m_row.input : m_row.expected) = b;
        return *this;
    }
    RowSink &operator<<(const QString &e)
    {
        m_row.error = e;
        return *this;
    }

private:
    QList<Row> &m_rows;
    Row m_row;
    int m_columns = 0;
};

QList<Row> validRows()
{
    QList<Row> rows;
    auto newRow = [&rows](const char *name) { return RowSink(rows, name); };

    newRow("greeting with capabilities")
        << QByteArray("* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR AUTH=PLAIN] Dovecot ready.\r\n")
        << QByteArray("* OK [CAPABILITY (IMAP4REV1 LITERAL+ SASL-IR AUTH=PLAIN)] text=\"Dovecot ready.\"");
    newRow("preauth") << QByteArray("* PREAUTH IMAP4rev1 server logged in as Smith\r\n")
                      << QByteArray("* PREAUTH text=\"IMAP4rev1 server logged in as Smith\"");
    newRow("bye") << QByteArray("* BYE Autologout; idle for too long\r\n")
                  << QByteArray("* BYE text=\"Autologout; idle for too long\"");
    newRow("capability") << QByteArray("* CAPABILITY IMAP4rev1 STARTTLS AUTH=GSSAPI LOGINDISABLED\r\n")
                         << QByteArray("* CAPABILITY (IMAP4REV1 STARTTLS AUTH=GSSAPI LOGINDISABLED)");
    newRow("tagged read-write") << QByteArray("A142 OK [READ-WRITE] SELECT completed\r\n")
                                << QByteArray("A142 OK [READ-WRITE] text=\"SELECT completed\"");
    newRow("read-only") << QByteArray("A1 OK [READ-ONLY] EXAMINE completed\r\n")
                        << QByteArray("A1 OK [READ-ONLY] text=\"EXAMINE completed\"");
    newRow("uidvalidity") << QByteArray("* OK [UIDVALIDITY 3857529045] UIDs valid\r\n")
                          << QByteArray("* OK [UIDVALIDITY 3857529045] text=\"UIDs valid\"");
    newRow("uidnext") << QByteArray("* OK [UIDNEXT 4392] Predicted next UID\r\n")
                      << QByteArray("* OK [UIDNEXT 4392] text=\"Predicted next UID\"");
    newRow("permanentflags") << bs("* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n")
                             << bs("* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] text=\"Limited\"");
    newRow("highestmodseq") << QByteArray("* OK [HIGHESTMODSEQ 715194045007] Highest\r\n")
                            << QByteArray("* OK [HIGHESTMODSEQ 715194045007] text=\"Highest\"");
    newRow("nomodseq") << QByteArray("* OK [NOMODSEQ] Sorry, this mailbox format has no modseqs\r\n")
                       << QByteArray("* OK [NOMODSEQ] text=\"Sorry, this mailbox format has no modseqs\"");
    newRow("appenduid") << QByteArray("A003 OK [APPENDUID 38505 3955] APPEND completed\r\n")
                        << QByteArray("A003 OK [APPENDUID 38505 3955] text=\"APPEND completed\"");
    newRow("copyuid") << QByteArray("A004 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n")
                      << QByteArray("A004 OK [COPYUID 38505 304,319:320 3956:3958] text=\"Done\"");
    newRow("trycreate") << QByteArray("A1 NO [TRYCREATE] No such mailbox\r\n")
                        << QByteArray("A1 NO [TRYCREATE] text=\"No such mailbox\"");
    newRow("unavailable") << QByteArray("A1 NO [UNAVAILABLE] Server down\r\n")
                          << QByteArray("A1 NO [UNAVAILABLE] text=\"Server down\"");
    newRow("limit") << QByteArray("A1 NO [LIMIT] Too many connections\r\n")
                    << QByteArray("A1 NO [LIMIT] text=\"Too many connections\"");
    newRow("authenticationfailed") << QByteArray("A1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n")
                                   << QByteArray("A1 NO [AUTHENTICATIONFAILED] text=\"Authentication failed.\"");
    newRow("alreadyexists") << QByteArray("A1 NO [ALREADYEXISTS] Mailbox exists\r\n")
                            << QByteArray("A1 NO [ALREADYEXISTS] text=\"Mailbox exists\"");
    newRow("nonexistent") << QByteArray("A1 NO [NONEXISTENT] Unknown Mailbox: Foo\r\n")
                          << QByteArray("A1 NO [NONEXISTENT] text=\"Unknown Mailbox: Foo\"");
    newRow("closed") << QByteArray("* OK [CLOSED] Previous mailbox closed.\r\n")
                     << QByteArray("* OK [CLOSED] text=\"Previous mailbox closed.\"");
    newRow("uidnotsticky") << QByteArray("* NO [UIDNOTSTICKY] Non-persistent UIDs\r\n")
                           << QByteArray("* NO [UIDNOTSTICKY] text=\"Non-persistent UIDs\"");
    newRow("alert") << QByteArray("* OK [ALERT] System shutdown in 10 minutes\r\n")
                    << QByteArray("* OK [ALERT] text=\"System shutdown in 10 minutes\"");
    newRow("unknown code kept as text") << QByteArray("A1 OK [X-FOO bar (baz)] hi\r\n")
                                        << QByteArray("A1 OK [X-FOO args=\"bar (baz)\" (unknown)] text=\"hi\"");
    newRow("badcharset") << QByteArray("A1 NO [BADCHARSET (UTF-8 \"US-ASCII\")] No\r\n")
                         << QByteArray("A1 NO [BADCHARSET (UTF-8 US-ASCII)] text=\"No\"");
    newRow("bad") << QByteArray("A1 BAD Command unknown\r\n") << QByteArray("A1 BAD text=\"Command unknown\"");
    newRow("no text") << QByteArray("A1 OK\r\n") << QByteArray("A1 OK text=\"\"");
    newRow("bare LF tolerated") << QByteArray("A1 OK done\n") << QByteArray("A1 OK text=\"done\"");
    newRow("text ending in {5} is no literal")
        << QByteArray("* OK hello {5}\r\n") << QByteArray("* OK text=\"hello {5}\"");
    newRow("lower-case keywords") << QByteArray("* ok hi\r\n* 1 fetch (uid 5)\r\n")
                                  << QByteArray("* OK text=\"hi\"\n* 1 FETCH UID=5");

    newRow("list special-use") << bs("* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent Items\"\r\n")
                               << bs("* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent Items\" name=\"Sent Items\"");
    newRow("list NIL delimiter") << bs("* LIST (\\Noselect) NIL \"\"\r\n")
                                 << bs("* LIST (\\Noselect) NIL \"\" name=\"\"");
    newRow("list escaped delimiter") << bs("* LIST () \"\\\\\" Foo\r\n")
                                     << bs("* LIST () \"\\\\\" \"Foo\" name=\"Foo\"");
    newRow("list inbox") << bs("* LIST (\\HasChildren) \".\" inbox\r\n")
                         << bs("* LIST (\\HasChildren) \".\" \"inbox\" name=\"INBOX\"");
    newRow("list literal name") << bs("* LIST (\\Marked) \"/\" {7}\r\nfoo bar\r\n")
                                << bs("* LIST (\\Marked) \"/\" \"foo bar\" name=\"foo bar\"");
    newRow("list extended data") << bs("* LIST (\\Subscribed) \"/\" \"Foo\" (\"CHILDINFO\" (\"SUBSCRIBED\"))\r\n")
                                 << bs("* LIST (\\Subscribed) \"/\" \"Foo\" name=\"Foo\"");
    newRow("lsub") << bs("* LSUB () \".\" #news.comp.mail.misc\r\n")
                   << bs("* LSUB () \".\" \"#news.comp.mail.misc\" name=\"#news.comp.mail.misc\"");
    newRow("status") << QByteArray("* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)\r\n")
                     << QByteArray("* STATUS \"blurdybloop\" (MESSAGES 231 UIDNEXT 44292)");
    newRow("status quoted, highestmodseq")
        << QByteArray("* STATUS \"Sent Items\" (UNSEEN 0 HIGHESTMODSEQ 7011231777)\r\n")
        << QByteArray("* STATUS \"Sent Items\" (UNSEEN 0 HIGHESTMODSEQ 7011231777)");
    newRow("exists recent expunge") << QByteArray("* 172 EXISTS\r\n* 1 RECENT\r\n* 44 EXPUNGE\r\n")
                                    << QByteArray("* 172 EXISTS\n* 1 RECENT\n* 44 EXPUNGE");
    newRow("vanished earlier") << QByteArray("* VANISHED (EARLIER) 300:310,405,411\r\n")
                               << QByteArray("* VANISHED (EARLIER) 300:310,405,411");
    newRow("vanished") << QByteArray("* VANISHED 407,405\r\n") << QByteArray("* VANISHED 405,407");
    newRow("fetch flags uid date size")
        << bs("* 12 FETCH (FLAGS (\\Seen) UID 4827 INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE 4286)\r\n")
        << bs("* 12 FETCH UID=4827 FLAGS=(\\Seen) INTERNALDATE=1996-07-17T02:44:25-07:00 SIZE=4286");
    newRow("fetch padded date, modseq")
        << QByteArray("* 1 FETCH (INTERNALDATE \" 7-Feb-2024 23:01:02 +0530\" MODSEQ (624140003) FLAGS ())\r\n")
        << QByteArray("* 1 FETCH FLAGS=() INTERNALDATE=2024-02-07T23:01:02+05:30 MODSEQ=624140003");
    newRow("envelope (RFC 3501 example)")
        << QByteArray("* 12 FETCH (ENVELOPE (\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" "
                      "\"IMAP4rev1 WG mtg summary and minutes\" ((\"Terry Gray\" NIL \"gray\" "
                      "\"cac.washington.edu\")) ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
                      "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((NIL NIL \"imap\" "
                      "\"cac.washington.edu\")) ((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" "
                      "NIL \"KLENSIN\" \"MIT.EDU\")) NIL NIL \"<B27397-0100000@cac.washington.edu>\"))\r\n")
        << QByteArray("* 12 FETCH ENVELOPE=(\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" "
                      "\"IMAP4rev1 WG mtg summary and minutes\" ((\"Terry Gray\" NIL \"gray\" "
                      "\"cac.washington.edu\")) ((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) "
                      "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) ((NIL NIL \"imap\" "
                      "\"cac.washington.edu\")) ((NIL NIL \"minutes\" \"CNRI.Reston.VA.US\")(\"John Klensin\" "
                      "NIL \"KLENSIN\" \"MIT.EDU\")) () NIL \"<B27397-0100000@cac.washington.edu>\")");
    newRow("envelope with group, literal subject, spaces between addresses")
        << QByteArray("* 2 FETCH (ENVELOPE (NIL {5}\r\nHello ((NIL NIL \"undisclosed\" NIL) (NIL NIL NIL NIL)) "
                      "NIL NIL NIL NIL NIL NIL \"<a@b>\"))\r\n")
        << QByteArray(
               "* 2 FETCH ENVELOPE=(NIL \"Hello\" ((NIL NIL \"undisclosed\" NIL)(NIL NIL NIL NIL)) () () () () () "
               "NIL \"<a@b>\")");
    newRow("bodystructure text/plain")
        << QByteArray(
               "* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92))\r\n")
        << QByteArray("* 1 FETCH BODY=(text/plain params=(\"charset\"=\"US-ASCII\") id=NIL desc=NIL enc=\"7BIT\" "
                      "size=3028 lines=92)");
    newRow("bodystructure multipart with extension data")
        << QByteArray("* 1 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 1152 "
                      "23 NIL NIL NIL NIL)(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\" \"NAME\" \"cc.diff\") "
                      "\"<960723163407.20117h@cac.washington.edu>\" \"Compiler diff\" \"BASE64\" 4554 73 NIL "
                      "(\"ATTACHMENT\" (\"FILENAME\" \"cc.diff\")) NIL NIL) \"MIXED\" (\"BOUNDARY\" \"xyz\") NIL "
                      "(\"EN\" \"DE\") \"http://x\" 42 (1 \"two\")))\r\n")
        << QByteArray("* 1 FETCH BODY=(multipart/mixed params=(\"boundary\"=\"xyz\") (text/plain "
                      "params=(\"charset\"=\"US-ASCII\") id=NIL desc=NIL enc=\"7BIT\" size=1152 lines=23) "
                      "(text/plain params=(\"charset\"=\"US-ASCII\" \"name\"=\"cc.diff\") "
                      "id=\"<960723163407.20117h@cac.washington.edu>\" desc=\"Compiler diff\" enc=\"BASE64\" "
                      "size=4554 lines=73 disposition=attachment(\"filename\"=\"cc.diff\")) "
                      "lang=(EN DE) location=\"http://x\")");
    newRow("bodystructure message/rfc822")
        << QByteArray(
               "* 3 FETCH (BODYSTRUCTURE (\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 500 (NIL \"inner\" "
               "NIL NIL NIL NIL NIL NIL NIL NIL) ((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 100 5)(\"TEXT\" "
               "\"HTML\" NIL NIL NIL \"QUOTED-PRINTABLE\" 200 9) \"ALTERNATIVE\") 20 NIL (\"inline\" NIL) NIL))\r\n")
        << QByteArray("* 3 FETCH BODY=(message/rfc822 id=NIL desc=NIL enc=\"7BIT\" size=500 lines=20 "
                      "envelope=(NIL \"inner\" () () () () () () NIL NIL) (multipart/alternative (text/plain "
                      "id=NIL desc=NIL enc=\"7BIT\" size=100 lines=5) (text/html id=NIL desc=NIL "
                      "enc=\"QUOTED-PRINTABLE\" size=200 lines=9)) disposition=inline())");
    newRow("bodystructure message/rfc822 without the space after the envelope (Mailutils)")
        << QByteArray(
               "* 3 FETCH (BODYSTRUCTURE (\"message\" \"rfc822\" NIL NIL NIL \"8bit\" 500 (NIL \"inner\" "
               "NIL NIL NIL NIL NIL NIL NIL \"<a@b>\")(\"text\" \"plain\" NIL NIL NIL \"8bit\" 100 5 NIL NIL NIL) "
               "20 NIL (\"inline\" NIL) NIL))\r\n")
        << QByteArray("* 3 FETCH BODY=(message/rfc822 id=NIL desc=NIL enc=\"8bit\" size=500 lines=20 "
                      "envelope=(NIL \"inner\" () () () () () () NIL \"<a@b>\") (text/plain id=NIL desc=NIL "
                      "enc=\"8bit\" size=100 lines=5) disposition=inline())");
    newRow("body (non-extensible) image")
        << QByteArray("* 4 FETCH (BODY (\"IMAGE\" \"PNG\" (\"NAME\" {5}\r\na.png) NIL NIL \"BASE64\" 1000))\r\n")
        << QByteArray(
               "* 4 FETCH BODY=(image/png params=(\"name\"=\"a.png\") id=NIL desc=NIL enc=\"BASE64\" size=1000)");
    newRow("body[] literal") << QByteArray("* 1 FETCH (UID 7 BODY[] {12}\r\nhello\r\nworld)\r\n")
                             << QByteArray("* 1 FETCH UID=7 BODY[]=\"hello\\x0d\\x0aworld\"");
    newRow("sections quoted, NIL, origin, header fields")
        << QByteArray(
               "* 2 FETCH (BODY[1.2]<0> \"abc\" BODY[TEXT] NIL BODY[HEADER.FIELDS (FROM SUBJECT)] {4}\r\nF: x)\r\n")
        << QByteArray("* 2 FETCH BODY[1.2]<0>=\"abc\" BODY[TEXT]=NIL BODY[HEADER.FIELDS (FROM SUBJECT)]=\"F: x\"");
    newRow("binary literal8 and size") << QByteArray("* 3 FETCH (BINARY[1] ~{3}\r\nabc BINARY.SIZE[1] 3)\r\n")
                                       << QByteArray("* 3 FETCH BINARY[1]=\"abc\" BINARY.SIZE[1]=3");
    newRow("rfc822.header, empty literal") << QByteArray("* 3 FETCH (RFC822.HEADER {0}\r\n RFC822.TEXT {2}\r\nok)\r\n")
                                           << QByteArray("* 3 FETCH RFC822.HEADER=\"\" RFC822.TEXT=\"ok\"");
    newRow("unknown fetch items skipped")
        << bs("* 1 FETCH (X-GM-LABELS (\\Inbox \"Foo\") UID 3 X-GM-THRID 1234 PREVIEW {3}\r\nabc)\r\n")
        << QByteArray("* 1 FETCH UID=3");
    newRow("search") << QByteArray("* SEARCH 2 84 882\r\n") << QByteArray("* SEARCH 2 84 882");
    newRow("search empty") << QByteArray("* SEARCH\r\n") << QByteArray("* SEARCH");
    newRow("search modseq") << QByteArray("* SEARCH 2 5 (MODSEQ 917162500)\r\n")
                            << QByteArray("* SEARCH 2 5 MODSEQ=917162500");
    newRow("sort keeps the server's order") << QByteArray("* SORT 2 5 3\r\n") << QByteArray("* SORT 2 5 3");
    newRow("sort empty") << QByteArray("* SORT\r\n") << QByteArray("* SORT");
    newRow("sort with modseq (dropped)") << QByteArray("* SORT 9 1 (MODSEQ 42)\r\n") << QByteArray("* SORT 9 1");
    newRow("esearch") << QByteArray("* ESEARCH (TAG \"A282\") UID MIN 2 MAX 47 COUNT 8 ALL 2,10:15,47\r\n")
                      << QByteArray("* ESEARCH tag=\"A282\" UID MIN=2 MAX=47 COUNT=8 ALL=2,10:15,47");
    newRow("esearch count 0") << QByteArray("* ESEARCH (TAG \"A1\") UID COUNT 0\r\n")
                              << QByteArray("* ESEARCH tag=\"A1\" UID COUNT=0");
    newRow("esearch bare") << QByteArray("* ESEARCH\r\n") << QByteArray("* ESEARCH tag=NIL");
    newRow("enabled") << QByteArray("* ENABLED CONDSTORE QRESYNC\r\n") << QByteArray("* ENABLED (CONDSTORE QRESYNC)");
    newRow("id") << QByteArray("* ID (\"name\" \"Dovecot\" \"version\" NIL)\r\n")
                 << QByteArray("* ID (\"name\"=\"Dovecot\" \"version\"=NIL)");
    newRow("id nil") << QByteArray("* ID NIL\r\n") << QByteArray("* ID ()");
    newRow("namespace (RFC 2342)")
        << QByteArray("* NAMESPACE ((\"\" \"/\")) ((\"~\" \"/\")) ((\"#shared/\" \"/\")(\"#public/\" \"/\")"
                      "(\"#news.\" \".\" \"X-PARAM\" (\"FLAG1\" \"FLAG2\")))\r\n")
        << QByteArray("* NAMESPACE ((\"\" \"/\")) ((\"~\" \"/\")) ((\"#shared/\" \"/\")(\"#public/\" \"/\")"
                      "(\"#news.\" \".\"))");
    newRow("namespace NIL") << QByteArray("* NAMESPACE ((\"INBOX.\" \".\")) NIL NIL\r\n")
                            << QByteArray("* NAMESPACE ((\"INBOX.\" \".\")) () ()");
    newRow("flags") << bs("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)\r\n")
                    << bs("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)");
    newRow("continuation") << QByteArray("+ Ready for additional command text\r\n")
                           << QByteArray("+ \"Ready for additional command text\"");
    newRow("continuation empty") << QByteArray("+ \r\n+\r\n") << QByteArray("+ \"\"\n+ \"\"");
    newRow("continuation {5} is no literal") << QByteArray("+ {5}\r\n") << QByteArray("+ \"{5}\"");
    newRow("unknown untagged kept") << QByteArray("* XAPPLEPUSHSERVICE aps-version 2\r\n* 5 XFOO (a b)\r\n")
                                    << QByteArray(
                                           "* GENERIC XAPPLEPUSHSERVICE \"aps-version 2\"\n* GENERIC 5 XFOO \"(a b)\"");
    newRow("unknown untagged with literal") << QByteArray("* METADATA INBOX (/private/comment {3}\r\nabc)\r\n")
                                            << QByteArray("* GENERIC METADATA \"INBOX (/private/comment {3}\"");
    newRow("pipelined stream")
        << QByteArray("* 1 EXISTS\r\n* 0 RECENT\r\nA1 OK [READ-WRITE] done\r\n+ go\r\nA2 NO nope\r\n")
        << QByteArray("* 1 EXISTS\n* 0 RECENT\nA1 OK [READ-WRITE] text=\"done\"\n+ \"go\"\nA2 NO text=\"nope\"");
    newRow("utf-8 status text") << QByteArray("A1 NO Caf\xc3\xa9 ferm\xc3\xa9\r\n")
                                << QByteArray("A1 NO text=\"Caf\\xc3\\xa9 ferm\\xc3\\xa9\"");
    return rows;
}

QList<Row> malformedRows()
{
    QList<Row> rows;
    auto newRow = [&rows](const char *name) { return RowSink(rows, name); };

    newRow("literal larger than sent") << QByteArray("* 1 FETCH (BODY[] {10}\r\nabc)\r\nA1 OK x\r\n")
                                       << QStringLiteral("expected");
    newRow("literal smaller than sent") << QByteArray("* 1 FETCH (BODY[] {2}\r\nabcdef)\r\n")
                                        << QStringLiteral("expected");
    newRow("literal announced mid-line") << QByteArray("* 1 FETCH (BODY[] {3}x)\r\n")
                                         << QStringLiteral("literal announcement must end its line");
    newRow("unterminated quoted") << QByteArray("* 1 FETCH (BODY[] \"abc)\r\n")
                                  << QStringLiteral("unterminated quoted string");
    newRow("bad escape") << QByteArray("* LIST () \"\\x\" foo\r\n") << QStringLiteral("invalid escape");
    newRow("missing paren") << QByteArray("* 1 FETCH (UID 5\r\n") << QStringLiteral("unbalanced parentheses");
    newRow("extra paren") << QByteArray("* 1 FETCH (UID 5))\r\n") << QStringLiteral("unexpected data");
    newRow("unbalanced flags") << QByteArray("* FLAGS (\\Seen\r\n") << QStringLiteral("unbalanced parentheses");
    newRow("8-bit garbage") << QByteArray("\xff\xfe\x80 garbage\r\n") << QStringLiteral("expected an atom");
    newRow("8-bit after star") << QByteArray("* \xff\xff\xff\r\n") << QStringLiteral("expected an atom");
    newRow("NUL in text") << withNul("* OK a\0b\r\n") << QStringLiteral("NUL");
    newRow("NUL in fetch") << withNul("* 1 FETCH (UID\0 5)\r\n") << QStringLiteral("expected");
    newRow("NUL in quoted") << withNul("* LIST () \"/\" \"a\0b\"\r\n") << QStringLiteral("forbidden");
    newRow("empty line") << QByteArray("\r\n") << QStringLiteral("expected an atom");
    newRow("tagged BYE") << QByteArray("A1 BYE x\r\n") << QStringLiteral("must be OK, NO or BAD");
    newRow("tag with plus") << QByteArray("A+1 OK x\r\n") << QStringLiteral("invalid tag");
    newRow("envelope address with 3 fields")
        << QByteArray("* 1 FETCH (ENVELOPE (\"d\" \"s\" ((NIL NIL \"a\")) NIL NIL NIL NIL NIL NIL NIL))\r\n")
        << QStringLiteral("expected ' '");
    newRow("envelope too short") << QByteArray("* 1 FETCH (ENVELOPE (NIL NIL))\r\n") << QStringLiteral("expected ' '");
    newRow("envelope not a list") << QByteArray("* 1 FETCH (ENVELOPE NIL)\r\n") << QStringLiteral("expected '('");
    newRow("bodystructure size not a number")
        << QByteArray("* 1 FETCH (BODYSTRUCTURE (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" abc))\r\n")
        << QStringLiteral("expected a number");
    newRow("bodystructure empty") << QByteArray("* 1 FETCH (BODYSTRUCTURE ())\r\n")
                                  << QStringLiteral("expected an atom");
    newRow("multipart without subtype") << QByteArray(
        "* 1 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1)))\r\n")
                                        << QStringLiteral("expected a string");
    newRow("literal 2^32") << QByteArray("* 1 FETCH (BODY[] {4294967296}\r\nabc")
                           << QStringLiteral("literal of 4294967296 bytes exceeds the limit");
    newRow("literal 10^20") << QByteArray("* 1 FETCH (BODY[] {99999999999999999999}\r\n")
                            << QStringLiteral("literal of 99999999999999999999 bytes exceeds the limit");
    newRow("deep nesting in bodystructure")
        << QByteArray("* 1 FETCH (BODYSTRUCTURE " + QByteArray(5000, '(') + "\r\n") << QStringLiteral("nested deeper");
    newRow("deep nesting in unknown item")
        << QByteArray("* 1 FETCH (X-FOO " + QByteArray(100, '(') + QByteArray(100, ')') + ")\r\n")
        << QStringLiteral("nested deeper than 64");
    newRow("endless line") << QByteArray((1 << 20) + 10, 'a') << QStringLiteral("longer than 1048576");
    newRow("bad sequence set") << QByteArray("* VANISHED 0:5\r\n") << QStringLiteral("malformed sequence set");
    newRow("bad uidnext") << QByteArray("* OK [UIDNEXT abc] x\r\n") << QStringLiteral("expected a number");
    newRow("unterminated code") << QByteArray("* OK [ALERT x\r\n") << QStringLiteral("missing ']'");
    newRow("bad internaldate") << QByteArray("* 1 FETCH (INTERNALDATE \"31-Feb-2020 10:00:00 +0000\")\r\n")
                               << QStringLiteral("malformed INTERNALDATE");
    newRow("number over 32 bits") << QByteArray("* 99999999999 EXISTS\r\n") << QStringLiteral("32 bits");
    newRow("number over 63 bits") << QByteArray("* OK [HIGHESTMODSEQ 99999999999999999999] x\r\n")
                                  << QStringLiteral("number too large");
    newRow("fetch of message 0") << QByteArray("* 0 FETCH (UID 1)\r\n") << QStringLiteral("message 0");
    newRow("uid 0") << QByteArray("* 1 FETCH (UID 0)\r\n") << QStringLiteral("non-zero");
    newRow("multi-char delimiter") << QByteArray("* LIST () \"ab\" x\r\n") << QStringLiteral("one character");
    newRow("exists with trailing junk") << QByteArray("* 3 EXISTS now\r\n") << QStringLiteral("unexpected data");
    newRow("CR inside line") << QByteArray("* OK a\rb\r\n") << QStringLiteral("NUL or CR");
    return rows;
}

} // namespace

class TestImapParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void valid_data();
    void valid();
    void malformed_data();
    void malformed();
    void splitAnywhere_data();
    void splitAnywhere();
    void fieldsOfFetch();
    void listNamesAndSpecialUse();
    void continuationBase64();
    void consumedStopsAtResponseEnd();
    void endlessLineStopsAtLimit();
    void hugeLiteralsRejectedWithoutAllocation_data();
    void hugeLiteralsRejectedWithoutAllocation();
    void largeLiteralIsLinearAndOneCopy();
    void nestingLimitIsConfigurable();
    void errorPositionCountsLiterals();
    void sequenceSets_data();
    void sequenceSets();
    void sequenceSetBuilding();
    void resetAfterError();
};

void TestImapParser::valid_data()
{
    const auto row = tandem::test::table<QByteArray, QByteArray>("input", "expected");
    for (const Row &r : validRows())
        row(r.name.constData(), r.input, r.expected);
}

void TestImapParser::valid()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, expected);
    const Outcome o = runWhole(input);
    QVERIFY2(o.problem.isEmpty(), qPrintable(o.problem));
    if (o.dump() != expected) // the whole text: QCOMPARE would cut it short
        QFAIL(qPrintable(QStringLiteral("\nactual:   %1\nexpected: %2")
                             .arg(QString::fromUtf8(o.dump()), QString::fromUtf8(expected))));
}

void TestImapParser::malformed_data()
{
    const auto row = tandem::test::table<QByteArray, QString>("input", "error");
    for (const Row &r : malformedRows())
        row(r.name.constData(), r.input, r.error);
}

void TestImapParser::malformed()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, error);
    const Outcome o = runWhole(input);
    QVERIFY2(o.problem.isEmpty(), qPrintable(o.problem));
    QVERIFY2(o.error, o.dump().constData());
    QVERIFY2(o.protocolError.description.contains(error), qPrintable(o.protocolError.description));
    QVERIFY(o.protocolError.position >= 0 && o.protocolError.position <= input.size());
    QVERIFY(o.protocolError.toError().code() == mailcore::ErrorCode::Protocol);
}

void TestImapParser::splitAnywhere_data()
{
    // Both tables: valid input must give the same responses, malformed input
    // the same error at the same position, however the bytes are chunked.
    const auto row = tandem::test::table<QByteArray>("input");
    for (const Row &r : validRows())
        row(QByteArray("valid: " + r.name).constData(), r.input);
    for (const Row &r : malformedRows())
        row(QByteArray("malformed: " + r.name).constData(), r.input);
}

void TestImapParser::splitAnywhere()
{
    QFETCH(QByteArray, input);
    const Outcome whole = runWhole(input);
    QVERIFY2(whole.problem.isEmpty(), qPrintable(whole.problem));
    const QByteArray expected = whole.dump();

    // Every split point for normal inputs; a spread of them for the 1 MiB ones.
    const qsizetype n = input.size();
    const qsizetype step = n > 4096 ? n / 512 : 1;
    for (qsizetype at = 1; at < n; at += step) {
        const Outcome o = run(input, {at, n});
        QVERIFY2(o.problem.isEmpty(), qPrintable(o.problem));
        if (o.dump() != expected)
            QFAIL(qPrintable(QStringLiteral("split at %1:\n%2\nexpected:\n%3")
                                 .arg(at)
                                 .arg(QString::fromUtf8(o.dump()), QString::fromUtf8(expected))));
    }
    for (const QList<qsizetype> &chunks : {QList<qsizetype>{1}, QList<qsizetype>{3, 1, 7, 2}, QList<qsizetype>{13}}) {
        const Outcome o = run(input, chunks);
        QVERIFY2(o.problem.isEmpty(), qPrintable(o.problem));
        QCOMPARE(o.dump(), expected);
    }
}

void TestImapParser::fieldsOfFetch()
{
    const QByteArray body = "Subject: hi\r\n\r\nline one\r\n)\r\n";
    const QByteArray input = "* 7 FETCH (UID 42 FLAGS (\\Seen $Junk) BODY[] {" + QByteArray::number(body.size())
        + "}\r\n" + body + " INTERNALDATE \"01-Jan-2024 00:00:00 -0130\")\r\n";
    const Outcome o = runWhole(input);
    QCOMPARE(o.responses.size(), 1);
    const FetchData *f = o.responses[0].get<FetchData>();
    QVERIFY(f);
    QCOMPARE(f->sequence, 7u);
    QCOMPARE(f->uid, std::optional<quint32>(42));
    QCOMPARE(*f->flags, (ByteList{"\\Seen", "$Junk"}));
    const SectionData *s = f->section("BODY", "");
    QVERIFY(s);
    QCOMPARE(s->data, body);
    QVERIFY(!s->origin);
    QCOMPARE(f->internalDate->offsetFromUtc(), -90 * 60);
    QCOMPARE(f->internalDate->toUTC(), QDateTime(QDate(2024, 1, 1), QTime(1, 30), Qt::UTC));
    QVERIFY(!f->envelope && !f->body && !f->size && !f->modSeq);
}

void TestImapParser::listNamesAndSpecialUse()
{
    const QByteArray input = "* LIST (\\HasNoChildren \\Trash) \"/\" \"&ZeVnLIqe-/Entw&APw-rfe\"\r\n"
                             "* LIST (\\Junk) \".\" Spam\r\n"
                             "* LIST () \".\" \"Caf\xc3\xa9\"\r\n"
                             "* LIST (\\All) \".\" \"bad&-&Jjo\"\r\n";
    const Outcome o = runWhole(input);
    QCOMPARE(o.responses.size(), 4);
    const ListData *l = o.responses[0].get<ListData>();
    QCOMPARE(l->name, QStringLiteral("日本語/Entwürfe"));
    QCOMPARE(l->rawName, QByteArray("&ZeVnLIqe-/Entw&APw-rfe"));
    QCOMPARE(l->delimiter, std::optional<char>('/'));
    QCOMPARE(l->specialUse(), SpecialUse::Trash);
    QVERIFY(l->hasFlag("\\hasnochildren"));
    QCOMPARE(o.responses[1].get<ListData>()->specialUse(), SpecialUse::Junk);
    // UTF8=ACCEPT servers send raw UTF-8: shown as UTF-8.
    QCOMPARE(o.responses[2].get<ListData>()->name, QStringLiteral("Café"));
    // Broken mUTF-7 (unterminated run): kept raw, not an error.
    QCOMPARE(o.responses[3].get<ListData>()->name, QStringLiteral("bad&-&Jjo"));
    QCOMPARE(o.responses[3].get<ListData>()->specialUse(), SpecialUse::All);
}

void TestImapParser::continuationBase64()
{
    const Outcome o = runWhole("+ PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+\r\n+ not base64!\r\n");
    QCOMPARE(o.responses.size(), 2);
    QCOMPARE(o.responses[0].kind, Response::Kind::Continuation);
    QCOMPARE(o.responses[0].get<ContinuationRequest>()->decodedBase64(),
             std::optional<QByteArray>("<1896.697170952@postoffice.reston.mci.net>"));
    QCOMPARE(o.responses[1].get<ContinuationRequest>()->decodedBase64(), std::nullopt);
}

void TestImapParser::consumedStopsAtResponseEnd()
{
    ResponseParser p;
    const QByteArray input = "* 1 EXISTS\r\nA1 OK x\r\n* 2 EX";
    auto r = p.feed(input);
    QCOMPARE(r.status, ParseStatus::Complete);
    QCOMPARE(r.consumed, qsizetype(12));
    r = p.feed(QByteArrayView(input).sliced(12));
    QCOMPARE(r.status, ParseStatus::Complete);
    QCOMPARE(r.consumed, qsizetype(9));
    QCOMPARE(r.response.tag, QByteArray("A1"));
    r = p.feed(QByteArrayView(input).sliced(21));
    QCOMPARE(r.status, ParseStatus::NeedMore);
    QCOMPARE(r.consumed, qsizetype(6));
    QVERIFY(p.framer().hasPartialResponse());
    r = p.feed("ISTS\r\n");
    QCOMPARE(r.status, ParseStatus::Complete);
    QCOMPARE(r.response.get<NumberData>()->number, 2u);
}

void TestImapParser::endlessLineStopsAtLimit()
{
    // A server that never sends CRLF: the parser must give up at the limit
    // instead of buffering forever, whatever the chunk size.
    ParserLimits limits;
    limits.maxLineLength = 1000;
    ResponseParser p(limits);
    const QByteArray chunk(64, 'x');
    qint64 fed = 0;
    ResponseParser::Result r;
    do {
        r = p.feed(chunk);
        fed += chunk.size();
        QVERIFY(fed < 10000);
    } while (r.status == ParseStatus::NeedMore);
    QCOMPARE(r.status, ParseStatus::Error);
    QVERIFY(r.error.description.contains(QStringLiteral("longer than 1000")));
    QCOMPARE(r.error.position, qint64(1000));
    // And it stays failed.
    QCOMPARE(p.feed("\r\n").status, ParseStatus::Error);
}

void TestImapParser::hugeLiteralsRejectedWithoutAllocation_data()
{
    const auto row = tandem::test::table<QByteArray>("announcement");
    row("64 MiB + 1", "{67108865}");
    row("2^32", "{4294967296}");
    row("2^63", "{9223372036854775808}");
    row("2^64", "{18446744073709551616}");
    row("10^20-1", "{99999999999999999999}");
    row("200 digits", QByteArray("{" + QByteArray(200, '9') + "}"));
    row("literal8", "~{4294967296}");
    row("non-sync", "{4294967296+}");
}

void TestImapParser::hugeLiteralsRejectedWithoutAllocation()
{
    QFETCH(QByteArray, announcement);
    ResponseParser p;
    // Rejected as soon as the announcing line is complete: no literal byte needed.
    const auto r = p.feed(QByteArray("* 1 FETCH (BODY[] " + announcement + "\r\n"));
    QCOMPARE(r.status, ParseStatus::Error);
    QVERIFY2(r.error.description.contains(QStringLiteral("exceeds the limit")), qPrintable(r.error.description));
    QCOMPARE(p.framer().literalExpected(), 0);
}

void TestImapParser::largeLiteralIsLinearAndOneCopy()
{
    // 20 MB BODY[] in 16 KiB socket reads: time linear in the size (against 5
    // MB, in CPU time), and the literal buffer is allocated once at its
    // announced size (no doubling, no second copy).
    qint64 cpuUs[2] = {};
    for (const qsizetype size : {qsizetype(5 * 1000 * 1000), qsizetype(20 * 1000 * 1000)}) {
        QByteArray message(size, 'm');
        for (qsizetype i = 0; i < size; i += 77)
            message[i] = '\n';
        const QByteArray head = "* 1 FETCH (UID 9 BODY[] {" + QByteArray::number(size) + "}\r\n";
        const QByteArray tail = ")\r\n";
        ResponseParser p;
        const qint64 start = tandem::test::threadCpuTimeUs();
        QVERIFY(p.feed(head).status == ParseStatus::NeedMore);
        qsizetype pos = 0;
        ResponseParser::Result r;
        while (pos < size) {
            const qsizetype n = std::min<qsizetype>(16384, size - pos);
            r = p.feed(QByteArrayView(message).sliced(pos, n));
            QCOMPARE(r.status, ParseStatus::NeedMore);
            QCOMPARE(r.consumed, n);
            pos += n;
            if (pos == 16384 * 10) {
                QCOMPARE(p.framer().literalReceived(), qint64(pos));
                QCOMPARE(p.framer().literalExpected(), qint64(size));
            }
        }
        r = p.feed(tail);
        cpuUs[cpuUs[0] ? 1 : 0] = tandem::test::threadCpuTimeUs() - start;
        QCOMPARE(r.status, ParseStatus::Complete);
        const SectionData *s = r.response.get<FetchData>()->section("BODY", "");
        QVERIFY(s);
        QCOMPARE(s->data.size(), size);
        QVERIFY(s->data == message);
        QVERIFY2(s->data.capacity() <= size + 64, qPrintable(QString::number(s->data.capacity())));
    }
    const QString growth = tandem::test::worseThanLinear(cpuUs[0], cpuUs[1]);
    QVERIFY2(growth.isEmpty(), qPrintable(growth));
}

void TestImapParser::nestingLimitIsConfigurable()
{
    ParserLimits limits;
    limits.maxNestingDepth = 4;
    const QByteArray nested = "* 1 FETCH (BODYSTRUCTURE ((((\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 1 1) \"MIXED\") "
                              "\"MIXED\") \"MIXED\"))\r\n";
    QVERIFY(runWhole(nested, limits).error); // 5 levels with FETCH's own list
    limits.maxNestingDepth = 5;
    const Outcome o = runWhole(nested, limits);
    QVERIFY2(!o.error, o.dump().constData());
    QCOMPARE(o.responses[0].get<FetchData>()->body->parts[0].parts[0].parts[0].subtype, QByteArray("plain"));
}

void TestImapParser::errorPositionCountsLiterals()
{
    // The position is in the received bytes, literals included: here the bad
    // byte is the '(' after a 5-byte literal, where an item name should start.
    const QByteArray input = "* 1 FETCH (BODY[] {5}\r\nhello (x)\r\n";
    const Outcome o = runWhole(input);
    QVERIFY(o.error);
    QCOMPARE(o.protocolError.position, qint64(input.indexOf("(x)")));
}

void TestImapParser::sequenceSets_data()
{
    // formatted: empty where the text is invalid
    const auto row = tandem::test::table<QByteArray, QByteArray, quint64>("text", "formatted", "count");
    row("single", "5", "5", quint64(1));
    row("range", "1:3", "1:3", quint64(3));
    row("reversed", "9:4", "4:9", quint64(6));
    row("merged", "3,1,2,7:8,9,20", "1:3,7:9,20", quint64(7));
    row("overlap", "1:10,5:15", "1:15", quint64(15));
    row("star", "7:*", "7:*", quint64(0xFFFFFFFFull - 7 + 1));
    row("star alone", "*", "*", quint64(1));
    row("max uid", "4294967294", "4294967294", quint64(1));
    row("zero", "0", QByteArray(), quint64(0));
    row("overflow", "4294967296", QByteArray(), quint64(0));
    row("empty item", "1,,2", QByteArray(), quint64(0));
    row("trailing comma", "1,", QByteArray(), quint64(0));
    row("double colon", "1:2:3", QByteArray(), quint64(0));
    row("leading zero", "01", QByteArray(), quint64(0));
    row("letters", "1:a", QByteArray(), quint64(0));
    row("empty", "", QByteArray(), quint64(0));
}

void TestImapParser::sequenceSets()
{
    QFETCH(QByteArray, text);
    QFETCH(QByteArray, formatted);
    QFETCH(quint64, count);
    const auto set = SequenceSet::parse(text);
    if (formatted.isEmpty()) {
        QVERIFY(!set);
        return;
    }
    QVERIFY(set);
    QCOMPARE(set->toByteArray(), formatted);
    QCOMPARE(set->count(), count);
    QCOMPARE(SequenceSet::parse(set->toByteArray()), set); // round trip
}

void TestImapParser::sequenceSetBuilding()
{
    SequenceSet s;
    for (quint32 uid : {10u, 12u, 11u, 1u, 3u, 2u, 100u})
        s.add(uid);
    QCOMPARE(s.toByteArray(), QByteArray("1:3,10:12,100"));
    QCOMPARE(s.ranges().size(), 3);
    QVERIFY(s.contains(11) && !s.contains(13) && !s.contains(0));
    QCOMPARE(s.toList(), (QList<quint32>{1, 2, 3, 10, 11, 12, 100}));
    // A huge range is one entry, and toList refuses to expand it.
    const SequenceSet big = SequenceSet::fromRange(1, 4000000000u);
    QCOMPARE(big.ranges().size(), 1);
    QVERIFY(big.toList().isEmpty());
}

void TestImapParser::resetAfterError()
{
    ResponseParser p;
    QCOMPARE(p.feed("* 1 FETCH (BODY[] {99999999999}\r\n").status, ParseStatus::Error);
    QCOMPARE(p.feed("* 1 EXISTS\r\n").status, ParseStatus::Error); // a failed stream stays failed
    p.reset();
    const auto r = p.feed("* 1 EXISTS\r\n");
    QCOMPARE(r.status, ParseStatus::Complete);
}

QTEST_GUILESS_MAIN(TestImapParser)
#include "tst_imap_parser.moc"
