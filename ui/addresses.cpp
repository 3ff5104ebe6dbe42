// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/addresses.h"

#include "mailcore/mime/message.h"

namespace tandem::ui {

QList<mailcore::mime::MailAddress> addressesIn(const QString &typed, bool *unreadable)
{
    if (unreadable)
        *unreadable = false;
    if (typed.trimmed().isEmpty())
        return {};
    // The MIME layer reads an address list as a header would hold it (quoted
    // names, commas inside them, groups): one header, one parser.
    const mailcore::mime::MessageHeaders headers = mailcore::mime::Message::parseHeaders(
        "To: " + typed.simplified().toUtf8() + "\r\n\r\n");
    QList<mailcore::mime::MailAddress> out;
    for (const mailcore::mime::MailAddress &a : headers.to) {
        if (!a.address.contains(u'@')) {
            if (unreadable)
                *unreadable = true;
            continue;
        }
        out << a;
    }
    if (out.isEmpty() && unreadable)
        *unreadable = true;
    return out;
}

} // namespace tandem::ui
