// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The first window: three panes side by side, and an About box with the version.

#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QTest>
#include <QTextBrowser>
#include <QTimer>
#include <QTreeView>

#include "mailcore/version.h"
#include "ui/aboutdialog.h"
#include "ui/mainwindow.h"
#include "ui/messages/messageview.h"
#include "ui/messages/safetextbrowser.h"

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsThreePanesLeftToRight();
    void messageViewNeverOpensLinksByItself();
    void aboutBoxShowsTheVersion();
};

void TestMainWindow::showsThreePanesLeftToRight()
{
    tandem::ui::MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    auto *splitter = qobject_cast<QSplitter *>(window.centralWidget());
    QVERIFY(splitter);
    QCOMPARE(splitter->count(), 3);
    QCOMPARE(splitter->widget(0), window.folderView());
    QCOMPARE(splitter->widget(1), window.messageListView());
    QCOMPARE(splitter->widget(2), window.messageView());
    for (int i = 0; i < 3; ++i)
        QVERIFY2(splitter->widget(i)->width() > 100, "every pane is visible");
}

void TestMainWindow::messageViewNeverOpensLinksByItself()
{
    tandem::ui::MainWindow window;
    QVERIFY(!window.messageView()->browser()->openLinks());
    QVERIFY(!window.messageView()->browser()->openExternalLinks());
}

void TestMainWindow::aboutBoxShowsTheVersion()
{
    QCOMPARE(tandem::ui::AboutDialog::versionText(), QStringLiteral("Tandem " MAILCORE_VERSION_STRING));

    tandem::ui::MainWindow window;
    window.show();
    QString shown;
    // The About box is modal: read it from inside its event loop, then close it.
    QTimer::singleShot(0, &window, [&] {
        auto *dialog = window.findChild<tandem::ui::AboutDialog *>();
        if (dialog) {
            if (auto *label = dialog->findChild<QLabel *>(QStringLiteral("aboutVersion")))
                shown = label->text();
            dialog->reject();
        }
    });
    auto *about = window.findChild<QAction *>(QStringLiteral("actionAbout"));
    QVERIFY(about);
    about->trigger();
    QVERIFY2(shown.contains(QStringLiteral(MAILCORE_VERSION_STRING)), qPrintable(shown));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
