// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QString>

#include "mailcore/imapclient/imaptypes.h"

namespace mailcore::store::searchtext {

// What the local search index (FTS5 table message_text) holds of a message,
// and how a user's words become an FTS5 query.

/// The names and addresses of From, To and Cc, as one text.
QString peopleOf(const MessageSummary &summary);
/// The readable text of a raw message: its plain text, else its HTML without
/// tags; empty when it cannot be parsed.
QString bodyOf(const QByteArray &raw);
/// The user's words as an FTS5 query: every word must occur, each as a
/// prefix ("inv" finds "invoice"); quotes and operators in the input are
/// only text. Empty when there is no word.
QString queryOf(const QString &words);

} // namespace mailcore::store::searchtext
