// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/download/folderdownload.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>

#include "mailcore/base/error.h"
#include "mailcore/store/bodydownload.h"
#include "ui/sync/accountsync.h"

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

FolderDownload::FolderDownload(AccountSync *sync, QWidget *parent)
    : QWidget(parent)
    , m_sync(sync)
    , m_label(new QLabel)
    , m_bar(new QProgressBar)
    , m_count(new QLabel)
    , m_cancelButton(new QPushButton(tr("Cancel")))
{
    setObjectName(QStringLiteral("folderDownload"));
    m_bar->setObjectName(QStringLiteral("downloadProgress"));
    m_cancelButton->setObjectName(QStringLiteral("downloadCancel"));
    m_cancelButton->setEnabled(false);
    m_bar->setRange(0, 1);
    m_bar->setValue(0);
    m_bar->setTextVisible(false);
    m_count->setObjectName(QStringLiteral("downloadCount"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_bar, 1);
    layout->addWidget(m_count);
    layout->addWidget(m_cancelButton);

    m_progressTimer.setSingleShot(true);
    m_progressTimer.setInterval(100);
    connect(&m_progressTimer, &QTimer::timeout, this, &FolderDownload::showProgress);
    connect(m_cancelButton, &QPushButton::clicked, this, &FolderDownload::cancel);
    connect(&m_listing, &QFutureWatcherBase::finished, this, &FolderDownload::onListed);
    connect(&m_fetching, &QFutureWatcherBase::progressValueChanged, this, &FolderDownload::onFetched);
    connect(&m_fetching, &QFutureWatcherBase::finished, this, &FolderDownload::onFetchFinished);
    connect(&m_storing, &QFutureWatcherBase::finished, this, &FolderDownload::onStored);
}

FolderDownload::~FolderDownload()
{
    // Disconnect first: no signal may reach a half-destroyed widget.
    m_listing.disconnect(this);
    m_fetching.disconnect(this);
    m_storing.disconnect(this);
    m_listing.cancel();
    m_fetching.cancel();
    // The writes still queued finish in the store's writer; nothing waits here.
}

void FolderDownload::start(const QString &folder)
{
    if (isRunning() || !m_sync)
        return;
    m_phase = Phase::Listing;
    m_cancelRequested = false;
    m_folder = folder;
    m_done = 0;
    m_total = 0;
    m_missing = 0;
    m_fetchCancelled = false;
    m_download.reset();
    m_label->setText(tr("Downloading %1").arg(folder));
    m_count->clear();
    m_bar->setRange(0, 0); // busy until the number of messages is known
    m_cancelButton->setEnabled(true);
    const qint64 accountId = m_sync->accountId();
    m_listing.setFuture(
        m_sync->run([accountId, folder](mailcore::store::MailStore &store, mailcore::ImapClient *client) {
            if (!client) // POP3: every message is stored already
                throw mailcore::MailException(
                    mailcore::Error(mailcore::ErrorCode::BadArgument, tr("a POP3 account's mail is all stored")));
            mailcore::Result<mailcore::store::BodyDownload> started = mailcore::store::BodyDownload::start(
                store, *client, accountId, folder);
            if (!started)
                throw mailcore::MailException(started.error());
            return started.value();
        }));
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
    // A listing is not cancelled: it may have started the fetch already,
    // which onListed() then stops. The writes of what arrived are waited for.
    m_fetching.cancel();
}

void FolderDownload::onListed()
{
    if (m_phase != Phase::Listing || !m_listing.future().isFinished())
        return;
    const QFuture<mailcore::store::BodyDownload> listing = m_listing.future();
    m_listing.setFuture({});
    if (const QString error = errorOf(listing); !error.isEmpty())
        return finish(false, error);
    if (listing.resultCount() == 0)
        return finish(true, {});
    m_download = std::make_shared<mailcore::store::BodyDownload>(listing.result());
    m_total = m_download->total();
    if (m_cancelRequested) {
        m_download->fetching().cancel(); // it started in the worker meanwhile: stopped, and no more progress
    } else {
        m_bar->setRange(0, std::max(m_total, 1));
        showProgress();
    }
    m_phase = Phase::Fetching;
    m_fetching.setFuture(m_download->fetching());
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
    m_fetchCancelled = fetched.isCanceled();
    if (!m_fetchCancelled && fetched.resultCount() > 0) {
        // The last progress signal may have been held back: the result is exact.
        m_done = fetched.result().delivered;
        m_missing = fetched.result().missing;
    }
    // What arrived is kept even when cancelled or failed: wait for its writes.
    m_phase = Phase::Storing;
    std::shared_ptr<mailcore::store::BodyDownload> download = m_download;
    m_storing.setFuture(m_sync->run([download](mailcore::store::MailStore &, mailcore::ImapClient *) {
        const mailcore::Result<int> stored = download->finish();
        if (!stored)
            throw mailcore::MailException(stored.error());
        return stored.value();
    }));
}

void FolderDownload::onStored()
{
    if (m_phase != Phase::Storing || !m_storing.future().isFinished())
        return;
    const QFuture<int> storing = m_storing.future();
    m_storing.setFuture({});
    m_download.reset();
    if (const QString error = errorOf(storing); !error.isEmpty())
        return finish(m_cancelRequested, error);
    finish(m_cancelRequested || m_fetchCancelled, {});
}

void FolderDownload::finish(bool cancelled, const QString &error)
{
    m_phase = Phase::Idle;
    m_progressTimer.stop();
    if (!cancelled)
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
    const QLocale locale;
    m_count->setText(tr("%1 of %2").arg(locale.toString(m_done), locale.toString(m_total)));
    Q_EMIT progress(m_done, m_total);
}

} // namespace tandem::ui
