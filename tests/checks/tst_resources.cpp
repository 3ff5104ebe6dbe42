// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The resources the program compiles in (resources/CMakeLists.txt) are there and
// load: the window icon that app/main.cpp sets, at every size it was made in.
#include <QIcon>
#include <QSize>
#include <QTest>

class TestResources : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void windowIconHasEverySize()
    {
        const QIcon icon(QStringLiteral(":/org/tandem/Tandem/icons/tandem.ico"));
        QVERIFY(!icon.isNull());
        const QList<QSize> sizes = icon.availableSizes();
        for (int side : {16, 24, 32, 48, 64, 128, 256})
            QVERIFY2(sizes.contains(QSize(side, side)), qPrintable(QStringLiteral("no %1 px image").arg(side)));
        // Drawn, not blank: the tile's colour at the centre of the 32 px image.
        const QImage image = icon.pixmap(QSize(32, 32)).toImage();
        QVERIFY(image.pixelColor(2, 16).alpha() > 0 || image.pixelColor(16, 16).alpha() > 0);
    }
};

QTEST_MAIN(TestResources)
#include "tst_resources.moc"
