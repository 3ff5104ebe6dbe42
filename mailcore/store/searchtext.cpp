// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/store/searchtext.h"

#include <QRegularExpression>
#include <QStringList>

#include "mailcore/mime/message.h"

namespace mailcore::store::searchtext {

namespace {

QString textOfHtml(QString html)
{
    static const QRegularExpression hidden(QStringLiteral("<(script|style)[^>]*>.*?</\\1\\s*>"),
                                           QRegularExpression::CaseInsensitiveOption
                                               | QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression tag(QStringLiteral("<[^>]*>"));
    html.remove(hidden);
    html.replace(tag, QStringLiteral(" "));
    // The entities people write most; the index needs words, not fidelity.
    html.replace(QLatin1String("&nbsp;"), QLatin1String(" "))
        .replace(QLatin1String("&lt;"), QLatin1String("<"))
        .replace(QLatin1String("&gt;"), QLatin1String(">"))
        .replace(QLatin1String("&quot;"), QLatin1String("\""))
        .replace(QLatin1String("&#39;"), QLatin1String("'"))
        .replace(QLatin1String("&amp;"), QLatin1String("&"));
    return html;
}

} // namespace

QString peopleOf(const MessageSummary &summary)
{
    QStringList parts;
    for (const QList<mime::MailAddress> *list : {&summary.from, &summary.to, &summary.cc}) {
        for (const mime::MailAddress &a : *list)
            parts << a.name << a.address;
    }
    return parts.join(QLatin1Char(' '));
}

QString bodyOf(const QByteArray &raw)
{
    const mime::Message message = mime::Message::parse(raw);
    if (message.isNull())
        return {};
    const QString plain = message.plainText();
    return plain.trimmed().isEmpty() ? textOfHtml(message.htmlText()) : plain;
}

QString queryOf(const QString &words)
{
    QStringList terms;
    for (const QString &word : words.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts)) {
        QString quoted = word;
        quoted.replace(QLatin1Char('"'), QLatin1String("\"\""));
        terms << QLatin1Char('"') + quoted + QLatin1String("\"*");
    }
    return terms.join(QLatin1Char(' '));
}

} // namespace mailcore::store::searchtext
