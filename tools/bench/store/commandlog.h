// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QMap>

namespace benchstore {

/// Counts the IMAP commands this process sends, by name, from mailcore's own
/// trace: every command the IMAP session puts on the wire is logged once, at
/// debug level, as `> "tag NAME ..."` (mailcore/imap/session.cpp). Counting
/// those lines needs no change to the library and no proxy that would have
/// to see inside TLS. Connections are counted by their logins.
class CommandLog
{
public:
    /// What was sent between two snapshots.
    struct Counts {
        QMap<QByteArray, int> byName; ///< "UID FETCH" -> 40
        int total() const;
        int logins() const; ///< AUTHENTICATE or LOGIN: one per connection opened
        QJsonObject toJson() const;
    };

    /// Turns the IMAP trace on and starts counting (once per process).
    static void install();
    /// Everything counted so far; subtract two to get what happened between.
    static Counts snapshot();
    static Counts since(const Counts &before);
};

} // namespace benchstore
