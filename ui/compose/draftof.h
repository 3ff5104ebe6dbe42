// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QStringList>

#include "mailcore/mime/message.h"
#include "mailcore/mime/outgoing.h"

namespace tandem::ui {

/// A written message (a draft from the Drafts folder, one waiting in the
/// Outbox) as a draft to edit again: its recipients, subject, text, thread
/// ids and attachments with their content. `envelope` (the Outbox's
/// recipients) brings back the Bcc the headers do not show.
mailcore::mime::OutgoingMessage draftOf(const mailcore::mime::Message &written, const QStringList &envelope = {});

} // namespace tandem::ui
