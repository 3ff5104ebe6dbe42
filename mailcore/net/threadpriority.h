// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include "mailcore/mailcore_export.h"

namespace mailcore::net {

/// How much lower than the process's main thread mailcore's own threads
/// (connection I/O, tasks, the monitor) ask the scheduler to run them: a Linux
/// nice increment. The GUI thread of the program that uses mailcore then gets
/// the CPU first when both want it, so a bulk download (TLS decryption and
/// parsing on up to maxConnectionsPerServer threads) cannot starve the window
/// of frames: at nice 10 eight busy I/O threads weigh less than the one GUI
/// thread (110 each against 1024). Nice orders threads within the process's
/// scheduling group (its session, or its cgroup), so other programs are not
/// affected. tools/bench/gui measured +5 and +10 (docs/BENCHMARKS.md); 0
/// turns it off.
inline constexpr int kBackgroundNiceIncrement = 10;

/// Lowers the calling thread's priority to kBackgroundNiceIncrement below the
/// process's main thread, once per thread (later calls do nothing). Where threads cannot be told apart by the
/// scheduler (not Linux) it does nothing. Never fails: a refusal only means
/// the thread keeps its priority.
MAILCORE_EXPORT void lowerCurrentThreadPriority();

} // namespace mailcore::net
