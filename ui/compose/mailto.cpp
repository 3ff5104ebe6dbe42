// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/compose/mailto.h"

#include <QUrlQuery>

#include "ui/addresses.h"
#include "ui/compose/composer.h"

namespace tandem::ui {

namespace {

/// "%20" and friends undone; RFC 6068 encodes a space as %20, never '+'.
QString decoded(const QString &text) { return QUrl::fromPercentEncoding(text.toUtf8()); }

} // namespace

mailcore::mime::OutgoingMessage draftFromMailto(const QUrl &url, bool *ok)
{
    mailcore::mime::OutgoingMessage draft;
    const bool isMailto = url.scheme().compare(QLatin1String("mailto"), Qt::CaseInsensitive) == 0;
    if (ok)
        *ok = isMailto;
    if (!isMailto)
        return draft;
    draft.to = addressesIn(decoded(url.path(QUrl::FullyEncoded)));
    const QUrlQuery query(url.query(QUrl::FullyEncoded));
    for (const auto &[rawKey, rawValue] : query.queryItems(QUrl::FullyEncoded)) {
        const QString key = decoded(rawKey).toLower();
        const QString value = decoded(rawValue);
        if (key == QLatin1String("to"))
            draft.to += addressesIn(value);
        else if (key == QLatin1String("cc"))
            draft.cc += addressesIn(value);
        else if (key == QLatin1String("bcc"))
            draft.bcc += addressesIn(value);
        else if (key == QLatin1String("subject"))
            draft.subject = value;
        else if (key == QLatin1String("body"))
            draft.plainText = value;
        else if (key == QLatin1String("in-reply-to"))
            draft.inReplyTo = value.trimmed().remove(u'<').remove(u'>');
    }
    return draft;
}

} // namespace tandem::ui
