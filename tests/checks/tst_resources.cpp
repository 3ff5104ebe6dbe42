// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The resources the program compiles in (resources/) are there and load: the
// window icon at every size it was made in, and Tandem's own action icons as
// the fallback theme that QIcon::fromTheme() falls back on where the desktop's
// theme has no such icon (or there is no desktop theme at all).
#include <QGuiApplication>
#include <QIcon>
#include <QImage>
#include <QSize>
#include <QTest>

#include "resources/icons.h"

namespace {

/// Some pixel of the image is drawn (not fully transparent).
bool isDrawn(const QImage &image)
{
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if (image.pixelColor(x, y).alpha() > 0)
                return true;
    return false;
}

} // namespace

class TestResources : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        tandem::resources::useTandemIcons();
        // As on a desktop whose theme has none of these icons: only Tandem's own
        // icons can be found.
        QIcon::setThemeSearchPaths({QStringLiteral(":/org/tandem/Tandem/icons")});
        QIcon::setThemeName(QStringLiteral("no-such-desktop-theme"));
    }

    void windowIconHasEverySize()
    {
        const QIcon icon = QGuiApplication::windowIcon();
        QVERIFY(!icon.isNull());
        const QList<QSize> sizes = icon.availableSizes();
        for (int side : {16, 24, 32, 48, 64, 128, 256})
            QVERIFY2(sizes.contains(QSize(side, side)), qPrintable(QStringLiteral("no %1 px image").arg(side)));
        QVERIFY(isDrawn(icon.pixmap(QSize(32, 32)).toImage()));
    }

    void everyActionTheWindowUsesHasAnIconOfItsOwn()
    {
        // The theme names ui/mainwindow.cpp and ui/messages/messageactions.cpp ask for.
        const QStringList used = {QStringLiteral("view-refresh"),        QStringLiteral("folder-download"),
                                  QStringLiteral("preferences-system"),  QStringLiteral("mail-archive"),
                                  QStringLiteral("edit-delete"),         QStringLiteral("edit-undo"),
                                  QStringLiteral("mail-mark-important"), QStringLiteral("mail-mark-read")};
        const QStringList own = tandem::resources::ownActionIconNames();
        for (const QString &name : used) {
            QVERIFY2(own.contains(name), qPrintable(name + QStringLiteral(" is not among ") + own.join(u' ')));
            const QIcon icon = QIcon::fromTheme(name);
            QVERIFY2(!icon.isNull(), qPrintable(name));
            for (int side : {16, 22, 24, 32, 48})
                QVERIFY2(isDrawn(icon.pixmap(QSize(side, side)).toImage()),
                         qPrintable(QStringLiteral("%1 at %2 px").arg(name).arg(side)));
        }
    }

    void anIconNobodyDrewIsNotFound() { QVERIFY(QIcon::fromTheme(QStringLiteral("no-such-icon-anywhere")).isNull()); }
};

QTEST_MAIN(TestResources)
#include "tst_resources.moc"
