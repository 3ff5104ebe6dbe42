// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Coalescer: a burst of requests runs the work once; a request after a run
// runs it again (once), never lost.

#include <QTest>

#include "ui/coalescer.h"

using tandem::ui::Coalescer;

class TestCoalescer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aBurstRunsOnceAndALaterRequestRunsAgain()
    {
        int runs = 0;
        Coalescer coalescer(
            std::chrono::milliseconds(50), [&runs] { ++runs; }, nullptr);
        for (int i = 0; i < 500; ++i)
            coalescer.request();
        QCOMPARE(runs, 0); // not inside the burst: at the next turn of the event loop
        QTRY_COMPARE(runs, 1);
        QVERIFY(!coalescer.isPending());
        QCoreApplication::processEvents();
        QCOMPARE(runs, 1); // nothing was asked since

        for (int i = 0; i < 500; ++i)
            coalescer.request();
        QVERIFY(coalescer.isPending());
        QTRY_COMPARE(runs, 2);
        QVERIFY(!coalescer.isPending());
    }
};

QTEST_GUILESS_MAIN(TestCoalescer)
#include "tst_coalescer.moc"
