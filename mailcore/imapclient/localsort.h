// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Private to mailcore (not installed; exported for tests): the orders of UID
// SORT (RFC 5256, RFC 5957's DISPLAYFROM) computed in the client, for a server
// that cannot sort, or not by the key asked for.

#include <QList>
#include <QString>

#include "mailcore/imapclient/imaptypes.h"
#include "mailcore/mailcore_export.h"

namespace mailcore::imapops {

/// RFC 5256's base subject: white space collapsed, "Re:", "Fw:", "Fwd:" and
/// "[list]" leaders, "(fwd)" trailers and a "[Fwd: ...]" wrapper taken off,
/// repeatedly; what SUBJECT sorts and threads by.
MAILCORE_EXPORT QString baseSubject(const QString &subject);

/// The UIDs of `messages` in the order UID SORT would give for `key`: ties, and
/// messages without the key, in UID order; Qt::DescendingOrder reverses the
/// key (REVERSE), not the ties.
MAILCORE_EXPORT QList<quint32> sortedLocally(const QList<MessageSummary> &messages, SortKey key, Qt::SortOrder order);

} // namespace mailcore::imapops
