#pragma once

#include "mailcore/mailcore_export.h"

namespace mailcore::net {

/// How much lower than the process's other threads mailcore's own threads
/// (connection I/O, tasks) ask the scheduler to run them: a Linux nice
/// increment. The GUI thread of the program that uses mailcore then gets the
/// CPU first when both want it, so a bulk download (TLS decryption and parsing
/// on up to maxConnectionsPerServer threads) cannot starve the window of
/// frames. The network waits dominate their work anyway; 0 turns it off.
inline constexpr int kBackgroundNiceIncrement = 5;

/// Lowers the calling thread's priority to kBackgroundNiceIncrement below the
/// process's main thread, once per thread (later calls do nothing). Where threads cannot be told apart by the
/// scheduler (not Linux) it does nothing. Never fails: a refusal only means
/// the thread keeps its priority.
MAILCORE_EXPORT void lowerCurrentThreadPriority();

} // namespace mailcore::net
