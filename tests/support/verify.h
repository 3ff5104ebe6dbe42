// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// One-line checks of how an operation ended, for test functions (they return
// from the test on failure, like QVERIFY).

#include <QTest>

#include "support/outcome.h"

/// Waits for a future from the test thread (tandem::test::outcome()) and fails
/// the test, with the error's text, unless it succeeded.
#define VERIFY_OK(future)                                                                                              \
    do {                                                                                                               \
        const mailcore::Error verifyOkError_ = tandem::test::outcome(future);                                          \
        QVERIFY2(!verifyOkError_.isError(), qPrintable(verifyOkError_.toString()));                                    \
    } while (false)

/// The mailcore::Error `error` has `expectedCode`, and its message contains
/// `text` (a string literal).
#define VERIFY_ERROR(error, expectedCode, text)                                                                        \
    do {                                                                                                               \
        const mailcore::Error &verifyError_ = (error);                                                                 \
        QCOMPARE(verifyError_.code(), expectedCode);                                                                   \
        QVERIFY2(verifyError_.message().contains(QLatin1String(text)), qPrintable(verifyError_.message()));            \
    } while (false)
