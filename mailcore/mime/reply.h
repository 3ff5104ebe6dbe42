// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QList>

#include "mailcore/mailcore_export.h"
#include "mailcore/mime/message.h"
#include "mailcore/mime/outgoing.h"

namespace mailcore::mime {

/// Whom makeReply() addresses.
enum class ReplyMode {
    Sender, ///< Reply-To, else From (the recipients instead when replying to one's own message)
    All     ///< as Sender, plus the original To and Cc
};
/// How makeForward() carries the original.
enum class ForwardMode {
    Inline,      ///< its headers and text in the body; its attachments again (none over limits::MaxInMemoryAttachment)
    AsAttachment ///< the original bytes unchanged, as a message/rfc822 attachment
};

/// A reply draft: "Re: " subject (not doubled), In-Reply-To and References set,
/// the original plain text quoted with "> " under an attribution line. With
/// ReplyMode::All every original recipient is kept except `me` and `ownAddresses`.
MAILCORE_EXPORT OutgoingMessage makeReply(const Message &original, const MailAddress &me, ReplyMode mode,
                                          const QStringList &ownAddresses = {});

/// A forward draft. Inline: the original headers and text in the body and its
/// attachments carried over. AsAttachment: the original as a message/rfc822 part.
MAILCORE_EXPORT OutgoingMessage makeForward(const Message &original, const MailAddress &me, ForwardMode mode);

} // namespace mailcore::mime
