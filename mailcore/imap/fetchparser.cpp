// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Message data: FETCH attributes, ENVELOPE, BODYSTRUCTURE, INTERNALDATE.

#include "mailcore/imap/parserdetail.h"

namespace mailcore::imap::detail {

namespace {

// Optional spaces between list members: RFC 3501 writes address lists and
// multipart children without separators, some servers put spaces in anyway.
void skipSpaces(Cursor &c)
{
    while (c.consumeIf(' ')) { }
}

/// "(" name SP adl SP mailbox SP host ")"
Address parseAddress(Cursor &c)
{
    Address a;
    c.enterList();
    a.name = c.nstring();
    a.adl = c.afterSpace().nstring();
    a.mailbox = c.afterSpace().nstring();
    a.host = c.afterSpace().nstring();
    c.leaveList();
    return a;
}

QList<Address> parseAddressList(Cursor &c)
{
    QList<Address> out;
    if (!c.enterListOrNil())
        return out;
    skipSpaces(c);
    while (!c.leaveListIf()) {
        out.append(parseAddress(c));
        skipSpaces(c);
    }
    return out;
}

ParamList parseParams(Cursor &c)
{
    ParamList out;
    if (!c.enterListOrNil())
        return out;
    while (!c.leaveListIf()) {
        if (!out.isEmpty())
            c.expectSpace();
        QByteArray key = c.lenientNString().toLower();
        out.append({std::move(key), c.afterSpace().lenientNString()});
    }
    return out;
}

void parseDisposition(Cursor &c, BodyStructure &b)
{
    if (!c.enterListOrNil())
        return;
    b.disposition = c.lenientNString().toLower();
    b.dispositionParameters = parseParams(c.afterSpace());
    c.leaveList();
}

void parseLanguage(Cursor &c, BodyStructure &b)
{
    if (c.peek() != '(') {
        const QByteArray l = c.nstring();
        if (!l.isNull())
            b.language.append(l);
        return;
    }
    c.enterList();
    while (!c.leaveListIf()) {
        if (!b.language.isEmpty())
            c.expectSpace();
        b.language.append(c.string());
    }
}

// body-fld-dsp, body-fld-lang, body-fld-loc, *body-extension: each optional,
// each only after the one before it.
void parseExtensionTail(Cursor &c, BodyStructure &b)
{
    if (!c.consumeIf(' '))
        return;
    parseDisposition(c, b);
    if (!c.consumeIf(' '))
        return;
    parseLanguage(c, b);
    if (!c.consumeIf(' '))
        return;
    b.location = c.nstring();
    while (c.consumeIf(' '))
        c.skipValue();
}

void parseMultipart(Cursor &c, BodyStructure &b)
{
    b.type = QByteArrayLiteral("multipart");
    while (c.peek() == '(') {
        b.parts.push_back(parseBody(c));
        skipSpaces(c);
    }
    b.subtype = c.string().toLower();
    if (!c.consumeIf(' '))
        return;
    b.parameters = parseParams(c);
    parseExtensionTail(c, b);
}

void parseSinglePart(Cursor &c, BodyStructure &b)
{
    b.type = c.lenientNString().toLower();
    b.subtype = c.afterSpace().lenientNString().toLower();
    b.parameters = parseParams(c.afterSpace());
    b.id = c.afterSpace().nstring();
    b.description = c.afterSpace().nstring();
    b.encoding = c.afterSpace().lenientNString();
    b.size = c.afterSpace().number();
    const bool isMessage = b.type == "message" && (b.subtype == "rfc822" || b.subtype == "global");
    if (isMessage && c.peek() == ' ') {
        c.expectSpace();
        if (c.peek() == '(') {
            b.envelope = parseEnvelope(c);
            // GNU Mailutils' imap4d writes the body right after the envelope's ")".
            c.consumeIf(' ');
            b.parts.push_back(parseBody(c));
            b.lines = c.afterSpace().number();
        }
    } else if (b.type == "text" && c.peek() == ' ') {
        b.lines = c.afterSpace().number();
    }
    if (!c.consumeIf(' '))
        return;
    b.md5 = c.nstring();
    parseExtensionTail(c, b);
}

std::optional<quint32> parseOrigin(Cursor &c)
{
    if (!c.consumeIf('<'))
        return std::nullopt;
    const quint32 origin = c.number32();
    c.expect('>');
    return origin;
}

} // namespace

ByteList parseFlagList(Cursor &c)
{
    ByteList out;
    c.enterList();
    while (!c.leaveListIf()) {
        if (!out.isEmpty())
            c.expectSpace();
        if (c.peek() == ')')
            continue; // tolerate "(\Seen )"
        out.append(c.flag());
    }
    return out;
}

Envelope parseEnvelope(Cursor &c)
{
    Envelope e;
    c.enterList();
    e.date = c.nstring();
    e.subject = c.afterSpace().nstring();
    for (QList<Address> *list : {&e.from, &e.sender, &e.replyTo, &e.to, &e.cc, &e.bcc})
        *list = parseAddressList(c.afterSpace());
    e.inReplyTo = c.afterSpace().nstring();
    e.messageId = c.afterSpace().nstring();
    c.leaveList();
    return e;
}

BodyStructure parseBody(Cursor &c)
{
    BodyStructure b;
    c.enterList(); // counts towards the nesting limit, which bounds this recursion
    if (c.peek() == '(')
        parseMultipart(c, b);
    else
        parseSinglePart(c, b);
    c.leaveList();
    return b;
}

QDateTime parseInternalDate(QByteArrayView t)
{
    // "17-Jul-1996 02:44:25 -0700"; RFC 3501 allows " 7-Jul-1996 ...".
    static constexpr const char *kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    if (!t.isEmpty() && t[0] == ' ')
        t = t.sliced(1);
    auto digits = [](QByteArrayView v, int *out) {
        int n = 0;
        for (char ch : v) {
            if (ch < '0' || ch > '9')
                return false;
            n = n * 10 + (ch - '0');
        }
        *out = n;
        return !v.isEmpty();
    };
    const qsizetype dash = t.indexOf('-');
    if (dash < 1 || dash > 2 || t.size() != dash + 24)
        return {};
    int day, year, hour, minute, second, zh, zm;
    if (!digits(t.first(dash), &day) || t[dash + 4] != '-' || !digits(t.sliced(dash + 5, 4), &year)
        || t[dash + 9] != ' ' || !digits(t.sliced(dash + 10, 2), &hour) || t[dash + 12] != ':'
        || !digits(t.sliced(dash + 13, 2), &minute) || t[dash + 15] != ':' || !digits(t.sliced(dash + 16, 2), &second)
        || t[dash + 18] != ' ' || (t[dash + 19] != '+' && t[dash + 19] != '-') || !digits(t.sliced(dash + 20, 2), &zh)
        || !digits(t.sliced(dash + 22, 2), &zm))
        return {};
    int month = 0;
    for (int m = 0; m < 12; ++m) {
        if (t.sliced(dash + 1, 3).compare(QByteArrayView(kMonths[m]), Qt::CaseInsensitive) == 0)
            month = m + 1;
    }
    const QDate date(year, month, day);
    const QTime time(hour, minute, second);
    if (month == 0 || !date.isValid() || !time.isValid() || zm > 59)
        return {};
    const int offset = (zh * 3600 + zm * 60) * (t[dash + 19] == '-' ? -1 : 1);
    return QDateTime(date, time, Qt::OffsetFromUTC, offset);
}

FetchData parseFetch(Cursor &c, quint32 sequence)
{
    FetchData f;
    f.sequence = sequence;
    c.expectSpace();
    c.enterList();
    bool first = true;
    while (!c.leaveListIf()) {
        if (!first)
            c.expectSpace();
        first = false;
        QByteArray name = c.fetchItemName().toUpper();
        if (name == "UID") {
            f.uid = c.afterSpace().nzNumber32();
        } else if (name == "FLAGS") {
            f.flags = parseFlagList(c.afterSpace());
        } else if (name == "INTERNALDATE") {
            const QDateTime dt = parseInternalDate(c.afterSpace().string());
            if (!dt.isValid())
                c.fail("malformed INTERNALDATE");
            f.internalDate = dt;
        } else if (name == "RFC822.SIZE") {
            f.size = c.afterSpace().number();
        } else if (name == "MODSEQ") {
            c.expectSpace();
            c.enterList();
            f.modSeq = c.number();
            c.leaveList();
        } else if (name == "ENVELOPE") {
            f.envelope = parseEnvelope(c.afterSpace());
        } else if (name == "BODYSTRUCTURE" || (name == "BODY" && c.peek() == ' ')) {
            f.body = parseBody(c.afterSpace());
        } else if (name == "BODY" || name == "BINARY" || name == "RFC822" || name == "RFC822.HEADER"
                   || name == "RFC822.TEXT") {
            SectionData s;
            s.item = name;
            if (name == "BODY" || name == "BINARY") {
                c.expect('[');
                s.section = c.until(']');
                c.expect(']');
                s.origin = parseOrigin(c);
            }
            s.data = c.afterSpace().nstring();
            f.sections.append(std::move(s));
        } else if (name == "BINARY.SIZE") {
            c.expect('[');
            QByteArray section = c.until(']');
            c.expect(']');
            f.binarySizes.append({std::move(section), c.afterSpace().number()});
        } else {
            // Unknown items (X-GM-LABELS, EMAILID, PREVIEW...) are skipped, so a
            // server extension never costs the connection.
            if (c.peek() == '[') {
                c.until(']');
                c.expect(']');
                parseOrigin(c);
            }
            c.expectSpace();
            c.skipValue();
        }
    }
    c.consumeIf(' ');
    c.expectEnd();
    return f;
}

} // namespace mailcore::imap::detail
