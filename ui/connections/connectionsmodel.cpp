// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/connections/connectionsmodel.h"

#include <QLocale>

namespace tandem::ui {

namespace {

using mailcore::ConnectionActivity;
using mailcore::PoolConnectionInfo;

constexpr qint64 kRateWindowMs = 1000;

bool sameConnections(const QList<PoolConnectionInfo> &a, const QList<PoolConnectionInfo> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].id != b[i].id)
            return false;
    }
    return true;
}

} // namespace

// The UI's own names rather than mailcore::roleName()/stateName(): these are
// translatable, and those are not exported from the library.
QString ConnectionsModel::roleText(mailcore::PoolConnectionInfo::Role role)
{
    switch (role) {
    case PoolConnectionInfo::Role::Main: return tr("main");
    case PoolConnectionInfo::Role::Extra: return tr("extra");
    case PoolConnectionInfo::Role::ThreadBound: return tr("thread-bound");
    case PoolConnectionInfo::Role::Push: return tr("IDLE (push)");
    }
    return {};
}

QString ConnectionsModel::stateText(mailcore::ConnectionActivity::State state)
{
    switch (state) {
    case ConnectionActivity::State::Connecting: return tr("connecting");
    case ConnectionActivity::State::Authenticating: return tr("authenticating");
    case ConnectionActivity::State::Idle: return tr("idle");
    case ConnectionActivity::State::Busy: return tr("busy");
    case ConnectionActivity::State::Idling: return tr("IDLE");
    case ConnectionActivity::State::Closing: return tr("closing");
    case ConnectionActivity::State::Closed: return tr("closed");
    }
    return {};
}

ConnectionsModel::ConnectionsModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ConnectionsModel::setSnapshot(const mailcore::PoolSnapshot &snapshot, qint64 nowMs)
{
    recordBytes(snapshot, nowMs);
    m_nowMs = nowMs;
    // Same connections in the same order: update in place so that the view
    // keeps its selection and scroll position; otherwise the rows are rebuilt.
    if (sameConnections(m_snapshot.connections, snapshot.connections)) {
        m_snapshot = snapshot;
        if (!m_snapshot.connections.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_snapshot = snapshot;
    endResetModel();
}

void ConnectionsModel::recordBytes(const mailcore::PoolSnapshot &snapshot, qint64 nowMs)
{
    QHash<int, std::deque<ByteSample>> kept;
    for (const PoolConnectionInfo &c : snapshot.connections) {
        std::deque<ByteSample> samples = m_bytes.take(c.id);
        samples.push_back({nowMs, c.activity.bytesIn + c.activity.bytesOut});
        // Keep one sample older than the window so the rate always spans it.
        while (samples.size() > 2 && samples[1].atMs <= nowMs - kRateWindowMs)
            samples.pop_front();
        kept.insert(c.id, std::move(samples));
    }
    m_bytes = std::move(kept); // closed connections drop out
}

double ConnectionsModel::rateOf(int id) const
{
    const auto it = m_bytes.constFind(id);
    if (it == m_bytes.cend() || it->size() < 2)
        return 0;
    const ByteSample &first = it->front();
    const ByteSample &last = it->back();
    if (last.atMs <= first.atMs || last.bytes < first.bytes)
        return 0;
    return double(last.bytes - first.bytes) * 1000.0 / double(last.atMs - first.atMs);
}

int ConnectionsModel::busyCount() const
{
    return int(std::count_if(m_snapshot.connections.cbegin(), m_snapshot.connections.cend(),
                             [](const PoolConnectionInfo &c) { return c.state == ConnectionActivity::State::Busy; }));
}

int ConnectionsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_snapshot.connections.size());
}

int ConnectionsModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ConnectionsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const PoolConnectionInfo &c = m_snapshot.connections.at(index.row());
    switch (role) {
    case StateRole: return int(c.state);
    case ConnectionIdRole: return c.id;
    case BytesPerSecondRole: return rateOf(c.id);
    case Qt::TextAlignmentRole:
        if (index.column() == Id || index.column() == Queue || index.column() == Rate || index.column() == Age)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Rate)
            return tr("in %1, out %2 since opened")
                .arg(QLocale().formattedDataSize(qint64(c.activity.bytesIn)),
                     QLocale().formattedDataSize(qint64(c.activity.bytesOut)));
        return {};
    case Qt::DisplayRole: break;
    default: return {};
    }
    switch (Column(index.column())) {
    case Id: return c.id;
    case Role: return roleText(c.role);
    case State: return stateText(c.state);
    case Folder: return c.folder;
    case Command: return c.activity.command;
    case Queue: return c.activity.queueDepth;
    case Rate: return formatRate(rateOf(c.id));
    case Age: return c.openedAtMs > 0 ? formatAge(m_nowMs - c.openedAtMs) : QString();
    case ColumnCount: break;
    }
    return {};
}

QVariant ConnectionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (Column(section)) {
        case Id: return tr("#");
        case Role: return tr("Role");
        case State: return tr("State");
        case Folder: return tr("Folder");
        case Command: return tr("Command");
        case Queue: return tr("Queue");
        case Rate: return tr("Bytes/s");
        case Age: return tr("Age");
        case ColumnCount: break;
        }
    } else if (role == Qt::ToolTipRole) {
        switch (Column(section)) {
        case Id: return tr("The connection's number in this account, never reused.");
        case Role:
            return tr("main: kept for the account's whole life, for short work and synchronous calls.\n"
                      "extra: opened on demand for long work (downloads), kept idle a while for reuse.\n"
                      "thread-bound: belongs to one thread that asked for a connection of its own.\n"
                      "IDLE: waits for the server to announce new mail.");
        case State:
            return tr("connecting or authenticating while it opens; busy while it has work; "
                      "idle when logged in with nothing to do; closing while it logs out.");
        case Folder: return tr("The folder selected on this connection, if any.");
        case Command: return tr("The oldest command on the wire, without its arguments.");
        case Queue: return tr("Commands waiting on this connection plus those already sent and not yet answered.");
        case Rate: return tr("Bytes received and sent per second over the last second.");
        case Age: return tr("Time since the connection was opened.");
        case ColumnCount: break;
        }
    }
    return {};
}

QString ConnectionsModel::formatRate(double bytesPerSecond)
{
    if (bytesPerSecond < 1)
        return QStringLiteral("0");
    return QLocale().formattedDataSize(qint64(bytesPerSecond)) + QStringLiteral("/s");
}

QString ConnectionsModel::formatAge(qint64 ms)
{
    const qint64 s = std::max<qint64>(0, ms / 1000);
    if (s < 60)
        return tr("%1 s").arg(s);
    if (s < 3600)
        return tr("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return tr("%1 h %2 min").arg(s / 3600).arg((s / 60) % 60, 2, 10, QLatin1Char('0'));
}

} // namespace tandem::ui
