// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QFontMetrics>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>

#include "mailcore/base/tlsfailure.h"
#include "mailcore/imapclient/imapclient.h"
#include "mailcore/store/mailstore.h"
#include "ui/aboutdialog.h"
#include "ui/account/account.h"
#include "ui/account/accountdialog.h"
#include "ui/account/certificatedialog.h"
#include "ui/account/passwordstore.h"
#include "ui/account/setupwizard.h"
#include "ui/compose/composeactions.h"
#include "ui/compose/composer.h"
#include "ui/compose/draftof.h"
#include "ui/compose/mailto.h"
#include "ui/compose/outboxdialog.h"
#include "ui/folders/foldermodel.h"
#include "ui/futureresult.h"
#include "ui/messages/messageactions.h"
#include "ui/messages/messagelistmodel.h"
#include "ui/messages/messageview.h"
#include "ui/sync/accountsync.h"

#include "ui/connections/connectionsdock.h"
#include "ui/download/folderdownload.h"

namespace tandem::ui {

namespace {

/// The server is out of reach (not: it refused something): the window goes
/// on with what the store has.
bool cannotReachServer(const mailcore::Error &error)
{
    // A TLS error without a certificate to judge is a connection cut during
    // the handshake; one with a certificate is a question for the user.
    return error.code() == mailcore::ErrorCode::Network || error.code() == mailcore::ErrorCode::Timeout
        || (error.code() == mailcore::ErrorCode::Tls && !error.tlsFailure());
}

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_passwords(new PasswordStore(QStringLiteral("org.tandem.Tandem"), this))
    , m_folders(new FolderModel(this))
    , m_messages(new MessageListModel(this))
{
    setWindowTitle(QStringLiteral("Tandem"));
    m_account = addAccount();
    createPanes();
    createActions();
    createMenus();

    connect(m_folders, &FolderModel::foldersLoaded, this, &MainWindow::foldersLoaded);
    connect(m_folders, &FolderModel::loadFailed, this, &MainWindow::folderLoadFailed);
    connect(m_folders, &FolderModel::dataChanged, this, &MainWindow::showCurrentFolderCounts);
    connect(m_folders, &FolderModel::dataChanged, this, &MainWindow::showUnreadInTitle);
    connect(m_folders, &FolderModel::foldersLoaded, this, &MainWindow::showUnreadInTitle);
    connect(m_messages, &MessageListModel::pageLoaded, this, &MainWindow::selectStartMessage);
    connect(m_messages, &MessageListModel::refreshed, this, &MainWindow::selectStartMessage);
    connect(m_messages, &MessageListModel::loadFailed, this, [this](const mailcore::Error &error) {
        statusBar()->showMessage(tr("Could not list the folder: %1").arg(error.toString()));
    });
    connect(m_messageView, &MessageView::messageShown, this, &MainWindow::messageShown);
    connect(m_messageView, &MessageView::attachmentSaved, this,
            [this](const QString &path, const mailcore::Error &error) {
                statusBar()->showMessage(error.isError() ? tr("Could not save %1: %2").arg(path, error.toString())
                                                         : tr("Saved %1").arg(path),
                                         8000);
            });
    connect(m_passwords, &PasswordStore::stored, this, [this](const QString &, PasswordStore::Backend where) {
        if (where == PasswordStore::Backend::SessionOnly)
            statusBar()->showMessage(tr("No keychain answered: the password is kept for this session only (%1).")
                                         .arg(m_passwords->problem()),
                                     15000);
        else
            statusBar()->showMessage(tr("Password saved in the system keychain."), 8000);
    });

    m_sendProgress = new QProgressBar;
    m_sendProgress->setObjectName(QStringLiteral("sendProgress"));
    m_sendProgress->setFormat(tr("Sending: %p%"));
    m_sendProgress->setMaximumWidth(180);
    m_sendProgress->hide();
    statusBar()->addPermanentWidget(m_sendProgress);
    m_outboxLabel = new QLabel;
    m_outboxLabel->setObjectName(QStringLiteral("outboxStatus"));
    m_outboxLabel->hide();
    statusBar()->addPermanentWidget(m_outboxLabel);
    m_statusLabel = new QLabel(tr("No account connected"));
    m_statusLabel->setObjectName(QStringLiteral("accountStatus"));
    statusBar()->addPermanentWidget(m_statusLabel); // beside the folder's counts, not hidden by them
    resize(1280, 800);
}

MainWindow::~MainWindow()
{
    // The views go before the client they show; Account disposes the client
    // and ends its sync, and all of it before the store they use.
    delete m_connectionsDock;
    delete m_folderDownload;
    disconnect(m_folders, nullptr, this, nullptr); // no account is current from here on
    disconnect(m_messages, nullptr, this, nullptr);
    m_account = nullptr;
    qDeleteAll(std::exchange(m_accounts, {}));
    for (const QPointer<Account> &closing : std::as_const(m_closing))
        delete closing.data(); // before the store their syncs use

    m_messages->setFolder(nullptr, 0, {});
    m_folders->setStore(nullptr);
}

void MainWindow::createPanes()
{
    m_folderView = new QTreeView;
    m_folderView->setObjectName(QStringLiteral("folderView"));
    m_folderView->setHeaderHidden(true);
    m_folderView->setModel(m_folders);
    m_folderView->setUniformRowHeights(true);
    m_folderView->setAcceptDrops(true);
    m_folderView->setDragDropMode(QAbstractItemView::DropOnly);
    m_folderView->setDropIndicatorShown(true);
    connect(m_folderView->selectionModel(), &QItemSelectionModel::currentChanged, this, &MainWindow::folderSelected);

    m_messageListView = new QTableView;
    m_messageListView->setObjectName(QStringLiteral("messageListView"));
    m_messageListView->setModel(m_messages);
    m_messageListView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_messageListView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_messageListView->setDragEnabled(true); // onto a folder: move (with Ctrl: copy)
    m_messageListView->setDragDropMode(QAbstractItemView::DragOnly);
    m_messageListView->setDefaultDropAction(Qt::MoveAction);
    m_messageListView->setContextMenuPolicy(Qt::CustomContextMenu);
    m_messageListView->setShowGrid(false);
    m_messageListView->setWordWrap(false);
    m_messageListView->verticalHeader()->hide();
    m_messageListView->verticalHeader()->setDefaultSectionSize(m_messageListView->fontMetrics().height() + 8);
    m_messageListView->setSortingEnabled(true);
    m_messageListView->sortByColumn(MessageListModel::DateColumn, Qt::DescendingOrder);
    QHeaderView *header = m_messageListView->horizontalHeader();
    header->setHighlightSections(false);
    header->setSectionResizeMode(MessageListModel::FlagColumn, QHeaderView::Fixed);
    header->setSectionResizeMode(MessageListModel::AttachmentColumn, QHeaderView::Fixed);
    header->resizeSection(MessageListModel::FlagColumn, 26);
    header->resizeSection(MessageListModel::AttachmentColumn, 26);
    header->setSectionResizeMode(MessageListModel::SubjectColumn, QHeaderView::Stretch);
    // Widths from the (bold) text they must hold, not from the rows: measuring
    // 10,000 rows to fit a column would defeat the paging.
    QFont bold = m_messageListView->font();
    bold.setBold(true);
    const QFontMetrics metrics(bold);
    header->resizeSection(MessageListModel::FromColumn,
                          metrics.horizontalAdvance(QStringLiteral("Maya Lindqvist-Berg")));
    header->resizeSection(MessageListModel::DateColumn,
                          metrics.horizontalAdvance(QStringLiteral("28 Sep 2024 23:59")) + 14);
    header->resizeSection(MessageListModel::SizeColumn, metrics.horizontalAdvance(QStringLiteral("999 bytes")) + 14);
    connect(m_messageListView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::messageSelected);
    connect(m_messageListView, &QAbstractItemView::activated, this, &MainWindow::editDraft);

    m_messageView = new MessageView;
    m_messageView->setObjectName(QStringLiteral("messageView"));

    m_splitter = new QSplitter(Qt::Horizontal);
    m_splitter->addWidget(m_folderView);
    m_splitter->addWidget(m_messageListView);
    m_splitter->addWidget(m_messageView);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setStretchFactor(2, 3);
    m_splitter->setSizes({220, 600, 460});
    setCentralWidget(m_splitter);
}

void MainWindow::createActions()
{
    m_compose = new ComposeActions([this] { return m_account; }, [this] { return m_accounts; }, m_messageView, this);
    for (QAction *action : {m_compose->newMessage(), m_compose->reply(), m_compose->replyAll(), m_compose->forward()})
        addAction(action);
    m_outboxAction = new QAction(QIcon::fromTheme(QStringLiteral("mail-outbox")), tr("&Outbox…"), this);
    m_outboxAction->setObjectName(QStringLiteral("actionOutbox"));
    connect(m_outboxAction, &QAction::triggered, this, &MainWindow::showOutbox);

    m_actions = new MessageActions(
        m_messageListView, m_messages, m_folders, [this] { return m_account ? m_account->sync() : nullptr; }, this);
    for (QAction *action : {m_actions->toggleRead(), m_actions->toggleFlag(), m_actions->remove(), m_actions->archive(),
                            m_actions->undo()})
        addAction(action); // their shortcuts work wherever the focus is in the window
    connect(m_messageListView, &QWidget::customContextMenuRequested, this, [this](const QPoint &at) {
        QMenu menu;
        m_actions->addTo(&menu);
        menu.exec(m_messageListView->viewport()->mapToGlobal(at));
    });
    connect(
        m_folders, &FolderModel::messagesDropped, this,
        [this](const QString &folder, qint64 folderId, const QList<quint32> &uids, const QString &target, bool copy) {
            AccountSync *sync = m_account->sync();
            if (!sync)
                return;
            if (copy)
                sync->copyMessages(folder, uids, target);
            else
                sync->moveMessages(folderId, folder, uids, target);
        });

    m_settingsAction = new QAction(QIcon::fromTheme(QStringLiteral("preferences-system")), tr("Account &settings…"),
                                   this);
    m_settingsAction->setObjectName(QStringLiteral("actionAccountSettings"));
    connect(m_settingsAction, &QAction::triggered, this, [this] { showAccountDialog(); });
    m_addAccountAction = new QAction(QIcon::fromTheme(QStringLiteral("list-add")), tr("&Add account…"), this);
    m_addAccountAction->setObjectName(QStringLiteral("actionAddAccount"));
    connect(m_addAccountAction, &QAction::triggered, this, [this] { showSetupWizard(); });
    m_removeAccountAction = new QAction(QIcon::fromTheme(QStringLiteral("list-remove")), tr("&Remove account…"), this);
    m_removeAccountAction->setObjectName(QStringLiteral("actionRemoveAccount"));
    connect(m_removeAccountAction, &QAction::triggered, this, &MainWindow::askToRemoveAccount);

    m_reloadAction = new QAction(QIcon::fromTheme(QStringLiteral("view-refresh")), tr("&Get new mail"), this);
    m_reloadAction->setObjectName(QStringLiteral("actionReload"));
    m_reloadAction->setShortcut(QKeySequence::Refresh);
    m_reloadAction->setToolTip(tr("Bring every folder up to date with the server"));
    connect(m_reloadAction, &QAction::triggered, this, [this] {
        for (Account *account : std::as_const(m_accounts)) {
            if (AccountSync *sync = account->sync())
                sync->syncAll(account == m_account ? currentFolder() : QString());
        }
    });

    m_downloadAction = new QAction(QIcon::fromTheme(QStringLiteral("folder-download")), tr("&Download folder"), this);
    m_downloadAction->setObjectName(QStringLiteral("actionDownloadFolder"));
    m_downloadAction->setToolTip(tr("Keep every message of the selected folder on this computer, to read offline: "
                                    "fetched in bulk over as many connections as the pool allows"));
    connect(m_downloadAction, &QAction::triggered, this, &MainWindow::startDownload);

    QToolBar *toolBar = addToolBar(tr("Main"));
    toolBar->setObjectName(QStringLiteral("mainToolBar"));
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->setMovable(false);
    toolBar->addAction(m_reloadAction);
    toolBar->addAction(m_compose->newMessage());
    toolBar->addAction(m_compose->reply());
    toolBar->addAction(m_compose->forward());
    toolBar->addSeparator();
    toolBar->addAction(m_actions->remove());
    toolBar->addAction(m_actions->archive());
    toolBar->addAction(m_actions->toggleFlag());
    toolBar->addSeparator();
    toolBar->addAction(m_downloadAction);
    toolBar->addAction(m_settingsAction);
}

void MainWindow::createMenus()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(m_compose->newMessage());
    fileMenu->addAction(m_outboxAction);
    fileMenu->addSeparator();
    fileMenu->addAction(m_reloadAction);
    fileMenu->addAction(m_downloadAction);
    fileMenu->addSeparator();
    fileMenu->addAction(m_settingsAction);
    fileMenu->addAction(m_addAccountAction);
    fileMenu->addAction(m_removeAccountAction);
    fileMenu->addSeparator();
    QAction *quit = fileMenu->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *editMenu = menuBar()->addMenu(tr("&Edit"));
    editMenu->addAction(m_actions->undo());
    QMenu *messageMenu = menuBar()->addMenu(tr("&Message"));
    messageMenu->setObjectName(QStringLiteral("messageMenu"));
    messageMenu->addAction(m_compose->reply());
    messageMenu->addAction(m_compose->replyAll());
    messageMenu->addAction(m_compose->forward());
    messageMenu->addAction(m_compose->forwardAsAttachment());
    messageMenu->addSeparator();
    m_actions->addTo(messageMenu);

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction *about = helpMenu->addAction(tr("&About Tandem"), this, &MainWindow::showAbout);
    about->setObjectName(QStringLiteral("actionAbout"));
}

mailcore::Error MainWindow::openStore(const QString &path)
{
    if (m_store)
        return mailcore::Error(mailcore::ErrorCode::BadArgument, tr("a store is open already"));
    QDir().mkpath(QFileInfo(path).absolutePath());
    auto opened = mailcore::store::MailStore::open(path);
    if (!opened) {
        statusBar()->showMessage(tr("Mail cannot be kept on this computer: %1").arg(opened.error().toString()));
        return opened.error();
    }
    m_store = std::move(opened.value());
    for (Account *account : std::as_const(m_accounts))
        account->setStore(m_store.get());
    m_folders->setStore(m_store.get()); // every account it remembers shows at once
    if (m_store->openReport().rebuilt)
        tellAboutRebuiltStore();
    return {};
}

void MainWindow::tellAboutRebuiltStore()
{
    const mailcore::store::PrepareReport &report = m_store->openReport();
    auto *notice = new QMessageBox(QMessageBox::Warning, tr("Local mail store rebuilt"),
                                   tr("The mail kept on this computer was damaged, so Tandem set it aside and "
                                      "is fetching your mail from the server again."),
                                   QMessageBox::Ok, this);
    notice->setObjectName(QStringLiteral("storeRebuiltNotice"));
    notice->setInformativeText(tr("The damaged copy was moved to %1.").arg(report.movedTo));
    notice->setDetailedText(report.damage);
    notice->setAttribute(Qt::WA_DeleteOnClose);
    m_storeNotice = notice;
    notice->open(); // window-modal, no nested event loop
}

void MainWindow::connectAccount(const AccountSettings &settings, const QString &password)
{
    if (!m_store)
        openStore(defaultStorePath());
    Account *account = accountFor(settings);
    if (account != m_account) {
        // A new account: its inbox opens (clientChanged() makes it current).
        m_account = account;
        m_startFolder = QStringLiteral("INBOX");
        m_startUid = 0;
    }
    account->connectTo(settings, password);
}

Account *MainWindow::addAccount()
{
    auto *account = new Account(this);
    account->setStore(m_store.get());
    connect(account, &Account::clientChanged, this,
            [this, account](mailcore::ImapClient *client) { clientChanged(account, client); });
    m_accounts << account;
    return account;
}

Account *MainWindow::accountFor(const AccountSettings &settings)
{
    for (Account *account : std::as_const(m_accounts)) {
        if (account->settings().accountId() == settings.accountId())
            return account;
    }
    if (m_account->isBlank())
        return m_account;
    return addAccount();
}

Account *MainWindow::accountOfStoreId(qint64 storeId) const
{
    for (Account *account : m_accounts) {
        if (account->storeId() == storeId)
            return account;
    }
    return nullptr;
}

void MainWindow::openAtStart(const QString &folder, quint32 uid)
{
    m_startFolder = folder;
    m_startUid = uid;
}

void MainWindow::composeAtStart(const QUrl &mailto)
{
    m_mailtoAtStart = mailto;
    if (m_compose->openDraft(draftFromMailto(mailto)))
        m_mailtoAtStart.clear();
}

void MainWindow::downloadAtStart(const QString &folder) { m_downloadAtStart = folder; }

QString MainWindow::currentFolder() const { return m_messages->folder(); }

void MainWindow::clientChanged(Account *account, mailcore::ImapClient *client)
{
    AccountSync *sync = account->sync();
    if (account == m_watchingAccount)
        m_watchingAccount = nullptr; // the old client (and what it watched) is gone
    if (account == m_account)
        makeCurrent(account);
    if (!sync)
        return;
    followSync(account, sync);
    sync->syncAll(account == m_account ? m_startFolder : QString());
    if (!client)
        return; // POP3: its sync looks for new mail now and then
    // New mail comes by itself (B10: IDLE where the server has it): each
    // account's inbox always, and the folder open (folderSelected() moves that watch).
    sync->watch(QStringLiteral("INBOX"));
    if (account == m_account && !currentFolder().isEmpty())
        watchOpenFolder(currentFolder()); // the same account's folder stayed open
}

void MainWindow::makeCurrent(Account *account, bool openStartFolder)
{
    m_account = account;
    AccountSync *sync = account->sync();
    mailcore::CredentialsByHostClient *client = account->pooledClient();
    createMonitorWidgets(client, sync);
    if (m_messages->folderId() != 0 && m_folders->accountOfFolder(m_messages->folderId()) != account->storeId()) {
        // The folder open is another account's: this account's start folder opens instead.
        m_messageView->clear();
        m_messages->setFolder(nullptr, 0, QString());
        m_folderStatusText.clear();
    }
    if (!m_messages->folder().isEmpty())
        m_startFolder = m_messages->folder(); // new settings: come back to the same folder
    m_connected = false;
    m_statusLabel->setText(client ? tr("Connecting to %1…").arg(account->settings().accountId())
                                  : tr("No account connected"));
    m_actions->followSync(sync);
    m_actions->updateEnabled();
    m_compose->updateEnabled();
    showOutboxState();
    if (!m_mailtoAtStart.isEmpty() && m_compose->openDraft(draftFromMailto(m_mailtoAtStart)))
        m_mailtoAtStart.clear();
    if (openStartFolder)
        foldersLoaded(); // the start folder, if the store lists it already
}

void MainWindow::followSync(Account *owner, AccountSync *sync)
{
    // The status line speaks of the current account; the others sync unseen.
    const QString account = owner->settings().accountId();
    connect(sync, &AccountSync::syncing, this, [this, owner, account](const QString &what) {
        if (owner != m_account)
            return;
        m_statusLabel->setText(what == QLatin1String("folders") ? tr("Connecting to %1…").arg(account)
                                                                : tr("%1: bringing %2 up to date…").arg(account, what));
    });
    connect(sync, &AccountSync::folderSynced, this, [this](const mailcore::store::FolderSyncReport &report) {
        // The folder's rows are all in: now "Download folder" may start if it was asked for.
        if (!m_downloadAtStart.isEmpty() && report.folder == m_downloadAtStart && currentFolder() == report.folder) {
            m_downloadAtStart.clear();
            startDownload();
        }
    });
    connect(sync, &AccountSync::syncFinished, this, [this, owner, account] {
        if (owner == m_account && m_connected)
            m_statusLabel->setText(tr("Connected to %1").arg(account));
    });
    connect(sync, &AccountSync::folderListSynced, this, [this, owner] {
        if (owner != m_account)
            return;
        m_connected = true; // the server answered
        m_statusLabel->setToolTip({});
    });
    connect(sync, &AccountSync::syncFailed, this, [this, owner](const QString &what, const mailcore::Error &error) {
        if (owner != m_account) {
            if (!cannotReachServer(error))
                statusBar()->showMessage(tr("%1: %2").arg(owner->settings().accountId(), error.toString()), 8000);
            return;
        }
        if (what == QLatin1String("folders"))
            folderLoadFailed(error);
        else if (cannotReachServer(error))
            showOffline(error);
        else
            statusBar()->showMessage(tr("Could not bring %1 up to date: %2").arg(what, error.toString()), 8000);
    });
    connect(sync, &AccountSync::outboxChanged, this, &MainWindow::showOutboxState);
    connect(sync, &AccountSync::heldForEditing, this, [this, sync](const mailcore::store::OutboxEntry &entry) {
        const qint64 id = entry.id;
        Composer *composer = m_compose->openDraftFor(OutboxDialog::draftOf(entry));
        if (!composer) {
            sync->holdOutgoing(id, false);
            return;
        }
        // Sent again as edited: the old one goes. Closed unsent: it waits again.
        QPointer<AccountSync> guarded = sync;
        auto sentAnew = std::make_shared<bool>(false);
        connect(composer, &Composer::queued, sync, [guarded, id, sentAnew] {
            *sentAnew = true;
            guarded->cancelOutgoing(id);
        });
        connect(composer, &QObject::destroyed, sync, [guarded, id, sentAnew] {
            if (!*sentAnew && guarded)
                guarded->holdOutgoing(id, false);
        });
    });
    connect(sync, &AccountSync::messageSent, this, [this] { statusBar()->showMessage(tr("Message sent."), 8000); });
    connect(sync, &AccountSync::sendProgress, this, [this](qint64, qint64 done, qint64 total) {
        // Shown while a message goes out; gone once the server took it (or did not).
        const bool going = done >= 0 && done < total;
        m_sendProgress->setVisible(going);
        if (going) {
            m_sendProgress->setMaximum(int(std::min<qint64>(total, INT_MAX)));
            m_sendProgress->setValue(int(std::min<qint64>(done, INT_MAX)));
        }
    });
    connect(sync, &AccountSync::undoFailed, this,
            [this](const QString &why) { statusBar()->showMessage(tr("Could not undo: %1").arg(why), 15000); });
    connect(sync, &AccountSync::changesSent, this, [this](const mailcore::store::ReplayReport &report) {
        if (!report.conflicts.isEmpty())
            statusBar()->showMessage(
                tr("Some changes could not be made on the server: %1").arg(report.conflicts.join(QStringLiteral("; "))),
                15000);
        else if (report.waiting > 0)
            statusBar()->showMessage(tr("%n change(s) wait until the server can be reached", nullptr, report.waiting),
                                     8000);
    });
}

void MainWindow::createMonitorWidgets(mailcore::CredentialsByHostClient *client, AccountSync *sync)
{
    // Both take one client for their lifetime: made again for each new client,
    // and gone before the old client is disposed.
    delete m_connectionsDock;
    m_connectionsDock = nullptr;
    delete m_folderDownload;
    m_folderDownload = nullptr;
    if (!client || !sync)
        return;
    auto *dock = new ConnectionsDock(client, this);
    dock->setObjectName(QStringLiteral("connectionsDock"));
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    dock->show();
    resizeDocks({dock}, {height() / 3}, Qt::Vertical); // the mail keeps most of the window
    m_connectionsDock = dock;
    m_downloadAction->setEnabled(!sync->isPop3());
    if (sync->isPop3())
        return; // its mail is all stored: nothing to download
    auto *download = new FolderDownload(sync);
    download->setObjectName(QStringLiteral("folderDownload"));
    statusBar()->addPermanentWidget(download);
    download->hide(); // shown while a download runs
    connect(download, &FolderDownload::progress, this, &MainWindow::downloadProgress);
    connect(download, &FolderDownload::finished, this, [this, download](bool cancelled, const QString &error) {
        // Leave the final count visible a moment, then make room again.
        QTimer::singleShot(4000, download, [download] {
            if (!download->isRunning())
                download->hide();
        });
        statusBar()->showMessage(!error.isEmpty() ? tr("Download failed: %1").arg(error)
                                     : cancelled  ? tr("Download cancelled")
                                                  : tr("Download finished"),
                                 8000);
    });
    m_folderDownload = download;
}

void MainWindow::startDownload()
{
    const QString folder = currentFolder();
    if (folder.isEmpty())
        return;
    if (FolderDownload *download = m_folderDownload; download && !download->isRunning()) {
        download->show();
        download->start(folder);
    }
}

void MainWindow::foldersLoaded()
{
    m_folderView->expandAll();
    const qint64 accountId = m_account->storeId();
    if (accountId == 0)
        return; // the current account is not in the store yet: its folders come with it
    if (!currentFolder().isEmpty()) {
        // The tree was rebuilt (a folder came or went): keep the open folder selected.
        const QModelIndex current = m_folders->indexOfFolder(currentFolder(), accountId);
        if (current.isValid() && m_folderView->currentIndex() != current)
            m_folderView->setCurrentIndex(current);
        if (current.isValid())
            return;
    }
    QModelIndex start = m_folders->indexOfFolder(m_startFolder, accountId);
    if (!start.isValid())
        start = m_folders->indexOfFolder(QStringLiteral("INBOX"), accountId);
    if (start.isValid())
        m_folderView->setCurrentIndex(start);
}

void MainWindow::folderSelected()
{
    const QModelIndex index = m_folderView->currentIndex();
    const QString folder = index.data(FolderModel::FolderNameRole).toString();
    const qint64 folderId = index.data(FolderModel::FolderIdRole).toLongLong();
    if (folder.isEmpty() || folderId == m_messages->folderId())
        return;
    if (Account *owner = accountOfStoreId(index.data(FolderModel::AccountIdRole).toLongLong());
        owner && owner != m_account) {
        // Another account's folder: that account is the current one now.
        m_messages->setFolder(nullptr, 0, QString());
        makeCurrent(owner, false); // the folder clicked opens, not the account's start folder
    }
    m_messageView->clear();
    m_messages->setFolder(m_store.get(), folderId, folder);
    showCurrentFolderCounts();
    watchOpenFolder(folder);
    if (AccountSync *sync = m_account->sync())
        sync->syncFolder(folder); // what is stored shows now; the server's news follow
}

void MainWindow::watchOpenFolder(const QString &folder)
{
    const QString inbox = QStringLiteral("INBOX");
    if (m_watchingAccount && m_watchingAccount->sync() && !m_watchedFolder.isEmpty() && m_watchedFolder != inbox)
        m_watchingAccount->sync()->unwatch(m_watchedFolder);
    m_watchingAccount = nullptr;
    m_watchedFolder.clear();
    AccountSync *sync = m_account->sync();
    if (!m_account->client() || !sync)
        return;
    m_watchingAccount = m_account;
    m_watchedFolder = folder;
    sync->watch(folder);
}

void MainWindow::showUnreadInTitle()
{
    int unread = 0;
    for (const qint64 accountId : m_folders->accountIds())
        unread += m_folders->indexOfFolder(QStringLiteral("INBOX"), accountId).data(FolderModel::UnreadRole).toInt();
    setWindowTitle(unread > 0 ? tr("Tandem — %n unread in Inbox", nullptr, unread) : QStringLiteral("Tandem"));
}

void MainWindow::showCurrentFolderCounts()
{
    const QModelIndex index = m_folders->indexOfFolder(currentFolder(), m_account->storeId());
    if (!index.isValid())
        return;
    showFolderCounts(currentFolder(), index.data(FolderModel::TotalRole).toInt(),
                     index.data(FolderModel::UnreadRole).toInt());
}

void MainWindow::selectStartMessage()
{
    if (m_startUid == 0 || m_messages->folder() != m_startFolder)
        return;
    const QModelIndex index = m_messages->indexOfUid(m_startUid);
    if (!index.isValid())
        return;
    m_startUid = 0;
    m_messageListView->setCurrentIndex(index);
    m_messageListView->scrollTo(index);
}

void MainWindow::messageSelected()
{
    const QModelIndex index = m_messageListView->currentIndex();
    if (!index.isValid())
        return;
    m_messageView->showMessage(m_account->sync(), m_messages->folder(), index.data(MessageListModel::UidRole).toUInt());
}

void MainWindow::messageShown(const QString &folder, quint32 uid)
{
    const QModelIndex index = m_messages->indexOfUid(uid);
    AccountSync *sync = m_account->sync();
    if (!sync || folder != currentFolder() || !index.isValid() || !index.data(MessageListModel::UnreadRole).toBool())
        return;
    // Read now: the store first (the list and the counts follow it), then the server.
    sync->setFlags(m_messages->folderId(), folder, {uid}, "\\Seen", true);
}

void MainWindow::showOffline(const mailcore::Error &error)
{
    m_connected = false;
    m_statusLabel->setText(tr("Offline: showing the mail kept on this computer"));
    m_statusLabel->setToolTip(error.toString());
}

void MainWindow::folderLoadFailed(const mailcore::Error &error)
{
    m_connected = false;
    if (cannotReachServer(error))
        showOffline(error);
    else
        m_statusLabel->setText(tr("Not connected: %1").arg(error.toString()));
    Q_EMIT connectionFailed(error);
    if (error.code() == mailcore::ErrorCode::Tls && error.tlsFailure() && !error.tlsFailure()->chain.isEmpty())
        askAboutCertificate(error);
}

void MainWindow::askAboutCertificate(const mailcore::Error &error)
{
    if (m_certificateDialog)
        return;
    m_certificateDialog = new CertificateDialog(*error.tlsFailure(), this);
    m_certificateDialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_certificateDialog, &QDialog::accepted, this,
            [this] { m_account->trustCertificate(m_certificateDialog->leafSha256()); });
    m_certificateDialog->open(); // window-modal, but no nested event loop
}

bool MainWindow::restoreAccounts()
{
    if (!m_store)
        openStore(defaultStorePath());
    if (!m_store)
        return false;
    const auto accounts = m_store->accounts();
    if (!accounts || accounts->isEmpty())
        return false;
    // The mail they had shows at once (the folder tree reads the store),
    // before any password or server answers.
    for (const mailcore::store::Account &stored : accounts.value()) {
        const AccountSettings settings = AccountSettings::fromStored(stored);
        Account *account = accountFor(settings);
        account->remembered(settings, stored.id);
        if (account == m_account)
            makeCurrent(account);
        // The password comes back from the keychain; without it, the user is asked.
        auto *lookup = new QObject(this);
        connect(m_passwords, &PasswordStore::passwordRead, lookup,
                [this, lookup, account, settings](const QString &key, const QString &password, bool found) {
                    if (key != settings.accountId())
                        return;
                    lookup->deleteLater();
                    if (found) {
                        account->connectTo(settings, password);
                        return;
                    }
                    if (account == m_account)
                        m_statusLabel->setText(tr("The password of %1 is needed").arg(settings.accountId()));
                    showAccountDialog(account, settings);
                });
        m_passwords->read(settings.accountId());
    }
    m_statusLabel->setText(tr("Opening %1…").arg(m_account->settings().accountId()));
    return true;
}

QString MainWindow::defaultStorePath()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/mail.sqlite");
}

void MainWindow::showAccountDialog() { showAccountDialog(m_account, m_account->settings()); }

void MainWindow::showAccountDialog(Account *account, const AccountSettings &current)
{
    auto *dialog = new AccountDialog(current, account ? account->password() : QString(), m_passwords, this);
    dialog->setObjectName(QStringLiteral("accountDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, account] {
        const AccountSettings settings = dialog->settings();
        const QString password = dialog->password();
        m_passwords->store(settings.accountId(), password);
        if (!account)
            connectAccount(settings, password); // a new account (or one the window has: new settings)
        else if (settings != account->settings() || password != account->password() || !account->pooledClient()) {
            const QString oldKey = account->settings().accountId();
            const qint64 oldRow = account->storeId();
            account->connectTo(settings, password);
            // Its row moved to another server or login: nothing needs the old password any more.
            if (oldKey != settings.accountId() && oldRow != 0 && account->storeId() == oldRow)
                m_passwords->forget(oldKey);
        }
    });
    dialog->open();
}

void MainWindow::askToRemoveAccount()
{
    Account *account = m_account;
    if (account->isBlank())
        return;
    auto *ask = new QMessageBox(QMessageBox::Question, tr("Remove account"),
                                tr("Remove %1 from this computer?")
                                    .arg(account->settings().senderAddress().isEmpty()
                                             ? account->settings().accountId()
                                             : account->settings().senderAddress()),
                                QMessageBox::Cancel, this);
    ask->setObjectName(QStringLiteral("removeAccountQuestion"));
    ask->setInformativeText(tr("Its mail kept here, its drafts and messages waiting in the Outbox are deleted, and "
                               "its password is forgotten. The mail on the server stays."));
    QPushButton *remove = ask->addButton(tr("&Remove"), QMessageBox::DestructiveRole);
    ask->setAttribute(Qt::WA_DeleteOnClose);
    QPointer<Account> guarded = account;
    connect(ask, &QMessageBox::finished, this, [this, ask, remove, guarded] {
        if (ask->clickedButton() == remove && guarded)
            removeAccount(guarded);
    });
    ask->open(); // window-modal, no nested event loop
}

void MainWindow::removeAccount(Account *account)
{
    if (!m_accounts.contains(account))
        return;
    const qint64 storeId = account->storeId();
    const QString key = account->settings().accountId();
    m_accounts.removeAll(account);
    disconnect(account, nullptr, this, nullptr);
    if (m_watchingAccount == account) {
        m_watchingAccount = nullptr;
        m_watchedFolder.clear();
    }
    if (account == m_account) {
        // Off the window first (the Connections panel holds its client), then disposed.
        m_messageView->clear();
        m_messages->setFolder(nullptr, 0, QString());
        m_folderStatusText.clear();
        m_startFolder = QStringLiteral("INBOX");
        m_startUid = 0;
        makeCurrent(m_accounts.isEmpty() ? addAccount() : m_accounts.first());
    }
    m_closing << account;
    connect(account, &Account::closed, account, &QObject::deleteLater);
    account->close();
    if (storeId && m_store)
        m_store->removeAccount(storeId); // the tree follows the store's event
    m_passwords->forget(key);
}

SetupWizard *MainWindow::showSetupWizard(const mailcore::discovery::DiscoveryOptions &options,
                                         const AccountSettings &base)
{
    auto *wizard = new SetupWizard(options, base, this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(wizard, &QDialog::accepted, this, [this, wizard] {
        const AccountSettings settings = wizard->settings();
        const QString password = wizard->password();
        m_passwords->store(settings.accountId(), password);
        connectAccount(settings, password);
    });
    wizard->open();
    return wizard;
}

void MainWindow::editDraft()
{
    // A message of the Drafts folder, opened (Enter, a double click): written on.
    const QModelIndex index = m_folders->indexOfFolder(currentFolder(), m_account->storeId());
    if (index.data(FolderModel::FolderRoleRole).toInt() != int(mailcore::FolderRole::Drafts))
        return;
    const quint32 uid = m_messageListView->currentIndex().data(MessageListModel::UidRole).toUInt();
    if (!m_messageView->current() || m_messageView->current()->uid != uid)
        return; // not shown yet: a second activation opens it
    if (Composer *composer = m_compose->openDraftFor(draftOf(m_messageView->current()->message)))
        composer->setDraftOrigin(uid);
}

void MainWindow::showOutbox()
{
    auto *dialog = new OutboxDialog(m_account->sync(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::showOutboxState()
{
    AccountSync *sync = m_account ? m_account->sync() : nullptr;
    QList<mailcore::store::OutboxEntry> box;
    if (sync) {
        if (auto read = sync->store().outbox(sync->accountId()))
            box = read.value();
    }
    m_outboxLabel->setVisible(!box.isEmpty());
    if (box.isEmpty())
        return;
    const QString why = box.first().lastError;
    const int waiting = int(box.size());
    m_outboxLabel->setText(why.isEmpty() ? tr("Outbox: %n waiting", nullptr, waiting)
                                         : tr("Outbox: %n waiting (%1)", nullptr, waiting).arg(why));
}

CertificateDialog *MainWindow::certificateDialog() const { return m_certificateDialog; }

QWidget *MainWindow::storeNotice() const { return m_storeNotice; }

bool MainWindow::saveScreenshot(const QString &path)
{
    // The window in front: a composer (`tandem mailto:...`) or a dialog when one is open.
    for (QWidget *front :
         {static_cast<QWidget *>(findChild<Composer *>()), static_cast<QWidget *>(findChild<OutboxDialog *>()),
          static_cast<QWidget *>(findChild<SetupWizard *>())}) {
        if (front && front->isVisible())
            return front->grab().save(path);
    }
    return grab().save(path);
}

void MainWindow::showAbout()
{
    AboutDialog dialog(this);
    dialog.exec();
}

void MainWindow::showFolderCounts(const QString &folder, int messages, int unread)
{
    const QString count = messages == 1 ? tr("1 message") : tr("%1 messages").arg(messages);
    m_folderStatusText = tr("%1: %2, %3 unread").arg(folder, count).arg(unread);
    updateStatus();
}

void MainWindow::updateStatus() { statusBar()->showMessage(m_folderStatusText); }

} // namespace tandem::ui
