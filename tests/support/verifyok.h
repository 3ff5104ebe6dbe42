#pragma once

#include <QTest>

#include "support/outcome.h"

/// Waits for a future from the test thread (tandem::test::outcome()) and fails
/// the test, with the error's text, unless it succeeded.
#define VERIFY_OK(future)                                                                                   \
    do {                                                                                                    \
        const mailcore::Error verifyOkError_ = tandem::test::outcome(future);                              \
        QVERIFY2(!verifyOkError_.isError(), qPrintable(verifyOkError_.toString()));                        \
    } while (false)
