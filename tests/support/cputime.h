// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// "No unbounded work" checks that hold on a slow or loaded machine: they
// measure this thread's CPU time (other processes do not count) and compare
// the work on one input with the work on a quarter of it, never with a number
// of milliseconds.

#include <QString>
#include <QtGlobal>

#include <ctime>

namespace tandem::test {

/// This thread's CPU time so far, in microseconds.
inline qint64 threadCpuTimeUs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1000000 + now.tv_nsec / 1000;
}

/// The CPU time `work()` takes in this thread, in microseconds.
template <typename Work>
qint64 cpuTimeUs(Work &&work)
{
    const qint64 start = threadCpuTimeUs();
    work();
    return threadCpuTimeUs() - start;
}

/// Given the CPU time of some work on an input (`quarterUs`) and on one 4
/// times as large (`wholeUs`): empty when it grew about linearly, less than 8
/// times (quadratic work grows 16 times), with `graceUs` for work so short that
/// the clock's grain and the caches decide; else what it did, for QVERIFY2.
inline QString worseThanLinear(qint64 quarterUs, qint64 wholeUs, qint64 graceUs = 50000)
{
    if (wholeUs < 8 * quarterUs + graceUs)
        return {};
    return QStringLiteral("%1 us of CPU for the whole input, %2 us for a quarter of it").arg(wholeUs).arg(quarterUs);
}

} // namespace tandem::test
