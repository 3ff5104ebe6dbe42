// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/imap/debugdump.h"

namespace mailcore::imap {

namespace {

QByteArray q(const QByteArray &s)
{
    if (s.isNull())
        return QByteArrayLiteral("NIL");
    QByteArray out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        if (uchar(c) < 0x20 || uchar(c) >= 0x7f)
            out += "\\x" + QByteArray::number(uchar(c), 16).rightJustified(2, '0');
        else
            out += c;
    }
    return out + '"';
}

QByteArray list(const ByteList &l) { return '(' + l.join(' ') + ')'; }

QByteArray params(const ParamList &p)
{
    QByteArray out = "(";
    for (const auto &[k, v] : p)
        out += (out.size() > 1 ? " " : "") + q(k) + '=' + q(v);
    return out + ')';
}

QByteArray num(quint64 n) { return QByteArray::number(n); }

QByteArray addresses(const QList<Address> &l)
{
    QByteArray out = "(";
    for (const Address &a : l)
        out += '(' + q(a.name) + ' ' + q(a.adl) + ' ' + q(a.mailbox) + ' ' + q(a.host) + ')';
    return out + ')';
}

QByteArray body(const BodyStructure &b);

// The text of one optional field's value, for field() below.
QByteArray text(quint64 n) { return num(n); }

QByteArray text(const ByteList &l) { return list(l); }

QByteArray text(const QDateTime &t) { return t.toString(Qt::ISODate).toLatin1(); }

QByteArray text(const SequenceSet &s) { return s.toByteArray(); }

QByteArray text(const Envelope &e) { return describe(e); }

QByteArray text(const BodyStructure &b) { return body(b); }

/// " name=value" for an optional field that is present, nothing for one that is not.
template <typename T>
QByteArray field(const char *name, const std::optional<T> &value)
{
    if (!value)
        return {};
    return ' ' + QByteArray(name) + '=' + text(*value);
}

QByteArray statusName(Status s)
{
    switch (s) {
    case Status::Ok: return "OK";
    case Status::No: return "NO";
    case Status::Bad: return "BAD";
    case Status::PreAuth: return "PREAUTH";
    case Status::Bye: return "BYE";
    }
    return "?";
}

QByteArray code(const ResponseCode &c)
{
    using K = ResponseCode::Kind;
    if (c.kind == K::None)
        return {};
    QByteArray out = " [" + c.name;
    switch (c.kind) {
    case K::Capability:
    case K::PermanentFlags:
    case K::BadCharset: out += ' ' + list(c.list); break;
    case K::UidNext:
    case K::UidValidity:
    case K::Unseen:
    case K::HighestModSeq: out += ' ' + num(c.number); break;
    case K::AppendUid: out += ' ' + num(c.number) + ' ' + c.destSet.toByteArray(); break;
    case K::CopyUid:
        out += ' ' + num(c.number) + ' ' + c.sourceSet.toByteArray() + ' ' + c.destSet.toByteArray();
        break;
    case K::Modified: out += ' ' + c.sourceSet.toByteArray(); break;
    default:
        if (!c.arguments.isNull())
            out += " args=" + q(c.arguments);
        if (c.kind == K::Other)
            out += " (unknown)";
        break;
    }
    return out + ']';
}

QByteArray delimiter(const std::optional<char> &d) { return d ? q(QByteArray(1, *d)) : QByteArrayLiteral("NIL"); }

QByteArray body(const BodyStructure &b)
{
    QByteArray out = "(" + b.type + '/' + b.subtype;
    if (!b.parameters.isEmpty())
        out += " params=" + params(b.parameters);
    if (!b.isMultipart()) {
        out += " id=" + q(b.id) + " desc=" + q(b.description) + " enc=" + q(b.encoding) + " size=" + num(b.size);
    }
    out += field("lines", b.lines) + field("envelope", b.envelope);
    for (const BodyStructure &p : b.parts)
        out += ' ' + body(p);
    if (!b.md5.isNull())
        out += " md5=" + q(b.md5);
    if (!b.disposition.isNull())
        out += " disposition=" + b.disposition + params(b.dispositionParameters);
    if (!b.language.isEmpty())
        out += " lang=" + list(b.language);
    if (!b.location.isNull())
        out += " location=" + q(b.location);
    return out + ')';
}

struct Visitor {
    bool includeBodies;

    QByteArray operator()(const StatusResponse &s) const
    {
        return statusName(s.status) + code(s.code) + " text=" + q(QByteArray("") + s.text.toUtf8());
    }
    QByteArray operator()(const ContinuationRequest &c) const { return "+ " + q(c.text); }
    QByteArray operator()(const CapabilityData &c) const { return "CAPABILITY " + list(c.capabilities); }
    QByteArray operator()(const ListData &l) const
    {
        return (l.lsub ? "LSUB " : "LIST ") + list(l.flags) + ' ' + delimiter(l.delimiter) + ' ' + q(l.rawName)
            + " name=" + q(l.name.toUtf8());
    }
    QByteArray operator()(const MailboxStatusData &s) const
    {
        QByteArray out = "STATUS " + q(s.rawName) + " (";
        for (const auto &[k, v] : s.items)
            out += (out.endsWith('(') ? "" : " ") + k + ' ' + num(v);
        return out + ')';
    }
    QByteArray operator()(const NumberData &n) const
    {
        static const char *names[] = {"EXISTS", "RECENT", "EXPUNGE"};
        return num(n.number) + ' ' + names[int(n.kind)];
    }
    QByteArray operator()(const VanishedData &v) const
    {
        return QByteArray("VANISHED ") + (v.earlier ? "(EARLIER) " : "") + v.uids.toByteArray();
    }
    QByteArray operator()(const FetchData &f) const
    {
        QByteArray out = num(f.sequence) + " FETCH" + field("UID", f.uid) + field("FLAGS", f.flags)
            + field("INTERNALDATE", f.internalDate) + field("SIZE", f.size) + field("MODSEQ", f.modSeq)
            + field("ENVELOPE", f.envelope) + field("BODY", f.body);
        for (const SectionData &s : f.sections) {
            out += ' ' + s.item;
            if (s.item == "BODY" || s.item == "BINARY")
                out += '[' + s.section + ']';
            if (s.origin)
                out += '<' + num(*s.origin) + '>';
            out += '=';
            if (s.data.isNull())
                out += "NIL";
            else if (includeBodies)
                out += q(s.data);
            else
                out += '<' + num(quint64(s.data.size())) + " bytes>";
        }
        for (const auto &[section, size] : f.binarySizes)
            out += " BINARY.SIZE[" + section + "]=" + num(size);
        return out;
    }
    QByteArray operator()(const SearchData &s) const
    {
        QByteArray out = "SEARCH";
        for (quint32 n : s.numbers)
            out += ' ' + num(n);
        return out + field("MODSEQ", s.modSeq);
    }
    QByteArray operator()(const SortData &s) const
    {
        QByteArray out = "SORT";
        for (quint32 n : s.numbers)
            out += ' ' + num(n);
        return out;
    }
    QByteArray operator()(const ESearchData &e) const
    {
        return "ESEARCH tag=" + q(e.tag) + (e.uid ? " UID" : "") + field("MIN", e.min) + field("MAX", e.max)
            + field("COUNT", e.count) + field("ALL", e.all) + field("MODSEQ", e.modSeq);
    }
    QByteArray operator()(const EnabledData &e) const { return "ENABLED " + list(e.capabilities); }
    QByteArray operator()(const IdData &i) const { return "ID " + params(i.fields); }
    QByteArray operator()(const NamespaceData &n) const
    {
        auto ns = [](const QList<NamespaceEntry> &l) -> QByteArray { // not auto: a QStringBuilder would dangle
            QByteArray out = "(";
            for (const NamespaceEntry &e : l)
                out += '(' + q(e.prefix) + ' ' + delimiter(e.delimiter) + ')';
            return out + ')';
        };
        return "NAMESPACE " + ns(n.personal) + ' ' + ns(n.otherUsers) + ' ' + ns(n.shared);
    }
    QByteArray operator()(const FlagsData &f) const { return "FLAGS " + list(f.flags); }
    QByteArray operator()(const GenericData &g) const
    {
        return "GENERIC " + (g.number ? num(*g.number) + ' ' : QByteArray()) + g.name + ' ' + q(g.text);
    }
};

} // namespace

QByteArray describe(const Envelope &e)
{
    return '(' + q(e.date) + ' ' + q(e.subject) + ' ' + addresses(e.from) + ' ' + addresses(e.sender) + ' '
        + addresses(e.replyTo) + ' ' + addresses(e.to) + ' ' + addresses(e.cc) + ' ' + addresses(e.bcc) + ' '
        + q(e.inReplyTo) + ' ' + q(e.messageId) + ')';
}

QByteArray describe(const BodyStructure &b) { return body(b); }

QByteArray describe(const Response &r, bool includeBodies)
{
    QByteArray prefix;
    switch (r.kind) {
    case Response::Kind::Tagged: prefix = r.tag + ' '; break;
    case Response::Kind::Untagged: prefix = "* "; break;
    case Response::Kind::Continuation: break;
    }
    return prefix + std::visit(Visitor{includeBodies}, r.data);
}

} // namespace mailcore::imap
