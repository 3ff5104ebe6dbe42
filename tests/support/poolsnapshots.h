// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QTest>

#include "mailcore/client/credentialsbyhostclient.h"

namespace tandem::test {

/// The client's pool once it has come to rest with one connection, idle
/// (waiting up to 5 s for it); an empty snapshot if it never did.
inline mailcore::PoolSnapshot restingOnOneConnection(const mailcore::CredentialsByHostClient &client)
{
    mailcore::PoolSnapshot snapshot;
    const bool rested = QTest::qWaitFor(
        [&] {
            snapshot = client.poolSnapshot();
            return snapshot.connections.size() == 1
                && snapshot.connections.first().activity.state == mailcore::ConnectionActivity::State::Idle;
        },
        5000);
    return rested ? snapshot : mailcore::PoolSnapshot();
}

} // namespace tandem::test
