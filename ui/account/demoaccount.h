// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QString>

#include "ui/account/accountsettings.h"

namespace tandem::ui {

/// The demo account: alice on the servers of the test kit, read from the env
/// file that tools/testkit/kit.py writes (tools/demo.sh passes it to the app).
struct DemoAccount {
    AccountSettings settings;
    QString password;
    QString error; ///< empty when the file was read

    bool isValid() const { return error.isEmpty(); }

    /// IMAPS on the kit's port. With trustKitCa the kit's own CA is an extra
    /// trusted CA; without it the first connection meets a certificate error,
    /// which shows the "trust this certificate" path.
    static DemoAccount fromKitEnv(const QString &path, bool trustKitCa = true);
};

} // namespace tandem::ui
