// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QList>

#include "mailcore/base/error.h"
#include "mailcore/base/result.h"
#include "mailcore/mailcore_export.h"

namespace mailcore::smtp {

/// RFC 3463 enhanced status code ("5.1.1"); isValid() is false when absent.
struct EnhancedStatus {
    int klass = 0;
    int subject = 0;
    int detail = 0;

    bool isValid() const { return klass != 0; }
    friend bool operator==(const EnhancedStatus &, const EnhancedStatus &) = default;
};

/// One complete SMTP reply: the code, the enhanced status (from the first line)
/// and the text of every line, code and enhanced status stripped.
struct MAILCORE_EXPORT Reply {
    int code = 0;
    EnhancedStatus enhanced;
    QList<QByteArray> lines;

    bool isPositive() const { return code >= 200 && code < 300; }
    bool isIntermediate() const { return code >= 300 && code < 400; }
    bool isTransientFailure() const { return code >= 400 && code < 500; }
    bool isPermanentFailure() const { return code >= 500; }

    /// All lines joined with "\n", for messages.
    QByteArray text() const;
    /// "5.1.1" or empty.
    QByteArray enhancedText() const;

    /// The Error a failure reply stands for: Auth for 535 (and 5.7.8), Limit for
    /// 552 and x.3.4 / 5.2.2 / 5.2.3 (size limits), ServerRefused otherwise, with
    /// code and text; None for 2xx and 3xx.
    Error toError() const;

    /// The decoded challenge of a 334 reply (RFC 4954). A challenge that is not
    /// valid base64 is a Protocol error.
    Result<QByteArray> challenge() const;

    friend bool operator==(const Reply &, const Reply &) = default;
};

} // namespace mailcore::smtp
