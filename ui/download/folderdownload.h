// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QFutureWatcher>
#include <QList>
#include <QTimer>
#include <QWidget>

#include "mailcore/imapclient/imaptypes.h"

class QLabel;
class QProgressBar;
class QPushButton;

namespace mailcore {
class ImapClient;
}

namespace tandem::ui {

/// "Download folder" (issue 6): fetches every message of one folder in bulk
/// through the pool (B03 in docs/POOL.md), with a progress bar and a Cancel button,
/// so the Connections panel can be watched at work.
///
/// Two steps, both futures watched with QFutureWatcher so the GUI thread never
/// waits: the folder's UIDs (allUidsAsync), then downloadMessagesAsync over
/// all of them, whose progress value drives the bar. Messages stream to a sink
/// on mailcore's threads and are not kept: there is no local store yet, and a
/// future that stored them would hold the whole folder in memory and free it
/// on the GUI thread at the end. GUI thread only.
class FolderDownload : public QWidget
{
    Q_OBJECT

public:
    explicit FolderDownload(mailcore::ImapClient *client, QWidget *parent = nullptr);
    ~FolderDownload() override; ///< cancels a running download without waiting

    /// Starts downloading `folder`; ignored while a download runs.
    void start(const QString &folder);
    /// Stops the download: the running future is cancelled, so the pool starts
    /// no further command for it. finished(true, {}) follows once the future
    /// has really ended (the commands already on the wire are drained).
    void cancel();
    bool isRunning() const { return m_phase != Phase::Idle; }
    QString folder() const { return m_folder; }

Q_SIGNALS:
    /// `total` is 0 while the folder's UIDs are still being listed. At most
    /// every 100 ms while messages arrive, and once more with the final count.
    void progress(int done, int total);
    /// Exactly once per start(). `error` is empty unless the download failed.
    void finished(bool cancelled, const QString &error);

private:
    void onListed();
    void onFetched(int done);
    void onFetchFinished();
    void finish(bool cancelled, const QString &error);
    void showProgress();

    mailcore::ImapClient *m_client;
    QFutureWatcher<QList<quint32>> m_listing;
    QFutureWatcher<mailcore::BulkDownload> m_fetching;
    QString m_folder;
    /// Which future is being watched. A watcher given an empty future (to let
    /// go of the last one) reports "finished" for it; the slots ignore what
    /// does not belong to the current phase.
    enum class Phase { Idle, Listing, Fetching };
    Phase m_phase = Phase::Idle;
    bool m_cancelRequested = false;
    int m_done = 0;
    int m_total = 0;
    int m_missing = 0; // UIDs listed that were gone when fetched
    /// The bar and the signal follow the count at most every 100 ms.
    /// QProgressBar::setValue() repaints synchronously whenever its text
    /// changes, so following every message would paint the window thousands
    /// of times a second.
    QTimer m_progressTimer;
    QLabel *m_label;
    QProgressBar *m_bar;
    QPushButton *m_cancelButton;
};

} // namespace tandem::ui
