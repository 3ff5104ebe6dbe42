// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/imap/serializer.h"

#include <iterator>
#include <utility>

#include "mailcore/imap/commandwriter.h"

namespace mailcore::imap {

using detail::CommandWriter;
using detail::containsControlCharacter;
using Sensitivity = CommandWriter::Sensitivity;

namespace {

constexpr const char *kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void writeSet(CommandWriter &w, const SequenceSet &set, const char *what)
{
    if (set.isEmpty()) {
        w.fail(QStringLiteral("%1 is empty").arg(QLatin1String(what)));
        return;
    }
    w.raw(set.toByteArray());
}

// Section text goes inside [...] verbatim, so only characters that cannot end
// the brackets, the command or the line are accepted.
bool isSafeSection(QByteArrayView s)
{
    int depth = 0;
    for (char c : s) {
        const uchar u = uchar(c);
        if (u < 0x20 || u >= 0x7f || c == '[' || c == ']' || c == '"' || c == '\\' || c == '{' || c == '}')
            return false;
        if (c == '(')
            ++depth;
        if (c == ')' && --depth < 0)
            return false;
    }
    return depth == 0;
}

// The SEARCH keyword of each SearchKey::Kind, in the order the enum lists them.
constexpr const char *kSearchKeywords[] = {
    "ALL",       "TEXT",     "BODY",       "SUBJECT",   "FROM",       "TO",     "CC",      "BCC",     "HEADER",
    "SINCE",     "BEFORE",   "ON",         "SENTSINCE", "SENTBEFORE", "SENTON", "SEEN",    "UNSEEN",  "FLAGGED",
    "UNFLAGGED", "ANSWERED", "UNANSWERED", "DELETED",   "UNDELETED",  "DRAFT",  "UNDRAFT", "KEYWORD", "UNKEYWORD",
    "LARGER",    "SMALLER",  "UID",        "MODSEQ",    "AND",        "OR",     "NOT"};
static_assert(std::size(kSearchKeywords) == size_t(SearchKey::Kind::Not) + 1);

void writeSearchKey(CommandWriter &w, const SearchKey &key)
{
    using K = SearchKey::Kind;
    const char *keyword = kSearchKeywords[int(key.kind())];
    switch (key.kind()) {
    case K::All:
    case K::Seen:
    case K::Unseen:
    case K::Flagged:
    case K::Unflagged:
    case K::Answered:
    case K::Unanswered:
    case K::Deleted:
    case K::Undeleted:
    case K::Draft:
    case K::Undraft: w.raw(keyword); break;
    case K::Text:
    case K::Body:
    case K::Subject:
    case K::From:
    case K::To:
    case K::Cc:
    case K::Bcc:
        w.raw(keyword);
        w.space();
        w.string(key.textValue(), "search text");
        break;
    case K::Header:
        w.raw("HEADER ");
        w.astring(key.name(), "header field name");
        w.space();
        w.string(key.textValue(), "search text");
        break;
    case K::Since:
    case K::Before:
    case K::On:
    case K::SentSince:
    case K::SentBefore:
    case K::SentOn:
        if (!key.date().isValid()) {
            w.fail(QStringLiteral("invalid search date"));
            break;
        }
        w.raw(keyword);
        w.space();
        w.raw(CommandBuilder::formatDate(key.date()));
        break;
    case K::Keyword:
    case K::Unkeyword:
        w.raw(keyword);
        w.space();
        w.atom(key.name(), "keyword"); // a keyword is an atom: no backslash
        break;
    case K::Larger:
    case K::Smaller:
    case K::ModSeq: w.raw(QByteArray(keyword) + ' ' + QByteArray::number(key.number())); break;
    case K::Uid:
        w.raw("UID ");
        writeSet(w, key.set(), "UID set");
        break;
    case K::And:
        if (key.children().empty()) {
            w.raw("ALL");
            break;
        }
        w.raw("(");
        for (size_t i = 0; i < key.children().size(); ++i) {
            if (i > 0)
                w.space();
            writeSearchKey(w, key.children()[i]);
        }
        w.raw(")");
        break;
    case K::Or:
        w.raw("OR ");
        writeSearchKey(w, key.children().at(0));
        w.space();
        writeSearchKey(w, key.children().at(1));
        break;
    case K::Not:
        w.raw("NOT ");
        writeSearchKey(w, key.children().at(0));
        break;
    }
}

} // namespace

QByteArray CommandBuilder::formatDate(QDate d)
{
    return QByteArray::number(d.day()) + '-' + kMonths[d.month() - 1] + '-'
        + QByteArray::number(d.year()).rightJustified(4, '0');
}

QByteArray CommandBuilder::formatDateTime(const QDateTime &dt)
{
    const QDate d = dt.date();
    const QTime t = dt.time();
    const int offset = dt.offsetFromUtc();
    const int abs = offset < 0 ? -offset : offset;
    auto two = [](int v) { return QByteArray::number(v).rightJustified(2, '0'); };
    return two(d.day()) + '-' + kMonths[d.month() - 1] + '-' + QByteArray::number(d.year()).rightJustified(4, '0') + ' '
        + two(t.hour()) + ':' + two(t.minute()) + ':' + two(t.second()) + ' ' + (offset < 0 ? '-' : '+')
        + two(abs / 3600) + two((abs % 3600) / 60);
}

Command CommandBuilder::simple(const QByteArray &tag, QByteArrayView name) const
{
    CommandWriter w(tag, name, m_options);
    return w.finish();
}

Command CommandBuilder::capability(const QByteArray &tag) const { return simple(tag, "CAPABILITY"); }
Command CommandBuilder::startTls(const QByteArray &tag) const { return simple(tag, "STARTTLS"); }
Command CommandBuilder::noop(const QByteArray &tag) const { return simple(tag, "NOOP"); }
Command CommandBuilder::logout(const QByteArray &tag) const { return simple(tag, "LOGOUT"); }
Command CommandBuilder::namespaces(const QByteArray &tag) const { return simple(tag, "NAMESPACE"); }
Command CommandBuilder::expunge(const QByteArray &tag) const { return simple(tag, "EXPUNGE"); }
Command CommandBuilder::close(const QByteArray &tag) const { return simple(tag, "CLOSE"); }
Command CommandBuilder::unselect(const QByteArray &tag) const { return simple(tag, "UNSELECT"); }
Command CommandBuilder::idle(const QByteArray &tag) const { return simple(tag, "IDLE"); }

Command CommandBuilder::done()
{
    CommandWriter w(QByteArray(), "DONE", SerializerOptions{});
    return w.finish();
}

Command CommandBuilder::login(const QByteArray &tag, const QString &user, const QString &password) const
{
    CommandWriter w(tag, "LOGIN", m_options);
    if (containsControlCharacter(user))
        w.fail(QStringLiteral("user name contains a control character (CR, LF, NUL...)"));
    w.space();
    w.astring(user.toUtf8(), "user name");
    w.space();
    w.string(password, "password", Sensitivity::Secret);
    return w.finish();
}

Command CommandBuilder::authenticatePlain(const QByteArray &tag, const QString &user, const QString &password) const
{
    const QByteArray u = user.toUtf8();
    const QByteArray p = password.toUtf8();
    CommandWriter w(tag, "AUTHENTICATE PLAIN", m_options);
    // NUL separates the SASL PLAIN fields (RFC 4616): one inside a value would
    // shift them, so refuse it.
    if (u.contains('\0') || p.contains('\0'))
        w.fail(QStringLiteral("user name or password contains a NUL byte"));
    if (containsControlCharacter(user))
        w.fail(QStringLiteral("user name contains a control character (CR, LF, NUL...)"));
    const QByteArray response = QByteArray(QByteArray(1, '\0') + u + '\0' + p).toBase64();
    if (m_options.saslIr) {
        w.space();
        w.rawSecret(response);
        return w.finish();
    }
    Command c = w.finish();
    if (!c.isValid())
        return c;
    c.pieces.append(CommandPiece{response + "\r\n", true});
    c.logLine += " [continuation: ***]";
    return c;
}

Command CommandBuilder::enable(const QByteArray &tag, const QList<QByteArray> &capabilities) const
{
    CommandWriter w(tag, "ENABLE", m_options);
    if (capabilities.isEmpty())
        w.fail(QStringLiteral("ENABLE needs at least one capability"));
    for (const QByteArray &c : capabilities) {
        w.space();
        w.atom(c, "capability");
    }
    return w.finish();
}

Command CommandBuilder::id(const QByteArray &tag, const QList<QPair<QString, QString>> &fields) const
{
    CommandWriter w(tag, "ID ", m_options);
    if (fields.isEmpty()) {
        w.raw("NIL");
        return w.finish();
    }
    w.raw("(");
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i > 0)
            w.space();
        w.string(fields[i].first, "ID field name");
        w.space();
        w.nstring(fields[i].second, "ID field value");
    }
    w.raw(")");
    return w.finish();
}

Command CommandBuilder::list(const QByteArray &tag, const QString &reference, const QString &pattern,
                             const ListReturnOptions &ret) const
{
    CommandWriter w(tag, "LIST ", m_options);
    w.mailboxes(reference, pattern);
    QList<QByteArray> options;
    if (ret.subscribed)
        options.append("SUBSCRIBED");
    if (ret.specialUse)
        options.append("SPECIAL-USE");
    if (!options.isEmpty() || !ret.statusItems.isEmpty()) {
        w.raw(" RETURN (" + options.join(' '));
        if (!ret.statusItems.isEmpty()) {
            w.raw(options.isEmpty() ? "STATUS (" : " STATUS (");
            w.atoms(ret.statusItems, "status item");
            w.raw(")");
        }
        w.raw(")");
    }
    return w.finish();
}

Command CommandBuilder::lsub(const QByteArray &tag, const QString &reference, const QString &pattern) const
{
    CommandWriter w(tag, "LSUB ", m_options);
    w.mailboxes(reference, pattern);
    return w.finish();
}

Command CommandBuilder::mailboxCommand(const QByteArray &tag, QByteArrayView name, const QString &mailbox) const
{
    CommandWriter w(tag, name, m_options);
    w.space();
    w.mailbox(mailbox);
    return w.finish();
}

Command CommandBuilder::create(const QByteArray &tag, const QString &m) const
{
    return mailboxCommand(tag, "CREATE", m);
}
Command CommandBuilder::deleteMailbox(const QByteArray &tag, const QString &m) const
{
    return mailboxCommand(tag, "DELETE", m);
}
Command CommandBuilder::subscribe(const QByteArray &tag, const QString &m) const
{
    return mailboxCommand(tag, "SUBSCRIBE", m);
}
Command CommandBuilder::unsubscribe(const QByteArray &tag, const QString &m) const
{
    return mailboxCommand(tag, "UNSUBSCRIBE", m);
}

Command CommandBuilder::rename(const QByteArray &tag, const QString &from, const QString &to) const
{
    CommandWriter w(tag, "RENAME ", m_options);
    w.mailboxes(from, to);
    return w.finish();
}

Command CommandBuilder::status(const QByteArray &tag, const QString &mailbox, const QList<QByteArray> &items) const
{
    CommandWriter w(tag, "STATUS ", m_options);
    w.mailbox(mailbox);
    w.raw(" (");
    if (items.isEmpty())
        w.fail(QStringLiteral("STATUS needs at least one item"));
    w.atoms(items, "status item");
    w.raw(")");
    return w.finish();
}

Command CommandBuilder::select(const QByteArray &tag, const QString &mailbox, const SelectOptions &o) const
{
    CommandWriter w(tag, o.readOnly ? "EXAMINE" : "SELECT", m_options);
    w.space();
    w.mailbox(mailbox);
    if (o.qresync) {
        // QRESYNC implies CONDSTORE (RFC 7162 3.2.5); the known-UIDs set is optional.
        if (o.qresync->uidValidity == 0 || o.qresync->modSeq == 0)
            w.fail(QStringLiteral("QRESYNC needs a UIDVALIDITY and a MODSEQ"));
        w.raw(" (QRESYNC (" + QByteArray::number(o.qresync->uidValidity) + ' ' + QByteArray::number(o.qresync->modSeq));
        if (!o.qresync->knownUids.isEmpty())
            w.raw(' ' + o.qresync->knownUids.toByteArray());
        w.raw("))");
    } else if (o.condStore) {
        w.raw(" (CONDSTORE)");
    }
    return w.finish();
}

Command CommandBuilder::uidFetch(const QByteArray &tag, const SequenceSet &uids, const FetchItems &items,
                                 std::optional<quint64> changedSince, bool vanished) const
{
    CommandWriter w(tag, "UID FETCH ", m_options);
    writeSet(w, uids, "UID set");
    // Each simple item, in the order the command names them.
    static constexpr std::pair<bool FetchItems::*, const char *> kItems[] = {
        {&FetchItems::uid, "UID"},
        {&FetchItems::flags, "FLAGS"},
        {&FetchItems::internalDate, "INTERNALDATE"},
        {&FetchItems::size, "RFC822.SIZE"},
        {&FetchItems::envelope, "ENVELOPE"},
        {&FetchItems::bodyStructure, "BODYSTRUCTURE"},
        {&FetchItems::modSeq, "MODSEQ"},
    };
    QList<QByteArray> parts;
    for (const auto &[asked, name] : kItems) {
        if (items.*asked)
            parts.append(name);
    }
    for (const FetchSection &s : items.sections) {
        if (!isSafeSection(s.section)) {
            w.fail(QStringLiteral("section specifier contains forbidden characters"));
            continue;
        }
        QByteArray item = QByteArray(s.binary ? "BINARY" : "BODY") + (s.peek ? ".PEEK[" : "[") + s.section + ']';
        if (s.offset)
            item += '<' + QByteArray::number(*s.offset) + '.' + QByteArray::number(s.length) + '>';
        parts.append(item);
    }
    if (parts.isEmpty())
        w.fail(QStringLiteral("nothing to fetch"));
    w.raw(" (" + parts.join(' ') + ')');
    if (changedSince) {
        w.raw(" (CHANGEDSINCE " + QByteArray::number(*changedSince));
        if (vanished)
            w.raw(" VANISHED");
        w.raw(")");
    }
    return w.finish();
}

Command CommandBuilder::uidSearch(const QByteArray &tag, const SearchKey &key,
                                  const QList<QByteArray> &returnOptions) const
{
    CommandWriter w(tag, "UID SEARCH", m_options);
    if (!returnOptions.isEmpty()) {
        w.raw(" RETURN (");
        w.atoms(returnOptions, "search return option");
        w.raw(")");
    }
    // Under UTF8=ACCEPT the server takes UTF-8 without being told (RFC 6855 3).
    if (key.needsUtf8() && !m_options.utf8Accept)
        w.raw(" CHARSET UTF-8");
    w.space();
    writeSearchKey(w, key);
    return w.finish();
}

Command CommandBuilder::uidSort(const QByteArray &tag, const QList<QByteArray> &criteria, const SearchKey &key) const
{
    CommandWriter w(tag, "UID SORT", m_options);
    if (criteria.isEmpty())
        w.fail(QStringLiteral("SORT needs at least one sort criterion"));
    w.raw(" (");
    w.atoms(criteria, "sort criterion");
    // The charset is not optional in SORT (unlike SEARCH), and UTF-8 is the
    // one every SORT server must take (RFC 5256 3), UTF8=ACCEPT or not.
    w.raw(") UTF-8 ");
    writeSearchKey(w, key);
    return w.finish();
}

Command CommandBuilder::uidStore(const QByteArray &tag, const SequenceSet &uids, StoreMode mode,
                                 const QList<QByteArray> &flags, bool silent,
                                 std::optional<quint64> unchangedSince) const
{
    CommandWriter w(tag, "UID STORE ", m_options);
    writeSet(w, uids, "UID set");
    if (unchangedSince)
        w.raw(" (UNCHANGEDSINCE " + QByteArray::number(*unchangedSince) + ')');
    w.raw(mode == StoreMode::Add ? " +FLAGS" : mode == StoreMode::Remove ? " -FLAGS" : " FLAGS");
    if (silent)
        w.raw(".SILENT");
    w.space();
    w.flagList(flags);
    return w.finish();
}

Command CommandBuilder::uidSetMailbox(const QByteArray &tag, QByteArrayView name, const SequenceSet &uids,
                                      const QString &mailbox) const
{
    CommandWriter w(tag, name, m_options);
    w.space();
    writeSet(w, uids, "UID set");
    w.space();
    w.mailbox(mailbox);
    return w.finish();
}

Command CommandBuilder::uidCopy(const QByteArray &tag, const SequenceSet &uids, const QString &m) const
{
    return uidSetMailbox(tag, "UID COPY", uids, m);
}

Command CommandBuilder::uidMove(const QByteArray &tag, const SequenceSet &uids, const QString &m) const
{
    return uidSetMailbox(tag, "UID MOVE", uids, m);
}

Command CommandBuilder::uidExpunge(const QByteArray &tag, const SequenceSet &uids) const
{
    CommandWriter w(tag, "UID EXPUNGE ", m_options);
    writeSet(w, uids, "UID set");
    return w.finish();
}

Command CommandBuilder::append(const QByteArray &tag, const QString &mailbox, const QByteArray &message,
                               const QList<QByteArray> &flags, const QDateTime &internalDate) const
{
    CommandWriter w(tag, "APPEND", m_options);
    w.space();
    w.mailbox(mailbox);
    if (!flags.isEmpty()) {
        w.space();
        w.flagList(flags);
    }
    if (internalDate.isValid())
        w.raw(" \"" + formatDateTime(internalDate) + '"');
    w.space();
    w.literal(message, Sensitivity::MessageBody);
    return w.finish();
}

} // namespace mailcore::imap
