// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QMainWindow>
#include <QPointer>
#include <QUrl>

#include <memory>

#include "mailcore/base/error.h"
#include "mailcore/discovery/discovery.h"
#include "ui/account/accountsettings.h"

class QAction;
class QLabel;
class QProgressBar;
class QSplitter;
class QTableView;
class QTreeView;

namespace mailcore {
class CredentialsByHostClient;
class ImapClient;
} // namespace mailcore
namespace mailcore::store {
class MailStore;
struct FolderSyncReport;
} // namespace mailcore::store

namespace tandem::ui {

class Account;
class AccountSync;
class CertificateDialog;
class ConnectionsDock;
class FolderDownload;
class FolderModel;
class ComposeActions;
class MessageActions;
class MessageListModel;
class MessageView;
class PasswordStore;
class SetupWizard;

/// The main window: folders | message list | message view, side by side, for
/// every account (each a node of the folder tree; the account of the folder
/// open is the current one, which the actions, the composer and the
/// Connections panel follow). It only wires: the models read the local store
/// (so the mail it had shows at once, offline too), each account's
/// AccountSync fills the store through its pooled ImapClient, and nothing
/// here waits on the network.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Opens the local store at `path` (made if new; a damaged one is set
    /// aside and rebuilt, and the user is told). connectAccount() opens the
    /// default one (the application's data folder) if none is open.
    mailcore::Error openStore(const QString &path);
    /// Shows the account's mail from the store at once, then connects and
    /// syncs: the account with these server and user if the window has it
    /// (new settings for it), else a new one, which becomes the current one.
    void connectAccount(const AccountSettings &settings, const QString &password);
    /// Opens every account remembered in the store (the default one if none
    /// is open): their mail shows at once, their passwords are read back from
    /// the keychain and they connect; without a password the settings dialog
    /// asks. The first is the current one. False when the store remembers no
    /// account (a first start).
    bool restoreAccounts();
    /// The settings dialog, on the current account.
    void showAccountDialog();
    /// Removes `account` from this computer: disconnected, its mail gone from
    /// the store, its password from the keychain (its server is not touched).
    /// If it was the current one, the first other account is (or none).
    void removeAccount(Account *account);
    /// Asks whether to remove the current account, then does.
    void askToRemoveAccount();
    /// The set-up wizard for a new account (the first start's, and File >
    /// Add account); `options` says where it looks for servers, `base` what
    /// the account starts from (trusted CAs). Finished, the account is added
    /// and connects, its password in the keychain.
    SetupWizard *showSetupWizard(const mailcore::discovery::DiscoveryOptions &options = {},
                                 const AccountSettings &base = {});
    /// Which folder (and message) to open once they are listed; INBOX by default.
    void openAtStart(const QString &folder, quint32 uid = 0);
    /// Opens a composer on the `mailto:` link (RFC 6068) as soon as the account can send.
    void composeAtStart(const QUrl &mailto);
    /// Starts "Download folder" on `folder` as soon as that folder is open.
    void downloadAtStart(const QString &folder);

    QTreeView *folderView() const { return m_folderView; }
    QTableView *messageListView() const { return m_messageListView; }
    MessageView *messageView() const { return m_messageView; }
    MessageActions *messageActions() const { return m_actions; }
    ComposeActions *composeActions() const { return m_compose; }
    /// The Outbox dialog, open on the account's Outbox.
    void showOutbox();
    /// The message shown, if it is in the Drafts folder, in a composer to write on.
    void editDraft();
    FolderModel *folderModel() const { return m_folders; }
    MessageListModel *messageListModel() const { return m_messages; }
    mailcore::store::MailStore *store() const { return m_store.get(); }
    /// The notice that the store was damaged and rebuilt, while it is open.
    QWidget *storeNotice() const;
    /// The current account: the one whose folder is open.
    Account *account() const { return m_account; }
    /// Every account of the window, in the order they were opened.
    const QList<Account *> &accounts() const { return m_accounts; }
    PasswordStore *passwordStore() const { return m_passwords; }
    QAction *downloadAction() const { return m_downloadAction; }
    /// The certificate question when one is open (non-modal for the rest of the app).
    CertificateDialog *certificateDialog() const;

    QString currentFolder() const;

    /// Saves what the window shows now, or the composer or Outbox in front of
    /// it (for docs and tools/screenshot.sh).
    bool saveScreenshot(const QString &path);

Q_SIGNALS:
    void connectionFailed(const mailcore::Error &error);
    /// "Download folder" at work (forwarded from the FolderDownload widget).
    void downloadProgress(int done, int total);

private:
    void createPanes();
    void createActions();
    void createMenus();
    /// The window's account with the settings' server and user, else its
    /// blank first one, else a new one.
    Account *accountFor(const AccountSettings &settings);
    Account *addAccount();
    Account *accountOfStoreId(qint64 storeId) const;
    /// `account` has a new client (connected, or new settings).
    void clientChanged(Account *account, mailcore::ImapClient *client);
    /// The actions, the composer, the Connections panel and the status follow
    /// `account` now; its start folder opens unless `openStartFolder` is false
    /// (the user opened one of its folders).
    void makeCurrent(Account *account, bool openStartFolder = true);
    void followSync(Account *account, AccountSync *sync);
    void tellAboutRebuiltStore();
    void foldersLoaded();
    void folderSelected();
    void messageSelected();
    void messageShown(const QString &folder, quint32 uid);
    void selectStartMessage();
    void folderLoadFailed(const mailcore::Error &error);
    void showOffline(const mailcore::Error &error);
    void askAboutCertificate(const mailcore::Error &error);
    /// The settings dialog on `account` (nullptr: a new account).
    void showAccountDialog(Account *account, const AccountSettings &current);
    static QString defaultStorePath();
    void showAbout();
    void showFolderCounts(const QString &folder, int messages, int unread);
    void updateStatus();
    void createMonitorWidgets(mailcore::CredentialsByHostClient *client, AccountSync *sync);
    void showCurrentFolderCounts();
    /// Watches the folder now open for new mail, and no longer the one before (the inbox stays watched).
    void watchOpenFolder(const QString &folder);
    void showUnreadInTitle();
    void showOutboxState();
    void startDownload();

    std::unique_ptr<mailcore::store::MailStore> m_store; // first: outlives every reader below
    QList<Account *> m_accounts;
    QList<QPointer<Account>> m_closing; ///< removed, still disposing of their clients
    Account *m_account = nullptr;       ///< the current one (never null: a blank one before the first)
    PasswordStore *m_passwords = nullptr;
    FolderModel *m_folders = nullptr;
    MessageListModel *m_messages = nullptr;

    QSplitter *m_splitter = nullptr;
    QTreeView *m_folderView = nullptr;
    QTableView *m_messageListView = nullptr;
    MessageView *m_messageView = nullptr;
    QLabel *m_statusLabel = nullptr;
    // Guarded: each closes and deletes itself, maybe while the window goes.
    QPointer<CertificateDialog> m_certificateDialog;
    QPointer<QWidget> m_storeNotice;

    MessageActions *m_actions = nullptr;
    ComposeActions *m_compose = nullptr;
    QAction *m_outboxAction = nullptr;
    QLabel *m_outboxLabel = nullptr;
    QProgressBar *m_sendProgress = nullptr; ///< while a message goes out
    QAction *m_settingsAction = nullptr;
    QAction *m_addAccountAction = nullptr;
    QAction *m_removeAccountAction = nullptr;
    QAction *m_reloadAction = nullptr;
    QAction *m_downloadAction = nullptr;

    QString m_startFolder = QStringLiteral("INBOX");
    quint32 m_startUid = 0;
    QString m_downloadAtStart;
    QUrl m_mailtoAtStart;
    QString m_folderStatusText;
    QString m_watchedFolder;
    Account *m_watchingAccount = nullptr; ///< whose client watches m_watchedFolder
    bool m_connected = false;             ///< the server answered the last sync's folder list

    // Made per client, since each takes one.
    ConnectionsDock *m_connectionsDock = nullptr;
    FolderDownload *m_folderDownload = nullptr;
};

} // namespace tandem::ui
