// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/pop3client/pop3marks.h"

namespace mailcore::detail {

void Pop3Marks::deleted(quint64 on, const QByteArray &uid)
{
    std::lock_guard lock(mutex);
    if (session != on) {
        // The session the earlier marks lived on is gone, and with it the marks.
        lost += int(marked.size());
        marked.clear();
        session = on;
    }
    if (!marked.contains(uid))
        marked << uid;
}

void Pop3Marks::undeleted(quint64 on)
{
    std::lock_guard lock(mutex);
    marked.clear();
    lost = 0;
    session = on;
}

int Pop3Marks::settle(quint64 on)
{
    ++maildrop->commits;
    std::lock_guard lock(mutex);
    const int gone = lost + (session == on ? 0 : int(marked.size()));
    marked.clear();
    lost = 0;
    session = 0;
    return gone;
}

} // namespace mailcore::detail
