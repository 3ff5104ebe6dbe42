// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QMainWindow>
#include <QPointer>
#include <QUrl>

#include <memory>

#include "mailcore/base/error.h"
#include "ui/account/accountsettings.h"

class QAction;
class QLabel;
class QSplitter;
class QTableView;
class QTreeView;

namespace mailcore {
class ImapClient;
}
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

/// The main window: folders | message list | message view, side by side, for
/// one account. It only wires: the models read the local store (so the mail
/// it had shows at once, offline too), the account's AccountSync fills the
/// store through the pooled ImapClient, and nothing here waits on the network.
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
    /// Shows the account's mail from the store at once, then connects and syncs.
    void connectAccount(const AccountSettings &settings, const QString &password);
    /// Opens the account remembered in the store (the default one if none is
    /// open): its mail shows at once, its password is read back from the
    /// keychain and it connects; without a password the settings dialog asks.
    /// False when the store remembers no account (a first start).
    bool restoreAccount();
    /// The settings dialog, on the current account (and the first start's).
    void showAccountDialog();
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
    Account *account() const { return m_account; }
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
    void clientChanged(mailcore::ImapClient *client);
    void followSync(AccountSync *sync);
    void tellAboutRebuiltStore();
    void foldersLoaded();
    void folderSelected();
    void messageSelected();
    void messageShown(const QString &folder, quint32 uid);
    void selectStartMessage();
    void folderLoadFailed(const mailcore::Error &error);
    void showOffline(const mailcore::Error &error);
    void askAboutCertificate(const mailcore::Error &error);
    void showAccountDialog(const AccountSettings &current);
    void showStoredAccount(qint64 accountId);
    static QString defaultStorePath();
    void showAbout();
    void showFolderCounts(const QString &folder, int messages, int unread);
    void updateStatus();
    void createMonitorWidgets(mailcore::ImapClient *client, AccountSync *sync);
    void showCurrentFolderCounts();
    /// Watches the folder now open for new mail, and no longer the one before (the inbox stays watched).
    void watchOpenFolder(const QString &folder);
    void showUnreadInTitle();
    void showOutboxState();
    void startDownload();

    std::unique_ptr<mailcore::store::MailStore> m_store; // first: outlives every reader below
    Account *m_account = nullptr;
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
    QAction *m_settingsAction = nullptr;
    QAction *m_reloadAction = nullptr;
    QAction *m_downloadAction = nullptr;

    QString m_startFolder = QStringLiteral("INBOX");
    quint32 m_startUid = 0;
    QString m_downloadAtStart;
    QUrl m_mailtoAtStart;
    QString m_folderStatusText;
    QString m_watchedFolder;
    qint64 m_shownAccountId = 0; ///< the store's account the folder list shows
    bool m_connected = false;    ///< the server answered the last sync's folder list

    // Made per client, since each takes one.
    ConnectionsDock *m_connectionsDock = nullptr;
    FolderDownload *m_folderDownload = nullptr;
};

} // namespace tandem::ui
