// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QAbstractTableModel>
#include <QHash>

#include <deque>

#include "mailcore/base/poolsnapshot.h"

namespace tandem::ui {

/// The rows of the Connections panel: one per connection of a pool snapshot
/// (B08 in docs/POOL.md), with a transfer rate worked out from successive snapshots
/// and an age that moves with the clock. GUI thread only; fed by
/// ConnectionsDock, never by the pool directly.
class ConnectionsModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Id, Role, State, Folder, Command, Queue, Rate, Age, ColumnCount };
    /// Data roles beside the display text, for tests and delegates.
    enum DataRole {
        StateRole = Qt::UserRole + 1, ///< mailcore::ConnectionActivity::State as int
        ConnectionIdRole,
        BytesPerSecondRole, ///< double, in + out
    };

    explicit ConnectionsModel(QObject *parent = nullptr);

    /// Replaces the rows with `snapshot`'s connections. `nowMs` is the clock
    /// the rates and ages are measured against: the snapshot's own time when it
    /// is fresh, a later time when the dock's timer replays an unchanged one
    /// (nothing moved, so the rates fall to zero and the ages grow).
    void setSnapshot(const mailcore::PoolSnapshot &snapshot, qint64 nowMs);
    const mailcore::PoolSnapshot &snapshot() const { return m_snapshot; }

    /// Rows whose connection is busy right now.
    int busyCount() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString roleText(mailcore::PoolConnectionInfo::Role role);
    static QString stateText(mailcore::ConnectionActivity::State state);
    static QString formatRate(double bytesPerSecond);
    static QString formatAge(qint64 ms);

private:
    /// Bytes seen on one connection at one moment.
    struct ByteSample {
        qint64 atMs;
        quint64 bytes;
    };
    void recordBytes(const mailcore::PoolSnapshot &snapshot, qint64 nowMs);
    double rateOf(int id) const;

    mailcore::PoolSnapshot m_snapshot;
    qint64 m_nowMs = 0;
    /// Per connection id, the byte counts of the last second: the rate is
    /// taken over that window rather than between two snapshots, which arrive
    /// irregularly (at most every 100 ms, or once a second when idle).
    QHash<int, std::deque<ByteSample>> m_bytes;
};

} // namespace tandem::ui
