// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QFuture>
#include <QTest>

#include "mailcore/base/error.h"

namespace tandem::test {

/// Waits for a future from the test thread (pumping its events, so queued
/// signals arrive meanwhile) and returns how it ended: ErrorCode::None when it
/// succeeded, its MailException's error when it failed, Cancelled when it was
/// cancelled without an error, Internal when it did not finish in time.
template <typename T>
mailcore::Error outcome(QFuture<T> future, int milliseconds = 30000)
{
    using mailcore::Error;
    using mailcore::ErrorCode;
    if (!QTest::qWaitFor([&] { return future.isFinished(); }, milliseconds))
        return Error(ErrorCode::Internal, QStringLiteral("the future never finished"));
    try {
        future.waitForFinished();
    } catch (const mailcore::MailException &e) {
        return e.error();
    }
    if (future.isCanceled())
        return Error(ErrorCode::Cancelled, QStringLiteral("cancelled"));
    return {};
}

} // namespace tandem::test
