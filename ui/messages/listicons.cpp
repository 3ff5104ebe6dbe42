// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/messages/listicons.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>
#include <QtMath>

namespace tandem::ui {

namespace {

constexpr int Size = 32; // painted large, scaled down by the view

QPixmap canvas()
{
    QPixmap pixmap(Size, Size);
    pixmap.fill(Qt::transparent);
    return pixmap;
}

} // namespace

QIcon flagIcon()
{
    static const QIcon icon = [] {
        QPixmap pixmap = canvas();
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        QPolygonF star;
        for (int i = 0; i < 10; ++i) {
            const qreal radius = (i % 2 == 0) ? 14.0 : 6.0;
            const qreal angle = qDegreesToRadians(-90.0 + 36.0 * i);
            star << QPointF(16 + radius * qCos(angle), 17 + radius * qSin(angle));
        }
        p.setPen(QPen(QColor(0xb3, 0x6b, 0x00), 1.5));
        p.setBrush(QColor(0xf5, 0xa6, 0x23));
        p.drawPolygon(star);
        return QIcon(pixmap);
    }();
    return icon;
}

QIcon attachmentIcon()
{
    static const QIcon icon = [] {
        QPixmap pixmap = canvas();
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(QColor(0x55, 0x5d, 0x66), 2.6, Qt::SolidLine, Qt::RoundCap));
        p.setBrush(Qt::NoBrush);
        // A paper clip: an outer and an inner loop of one wire.
        QPainterPath clip;
        clip.moveTo(20, 9);
        clip.lineTo(20, 24);
        clip.arcTo(QRectF(12, 19, 8, 10), 0, -180);
        clip.lineTo(12, 6);
        clip.arcTo(QRectF(12, 1, 12, 10), 180, -180);
        clip.lineTo(24, 24);
        p.drawPath(clip);
        return QIcon(pixmap);
    }();
    return icon;
}

} // namespace tandem::ui
