// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "slowevents.h"

#include <QElapsedTimer>
#include <QEvent>
#include <QMetaEnum>
#include <QThread>

#include <cstdio>

#include <fcntl.h>
#include <unistd.h>

namespace tandem::bench {

SlowEventApplication::SlowEventApplication(int &argc, char **argv)
    : QApplication(argc, argv)
{
    // Linux: cumulative ns on a CPU, ns runnable but waiting, timeslices.
    m_schedStatFd = ::open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
}

SlowEventApplication::SchedStat SlowEventApplication::schedStat() const
{
    SchedStat stat;
    char text[128] = {};
    if (m_schedStatFd >= 0 && ::pread(m_schedStatFd, text, sizeof text - 1, 0) > 0) {
        long long onCpu = 0;
        long long waiting = 0;
        if (std::sscanf(text, "%lld %lld", &onCpu, &waiting) == 2)
            stat = {onCpu, waiting};
    }
    return stat;
}

bool SlowEventApplication::notify(QObject *receiver, QEvent *event)
{
    // Only the GUI thread's deliveries: other threads' are not stalls.
    if (m_reportOverNs <= 0 || QThread::currentThread() != thread())
        return QApplication::notify(receiver, event);
    const QEvent::Type type = event->type();
    // Taken before delivery: the receiver may be deleted by it.
    const char *className = receiver->metaObject()->className();
    const QString name = receiver->objectName();
    const SchedStat before = schedStat();
    QElapsedTimer clock;
    clock.start();
    ++m_depth;
    const bool handled = QApplication::notify(receiver, event);
    --m_depth;
    const qint64 ns = clock.nsecsElapsed();
    if (ns > m_reportOverNs) {
        const SchedStat after = schedStat();
        const qint64 runningNs = after.onCpuNs - before.onCpuNs;
        const qint64 waitingNs = after.waitingForCpuNs - before.waitingForCpuNs;
        const char *typeName = QEvent::staticMetaObject.enumerator(QEvent::staticMetaObject.indexOfEnumerator("Type"))
                                   .valueToKey(int(type));
        std::fprintf(
            stderr,
            "slow event: %.1f ms (running %.1f, waiting for a CPU %.1f, blocked %.1f) depth %d %s to %s \"%s\"\n",
            double(ns) / 1e6, double(runningNs) / 1e6, double(waitingNs) / 1e6,
            double(ns - runningNs - waitingNs) / 1e6, m_depth, typeName ? typeName : "?", className, qPrintable(name));
    }
    return handled;
}

} // namespace tandem::bench
