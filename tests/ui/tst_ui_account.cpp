// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Account settings and trust against the kit's Dovecot: a certificate the
// system does not know is shown with its details and can be trusted for that
// server only; the settings dialog bounds the connection limit, applies it to
// a new client, and keeps the password in the keychain, or, when no keychain
// answers (ctest ui_account_nokeychain), says so and keeps it for the session.

#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSslCertificate>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

#include <qt6keychain/keychain.h>

#include "kitwindow.h"
#include "mailcore/base/tlsfailure.h"
#include "mailcore/imapclient/imapclient.h"
#include "mailcore/store/mailstore.h"
#include "support/kitenv.h"
#include "ui/account/account.h"
#include "ui/account/accountdialog.h"
#include "ui/account/certificatedialog.h"
#include "ui/account/passwordstore.h"
#include "ui/folders/foldermodel.h"
#include "ui/mainwindow.h"
#include "ui/messages/messageactions.h"
#include "ui/messages/messagelistmodel.h"

using namespace tandem;
using tandem::ui::PasswordStore;

namespace {

constexpr int ServerTimeoutMs = 20000;

/// Takes the password kept under `key` out of the test's keychain again;
/// whether the keychain answered.
bool forgetPassword(const QString &key)
{
    QKeychain::DeletePasswordJob remove(QStringLiteral("org.tandem.Tandem"));
    remove.setAutoDelete(false);
    remove.setKey(key);
    QSignalSpy done(&remove, &QKeychain::Job::finished);
    remove.start();
    return done.wait(10000);
}

/// Account settings, opened as the user does; nullptr when the action or the dialog is missing.
ui::AccountDialog *openAccountSettings(ui::MainWindow &window)
{
    auto *action = window.findChild<QAction *>(QStringLiteral("actionAccountSettings"));
    if (!action)
        return nullptr;
    action->trigger();
    return window.findChild<ui::AccountDialog *>();
}

bool foldersShown(ui::MainWindow &window)
{
    return window.folderModel()->indexOfFolder(QStringLiteral("Work")).isValid();
}

} // namespace

class TestUiAccount : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void unknownCertificateIsShownAndTrustedForThatServer();
    void settingsDialogAppliesLimitsAndKeepsThePassword();
    void anotherServerInTheSettingsMovesTheAccountAndForgetsTheOldPassword();
    void aRestartOpensTheRememberedAccountWithoutAskingForThePassword();
    void twoAccountsShowTogetherAndTheOpenFolderPicksTheAccount();

private:
    test::KitAccount m_kit;
};

void TestUiAccount::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    // Settings of this process alone: ui_account and ui_account_nokeychain run
    // this binary side by side, and init() clears what the other just pinned.
    static QTemporaryDir settingsHome;
    QVERIFY(settingsHome.isValid());
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsHome.path());
    m_kit = test::KitAccount::load(false);
    if (!m_kit.error.isEmpty())
        QFAIL(qPrintable(m_kit.error));
}

void TestUiAccount::init()
{
    QSettings().clear(); // no pin from an earlier test
}

void TestUiAccount::unknownCertificateIsShownAndTrustedForThatServer()
{
    const ui::AccountSettings settings = m_kit.demo.settings; // without the kit's CA
    QVERIFY(settings.extraCaPem.isEmpty());
    ui::MainWindow window;
    QVERIFY(!window.openStore(test::newStorePath()).isError()); // nothing shown from an earlier run
    QSignalSpy failed(&window, &ui::MainWindow::connectionFailed);
    window.show();
    window.connectAccount(settings, m_kit.demo.password);
    QTRY_VERIFY_WITH_TIMEOUT(window.certificateDialog(), ServerTimeoutMs);
    QCOMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).value<mailcore::Error>().code(), mailcore::ErrorCode::Tls);
    QVERIFY(!foldersShown(window));

    // The dialog names the server and shows the fingerprint of the kit's own server certificate.
    const QString caPath = qEnvironmentVariable("TANDEM_KIT_ENV").section(QLatin1Char('/'), 0, -2)
        + QStringLiteral("/tls/server.crt");
    const QList<QSslCertificate> server = QSslCertificate::fromPath(caPath);
    QCOMPARE(server.size(), 1);
    const QByteArray fingerprint = server.first().digest(QCryptographicHash::Sha256);
    ui::CertificateDialog *dialog = window.certificateDialog();
    QCOMPARE(dialog->leafSha256(), fingerprint);
    const QString details = dialog->detailsText();
    QVERIFY2(details.contains(QStringLiteral("%1:%2").arg(settings.host).arg(settings.port)), qPrintable(details));
    QVERIFY2(details.contains(QString::fromLatin1(fingerprint.toHex(':').toUpper())), qPrintable(details));

    dialog->accept();
    QTRY_VERIFY_WITH_TIMEOUT(foldersShown(window), ServerTimeoutMs);
    QCOMPARE(window.account()->settings().pinnedSha256, fingerprint);
    QCOMPARE(ui::Account::rememberedPin(settings.host, settings.port), fingerprint);
    QCOMPARE(ui::Account::rememberedPin(settings.host, quint16(settings.port + 1)), QByteArray());

    // Remembered: a new window for the same server connects without asking.
    ui::MainWindow again;
    QVERIFY(!again.openStore(test::newStorePath()).isError());
    again.show();
    again.connectAccount(settings, m_kit.demo.password);
    QTRY_VERIFY_WITH_TIMEOUT(foldersShown(again), ServerTimeoutMs);
    QVERIFY(!again.certificateDialog());
}

void TestUiAccount::settingsDialogAppliesLimitsAndKeepsThePassword()
{
    const bool expectKeychain = !qEnvironmentVariableIsSet("TANDEM_TEST_EXPECT_NO_KEYCHAIN");
    test::KitAccount trusted = test::KitAccount::load(true);
    QVERIFY(trusted.error.isEmpty());
    auto window = test::connectedWindow(trusted);
    QTRY_VERIFY_WITH_TIMEOUT(foldersShown(*window), ServerTimeoutMs);

    auto *dialog = openAccountSettings(*window);
    QVERIFY(dialog);
    auto *limit = dialog->findChild<QSpinBox *>(QStringLiteral("maxConnections"));
    auto *idle = dialog->findChild<QSpinBox *>(QStringLiteral("idleSeconds"));
    QVERIFY(limit && idle);
    QCOMPARE(limit->minimum(), 1);
    QCOMPARE(limit->maximum(), 50);
    QCOMPARE(limit->value(), 10);
    limit->setValue(51);
    QCOMPARE(limit->value(), 50);
    limit->setValue(0);
    QCOMPARE(limit->value(), 1);

    // The dialog asks the keychain and says what it found.
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->keychainLabel()->text().startsWith(QStringLiteral("Asking")), 10000);
    const QString state = dialog->keychainLabel()->text();
    if (expectKeychain)
        QVERIFY2(state.contains(QStringLiteral("system keychain")), qPrintable(state));
    else
        QVERIFY2(state.contains(QStringLiteral("No keychain answered"))
                     && state.contains(QStringLiteral("session only")),
                 qPrintable(state));

    limit->setValue(4);
    idle->setValue(30);
    QSignalSpy stored(window->passwordStore(), &PasswordStore::stored);
    QSignalSpy changed(window->account(), &ui::Account::clientChanged);
    dialog->accept();
    QVERIFY(stored.wait(10000));
    QCOMPARE(stored.at(0).at(1).value<PasswordStore::Backend>(),
             expectKeychain ? PasswordStore::Backend::Keychain : PasswordStore::Backend::SessionOnly);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(window->account()->settings().maxConnectionsPerServer, 4);
    QCOMPARE(window->account()->settings().extraIdleSeconds, 30);
    QCOMPARE(window->account()->client()->maxConnectionsPerServer(), 4);
    QTRY_VERIFY_WITH_TIMEOUT(foldersShown(*window), ServerTimeoutMs);

    // The password is where the store said, and never in the settings file.
    const QString key = trusted.demo.settings.accountId();
    QSignalSpy read(window->passwordStore(), &PasswordStore::passwordRead);
    window->passwordStore()->read(key);
    QVERIFY(read.wait(10000));
    QCOMPARE(read.at(0).at(1).toString(), trusted.demo.password);
    QVERIFY(read.at(0).at(2).toBool());
    QSettings settings;
    for (const QString &name : settings.allKeys())
        QVERIFY2(!settings.value(name).toString().contains(trusted.demo.password), qPrintable(name));
    QFile file(settings.fileName());
    if (file.open(QIODevice::ReadOnly))
        QVERIFY(!file.readAll().contains(trusted.demo.password.toUtf8()));

    if (expectKeychain)
        QVERIFY(forgetPassword(key));
}

void TestUiAccount::anotherServerInTheSettingsMovesTheAccountAndForgetsTheOldPassword()
{
    // The kit's Dovecot by another name: the account's server changes, its
    // mailbox does not.
    test::KitAccount trusted = test::KitAccount::load(true);
    QVERIFY(trusted.error.isEmpty());
    QCOMPARE(trusted.demo.settings.host, QStringLiteral("127.0.0.1"));
    const QString store = test::newStorePath();
    const QString oldKey = trusted.demo.settings.accountId();
    qint64 row = 0;
    {
        auto window = test::connectedWindow(trusted, QStringLiteral("INBOX"), 0, 0, store);
        QTRY_VERIFY_WITH_TIMEOUT(foldersShown(*window), ServerTimeoutMs);
        row = window->account()->storeId();
        QVERIFY(row != 0);
        auto *dialog = openAccountSettings(*window);
        QVERIFY(dialog);
        auto *host = dialog->findChild<QLineEdit *>(QStringLiteral("host"));
        QVERIFY(host);
        host->setText(QStringLiteral("localhost"));
        QSignalSpy forgotten(window->passwordStore(), &PasswordStore::forgotten);
        dialog->accept();
        QVERIFY(forgotten.wait(10000));
        QCOMPARE(forgotten.at(0).at(0).toString(), oldKey);
        QCOMPARE(window->account()->settings().host, QStringLiteral("localhost"));
        QCOMPARE(window->account()->storeId(), row); // the same row, moved
        const auto accounts = window->store()->accounts();
        QVERIFY(accounts);
        QCOMPARE(accounts->size(), 1);
        QCOMPARE(accounts->first().host, QStringLiteral("localhost"));
        QTRY_VERIFY_WITH_TIMEOUT(foldersShown(*window), ServerTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(window->messageListModel()->rowCount() > 0, ServerTimeoutMs);
    }
    ui::AccountSettings moved = trusted.demo.settings;
    moved.host = QStringLiteral("localhost");
    auto forget = qScopeGuard([&] { forgetPassword(moved.accountId()); });

    // A restart brings back one account, the moved one, and asks for no password.
    ui::MainWindow again;
    QVERIFY(!again.openStore(store).isError());
    again.show();
    QVERIFY(again.restoreAccounts());
    QCOMPARE(again.accounts().size(), 1);
    QCOMPARE(again.accounts().first()->storeId(), row);
    QCOMPARE(again.accounts().first()->settings().host, QStringLiteral("localhost"));
    QTRY_VERIFY_WITH_TIMEOUT(again.accounts().first()->client(), ServerTimeoutMs);
    QVERIFY(!again.findChild<ui::AccountDialog *>());
}

void TestUiAccount::aRestartOpensTheRememberedAccountWithoutAskingForThePassword()
{
    test::KitAccount trusted = test::KitAccount::load(true);
    QVERIFY(trusted.error.isEmpty());
    const QString store = test::newStorePath();
    const QString key = trusted.demo.settings.accountId();
    ui::AccountSettings settings = trusted.demo.settings;
    settings.maxConnectionsPerServer = 6; // remembered too
    {
        ui::MainWindow first;
        QVERIFY(!first.openStore(store).isError());
        first.openAtStart(QStringLiteral("Work"));
        first.show();
        QSignalSpy stored(first.passwordStore(), &PasswordStore::stored);
        first.passwordStore()->store(key, trusted.demo.password);
        QVERIFY(stored.wait(10000));
        QCOMPARE(stored.at(0).at(1).value<PasswordStore::Backend>(), PasswordStore::Backend::Keychain);
        first.connectAccount(settings, trusted.demo.password);
        QTRY_VERIFY_WITH_TIMEOUT(first.messageListModel()->rowCount() > 0, ServerTimeoutMs);
    }
    auto forget = qScopeGuard([&] { forgetPassword(key); });

    // A new start: nothing given but the store.
    ui::MainWindow again;
    QVERIFY(!again.openStore(store).isError());
    again.openAtStart(QStringLiteral("Work"));
    again.show();
    QSignalSpy connected(again.account(), &ui::Account::clientChanged);
    QVERIFY(again.restoreAccounts());
    // The mail it had shows at once, before the keychain or the server answers.
    QVERIFY(foldersShown(again));
    QCOMPARE(again.currentFolder(), QStringLiteral("Work"));
    QVERIFY(again.messageListModel()->rowCount() > 0);
    // The password comes from the keychain: connected, no dialog asked.
    QVERIFY(connected.wait(10000));
    QCOMPARE(again.account()->password(), trusted.demo.password);
    QCOMPARE(again.account()->settings().maxConnectionsPerServer, 6);
    QCOMPARE(again.account()->settings().accountId(), key);
    QVERIFY(!again.findChild<ui::AccountDialog *>());
    QTRY_VERIFY_WITH_TIMEOUT(
        again.findChild<QLabel *>(QStringLiteral("accountStatus"))->text().startsWith(QStringLiteral("Connected")),
        ServerTimeoutMs);
}

void TestUiAccount::twoAccountsShowTogetherAndTheOpenFolderPicksTheAccount()
{
    test::KitAccount alice = test::KitAccount::load(true);
    QVERIFY(alice.error.isEmpty());
    const test::KitEnv env = test::KitEnv::load();
    ui::AccountSettings carol = alice.demo.settings;
    carol.user = env.user(2); // only read here: ui_compose fills carol's Sent and Drafts
    carol.fromAddress = carol.user + QStringLiteral("@example.org");
    const QString carolPassword = env.password(2);
    const QString store = test::newStorePath();
    {
        ui::MainWindow window;
        QVERIFY(!window.openStore(store).isError());
        window.show();
        for (const auto &[settings, password] :
             {std::pair{alice.demo.settings, alice.demo.password}, std::pair{carol, carolPassword}}) {
            QSignalSpy stored(window.passwordStore(), &PasswordStore::stored);
            window.passwordStore()->store(settings.accountId(), password);
            QVERIFY(stored.wait(10000));
        }
        window.connectAccount(alice.demo.settings, alice.demo.password);
        QTRY_VERIFY_WITH_TIMEOUT(window.messageListModel()->rowCount() > 0, ServerTimeoutMs);
        ui::Account *first = window.account();

        // A second account: the tree holds both, and the new one's inbox opens.
        window.connectAccount(carol, carolPassword);
        QCOMPARE(window.accounts().size(), 2);
        ui::Account *second = window.account();
        QVERIFY(second != first);
        QCOMPARE(second->settings().user, carol.user);
        ui::FolderModel *folders = window.folderModel();
        QTRY_VERIFY_WITH_TIMEOUT(folders->indexOfFolder(QStringLiteral("INBOX"), second->storeId()).isValid(),
                                 ServerTimeoutMs);
        QCOMPARE(folders->accountIds(), (QList<qint64>{first->storeId(), second->storeId()}));
        // Each named by its address.
        QCOMPARE(folders->indexOfAccount(second->storeId()).data().toString(), carol.fromAddress);
        QTRY_COMPARE_WITH_TIMEOUT(window.messageListModel()->folderId(),
                                  folders->folderId(QStringLiteral("INBOX"), second->storeId()), ServerTimeoutMs);
        QVERIFY(folders->indexOfFolder(QStringLiteral("Work"), first->storeId()).isValid());
        QVERIFY(!folders->indexOfFolder(QStringLiteral("Work"), second->storeId()).isValid()); // carol has none
        // Messages move within their account: carol's Move menu offers her folders, not alice's.
        QMenu *moveMenu = window.messageActions()->moveMenu();
        QVERIFY(moveMenu);
        Q_EMIT moveMenu->aboutToShow();
        QStringList targets;
        for (const QAction *action : moveMenu->actions())
            targets << action->text();
        QVERIFY2(!targets.isEmpty() && !targets.contains(QStringLiteral("Work")), qPrintable(targets.join(u',')));

        // Opening the other account's folder makes it the current one: the list,
        // the actions and the Connections panel follow.
        window.folderView()->setCurrentIndex(folders->indexOfFolder(QStringLiteral("Work"), first->storeId()));
        QCOMPARE(window.account(), first);
        QCOMPARE(window.currentFolder(), QStringLiteral("Work"));
        QCOMPARE(window.folderView()->currentIndex(), folders->indexOfFolder(QStringLiteral("Work"), first->storeId()));
        const int workSize = int(alice.folders.value(QStringLiteral("Work")).toArray().size());
        QTRY_COMPARE_WITH_TIMEOUT(window.messageListModel()->rowCount(), workSize, ServerTimeoutMs);
        QVERIFY(first->client() && second->client()); // both stay connected
        // Its inbox is watched once its first sync is done (AccountSync::watch): waited for, not assumed.
        QTRY_VERIFY_WITH_TIMEOUT(second->client()->isMonitoring(QStringLiteral("INBOX")), ServerTimeoutMs);
    }
    auto forget = qScopeGuard([&] {
        for (const QString &key : {alice.demo.settings.accountId(), carol.accountId()})
            forgetPassword(key);
    });

    // A new start opens both, from the store at once, then from the keychain.
    ui::MainWindow again;
    QVERIFY(!again.openStore(store).isError());
    again.show();
    QVERIFY(again.restoreAccounts());
    QCOMPARE(again.accounts().size(), 2);
    QCOMPARE(again.folderModel()->accountIds().size(), 2);
    QVERIFY(again.folderModel()->indexOfFolder(QStringLiteral("INBOX"), again.accounts().at(1)->storeId()).isValid());
    QTRY_VERIFY_WITH_TIMEOUT(again.accounts().at(0)->client() && again.accounts().at(1)->client(), ServerTimeoutMs);
    QCOMPARE(again.accounts().at(1)->password(), carolPassword);
    QVERIFY(!again.findChild<ui::AccountDialog *>());

    // Carol removed: gone from the tree, the store and the keychain; alice stays as she was.
    ui::Account *carolAccount = again.accounts().at(1);
    const qint64 carolId = carolAccount->storeId();
    QSignalSpy forgotten(again.passwordStore(), &PasswordStore::forgotten);
    again.removeAccount(carolAccount);
    QCOMPARE(again.accounts().size(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(again.folderModel()->accountIds(), QList<qint64>{again.accounts().first()->storeId()},
                              ServerTimeoutMs);
    QVERIFY(!again.store()->accounts()->isEmpty());
    QVERIFY(again.store()->folders(carolId)->isEmpty());
    QTRY_COMPARE_WITH_TIMEOUT(forgotten.size(), 1, 10000);
    QCOMPARE(forgotten.first().first().toString(), carol.accountId());
    QSignalSpy read(again.passwordStore(), &PasswordStore::passwordRead);
    again.passwordStore()->read(carol.accountId());
    QVERIFY(read.wait(10000));
    QVERIFY(!read.first().at(2).toBool()); // not found any more
    QVERIFY(again.folderModel()->indexOfFolder(QStringLiteral("Work"), again.accounts().first()->storeId()).isValid());

    // The last one removed: the window has none (a blank one, as at a first start).
    again.removeAccount(again.accounts().first());
    QCOMPARE(again.accounts().size(), 1);
    QVERIFY(again.account()->isBlank());
    QTRY_VERIFY_WITH_TIMEOUT(again.folderModel()->accountIds().isEmpty(), ServerTimeoutMs);
    QVERIFY(again.store()->accounts()->isEmpty());
}

QTEST_MAIN(TestUiAccount)
#include "tst_ui_account.moc"
