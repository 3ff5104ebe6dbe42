// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/mime/reply.h"

#include <QLocale>
#include <QRegularExpression>

#include "mailcore/mime/filename.h"

namespace mailcore::mime {

namespace {

bool isOwn(const MailAddress &a, const QStringList &own)
{
    return own.contains(a.address.trimmed(), Qt::CaseInsensitive);
}

void appendUnique(QList<MailAddress> *list, const MailAddress &a, const QStringList &exclude)
{
    if (a.address.isEmpty() || exclude.contains(a.address, Qt::CaseInsensitive))
        return;
    for (const MailAddress &existing : std::as_const(*list)) {
        if (existing.address.compare(a.address, Qt::CaseInsensitive) == 0)
            return;
    }
    MailAddress copy = a;
    copy.group.clear(); // a reply addresses people, not the group syntax
    list->append(copy);
}

QString subjectWithPrefix(const QString &subject, const QString &prefix, const QRegularExpression &already)
{
    const QString trimmed = subject.trimmed();
    if (already.match(trimmed).hasMatch())
        return trimmed;
    return prefix + trimmed;
}

// The text a reply or forward quotes: the plain part, or else the HTML with its tags dropped.
QString originalText(const Message &m)
{
    if (!m.plainText().isEmpty())
        return m.plainText();
    QString text = m.htmlText();
    static const QRegularExpression dropped(QStringLiteral("<(script|style)[^>]*>.*?</\\1>"),
                                            QRegularExpression::CaseInsensitiveOption
                                                | QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression breaks(QStringLiteral("<(br|/p|/div|/tr|/li)\\b[^>]*>"),
                                           QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression tags(QStringLiteral("<[^>]*>"));
    text.remove(dropped);
    text.replace(breaks, QStringLiteral("\n"));
    text.remove(tags);
    text.replace(QLatin1String("&nbsp;"), QLatin1String(" "));
    text.replace(QLatin1String("&lt;"), QLatin1String("<"));
    text.replace(QLatin1String("&gt;"), QLatin1String(">"));
    text.replace(QLatin1String("&amp;"), QLatin1String("&"));
    return text;
}

QString addressLine(const QList<MailAddress> &list)
{
    QStringList parts;
    for (const MailAddress &a : list)
        parts.append(a.toDisplayString());
    return parts.join(QLatin1String(", "));
}

QString dateText(const QDateTime &date)
{
    return date.isValid() ? QLocale::c().toString(date, QStringLiteral("ddd, d MMM yyyy HH:mm")) : QString();
}

} // namespace

OutgoingMessage makeReply(const Message &original, const MailAddress &me, ReplyMode mode,
                          const QStringList &ownAddresses)
{
    const MessageHeaders &h = original.headers();
    QStringList own = ownAddresses;
    own.append(me.address);

    OutgoingMessage reply;
    reply.from = me;
    const QList<MailAddress> &primary = h.replyTo.isEmpty() ? h.from : h.replyTo;
    bool replyingToSelf = true;
    for (const MailAddress &a : primary)
        replyingToSelf = replyingToSelf && isOwn(a, own);
    // Replying to one's own sent message means writing to its recipients again.
    const QList<MailAddress> &targets = (replyingToSelf && !primary.isEmpty()) ? h.to : primary;
    for (const MailAddress &a : targets)
        appendUnique(&reply.to, a, replyingToSelf ? own : QStringList());
    if (mode == ReplyMode::All) {
        for (const MailAddress &a : h.to)
            appendUnique(&reply.to, a, own);
        QStringList already;
        for (const MailAddress &a : std::as_const(reply.to))
            already.append(a.address);
        for (const MailAddress &a : h.cc)
            appendUnique(&reply.cc, a, own + already);
    }

    static const QRegularExpression re(QStringLiteral("^(re|aw|sv)\\s*:"), QRegularExpression::CaseInsensitiveOption);
    reply.subject = subjectWithPrefix(h.subject, QStringLiteral("Re: "), re);
    reply.inReplyTo = h.messageId;
    reply.references = h.references;
    if (!h.messageId.isEmpty() && !reply.references.contains(h.messageId))
        reply.references.append(h.messageId);

    const QString who = h.from.isEmpty() ? QStringLiteral("someone") : h.from.first().toDisplayString();
    const QString when = dateText(h.date);
    QString quoted = when.isEmpty() ? who + QLatin1String(" wrote:\n")
                                    : QStringLiteral("On %1, %2 wrote:\n").arg(when, who);
    QString text = originalText(original);
    if (text.endsWith(QLatin1Char('\n')))
        text.chop(1);
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (const QString &line : lines)
        quoted += (line.startsWith(QLatin1Char('>')) ? QLatin1String(">") : QLatin1String("> ")) + line
            + QLatin1Char('\n');
    reply.plainText = QLatin1String("\n\n") + quoted;
    return reply;
}

OutgoingMessage makeForward(const Message &original, const MailAddress &me, ForwardMode mode)
{
    const MessageHeaders &h = original.headers();
    OutgoingMessage forward;
    forward.from = me;
    static const QRegularExpression fwd(QStringLiteral("^(fwd?|wg)\\s*:"), QRegularExpression::CaseInsensitiveOption);
    forward.subject = subjectWithPrefix(h.subject, QStringLiteral("Fwd: "), fwd);

    if (mode == ForwardMode::AsAttachment) {
        OutgoingAttachment attached;
        attached.data = original.rawData();
        attached.mimeType = QStringLiteral("message/rfc822");
        attached.fileName = messageFileName(h.subject);
        forward.attachments.append(attached);
        return forward;
    }

    QString block = QStringLiteral("\n\n---------- Forwarded message ----------\n");
    block += QLatin1String("From: ") + addressLine(h.from) + QLatin1Char('\n');
    if (h.date.isValid())
        block += QLatin1String("Date: ") + dateText(h.date) + QLatin1Char('\n');
    block += QLatin1String("Subject: ") + h.subject + QLatin1Char('\n');
    block += QLatin1String("To: ") + addressLine(h.to) + QLatin1Char('\n');
    if (!h.cc.isEmpty())
        block += QLatin1String("Cc: ") + addressLine(h.cc) + QLatin1Char('\n');
    forward.plainText = block + QLatin1Char('\n') + originalText(original);
    if (!original.htmlText().isEmpty())
        forward.htmlText = QLatin1String("<pre>") + block.toHtmlEscaped() + QLatin1String("</pre>")
            + original.htmlText();

    const QList<AttachmentInfo> attachments = original.attachments();
    for (const AttachmentInfo &info : attachments) {
        OutgoingAttachment a;
        Error error;
        a.data = original.attachmentContent(info.id, &error);
        if (error.isError())
            continue; // too large to carry in memory: the user can attach it by hand
        a.fileName = info.fileName;
        a.mimeType = info.mimeType;
        a.contentId = info.contentId;
        a.inlineImage = !info.contentId.isEmpty() && info.disposition != Disposition::Attachment
            && !forward.htmlText.isEmpty();
        forward.attachments.append(a);
    }
    return forward;
}

} // namespace mailcore::mime
