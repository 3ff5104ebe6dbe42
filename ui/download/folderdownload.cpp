// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/download/folderdownload.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

#include "mailcore/base/error.h"
#include "mailcore/imapclient/imapclient.h"

namespace tandem::ui {

namespace {

/// The error a finished future carries, or an empty string. The future is
/// finished, so waitForFinished() only rethrows; it never waits.
template <typename T>
QString errorOf(const QFuture<T> &future)
{
    try {
        QFuture<T>(future).waitForFinished();
    } catch (const mailcore::MailException &e) {
        return e.error().toString();
    } catch (const QException &) {
        return FolderDownload::tr("unexpected failure");
    }
    return {};
}

} // namespace

FolderDownload::FolderDownload(mailcore::ImapClient *client, QWidget *parent)
    : QWidget(parent)
    , m_client(client)
    , m_label(new QLabel)
    , m_bar(new QProgressBar)
    , m_cancelButton(new QPushButton(tr("Cancel")))
{
    setObjectName(QStringLiteral("folderDownload"));
    m_bar->setObjectName(QStringLiteral("downloadProgress"));
    m_cancelButton->setObjectName(QStringLiteral("downloadCancel"));
    m_cancelButton->setEnabled(false);
    m_bar->setRange(0, 1);
    m_bar->setValue(0);
    m_bar->setFormat(tr("%v of %m"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_bar, 1);
    layout->addWidget(m_cancelButton);

    m_progressTimer.setSingleShot(true);
    m_progressTimer.setInterval(100);
    connect(&m_progressTimer, &QTimer::timeout, this, &FolderDownload::showProgress);
    connect(m_cancelButton, &QPushButton::clicked, this, &FolderDownload::cancel);
    connect(&m_listing, &QFutureWatcherBase::finished, this, &FolderDownload::onListed);
    connect(&m_fetching, &QFutureWatcherBase::progressValueChanged, this, &FolderDownload::onFetched);
    connect(&m_fetching, &QFutureWatcherBase::finished, this, &FolderDownload::onFetchFinished);
}

FolderDownload::~FolderDownload()
{
    // Disconnect first: no signal may reach a half-destroyed widget.
    m_listing.disconnect(this);
    m_fetching.disconnect(this);
    m_listing.cancel();
    m_fetching.cancel();
}

void FolderDownload::start(const QString &folder)
{
    if (isRunning() || !m_client)
        return;
    m_phase = Phase::Listing;
    m_cancelRequested = false;
    m_folder = folder;
    m_done = 0;
    m_total = 0;
    m_missing = 0;
    m_label->setText(tr("Downloading %1").arg(folder));
    m_bar->setRange(0, 0); // busy until the number of messages is known
    m_cancelButton->setEnabled(true);
    m_listing.setFuture(m_client->allUidsAsync(folder));
    Q_EMIT progress(0, 0);
}

void FolderDownload::cancel()
{
    if (!isRunning() || m_cancelRequested)
        return;
    m_cancelRequested = true;
    m_cancelButton->setEnabled(false);
    m_progressTimer.stop();
    m_label->setText(tr("Stopping…"));
    m_listing.cancel();
    m_fetching.cancel();
}

void FolderDownload::onListed()
{
    if (m_phase != Phase::Listing || !m_listing.future().isFinished())
        return;
    const QFuture<QList<quint32>> listing = m_listing.future();
    m_listing.setFuture({});
    if (m_cancelRequested)
        return finish(true, {});
    if (const QString error = errorOf(listing); !error.isEmpty())
        return finish(false, error);
    const QList<quint32> uids = listing.resultCount() > 0 ? listing.result() : QList<quint32>();
    m_total = int(uids.size());
    if (uids.isEmpty())
        return finish(false, {});
    m_bar->setRange(0, m_total);
    showProgress();
    m_phase = Phase::Fetching;
    // No local store yet: each message is dropped where it arrives.
    m_fetching.setFuture(m_client->downloadMessagesAsync(m_folder, uids, [](mailcore::FetchedMessage &&) {}));
}

void FolderDownload::onFetched(int done)
{
    if (m_phase != Phase::Fetching || m_cancelRequested)
        return;
    m_done = done;
    if (!m_progressTimer.isActive())
        m_progressTimer.start();
}

void FolderDownload::onFetchFinished()
{
    if (m_phase != Phase::Fetching || !m_fetching.future().isFinished())
        return;
    const QFuture<mailcore::BulkDownload> fetched = m_fetching.future();
    m_fetching.setFuture({});
    if (m_cancelRequested)
        return finish(true, {});
    if (const QString error = errorOf(fetched); !error.isEmpty())
        return finish(false, error);
    const mailcore::BulkDownload result = fetched.resultCount() > 0 ? fetched.result() : mailcore::BulkDownload{};
    // The last progress signal may have been held back: the result is exact.
    m_done = result.delivered;
    m_missing = result.missing;
    finish(false, {});
}

void FolderDownload::finish(bool cancelled, const QString &error)
{
    m_phase = Phase::Idle;
    m_progressTimer.stop();
    if (!cancelled && m_total > 0)
        showProgress(); // the final count, not held back by the timer
    m_cancelButton->setEnabled(false);
    if (cancelled)
        m_label->setText(tr("%1: cancelled").arg(m_folder));
    else if (!error.isEmpty())
        m_label->setText(tr("%1: failed").arg(m_folder));
    else if (m_missing > 0)
        m_label->setText(
            tr("%1: done; %n message(s) deleted on the server meanwhile", nullptr, m_missing).arg(m_folder));
    else
        m_label->setText(tr("%1: done").arg(m_folder));
    m_label->setToolTip(error);
    if (m_bar->maximum() == 0) // never got a total: leave the busy state
        m_bar->setRange(0, 1);
    Q_EMIT finished(cancelled, error);
}

void FolderDownload::showProgress()
{
    m_bar->setValue(m_done);
    Q_EMIT progress(m_done, m_total);
}

} // namespace tandem::ui
