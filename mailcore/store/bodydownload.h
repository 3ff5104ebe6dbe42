// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QFuture>
#include <QString>

#include <memory>

#include "mailcore/base/result.h"
#include "mailcore/imapclient/imaptypes.h"
#include "mailcore/mailcore_export.h"

namespace mailcore {
class ImapClient;
}

namespace mailcore::store {

class MailStore;

/// Bodies of one folder fetched into the store in bulk, streamed: each body
/// is handed to the store's writer as it arrives, so only what is on the wire
/// is in memory. What "Download folder" and ImapSync::prefetchBodies() run.
///
/// start() reads the store (run it on a worker thread for a big folder); the
/// fetch then runs on the pool; finish() waits for it and for the writes.
class MAILCORE_EXPORT BodyDownload
{
public:
    /// Starts fetching the bodies the store lacks among the newest `count`
    /// messages of `folder` (every message when `count` is negative), as long
    /// work of `client`'s pool (extra connections, S15, B03). The folder must
    /// be in the store (ImapSync::syncFolderList()). `pace`: Background for
    /// a prefetch nobody waits on.
    static Result<BodyDownload> start(MailStore &store, ImapClient &client, qint64 accountId, const QString &folder,
                                      int count = -1, DownloadPace pace = DownloadPace::Full);

    /// How many bodies are fetched.
    int total() const;
    /// The fetch: its progress value counts the bodies arrived (of total());
    /// cancel() stops it (what arrived is kept). Finished at once when the
    /// store had every body.
    QFuture<BulkDownload> fetching() const;
    /// Waits for the fetch and for every write. How many bodies were stored;
    /// else the first error (the bodies that arrived are stored all the same).
    /// A cancelled fetch is not an error. Worker threads only.
    Result<int> finish();

private:
    struct State;
    explicit BodyDownload(std::shared_ptr<State> state);
    std::shared_ptr<State> d;
};

} // namespace mailcore::store
