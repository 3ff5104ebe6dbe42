#pragma once

#include <QFutureWatcher>
#include <QList>
#include <QTimer>
#include <QWidget>

#include "mailcore/imaptypes.h"

class QLabel;
class QProgressBar;
class QPushButton;

namespace mailcore {
class ImapClient;
}

namespace tandem::ui {

/// "Download folder" (issue 6): fetches every message of one folder in bulk
/// through the pool (pool spec B03), with a progress bar and a Cancel button,
/// so the Connections panel can be watched at work.
///
/// Two steps, both futures watched with QFutureWatcher so the GUI thread never
/// waits: the folder's UIDs (allUidsAsync), then fetchMessagesAsync over
/// all of them, whose results drive the progress. The messages are not kept:
/// there is no local store yet. GUI thread only.
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
    void onFetched(int begin, int end);
    void onFetchFinished();
    void finish(bool cancelled, const QString &error);
    void showProgress();

    mailcore::ImapClient *m_client;
    QFutureWatcher<QList<quint32>> m_listing;
    QFutureWatcher<mailcore::FetchedMessage> m_fetching;
    QString m_folder;
    /// Which future is being watched. A watcher given an empty future (to
    /// free the messages the last one stored) reports "finished" for it; the
    /// slots ignore what does not belong to the current phase.
    enum class Phase { Idle, Listing, Fetching };
    Phase m_phase = Phase::Idle;
    bool m_cancelRequested = false;
    int m_done = 0;
    int m_total = 0;
    /// Messages arrive one result at a time, thousands a second; the bar and
    /// the signal follow at most every 100 ms. QProgressBar::setValue()
    /// repaints synchronously whenever its text changes, so one call per
    /// message would paint and flush the window 10,000 times.
    QTimer m_progressTimer;
    QLabel *m_label;
    QProgressBar *m_bar;
    QPushButton *m_cancelButton;
};

} // namespace tandem::ui
