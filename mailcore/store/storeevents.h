// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QObject>

#include "mailcore/mailcore_export.h"

namespace mailcore::store {

/// What changed in a MailStore, told once the change is committed: a list
/// reading the store reads again what it shows (MailStore::events()).
///
/// Emitted in the store's writer thread: a receiver in another thread (the
/// GUI's) gets them queued, after the change is visible to its reads.
class MAILCORE_EXPORT StoreEvents : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

Q_SIGNALS:
    /// Accounts or folders were added, renamed, removed or re-marked by a sync.
    void foldersChanged();
    /// Message rows of the folder were added, removed or given new flags.
    void messagesChanged(qint64 folderId);
};

} // namespace mailcore::store
