// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

class QThreadPool;

namespace tandem::ui {

/// The UI's thread pool for CPU work off the GUI thread: decoding list rows,
/// parsing opened messages, saving attachments. It lives until the program
/// ends, so a continuation scheduled on it can never find it gone (a pool
/// owned by a widget could be destroyed while a fetch it waits for is still
/// running). Network work never runs here: that is the clients' own pools.
QThreadPool *workerPool();

} // namespace tandem::ui
