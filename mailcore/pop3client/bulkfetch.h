// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Private to mailcore (not installed): Pop3Client::fetchMessagesAsync.

#include <QFuture>
#include <QList>

#include "mailcore/client/engine.h"
#include "mailcore/pop3client/pop3types.h"

namespace mailcore::detail {

/// RETR of every id in `uids`, spread over the client's sessions (B03): the
/// main one and, while the limit allows, extra ones. Every session takes the
/// next id only once it has a connection to ask on, so a session whose login
/// waits (a maildrop locked by the main session, B05) holds up no message.
/// Each message is a result of the future as it arrives; the first failure
/// ends it; cancelling it stops asking for more.
QFuture<Pop3FetchedMessage> startBulkFetch(client::Engine &engine, const QList<QByteArray> &uids);

/// RETR of one message on `c`, by id.
QFuture<QByteArray> fetchMessageOf(client::Connection &c, const QByteArray &uid);

} // namespace mailcore::detail
