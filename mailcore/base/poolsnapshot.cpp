// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/base/poolsnapshot.h"

namespace mailcore {

QString roleName(PoolConnectionInfo::Role role)
{
    switch (role) {
    case PoolConnectionInfo::Role::Main: return QStringLiteral("main");
    case PoolConnectionInfo::Role::Extra: return QStringLiteral("extra");
    case PoolConnectionInfo::Role::ThreadBound: return QStringLiteral("thread-bound");
    case PoolConnectionInfo::Role::Push: return QStringLiteral("IDLE");
    }
    return {};
}

QString stateName(ConnectionActivity::State state)
{
    switch (state) {
    case ConnectionActivity::State::Connecting: return QStringLiteral("connecting");
    case ConnectionActivity::State::Authenticating: return QStringLiteral("authenticating");
    case ConnectionActivity::State::Idle: return QStringLiteral("idle");
    case ConnectionActivity::State::Busy: return QStringLiteral("busy");
    case ConnectionActivity::State::Idling: return QStringLiteral("IDLE");
    case ConnectionActivity::State::Closing: return QStringLiteral("closing");
    case ConnectionActivity::State::Closed: return QStringLiteral("closed");
    }
    return {};
}

} // namespace mailcore
