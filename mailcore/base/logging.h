// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QLoggingCategory>

// One logging category per layer. Enable with QT_LOGGING_RULES="tandem.mailcore.imap.debug=true".
// Rule for every layer: passwords and message bodies are never logged.
namespace mailcore::log {
Q_DECLARE_LOGGING_CATEGORY(net)
Q_DECLARE_LOGGING_CATEGORY(imap)
Q_DECLARE_LOGGING_CATEGORY(pop3)
Q_DECLARE_LOGGING_CATEGORY(smtp)
Q_DECLARE_LOGGING_CATEGORY(pool)
Q_DECLARE_LOGGING_CATEGORY(mime)
Q_DECLARE_LOGGING_CATEGORY(store)
} // namespace mailcore::log
