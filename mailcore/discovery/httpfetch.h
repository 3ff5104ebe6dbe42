// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QList>
#include <QUrl>

#include <chrono>

#include "mailcore/base/result.h"

namespace mailcore::discovery {

/// GETs `url` and returns its body when the answer is 200 and at most
/// `maxBytes` long; a bigger body is cut off and refused. https verifies the
/// certificate (the system's CAs and `extraCaCertificatesPem`); a redirect
/// may not go from https to http. Blocking: runs an event loop of its own in
/// the calling thread. Errors in plain words: no such host, refused, the
/// HTTP status, timed out.
Result<QByteArray> fetchDocument(const QUrl &url, std::chrono::milliseconds timeout, qsizetype maxBytes,
                                 const QList<QByteArray> &extraCaCertificatesPem);

} // namespace mailcore::discovery
