// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Private to mailcore (not installed): what one Pop3Client's sessions share.

#include <QByteArray>
#include <QList>

#include <atomic>
#include <memory>
#include <mutex>

namespace mailcore::detail {

/// The maildrop as this client's sessions see it. A POP3 session sees the
/// maildrop as it was at its login (RFC 1939 §6), so a session that logged in
/// before a commit() may still list what that commit deleted and miss what
/// came since: it is not handed out again (PooledPop3Session::isUsable).
struct Pop3Maildrop {
    std::atomic<quint64> commits{0};  ///< commit()s answered (or ended) so far
    std::atomic<int> sessionsOpen{0}; ///< logged in and not closed: a new login may meet their lock
};

/// The deletions marked on the main session (identified by its connection's
/// serial number): they exist only there. Updated in the I/O thread right
/// after each reply, so it follows the order of the replies.
struct Pop3Marks {
    mutable std::mutex mutex;
    quint64 session = 0;
    QList<QByteArray> marked;
    int lost = 0; ///< marked on a session that died before commit()
    std::shared_ptr<Pop3Maildrop> maildrop = std::make_shared<Pop3Maildrop>();

    void deleted(quint64 on, const QByteArray &uid);
    void undeleted(quint64 on);
    /// Whatever QUIT's fate, the marks are settled: applied, or gone with the
    /// session; and every session older than now is out of date. Returns how
    /// many marks were lost.
    int settle(quint64 on);
};

} // namespace mailcore::detail
