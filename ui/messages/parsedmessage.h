// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QHash>
#include <QImage>
#include <QString>

#include "mailcore/mime/message.h"

namespace tandem::ui {

/// A fetched message made ready to show: parsed, its text decoded and its
/// inline (cid:) pictures decoded to images. Built on a worker thread, so the
/// GUI thread only lays it out.
struct ParsedMessage {
    QString folder;
    quint32 uid = 0;
    mailcore::mime::Message message;
    QString html;
    QString plain;
    QHash<QString, QImage> inlineImages; ///< by Content-ID, without angle brackets

    /// Worker thread. Throws mailcore::MailException when the bytes are no message.
    static ParsedMessage parse(const QString &folder, quint32 uid, const QByteArray &raw);
};

} // namespace tandem::ui
