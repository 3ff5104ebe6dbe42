// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Private to mailcore/mime: GMime's parsed header block to MessageHeaders.

#include <gmime/gmime.h>

#include "mailcore/mime/types.h"

namespace mailcore::mime::detail {

MessageHeaders readHeaders(GMimeMessage *message, GMimeParserOptions *options);

/// A GMime date with its UTC offset; invalid for null.
QDateTime readDate(GDateTime *date);

/// Decoded addresses (groups flattened, see MailAddress::group).
QList<MailAddress> readAddressList(InternetAddressList *list);

} // namespace mailcore::mime::detail
