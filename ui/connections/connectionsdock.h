// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QDockWidget>
#include <QPointer>

#include "mailcore/base/poolsnapshot.h"

class QLabel;
class QSplitter;
class QTableView;
class QTimer;

namespace mailcore {
class CredentialsByHostClient;
}

namespace tandem::ui {

class ConnectionsModel;
class PoolChart;

/// The Connections panel (issue 6): a live table of one account's connections
/// and a chart of connections in use and tasks waiting, with the limit and any
/// lowered limit (B05 in docs/POOL.md, B08).
///
/// Fed only by the client's poolChanged() signal (already coalesced by the
/// client) and a one-second timer that moves the clock when the pool is
/// quiet; it never calls the network and never waits. GUI thread only.
class ConnectionsDock : public QDockWidget
{
    Q_OBJECT

public:
    /// `client` may live in another thread (the signal is then queued); it
    /// must outlive the dock or be destroyed first (the dock then stops).
    explicit ConnectionsDock(mailcore::CredentialsByHostClient *client, QWidget *parent = nullptr);

    ConnectionsModel *model() const { return m_model; }
    PoolChart *chart() const { return m_chart; }
    QTableView *table() const { return m_table; }
    /// The one-line summary: limit, lowered limit, connections, tasks.
    QString summaryText() const;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void onPoolChanged(const mailcore::PoolSnapshot &snapshot);
    void onTick();
    void present(const mailcore::PoolSnapshot &snapshot, qint64 nowMs);

    QPointer<mailcore::CredentialsByHostClient> m_client;
    ConnectionsModel *m_model;
    PoolChart *m_chart;
    QTableView *m_table;
    QSplitter *m_splitter;
    QLabel *m_summary;
    QTimer *m_tick;
    mailcore::PoolSnapshot m_last;
};

} // namespace tandem::ui
