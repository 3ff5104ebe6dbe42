// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/imap/parser.h"

#include "mailcore/imap/parserdetail.h"
#include "mailcore/imap/utf7.h"

namespace mailcore::imap {

using detail::Cursor;
using detail::ParseFailure;

namespace {

using Kind = ResponseCode::Kind;

struct CodeName {
    const char *name;
    Kind kind;
};

// Codes whose argument, if any, we keep as raw text.
constexpr CodeName kSimpleCodes[] = {
    {"ALERT", Kind::Alert},
    {"PARSE", Kind::Parse},
    {"READ-ONLY", Kind::ReadOnly},
    {"READ-WRITE", Kind::ReadWrite},
    {"TRYCREATE", Kind::TryCreate},
    {"NOMODSEQ", Kind::NoModSeq},
    {"CLOSED", Kind::Closed},
    {"UIDNOTSTICKY", Kind::UidNotSticky},
    {"UNAVAILABLE", Kind::Unavailable},
    {"AUTHENTICATIONFAILED", Kind::AuthenticationFailed},
    {"AUTHORIZATIONFAILED", Kind::AuthorizationFailed},
    {"EXPIRED", Kind::Expired},
    {"PRIVACYREQUIRED", Kind::PrivacyRequired},
    {"CONTACTADMIN", Kind::ContactAdmin},
    {"NOPERM", Kind::NoPerm},
    {"INUSE", Kind::InUse},
    {"EXPUNGEISSUED", Kind::ExpungeIssued},
    {"CORRUPTION", Kind::Corruption},
    {"SERVERBUG", Kind::ServerBug},
    {"CLIENTBUG", Kind::ClientBug},
    {"CANNOT", Kind::CannotDo},
    {"LIMIT", Kind::Limit},
    {"OVERQUOTA", Kind::OverQuota},
    {"ALREADYEXISTS", Kind::AlreadyExists},
    {"NONEXISTENT", Kind::NonExistent},
};

ByteList parseAtomsToLineEndOr(Cursor &c, char stop)
{
    ByteList out;
    while (c.consumeIf(' ')) {
        if (c.peek() == stop || c.atLineEnd())
            break; // tolerate a trailing space
        out.append(c.atom().toUpper());
    }
    return out;
}

/// " atom atom ..." up to the end of the response: CAPABILITY, ENABLED.
ByteList parseAtomsToEnd(Cursor &c)
{
    ByteList atoms = parseAtomsToLineEndOr(c, '\n');
    c.expectEnd();
    return atoms;
}

/// Untagged data nothing here models: its name and the rest of its line.
GenericData parseGeneric(Cursor &c, std::optional<quint32> number)
{
    GenericData g;
    g.number = number;
    g.name = c.atom().toUpper();
    c.consumeIf(' ');
    g.text = c.restOfLine();
    return g;
}

ResponseCode parseCode(Cursor &c)
{
    ResponseCode code;
    c.expect('[');
    code.name = c.atom().toUpper();
    const QByteArray &n = code.name;
    if (n == "CAPABILITY") {
        code.kind = Kind::Capability;
        code.list = parseAtomsToLineEndOr(c, ']');
    } else if (n == "PERMANENTFLAGS") {
        code.kind = Kind::PermanentFlags;
        code.list = detail::parseFlagList(c.afterSpace());
    } else if (n == "BADCHARSET") {
        code.kind = Kind::BadCharset;
        if (c.consumeIf(' ')) {
            c.enterList();
            do {
                code.list.append(c.astring());
            } while (c.consumeIf(' '));
            c.leaveList();
        }
    } else if (n == "UIDNEXT" || n == "UIDVALIDITY" || n == "UNSEEN" || n == "HIGHESTMODSEQ") {
        code.kind = n == "UIDNEXT" ? Kind::UidNext
            : n == "UIDVALIDITY"   ? Kind::UidValidity
            : n == "UNSEEN"        ? Kind::Unseen
                                   : Kind::HighestModSeq;
        code.number = c.afterSpace().number();
    } else if (n == "APPENDUID") {
        code.kind = Kind::AppendUid;
        code.number = c.afterSpace().nzNumber32();
        code.destSet = c.afterSpace().sequenceSet();
    } else if (n == "COPYUID") {
        code.kind = Kind::CopyUid;
        code.number = c.afterSpace().nzNumber32();
        code.sourceSet = c.afterSpace().sequenceSet();
        code.destSet = c.afterSpace().sequenceSet();
    } else if (n == "MODIFIED") {
        code.kind = Kind::Modified;
        code.sourceSet = c.afterSpace().sequenceSet();
    } else {
        code.kind = Kind::Other;
        for (const CodeName &known : kSimpleCodes) {
            if (n == known.name)
                code.kind = known.kind;
        }
        if (c.consumeIf(' '))
            code.arguments = c.until(']');
    }
    c.expect(']');
    return code;
}

StatusResponse parseStatusText(Cursor &c, Status status)
{
    StatusResponse s;
    s.status = status;
    // resp-text requires a space and text; servers send "A1 OK\r\n" too.
    if (c.consumeIf(' ')) {
        if (c.peek() == '[') {
            s.code = parseCode(c);
            c.consumeIf(' ');
        }
        s.text = QString::fromUtf8(c.restOfLine());
    }
    c.expectEnd();
    return s;
}

bool statusKeyword(Cursor &c, Status *status)
{
    if (c.consumeKeyword("OK"))
        *status = Status::Ok;
    else if (c.consumeKeyword("NO"))
        *status = Status::No;
    else if (c.consumeKeyword("BAD"))
        *status = Status::Bad;
    else if (c.consumeKeyword("PREAUTH"))
        *status = Status::PreAuth;
    else if (c.consumeKeyword("BYE"))
        *status = Status::Bye;
    else
        return false;
    return true;
}

std::optional<char> parseDelimiter(Cursor &c)
{
    if (c.consumeNil())
        return std::nullopt;
    const QByteArray d = c.string();
    if (d.size() != 1)
        c.fail("a hierarchy delimiter must be one character");
    return d[0];
}

ListData parseList(Cursor &c, bool lsub)
{
    ListData l;
    l.lsub = lsub;
    l.flags = detail::parseFlagList(c.afterSpace());
    l.delimiter = parseDelimiter(c.afterSpace());
    l.rawName = c.afterSpace().astring();
    l.name = decodeMailboxNameLenient(l.rawName);
    if (l.name.compare(QLatin1String("INBOX"), Qt::CaseInsensitive) == 0)
        l.name = QStringLiteral("INBOX");
    if (c.consumeIf(' '))
        c.skipValue(); // RFC 5258 extended data ("CHILDINFO" ...), not used yet
    c.expectEnd();
    return l;
}

MailboxStatusData parseStatusData(Cursor &c)
{
    MailboxStatusData s;
    s.rawName = c.afterSpace().astring();
    s.name = decodeMailboxNameLenient(s.rawName);
    c.expectSpace();
    c.enterList();
    while (!c.leaveListIf()) {
        if (!s.items.isEmpty())
            c.expectSpace();
        QByteArray name = c.atom().toUpper();
        s.items.append({std::move(name), c.afterSpace().number()});
    }
    c.consumeIf(' ');
    c.expectEnd();
    return s;
}

SearchData parseSearch(Cursor &c)
{
    SearchData s;
    while (c.consumeIf(' ')) {
        if (c.atLineEnd())
            break;
        if (c.peek() == '(') { // RFC 7162: (MODSEQ n)
            c.enterList();
            if (!c.consumeKeyword("MODSEQ"))
                c.fail("expected MODSEQ");
            s.modSeq = c.afterSpace().number();
            c.leaveList();
            continue;
        }
        s.numbers.append(c.nzNumber32());
    }
    c.expectEnd();
    return s;
}

/// "* SORT 5 3 4": SEARCH's grammar (a CONDSTORE server may add "(MODSEQ n)"
/// to it too, RFC 7162 3.1.5, which nothing here needs), kept in order.
SortData parseSort(Cursor &c) { return SortData{parseSearch(c).numbers}; }

ESearchData parseESearch(Cursor &c)
{
    ESearchData e;
    if (c.consumeIf(' ')) {
        if (c.peek() == '(') {
            c.enterList();
            if (!c.consumeKeyword("TAG"))
                c.fail("expected TAG");
            e.tag = c.afterSpace().string();
            c.leaveList();
            c.consumeIf(' ');
        }
        if (c.consumeKeyword("UID")) {
            e.uid = true;
            c.consumeIf(' ');
        }
        while (!c.atLineEnd()) {
            const QByteArray name = c.atom().toUpper();
            c.expectSpace();
            if (name == "MIN")
                e.min = c.nzNumber32();
            else if (name == "MAX")
                e.max = c.nzNumber32();
            else if (name == "COUNT")
                e.count = c.number();
            else if (name == "ALL")
                e.all = c.sequenceSet();
            else if (name == "MODSEQ")
                e.modSeq = c.number();
            else
                c.skipValue();
            if (!c.consumeIf(' '))
                break;
        }
    }
    c.expectEnd();
    return e;
}

IdData parseId(Cursor &c)
{
    IdData id;
    if (c.afterSpace().enterListOrNil()) {
        while (!c.leaveListIf()) {
            if (!id.fields.isEmpty())
                c.expectSpace();
            QByteArray key = c.string();
            id.fields.append({std::move(key), c.afterSpace().nstring()});
        }
    }
    c.expectEnd();
    return id;
}

QList<NamespaceEntry> parseNamespaceList(Cursor &c)
{
    QList<NamespaceEntry> out;
    if (!c.enterListOrNil())
        return out;
    while (!c.leaveListIf()) {
        c.enterList();
        NamespaceEntry e;
        e.prefix = c.string();
        e.delimiter = parseDelimiter(c.afterSpace());
        while (c.consumeIf(' ')) // namespace-response-extensions
            c.skipValue();
        c.leaveList();
        out.append(std::move(e));
        c.consumeIf(' ');
    }
    return out;
}

NamespaceData parseNamespace(Cursor &c)
{
    NamespaceData n;
    n.personal = parseNamespaceList(c.afterSpace());
    n.otherUsers = parseNamespaceList(c.afterSpace());
    n.shared = parseNamespaceList(c.afterSpace());
    c.expectEnd();
    return n;
}

VanishedData parseVanished(Cursor &c)
{
    VanishedData v;
    c.expectSpace();
    if (c.peek() == '(') {
        c.enterList();
        if (!c.consumeKeyword("EARLIER"))
            c.fail("expected EARLIER");
        c.leaveList();
        c.expectSpace();
        v.earlier = true;
    }
    v.uids = c.sequenceSet();
    c.expectEnd();
    return v;
}

ResponseData parseUntagged(Cursor &c)
{
    Status status;
    if (statusKeyword(c, &status))
        return parseStatusText(c, status);

    if (c.peek() >= '0' && c.peek() <= '9') {
        const quint32 number = c.number32();
        c.expectSpace();
        if (c.consumeKeyword("FETCH")) {
            if (number == 0)
                c.fail("FETCH for message 0");
            return detail::parseFetch(c, number);
        }
        for (auto [name, kind] :
             {std::pair{"EXISTS", NumberData::Kind::Exists}, std::pair{"RECENT", NumberData::Kind::Recent},
              std::pair{"EXPUNGE", NumberData::Kind::Expunge}}) {
            if (c.consumeKeyword(name)) {
                c.expectEnd();
                return NumberData{kind, number};
            }
        }
        return parseGeneric(c, number);
    }

    if (c.consumeKeyword("CAPABILITY"))
        return CapabilityData{parseAtomsToEnd(c)};
    if (c.consumeKeyword("LIST"))
        return parseList(c, false);
    if (c.consumeKeyword("LSUB"))
        return parseList(c, true);
    if (c.consumeKeyword("STATUS"))
        return parseStatusData(c);
    if (c.consumeKeyword("SEARCH"))
        return parseSearch(c);
    if (c.consumeKeyword("ESEARCH"))
        return parseESearch(c);
    if (c.consumeKeyword("SORT"))
        return parseSort(c);
    if (c.consumeKeyword("ENABLED"))
        return EnabledData{parseAtomsToEnd(c)};
    if (c.consumeKeyword("ID"))
        return parseId(c);
    if (c.consumeKeyword("NAMESPACE"))
        return parseNamespace(c);
    if (c.consumeKeyword("VANISHED"))
        return parseVanished(c);
    if (c.consumeKeyword("FLAGS")) {
        FlagsData f{detail::parseFlagList(c.afterSpace())};
        c.consumeIf(' ');
        c.expectEnd();
        return f;
    }
    return parseGeneric(c, std::nullopt);
}

Response parse(Cursor &c)
{
    Response r;
    if (c.consumeIf('+')) {
        r.kind = Response::Kind::Continuation;
        c.consumeIf(' ');
        ContinuationRequest cont{c.restOfLine()};
        c.expectEnd();
        r.data = std::move(cont);
        return r;
    }
    if (c.consumeIf('*')) {
        c.expectSpace();
        r.kind = Response::Kind::Untagged;
        r.data = parseUntagged(c);
        return r;
    }
    // tag = 1*<any ASTRING-CHAR except "+">
    r.kind = Response::Kind::Tagged;
    r.tag = c.atom(true);
    if (r.tag.contains('+'))
        c.fail("invalid tag");
    c.expectSpace();
    Status status;
    if (!statusKeyword(c, &status) || status == Status::PreAuth || status == Status::Bye)
        c.fail("a tagged response must be OK, NO or BAD");
    r.data = parseStatusText(c, status);
    return r;
}

} // namespace

ParsedResponse parseResponse(const Frame &frame, const ParserLimits &limits)
{
    ParsedResponse out;
    Cursor c(frame, limits);
    try {
        out.response = parse(c);
        out.ok = true;
    } catch (const ParseFailure &f) {
        out.error = ProtocolError{f.description, c.streamPosition(f.textPosition)};
    }
    return out;
}

ParsedResponse parseResponseBytes(QByteArrayView bytes, const ParserLimits &limits)
{
    ResponseFramer framer(limits);
    auto r = framer.feed(bytes);
    if (r.status == ParseStatus::Error)
        return ParsedResponse{false, {}, r.error};
    if (r.status == ParseStatus::NeedMore || r.consumed != bytes.size()) {
        return ParsedResponse{
            false, {}, ProtocolError{QStringLiteral("not exactly one complete response"), qint64(r.consumed)}};
    }
    return parseResponse(r.frame, limits);
}

ResponseParser::ResponseParser(ParserLimits limits)
    : m_framer(limits)
{
}

ResponseParser::Result ResponseParser::feed(QByteArrayView input)
{
    auto framed = m_framer.feed(input);
    Result r;
    r.status = framed.status;
    r.consumed = framed.consumed;
    if (framed.status == ParseStatus::Error) {
        r.error = framed.error;
    } else if (framed.status == ParseStatus::Complete) {
        auto parsed = parseResponse(framed.frame, m_framer.limits());
        if (parsed.ok) {
            r.response = std::move(parsed.response);
        } else {
            r.status = ParseStatus::Error;
            r.error = parsed.error;
        }
    }
    return r;
}

} // namespace mailcore::imap
