// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/store/rows.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QVariant>

#include <array>
#include <utility>

namespace mailcore::store::rows {

namespace {

constexpr std::array<std::pair<FolderRole, const char *>, 9> kRoles{{
    {FolderRole::None, ""},
    {FolderRole::Inbox, "inbox"},
    {FolderRole::Sent, "sent"},
    {FolderRole::Drafts, "drafts"},
    {FolderRole::Trash, "trash"},
    {FolderRole::Junk, "junk"},
    {FolderRole::Archive, "archive"},
    {FolderRole::All, "all"},
    {FolderRole::Flagged, "flagged"},
}};

namespace json {

/// `text` as a JSON string: quotes, backslashes and control characters
/// escaped as QJsonDocument escapes them; everything else as it is.
void appendString(QString &out, QStringView text)
{
    out += QLatin1Char('"');
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        switch (u) {
        case u'"': out += QLatin1String("\\\""); break;
        case u'\\': out += QLatin1String("\\\\"); break;
        case u'\b': out += QLatin1String("\\b"); break;
        case u'\f': out += QLatin1String("\\f"); break;
        case u'\n': out += QLatin1String("\\n"); break;
        case u'\r': out += QLatin1String("\\r"); break;
        case u'\t': out += QLatin1String("\\t"); break;
        default:
            if (u < 0x20)
                out += QStringLiteral("\\u%1").arg(int(u), 4, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    out += QLatin1Char('"');
}

/// [[name, address, group], ...]
void appendAddresses(QString &out, const QList<mime::MailAddress> &addresses)
{
    out += QLatin1Char('[');
    for (qsizetype i = 0; i < addresses.size(); ++i) {
        const mime::MailAddress &a = addresses.at(i);
        out += i ? QLatin1String(",[") : QLatin1String("[");
        appendString(out, a.name);
        out += QLatin1Char(',');
        appendString(out, a.address);
        out += QLatin1Char(',');
        appendString(out, a.group);
        out += QLatin1Char(']');
    }
    out += QLatin1Char(']');
}

} // namespace json

QList<mime::MailAddress> addressesOf(const QJsonValue &value)
{
    QList<mime::MailAddress> addresses;
    for (const QJsonValue &entry : value.toArray()) {
        const QJsonArray fields = entry.toArray();
        addresses << mime::MailAddress{fields.at(0).toString(), fields.at(1).toString(), fields.at(2).toString()};
    }
    return addresses;
}

} // namespace

QString roleName(FolderRole role)
{
    for (const auto &[r, name] : kRoles) {
        if (r == role)
            return QString::fromLatin1(name);
    }
    return {};
}

FolderRole roleFromName(const QString &name)
{
    for (const auto &[role, n] : kRoles) {
        if (name == QLatin1String(n))
            return role;
    }
    return FolderRole::None;
}

namespace {
constexpr std::array<std::pair<OfflineAction::Kind, const char *>, 6> kActions{{
    {OfflineAction::Kind::AddFlags, "add-flags"},
    {OfflineAction::Kind::RemoveFlags, "remove-flags"},
    {OfflineAction::Kind::Move, "move"},
    {OfflineAction::Kind::Copy, "copy"},
    {OfflineAction::Kind::Delete, "delete"},
    {OfflineAction::Kind::Append, "append"},
}};
} // namespace

QString actionName(OfflineAction::Kind kind)
{
    for (const auto &[k, name] : kActions) {
        if (k == kind)
            return QString::fromLatin1(name);
    }
    return {};
}

OfflineAction::Kind actionFromName(const QString &name)
{
    for (const auto &[kind, n] : kActions) {
        if (name == QLatin1String(n))
            return kind;
    }
    return OfflineAction::Kind::AddFlags; // not reached: only the names above are written
}

QString flagsText(const QList<QByteArray> &flags) { return QString::fromUtf8(flags.join(' ')); }

QList<QByteArray> flagsFromText(const QString &text)
{
    QList<QByteArray> flags;
    for (const QByteArray &flag : text.toUtf8().split(' ')) {
        if (!flag.isEmpty())
            flags << flag;
    }
    return flags;
}

bool hasFlag(const QList<QByteArray> &flags, const char *flag)
{
    return std::any_of(flags.cbegin(), flags.cend(),
                       [flag](const QByteArray &f) { return f.compare(flag, Qt::CaseInsensitive) == 0; });
}

QString addressesJson(const MessageSummary &summary)
{
    // Written by hand, in QJsonDocument's compact form (keys sorted): a first
    // sync encodes 10,000 of these, and building QJsonObjects cost a fifth of
    // the sync thread's time. Read back by QJsonDocument (addressesFromJson).
    QString out;
    out.reserve(64 * (summary.from.size() + summary.to.size() + summary.cc.size()) + 24);
    out += QLatin1String("{\"cc\":");
    json::appendAddresses(out, summary.cc);
    out += QLatin1String(",\"from\":");
    json::appendAddresses(out, summary.from);
    out += QLatin1String(",\"to\":");
    json::appendAddresses(out, summary.to);
    out += QLatin1Char('}');
    return out;
}

void addressesFromJson(const QString &json, MessageSummary &summary)
{
    const QJsonObject all = QJsonDocument::fromJson(json.toUtf8()).object();
    summary.from = addressesOf(all.value(QStringLiteral("from")));
    summary.to = addressesOf(all.value(QStringLiteral("to")));
    summary.cc = addressesOf(all.value(QStringLiteral("cc")));
}

QString partsJson(const QList<MessagePart> &parts)
{
    // By hand too, as QJsonDocument writes it (see addressesJson).
    QString out;
    out.reserve(72 * parts.size() + 2);
    out += QLatin1Char('[');
    for (const MessagePart &p : parts) {
        if (out.size() > 1)
            out += QLatin1Char(',');
        out += QLatin1Char('[');
        json::appendString(out, QString::fromLatin1(p.section));
        out += QLatin1Char(',');
        json::appendString(out, p.mimeType);
        out += QLatin1Char(',');
        json::appendString(out, QString::fromLatin1(p.charset));
        out += QLatin1Char(',');
        json::appendString(out, QString::fromLatin1(p.encoding));
        out += QLatin1Char(',') + QString::number(p.size) + QLatin1Char(',');
        json::appendString(out, p.fileName);
        out += QLatin1Char(',') + QString::number(int(p.disposition)) + QLatin1Char(',');
        json::appendString(out, p.contentId);
        out += QLatin1Char(']');
    }
    out += QLatin1Char(']');
    return out;
}

QList<MessagePart> partsFromJson(const QString &json)
{
    QList<MessagePart> parts;
    for (const QJsonValue &entry : QJsonDocument::fromJson(json.toUtf8()).array()) {
        const QJsonArray f = entry.toArray();
        MessagePart p;
        p.section = f.at(0).toString().toLatin1();
        p.mimeType = f.at(1).toString();
        p.charset = f.at(2).toString().toLatin1();
        p.encoding = f.at(3).toString().toLatin1();
        p.size = quint64(f.at(4).toDouble());
        p.fileName = f.at(5).toString();
        p.disposition = mime::Disposition(std::clamp(f.at(6).toInt(), 0, int(mime::Disposition::Attachment)));
        p.contentId = f.at(7).toString();
        parts << p;
    }
    return parts;
}

QString senderSortKey(const MessageSummary &summary)
{
    if (summary.from.isEmpty())
        return {};
    const mime::MailAddress &first = summary.from.first();
    return (first.name.isEmpty() ? first.address : first.name).toCaseFolded();
}

qint64 secondsOf(const QDateTime &time) { return time.isValid() ? time.toSecsSinceEpoch() : 0; }

QDateTime timeOf(qint64 seconds) { return seconds ? QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC) : QDateTime(); }

QString messageColumns()
{
    return QStringLiteral(
        "m.id, m.folder_id, m.uid, m.flags, m.modseq, m.internal_date, m.size, m.sent_date, m.subject,"
        " m.addresses, m.message_id, m.in_reply_to, m.refs, m.structure,"
        " EXISTS (SELECT 1 FROM bodies b WHERE b.message = m.id)");
}

StoredMessage messageFrom(const QSqlQuery &query)
{
    StoredMessage m;
    m.id = query.value(0).toLongLong();
    m.folderId = query.value(1).toLongLong();
    MessageSummary &s = m.summary;
    s.uid = query.value(2).toUInt();
    s.flags = flagsFromText(query.value(3).toString());
    m.modseq = query.value(4).toULongLong();
    s.internalDate = timeOf(query.value(5).toLongLong());
    s.size = query.value(6).toULongLong();
    s.date = timeOf(query.value(7).toLongLong());
    s.subject = query.value(8).toString();
    addressesFromJson(query.value(9).toString(), s);
    s.messageId = query.value(10).toString();
    s.inReplyTo = query.value(11).toString();
    s.references = query.value(12).toString().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    s.parts = partsFromJson(query.value(13).toString());
    m.hasBody = query.value(14).toBool();
    return m;
}

QString folderColumns()
{
    return QStringLiteral("id, account_id, name, delimiter, role, selectable, uid_validity, uid_next, highest_modseq,"
                          " server_count, server_unseen");
}

Folder folderFrom(const QSqlQuery &query)
{
    Folder f;
    f.id = query.value(0).toLongLong();
    f.accountId = query.value(1).toLongLong();
    f.name = query.value(2).toString();
    f.delimiter = query.value(3).toString();
    f.role = roleFromName(query.value(4).toString());
    f.selectable = query.value(5).toBool();
    f.uidValidity = query.value(6).toUInt();
    f.uidNext = query.value(7).toUInt();
    f.highestModseq = query.value(8).toULongLong();
    f.serverCount = query.value(9).toUInt();
    f.serverUnseen = query.value(10).toUInt();
    return f;
}

} // namespace mailcore::store::rows
