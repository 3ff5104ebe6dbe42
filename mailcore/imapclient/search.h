// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Private to mailcore (not installed; exported for tests): SearchCriteria as
// the typed IMAP search key.

#include "mailcore/imap/searchkey.h"
#include "mailcore/imapclient/imaptypes.h"
#include "mailcore/mailcore_export.h"

namespace mailcore::imapops {

/// Every set field of `criteria`, ANDed; ALL when none is set. System flags
/// become their own keys (SEEN, UNFLAGGED...), other flags KEYWORD/UNKEYWORD.
MAILCORE_EXPORT imap::SearchKey searchKeyOf(const SearchCriteria &criteria);

/// The UID SORT criteria for one key: {"DATE"}, or {"REVERSE", "DATE"} for
/// Qt::DescendingOrder.
MAILCORE_EXPORT QList<QByteArray> sortCriteriaOf(SortKey key, Qt::SortOrder order);

} // namespace mailcore::imapops
