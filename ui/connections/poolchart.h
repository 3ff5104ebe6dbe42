// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QWidget>

#include <deque>

namespace tandem::ui {

/// A small live chart of one pool over the last minutes: connections in use
/// and tasks waiting as step lines, the limit (and a lowered limit, docs/POOL.md
/// B05) as dashed lines. Drawn with QPainter; keeps its own ring of samples.
/// GUI thread only.
class PoolChart : public QWidget
{
    Q_OBJECT

public:
    struct Sample {
        qint64 atMs = 0;
        int inUse = 0;
        int waiting = 0;
    };

    explicit PoolChart(QWidget *parent = nullptr);

    /// Adds a sample taken at `atMs` (ms since the epoch) and drops those
    /// older than the window. Samples must come in time order.
    void addSample(qint64 atMs, int inUse, int waiting);
    /// The limit drawn as a dashed line; loweredLimit 0 means none.
    void setLimits(int limit, int loweredLimit);

    void setWindowMs(qint64 windowMs);
    qint64 windowMs() const { return m_windowMs; }
    const std::deque<Sample> &samples() const { return m_samples; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    int highestValue() const;

    std::deque<Sample> m_samples;
    qint64 m_windowMs = 3 * 60 * 1000;
    int m_limit = 0;
    int m_loweredLimit = 0;
};

} // namespace tandem::ui
