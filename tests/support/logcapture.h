// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QString>
#include <QStringList>

namespace tandem::test {

/// Captures every log message (with the tandem.* categories at debug level,
/// where commands are logged) for as long as it lives, from any thread:
///
///     LogCapture log;
///     ... log in ...
///     QVERIFY2(log.lineContainingAny({password}).isEmpty(), ...);
///
/// One at a time: Qt has one message handler.
class LogCapture
{
public:
    LogCapture();
    ~LogCapture();
    LogCapture(const LogCapture &) = delete;
    LogCapture &operator=(const LogCapture &) = delete;

    QStringList lines() const;
    /// All lines, one per line.
    QString text() const { return lines().join(QLatin1Char('\n')); }
    /// The first line that contains one of `needles` (e.g. a password in its
    /// several encodings); empty when none does.
    QString lineContainingAny(const QStringList &needles) const;
};

} // namespace tandem::test
