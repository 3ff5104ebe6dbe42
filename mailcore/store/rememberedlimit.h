// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Private to mailcore (not installed): B05 across runs, for every sync.

#include <QString>

namespace mailcore {
class CredentialsByHostClient;
}

namespace mailcore::store {

class MailStore;

/// Applies to `client` the connection limit its server imposed on an earlier
/// run (B05), as the store remembers it for this protocol, server and user,
/// so that a restart does not run into the server's limit again. The limit
/// remembered; 0 if none.
int applyRememberedLimit(MailStore &store, CredentialsByHostClient &client, const QString &protocol);

/// Saves the limit the server imposed if the client's pool lowered its own
/// since (`remembered`: what the store has); the limit remembered now.
int rememberLoweredLimit(MailStore &store, CredentialsByHostClient &client, const QString &protocol, int remembered);

} // namespace mailcore::store
