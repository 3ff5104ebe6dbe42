// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/net/threadpriority.h"

#include <algorithm>

#if defined(Q_OS_LINUX) || defined(__linux__)
#include <cerrno>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace mailcore::net {

void lowerCurrentThreadPriority()
{
#if defined(__linux__)
    thread_local bool lowered = false;
    if (lowered || kBackgroundNiceIncrement == 0)
        return;
    lowered = true;
    // On Linux a nice value belongs to a thread, not to the process: with the
    // thread's own id only this thread changes. Relative to the main thread
    // (usually the GUI's), not to the creating thread: a thread started by a
    // lowered one inherits its nice value and would sink further.
    const auto self = id_t(::syscall(SYS_gettid));
    errno = 0;
    const int mainNice = ::getpriority(PRIO_PROCESS, id_t(::getpid()));
    const int current = ::getpriority(PRIO_PROCESS, self);
    if (errno != 0)
        return;
    const int wanted = std::min(mainNice + kBackgroundNiceIncrement, 19);
    if (wanted > current) // only ever lower: raising needs privileges, and someone chose it
        (void)::setpriority(PRIO_PROCESS, self, wanted);
#endif
}

} // namespace mailcore::net
