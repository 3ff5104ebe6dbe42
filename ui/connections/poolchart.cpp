// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/connections/poolchart.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace tandem::ui {

namespace {

// Colours that stay apart for the common kinds of colour blindness.
const QColor kInUseColor(0x1f, 0x77, 0xb4);   // blue
const QColor kWaitingColor(0xe6, 0x7e, 0x22); // orange
const QColor kLoweredColor(0xc0, 0x39, 0x2b); // red

} // namespace

PoolChart::PoolChart(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("poolChart"));
    setAttribute(Qt::WA_OpaquePaintEvent);
    setToolTip(tr("Connections in use (blue) and tasks waiting for a connection (orange) over the last %1 minutes.\n"
                  "Dashed: the connection limit; red dashed: a lower limit the server imposed.")
                   .arg(m_windowMs / 60000));
}

void PoolChart::addSample(qint64 atMs, int inUse, int waiting)
{
    m_samples.push_back({atMs, inUse, waiting});
    // Keep one sample older than the window: the line then starts at the left edge.
    while (m_samples.size() > 2 && m_samples[1].atMs <= atMs - m_windowMs)
        m_samples.pop_front();
    update();
}

void PoolChart::setLimits(int limit, int loweredLimit)
{
    if (limit == m_limit && loweredLimit == m_loweredLimit)
        return;
    m_limit = limit;
    m_loweredLimit = loweredLimit;
    update();
}

void PoolChart::setWindowMs(qint64 windowMs)
{
    m_windowMs = std::max<qint64>(1000, windowMs);
    update();
}

QSize PoolChart::sizeHint() const { return {360, 160}; }

QSize PoolChart::minimumSizeHint() const { return {160, 90}; }

int PoolChart::highestValue() const
{
    int high = std::max({1, m_limit, m_loweredLimit});
    for (const Sample &s : m_samples)
        high = std::max({high, s.inUse, s.waiting});
    return high;
}

void PoolChart::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());

    const QFontMetrics fm = fontMetrics();
    const int top = fm.height() + 6; // room for the legend
    const int left = fm.horizontalAdvance(QStringLiteral("000")) + 6;
    const int bottom = height() - fm.height() - 4; // room for the time labels
    const int right = width() - 8;
    if (right - left < 20 || bottom - top < 20)
        return;
    const QRect plot(QPoint(left, top), QPoint(right, bottom));
    const int high = highestValue() + 1;
    const qint64 now = m_samples.empty() ? 0 : m_samples.back().atMs;
    const auto xOf = [&](qint64 atMs) { return plot.right() - double(now - atMs) * plot.width() / double(m_windowMs); };
    const auto yOf = [&](int value) { return plot.bottom() - double(value) * plot.height() / high; };

    // Grid and axes: a few round values and one line per minute.
    const QColor gridColor = palette().color(QPalette::Mid);
    p.setPen(QPen(gridColor, 0));
    // As many value lines as fit with their labels apart, on round steps.
    const int fitting = std::max(1, plot.height() / (fm.height() + 4));
    int step = 1;
    for (const int s : {1, 2, 5, 10, 20, 25, 50, 100}) {
        step = s;
        if (high / s <= fitting)
            break;
    }
    for (int v = 0; v <= high; v += step) {
        p.drawLine(QPointF(plot.left(), yOf(v)), QPointF(plot.right(), yOf(v)));
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRectF(0, yOf(v) - fm.height() / 2.0, left - 4, fm.height()), Qt::AlignRight | Qt::AlignVCenter,
                   QString::number(v));
        p.setPen(QPen(gridColor, 0));
    }
    const int minutes = int(m_windowMs / 60000);
    for (int m = 0; m <= minutes; ++m) {
        const double x = plot.right() - double(m) * 60000 * plot.width() / double(m_windowMs);
        p.setPen(QPen(gridColor, 0));
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        p.setPen(palette().color(QPalette::Text));
        const QString label = m == 0 ? tr("now") : tr("-%1 min").arg(m);
        const int w = fm.horizontalAdvance(label);
        p.drawText(QPointF(std::clamp(x - w / 2.0, 0.0, double(width() - w)), height() - 4), label);
    }

    // The limits, dashed, each with its value at the left.
    const auto dashed = [&](int value, const QColor &color) {
        // Crisp (not antialiased) on a whole pixel row, so it reads as a rule.
        const int y = int(std::lround(yOf(value)));
        p.setPen(QPen(color, 2, Qt::DashLine));
        p.drawLine(plot.left(), y, plot.right(), y);
    };
    if (m_limit > 0)
        dashed(m_limit, palette().color(QPalette::Text));
    if (m_loweredLimit > 0)
        dashed(m_loweredLimit, kLoweredColor);

    // The two series as step lines: a value holds until the next sample.
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setClipRect(plot.adjusted(0, -2, 0, 2));
    const auto series = [&](int Sample::*field, const QColor &color) {
        if (m_samples.empty())
            return;
        QPainterPath path;
        path.moveTo(xOf(m_samples.front().atMs), yOf(m_samples.front().*field));
        for (size_t i = 1; i < m_samples.size(); ++i) {
            path.lineTo(xOf(m_samples[i].atMs), yOf(m_samples[i - 1].*field));
            path.lineTo(xOf(m_samples[i].atMs), yOf(m_samples[i].*field));
        }
        p.setPen(QPen(color, 2));
        p.setBrush(Qt::NoBrush);
        p.drawPath(path);
    };
    series(&Sample::waiting, kWaitingColor);
    series(&Sample::inUse, kInUseColor);
    p.restore();

    // Legend along the top.
    int x = left;
    const auto legend = [&](const QString &text, const QColor &color, Qt::PenStyle style) {
        p.setPen(QPen(color, 2, style));
        p.drawLine(QPointF(x, fm.height() / 2.0 + 2), QPointF(x + 16, fm.height() / 2.0 + 2));
        x += 20;
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QPointF(x, fm.ascent() + 2), text);
        x += fm.horizontalAdvance(text) + 12;
    };
    legend(tr("in use"), kInUseColor, Qt::SolidLine);
    legend(tr("waiting"), kWaitingColor, Qt::SolidLine);
    if (m_limit > 0)
        legend(tr("limit %1").arg(m_limit), palette().color(QPalette::Text), Qt::DashLine);
    if (m_loweredLimit > 0)
        legend(tr("lowered to %1").arg(m_loweredLimit), kLoweredColor, Qt::DashLine);
}

} // namespace tandem::ui
