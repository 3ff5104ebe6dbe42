// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/connections/connectionsdock.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include "mailcore/client/credentialsbyhostclient.h"
#include "ui/connections/connectionsmodel.h"
#include "ui/connections/poolchart.h"

namespace tandem::ui {

ConnectionsDock::ConnectionsDock(mailcore::CredentialsByHostClient *client, QWidget *parent)
    : QDockWidget(tr("Connections"), parent)
    , m_client(client)
    , m_model(new ConnectionsModel(this))
    , m_chart(new PoolChart)
    , m_table(new QTableView)
    , m_splitter(nullptr)
    , m_summary(new QLabel)
    , m_tick(new QTimer(this))
{
    setObjectName(QStringLiteral("connectionsDock"));

    m_summary->setObjectName(QStringLiteral("connectionsSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_table->setObjectName(QStringLiteral("connectionsTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    // Fixed widths rather than ResizeToContents: that would measure every cell
    // on every update, several times a second while the pool is busy.
    // In widths of '0', enough for the longest usual value ("thread-bound",
    // "authenticating", "UID FETCH", "123.4 KB/s", "59 min 59 s").
    const int digit = m_table->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    const int widths[ConnectionsModel::ColumnCount] = {3, 9, 10, 12, 9, 5, 10, 7};
    for (int column = 0; column < ConnectionsModel::ColumnCount; ++column)
        m_table->setColumnWidth(column, widths[column] * digit + 8);
    // No stretching: in a wide dock a stretched column only pushes its
    // neighbour's value far from the others.
    m_table->horizontalHeader()->setStretchLastSection(false);

    m_splitter = new QSplitter(Qt::Vertical);
    m_splitter->addWidget(m_table);
    m_splitter->addWidget(m_chart);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    m_splitter->setChildrenCollapsible(false);

    auto *body = new QWidget;
    auto *layout = new QVBoxLayout(body);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_summary);
    layout->addWidget(m_splitter, 1);
    setWidget(body);

    if (client) {
        connect(client, &mailcore::CredentialsByHostClient::poolChanged, this, &ConnectionsDock::onPoolChanged);
        // The state at construction: poolSnapshot() only takes the pool's
        // lock for a copy, it never waits on the network.
        m_last = client->poolSnapshot();
    }
    present(m_last, QDateTime::currentMSecsSinceEpoch());

    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, &ConnectionsDock::onTick);
    m_tick->start();
}

void ConnectionsDock::resizeEvent(QResizeEvent *event)
{
    QDockWidget::resizeEvent(event);
    // Docked along the top or bottom the panel is wide and low: table and
    // chart side by side; along a side, one above the other.
    const Qt::Orientation wanted = width() > 2 * height() ? Qt::Horizontal : Qt::Vertical;
    if (m_splitter && m_splitter->orientation() != wanted)
        m_splitter->setOrientation(wanted);
}

void ConnectionsDock::onPoolChanged(const mailcore::PoolSnapshot &snapshot)
{
    m_last = snapshot;
    present(snapshot, QDateTime::currentMSecsSinceEpoch());
}

void ConnectionsDock::onTick()
{
    // Nothing reported since the last signal means nothing changed: replay the
    // last snapshot at the current time so the chart and the ages move on.
    present(m_last, QDateTime::currentMSecsSinceEpoch());
}

void ConnectionsDock::present(const mailcore::PoolSnapshot &snapshot, qint64 nowMs)
{
    m_model->setSnapshot(snapshot, nowMs);
    m_chart->setLimits(snapshot.limit, snapshot.loweredLimit);
    m_chart->addSample(nowMs, snapshot.inUse, snapshot.tasksWaiting);
    if (const QString text = summaryText(); text != m_summary->text())
        m_summary->setText(text); // a new text re-lays out the dock: only when it changed
}

QString ConnectionsDock::summaryText() const
{
    const mailcore::PoolSnapshot &s = m_model->snapshot();
    QString text = tr("Limit %1").arg(s.limit);
    if (s.loweredLimit > 0)
        text += tr(", lowered by the server to %1").arg(s.loweredLimit);
    text += tr(" · %n connection(s) open, %1 in use", nullptr, s.connectionCount).arg(s.inUse);
    text += tr(" · tasks: %1 running, %2 waiting").arg(s.tasksRunning).arg(s.tasksWaiting);
    if (s.bulkWidth > 0)
        text += tr(" · downloads on %n connection(s) (as many as speed them up)", nullptr, s.bulkWidth);
    return text;
}

} // namespace tandem::ui
