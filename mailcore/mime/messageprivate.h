// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Private to mailcore/mime: what a Message holds. The GMime objects stay alive
// with it so attachment content is decoded only when asked for.

#include <mutex>

#include "mailcore/mime/gptr.h"
#include "mailcore/mime/partwalker.h"
#include "mailcore/mime/types.h"

namespace mailcore::mime {

class MessagePrivate
{
public:
    QByteArray raw;                         ///< as given to parse(), for rawData()
    detail::GObjectPtr<GMimeStream> stream; ///< holds the raw bytes; parts are views into it
    detail::ParserOptionsPtr options;       ///< kept for the objects created with it
    detail::GObjectPtr<GMimeMessage> message;
    MessageHeaders headers;
    detail::WalkResult body;
    /// GMime's content streams keep a read position, so two threads must not
    /// decode parts of the same message at once.
    mutable std::mutex mutex;
};

} // namespace mailcore::mime
