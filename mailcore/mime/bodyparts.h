// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Private to mailcore/mime: the leaf parts of an outgoing message.

#include <gmime/gmime.h>

#include "mailcore/base/error.h"
#include "mailcore/mime/gptr.h"
#include "mailcore/mime/outgoing.h"

namespace mailcore::mime::detail {

/// A text/<subtype> part in UTF-8 (us-ascii when it is), encoded by content.
GObjectPtr<GMimeObject> makeTextPart(const QString &text, const char *subtype);

/// A file or in-memory attachment; message/rfc822 data becomes an attached message.
GObjectPtr<GMimeObject> makeAttachmentPart(const OutgoingAttachment &attachment, Error *error);

} // namespace mailcore::mime::detail
