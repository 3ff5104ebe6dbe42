// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/imapclient/operations.h"

namespace mailcore::imapops {

Error noSuchMessage(const QString &folder, quint32 uid)
{
    return Error(ErrorCode::NotFound, QStringLiteral("no message with UID %1 in %2").arg(uid).arg(folder));
}

} // namespace mailcore::imapops
