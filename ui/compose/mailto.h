// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QUrl>

#include "mailcore/mime/outgoing.h"

namespace tandem::ui {

/// A draft from a `mailto:` link (RFC 6068): the addresses of its path and
/// its to, cc, bcc, subject, body and in-reply-to fields, percent-decoded.
/// Every other field is ignored, as RFC 6068 section 7 advises (a link must
/// not set From, Sender, attachments or any header the user does not see).
/// A URL that is not mailto: gives an empty draft and `ok` false.
mailcore::mime::OutgoingMessage draftFromMailto(const QUrl &url, bool *ok = nullptr);

} // namespace tandem::ui
