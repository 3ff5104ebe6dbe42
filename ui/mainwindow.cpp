#include "ui/mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QHeaderView>
#include <QMenuBar>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QTextBrowser>
#include <QTreeView>

#include "ui/aboutdialog.h"

namespace tandem::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("Tandem"));
    createPanes();
    createMenus();
    statusBar()->showMessage(tr("No account connected"));
    resize(1200, 760);
}

void MainWindow::createPanes()
{
    m_folderView = new QTreeView;
    m_folderView->setObjectName(QStringLiteral("folderView"));
    m_folderView->setHeaderHidden(true);

    m_messageListView = new QTableView;
    m_messageListView->setObjectName(QStringLiteral("messageListView"));
    m_messageListView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_messageListView->verticalHeader()->hide();

    m_messageView = new QTextBrowser;
    m_messageView->setObjectName(QStringLiteral("messageView"));
    // Remote content stays blocked: never follow or load links by ourselves.
    m_messageView->setOpenLinks(false);
    m_messageView->setOpenExternalLinks(false);

    m_splitter = new QSplitter(Qt::Horizontal);
    m_splitter->addWidget(m_folderView);
    m_splitter->addWidget(m_messageListView);
    m_splitter->addWidget(m_messageView);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setStretchFactor(2, 3);
    m_splitter->setSizes({220, 500, 480});
    setCentralWidget(m_splitter);
}

void MainWindow::createMenus()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *quit = fileMenu->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction *about = helpMenu->addAction(tr("&About Tandem"), this, &MainWindow::showAbout);
    about->setObjectName(QStringLiteral("actionAbout"));
}

void MainWindow::showAbout()
{
    AboutDialog dialog(this);
    dialog.exec();
}

} // namespace tandem::ui
