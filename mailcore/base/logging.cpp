// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/base/logging.h"

namespace mailcore::log {
Q_LOGGING_CATEGORY(net, "tandem.mailcore.net", QtInfoMsg)
Q_LOGGING_CATEGORY(imap, "tandem.mailcore.imap", QtInfoMsg)
Q_LOGGING_CATEGORY(pop3, "tandem.mailcore.pop3", QtInfoMsg)
Q_LOGGING_CATEGORY(smtp, "tandem.mailcore.smtp", QtInfoMsg)
Q_LOGGING_CATEGORY(pool, "tandem.mailcore.pool", QtInfoMsg)
Q_LOGGING_CATEGORY(mime, "tandem.mailcore.mime", QtInfoMsg)
Q_LOGGING_CATEGORY(store, "tandem.mailcore.store", QtInfoMsg)
} // namespace mailcore::log
