// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Private to mailcore/mime: one pass over GMime's part tree that picks the text
// to show, lists attachments and recognises signed/encrypted parts, within
// limits::MaxDepth and limits::MaxParts.

#include <QHash>
#include <QList>
#include <QString>

#include <gmime/gmime.h>

#include "mailcore/mime/types.h"

namespace mailcore::mime::detail {

struct WalkResult {
    QString plain;
    QString html;
    QList<AttachmentInfo> attachments;
    QList<SecurityInfo> security;
    QHash<QString, GMimeObject *> parts; ///< attachment id -> part, owned by the message
    bool truncated = false;
};

/// Walks the body of `message`. The pointers in WalkResult::parts stay valid as
/// long as `message` lives.
WalkResult walkMessage(GMimeMessage *message);

} // namespace mailcore::mime::detail
