// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "corpusexpect.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>

using namespace mailcore;
using namespace mailcore::mime;

namespace tandem::test {

namespace {

QStringList toStringList(const QJsonValue &value)
{
    QStringList out;
    const QJsonArray array = value.toArray();
    for (const QJsonValue &v : array)
        out.append(v.toString());
    return out;
}

QString dispositionName(Disposition d)
{
    switch (d) {
    case Disposition::Inline: return QStringLiteral("inline");
    case Disposition::Attachment: return QStringLiteral("attachment");
    case Disposition::Unspecified: break;
    }
    return QString();
}

QString securityName(const SecurityInfo &s)
{
    QString kind;
    switch (s.kind) {
    case SecurityKind::PgpSigned: kind = QStringLiteral("pgp-signed"); break;
    case SecurityKind::PgpEncrypted: kind = QStringLiteral("pgp-encrypted"); break;
    case SecurityKind::SmimeSigned: kind = QStringLiteral("smime-signed"); break;
    case SecurityKind::SmimeEncrypted: kind = QStringLiteral("smime-encrypted"); break;
    }
    return kind + QLatin1Char(':') + s.partId;
}

QString show(const QString &s)
{
    QString out = s;
    out.replace(QLatin1Char('\r'), QLatin1String("\\r"));
    out.replace(QLatin1Char('\n'), QLatin1String("\\n"));
    return QLatin1Char('"') + out + QLatin1Char('"');
}

void compare(QStringList *failures, const QString &what, const QString &actual, const QString &expected)
{
    if (actual != expected)
        failures->append(what + QLatin1String(": got ") + show(actual) + QLatin1String(", expected ") + show(expected));
}

void compareList(QStringList *failures, const QString &what, const QStringList &actual, const QStringList &expected)
{
    if (actual != expected)
        failures->append(what + QLatin1String(": got [") + actual.join(QLatin1String(" | "))
                         + QLatin1String("], expected [") + expected.join(QLatin1String(" | ")) + QLatin1Char(']'));
}

void checkAttachment(QStringList *failures, const Message &message, const AttachmentInfo &a, const QJsonObject &e,
                     int n)
{
    const QString p = QStringLiteral("attachment %1 ").arg(n);
    if (e.contains(QLatin1String("id")))
        compare(failures, p + QLatin1String("id"), a.id, e.value(QLatin1String("id")).toString());
    if (e.contains(QLatin1String("name")))
        compare(failures, p + QLatin1String("name"), a.fileName, e.value(QLatin1String("name")).toString());
    if (e.contains(QLatin1String("type")))
        compare(failures, p + QLatin1String("type"), a.mimeType, e.value(QLatin1String("type")).toString());
    if (e.contains(QLatin1String("size")))
        compare(failures, p + QLatin1String("size"), QString::number(a.size),
                QString::number(e.value(QLatin1String("size")).toInteger()));
    if (e.contains(QLatin1String("disposition")))
        compare(failures, p + QLatin1String("disposition"), dispositionName(a.disposition),
                e.value(QLatin1String("disposition")).toString());
    if (e.contains(QLatin1String("cid")))
        compare(failures, p + QLatin1String("cid"), a.contentId, e.value(QLatin1String("cid")).toString());
    if (e.contains(QLatin1String("message")))
        compare(failures, p + QLatin1String("isMessage"),
                a.isMessage ? QStringLiteral("true") : QStringLiteral("false"),
                e.value(QLatin1String("message")).toBool() ? QStringLiteral("true") : QStringLiteral("false"));
    if (e.contains(QLatin1String("content")) || e.contains(QLatin1String("sha1"))) {
        Error error;
        const QByteArray content = message.attachmentContent(a.id, &error);
        if (error.isError())
            failures->append(p + QLatin1String("content: ") + error.toString());
        if (qint64(content.size()) != a.size)
            failures->append(p
                             + QStringLiteral("content size %1 differs from size %2").arg(content.size()).arg(a.size));
        if (e.contains(QLatin1String("content")))
            compare(failures, p + QLatin1String("content"), QString::fromUtf8(content).trimmed(),
                    e.value(QLatin1String("content")).toString());
        if (e.contains(QLatin1String("sha1")))
            compare(failures, p + QLatin1String("sha1"),
                    QString::fromLatin1(QCryptographicHash::hash(content, QCryptographicHash::Sha1).toHex()),
                    e.value(QLatin1String("sha1")).toString());
    }
}

} // namespace

QString mimeCorpusDir()
{
    // $TANDEM_TEST_DATA is the source folder of the CMakeLists.txt that
    // registered the test (tests/mime); accept the tests/ root as well.
    const QString base = qEnvironmentVariable("TANDEM_TEST_DATA");
    if (QDir(base + QLatin1String("/corpus")).exists())
        return base + QLatin1String("/corpus");
    return base + QLatin1String("/mime/corpus");
}

QStringList mimeCorpusNames()
{
    QStringList names = QDir(mimeCorpusDir()).entryList({QStringLiteral("*.eml")}, QDir::Files, QDir::Name);
    for (QString &n : names)
        n.chop(4);
    return names;
}

QStringList addressStrings(const QList<MailAddress> &list)
{
    QStringList out;
    for (const MailAddress &a : list)
        out.append((a.group.isEmpty() ? QString() : a.group + QLatin1String(": ")) + a.toDisplayString());
    return out;
}

QStringList checkExpectations(const QJsonObject &e, const Message &message, const Error &error)
{
    QStringList f;
    const QString expectedCode = e.value(QLatin1String("errorCode")).toString(QStringLiteral("none"));
    compare(&f, QStringLiteral("error"), Error::codeName(error.code()), expectedCode);
    if (error.isError())
        return f;
    const MessageHeaders &h = message.headers();
    auto has = [&](const char *key) { return e.contains(QLatin1String(key)); };
    auto str = [&](const char *key) { return e.value(QLatin1String(key)).toString(); };
    auto list = [&](const char *key) { return toStringList(e.value(QLatin1String(key))); };
    if (has("subject"))
        compare(&f, QStringLiteral("subject"), h.subject, str("subject"));
    const QStringList subjectParts = list("subjectContains");
    for (const QString &part : subjectParts) {
        if (!h.subject.contains(part))
            f.append(QStringLiteral("subject %1 lacks %2").arg(show(h.subject), show(part)));
    }
    if (has("from"))
        compareList(&f, QStringLiteral("from"), addressStrings(h.from), list("from"));
    if (has("to"))
        compareList(&f, QStringLiteral("to"), addressStrings(h.to), list("to"));
    if (has("cc"))
        compareList(&f, QStringLiteral("cc"), addressStrings(h.cc), list("cc"));
    if (has("sender"))
        compareList(&f, QStringLiteral("sender"), addressStrings(h.sender), list("sender"));
    if (has("replyTo"))
        compareList(&f, QStringLiteral("replyTo"), addressStrings(h.replyTo), list("replyTo"));
    if (has("date"))
        compare(&f, QStringLiteral("date"), h.date.isValid() ? h.date.toString(Qt::ISODate) : QString(), str("date"));
    if (has("messageId"))
        compare(&f, QStringLiteral("messageId"), h.messageId, str("messageId"));
    if (has("inReplyTo"))
        compare(&f, QStringLiteral("inReplyTo"), h.inReplyTo, str("inReplyTo"));
    if (has("references"))
        compareList(&f, QStringLiteral("references"), h.references, list("references"));
    const QJsonObject lists = e.value(QLatin1String("list")).toObject();
    for (auto it = lists.begin(); it != lists.end(); ++it)
        compare(&f, it.key(), h.listHeader(it.key()), it.value().toString());

    if (has("plain"))
        compare(&f, QStringLiteral("plain"), message.plainText(), str("plain"));
    if (has("plainLength"))
        compare(&f, QStringLiteral("plain length"), QString::number(message.plainText().size()),
                QString::number(e.value(QLatin1String("plainLength")).toInt()));
    if (has("html"))
        compare(&f, QStringLiteral("html"), message.htmlText(), str("html"));
    const QStringList plainParts = list("plainContains");
    for (const QString &part : plainParts) {
        if (!message.plainText().contains(part))
            f.append(QStringLiteral("plain text lacks ") + show(part));
    }
    const QStringList htmlParts = list("htmlContains");
    for (const QString &part : htmlParts) {
        if (!message.htmlText().contains(part))
            f.append(QStringLiteral("html text lacks ") + show(part));
    }
    if (has("truncated"))
        compare(&f, QStringLiteral("truncated"),
                message.isTruncated() ? QStringLiteral("true") : QStringLiteral("false"),
                e.value(QLatin1String("truncated")).toBool() ? QStringLiteral("true") : QStringLiteral("false"));
    if (has("security")) {
        QStringList actual;
        const QList<SecurityInfo> security = message.security();
        for (const SecurityInfo &s : security)
            actual.append(securityName(s));
        compareList(&f, QStringLiteral("security"), actual, list("security"));
    }
    const QList<AttachmentInfo> attachments = message.attachments();
    if (has("attachmentCount"))
        compare(&f, QStringLiteral("attachment count"), QString::number(attachments.size()),
                QString::number(e.value(QLatin1String("attachmentCount")).toInt()));
    if (has("attachments")) {
        const QJsonArray expected = e.value(QLatin1String("attachments")).toArray();
        if (expected.size() != attachments.size()) {
            QStringList names;
            for (const AttachmentInfo &a : attachments)
                names.append(a.id + QLatin1Char('=') + a.mimeType + QLatin1Char('/') + a.fileName);
            f.append(QStringLiteral("attachments: got %1 [%2], expected %3")
                         .arg(attachments.size())
                         .arg(names.join(QLatin1String(", ")))
                         .arg(expected.size()));
        } else {
            for (int i = 0; i < expected.size(); ++i)
                checkAttachment(&f, message, attachments.at(i), expected.at(i).toObject(), i);
        }
    }
    const QJsonObject cids = e.value(QLatin1String("cid")).toObject();
    for (auto it = cids.begin(); it != cids.end(); ++it)
        compare(&f, QLatin1String("cid ") + it.key(), message.findByContentId(it.key()).id, it.value().toString());
    if (has("attached")) {
        const QJsonObject inner = e.value(QLatin1String("attached")).toObject();
        Error innerError;
        const Message attached = message.openAttachedMessage(inner.value(QLatin1String("id")).toString(), &innerError);
        QJsonObject innerExpect = inner;
        innerExpect.remove(QLatin1String("id"));
        const QStringList innerFailures = checkExpectations(innerExpect, attached, innerError);
        for (const QString &failure : innerFailures)
            f.append(QLatin1String("attached message: ") + failure);
    }
    return f;
}

} // namespace tandem::test
