// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QFutureWatcher>
#include <QList>
#include <QTimer>
#include <QWidget>
#include <memory>

#include "mailcore/imapclient/imaptypes.h"
#include "mailcore/store/bodydownload.h"

class QLabel;
class QProgressBar;
class QPushButton;

namespace tandem::ui {

class AccountSync;

/// "Download folder": fetches every message of one folder that the local
/// store does not hold yet, in bulk through the pool (B03 in docs/POOL.md),
/// into the store, so the folder can then be read offline; with a progress
/// bar and a Cancel button, so the Connections panel can be watched at work.
///
/// Three steps, each a future watched with QFutureWatcher so the GUI thread
/// never waits: which messages lack a body (a store read, on a worker
/// thread), the bulk fetch (mailcore::store::BodyDownload: each message is
/// handed to the store's writer as it arrives, nothing is held in memory),
/// whose progress value drives the bar, then waiting for the last writes.
/// What arrived before a cancel or a failure stays stored. GUI thread only.
class FolderDownload : public QWidget
{
    Q_OBJECT

public:
    /// Downloads through `sync`'s client into its store; `sync` must outlive it.
    explicit FolderDownload(AccountSync *sync, QWidget *parent = nullptr);
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
    /// `total` is 0 while the messages to fetch are still being found. At
    /// most every 100 ms while messages arrive, and once more with the final count.
    void progress(int done, int total);
    /// Exactly once per start(). `error` is empty unless the download failed.
    void finished(bool cancelled, const QString &error);

private:
    void onListed();
    void onFetched(int done);
    void onFetchFinished();
    void onStored();
    void finish(bool cancelled, const QString &error);
    void showProgress();

    AccountSync *m_sync;
    QFutureWatcher<mailcore::store::BodyDownload> m_listing;
    QFutureWatcher<mailcore::BulkDownload> m_fetching;
    QFutureWatcher<int> m_storing;
    std::shared_ptr<mailcore::store::BodyDownload> m_download;
    QString m_folder;
    /// Which future is being watched. A watcher given an empty future (to let
    /// go of the last one) reports "finished" for it; the slots ignore what
    /// does not belong to the current phase.
    enum class Phase { Idle, Listing, Fetching, Storing };
    Phase m_phase = Phase::Idle;
    bool m_cancelRequested = false;
    int m_done = 0;
    int m_total = 0;
    int m_missing = 0; // messages listed that were gone when fetched
    bool m_fetchCancelled = false;
    /// The bar and the signal follow the count at most every 100 ms.
    /// QProgressBar::setValue() repaints synchronously whenever its text
    /// changes, so following every message would paint the window thousands
    /// of times a second.
    QTimer m_progressTimer;
    QLabel *m_label;
    QProgressBar *m_bar;
    /// "3,452 of 10,000" beside the bar, not in it: drawn inside, the bar's
    /// fill covered the first digits (the text does not change colour where
    /// the fill passes under it in every style).
    QLabel *m_count;
    QPushButton *m_cancelButton;
};

} // namespace tandem::ui
