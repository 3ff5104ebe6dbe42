// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QApplication>

namespace tandem::bench {

/// A QApplication that times every event it delivers and writes each delivery
/// longer than a threshold to stderr: the receiver's class and name, the event
/// type, how deep in nested deliveries it ran, and how the time was spent:
/// running, waiting for a CPU (other threads and processes had it), or
/// neither (blocked: a lock, a system call). The stall probe says *that* the
/// GUI thread was away; this says *where*. Off (threshold 0) unless asked.
class SlowEventApplication : public QApplication
{
public:
    SlowEventApplication(int &argc, char **argv);

    void setReportOverMs(double ms) { m_reportOverNs = qint64(ms * 1e6); }
    bool notify(QObject *receiver, QEvent *event) override;

private:
    struct SchedStat {
        qint64 onCpuNs = 0;
        qint64 waitingForCpuNs = 0;
    };
    SchedStat schedStat() const;

    qint64 m_reportOverNs = 0;
    int m_schedStatFd = -1; // the GUI thread's /proc/.../schedstat
    int m_depth = 0;
};

} // namespace tandem::bench
