// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QStringList>

#include <vector>

#include "mailcore/mailcore_export.h"

namespace mailcore::store {

/// One step of the store's schema, from version `version - 1` to `version`.
/// Steps are never edited once released: a change is a new step, so that a
/// database of any older version reaches the newest by running the steps it
/// lacks, in order (tests/store check it from every version).
struct Migration {
    int version = 0;
    QString purpose;        ///< for the log and the tests' messages
    QStringList statements; ///< run in one transaction with the version bump
};

/// Every step, oldest first; migrations().back().version is the newest version.
MAILCORE_EXPORT const std::vector<Migration> &migrations();

/// The version a new database is created at (PRAGMA user_version).
MAILCORE_EXPORT int newestVersion();

} // namespace mailcore::store
