#pragma once

#include <QMainWindow>

class QSplitter;
class QTreeView;
class QTableView;
class QTextBrowser;

namespace tandem::ui {

/// The main window: folders | message list | message view, side by side.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);

    QTreeView *folderView() const { return m_folderView; }
    QTableView *messageListView() const { return m_messageListView; }
    QTextBrowser *messageView() const { return m_messageView; }

private:
    void createPanes();
    void createMenus();
    void showAbout();

    QSplitter *m_splitter = nullptr;
    QTreeView *m_folderView = nullptr;
    QTableView *m_messageListView = nullptr;
    QTextBrowser *m_messageView = nullptr;
};

} // namespace tandem::ui
