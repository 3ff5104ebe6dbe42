// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QString>

#include "mailcore/base/endpoint.h"
#include "mailcore/base/error.h"

namespace tandem::ui {

/// "imap.example.org:993": a server as the user reads it in these messages.
QString serverName(const mailcore::Endpoint &endpoint);

/// Why a connection to `server` ("imap.example.org:993") failed, in words a
/// user acts on: wrong password, no such host, a certificate problem, the
/// server refuses; the library's own text follows for the details.
QString connectionProblem(const mailcore::Error &error, const QString &server);

} // namespace tandem::ui
