// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// A POP3 account in the window, against the kit's Dovecot (user bob, whose
// maildrop no other test on this kit reads): its mail is downloaded into the
// store and shown from there; a message deleted here stays deleted (its UIDL
// is remembered, so the next download does not bring it back) while the
// server keeps its copy (the default policy); a restart shows the mail at once.

#include <QAction>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>

#include "kitwindow.h"
#include "mailcore/imapclient/imapclient.h"
#include "mailcore/pop3client/pop3client.h"
#include "support/kitenv.h"
#include "ui/account/account.h"
#include "ui/account/passwordstore.h"
#include "ui/folders/foldermodel.h"
#include "ui/mainwindow.h"
#include "ui/messages/messageactions.h"
#include "ui/messages/messagelistmodel.h"
#include "ui/messages/messageview.h"
#include "ui/sync/accountsync.h"

using namespace tandem;

namespace {

constexpr int ServerTimeoutMs = 30000;
constexpr int kUser = 1; // bob

} // namespace

class TestUiPop3 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void aPop3AccountDownloadsIntoTheStore();

private:
    test::KitEnv m_env;
    ui::AccountSettings m_settings;
    QString m_password;
};

void TestUiPop3::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_env = test::KitEnv::load();
    QVERIFY2(m_env.isValid(), qPrintable(m_env.error()));
    QFile ca(m_env.caCertificatePath());
    QVERIFY(ca.open(QIODevice::ReadOnly));
    m_settings.incoming = ui::AccountSettings::Incoming::Pop3;
    m_settings.host = m_env.host();
    m_settings.port = m_env.port(QStringLiteral("TANDEM_KIT_POP3S_PORT"));
    m_settings.security = mailcore::Security::ImplicitTls;
    m_settings.user = m_env.user(kUser);
    m_settings.extraCaPem = {ca.readAll()};
    m_settings.fromAddress = m_settings.user + QStringLiteral("@example.org");
    m_password = m_env.password(kUser);
    QCOMPARE(m_settings.user, QStringLiteral("bob"));
}

void TestUiPop3::aPop3AccountDownloadsIntoTheStore()
{
    // Three new messages in bob's maildrop (put there over IMAP).
    mailcore::Endpoint imaps = m_settings.endpoint();
    imaps.port = m_env.port(QStringLiteral("TANDEM_KIT_IMAPS_PORT"));
    mailcore::ImapClient imap(imaps, m_settings.user, m_password);
    const QString subject = QStringLiteral("pop3 in the window %1").arg(QDateTime::currentMSecsSinceEpoch());
    for (int i = 0; i < 3; ++i)
        QVERIFY(imap.appendMessage(QStringLiteral("INBOX"), test::uniqueMessage(subject)));
    mailcore::Pop3Client server(m_settings.endpoint(), m_settings.user, m_password);
    const auto before = server.mailboxInfo();
    QVERIFY2(before, qPrintable(before.error().toString()));
    const int onServer = before->messageCount;
    QVERIFY(onServer >= 3);
    server.dispose();

    const QString store = test::newStorePath();
    {
        ui::MainWindow window;
        QVERIFY(!window.openStore(store).isError());
        window.show();
        QSignalSpy stored(window.passwordStore(), &ui::PasswordStore::stored);
        window.passwordStore()->store(m_settings.accountId(), m_password);
        QVERIFY(stored.wait(10000));
        window.connectAccount(m_settings, m_password);
        QVERIFY(window.account()->sync() && window.account()->sync()->isPop3());
        QVERIFY(!window.account()->client()); // no IMAP client: nothing to IDLE on
        QTRY_COMPARE_WITH_TIMEOUT(window.messageListModel()->rowCount(), onServer, ServerTimeoutMs);
        QCOMPARE(window.currentFolder(), QStringLiteral("INBOX"));
        QVERIFY(!window.downloadAction()->isEnabled()); // it is all stored

        // A message opens from the store.
        QTableView *list = window.messageListView();
        list->setCurrentIndex(window.messageListModel()->index(0, ui::MessageListModel::SubjectColumn));
        QTRY_VERIFY_WITH_TIMEOUT(window.messageView()->current().has_value(), ServerTimeoutMs);

        // Deleted here: gone from the store, and a new download does not bring it back.
        window.messageActions()->remove()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(window.messageListModel()->rowCount(), onServer - 1, ServerTimeoutMs);
        QSignalSpy synced(window.account()->sync(), &ui::AccountSync::folderSynced);
        window.account()->sync()->syncAll();
        QVERIFY(synced.wait(ServerTimeoutMs));
        QCOMPARE(synced.at(0).at(0).value<mailcore::store::FolderSyncReport>().added, 0);
        QCOMPARE(window.messageListModel()->rowCount(), onServer - 1);
    }
    // The server kept every copy (left on the server by default).
    mailcore::Pop3Client again(m_settings.endpoint(), m_settings.user, m_password);
    QCOMPARE(again.mailboxInfo()->messageCount, onServer);
    again.dispose();

    // A restart: the account is remembered as POP3 with its policy, its mail
    // shows from the store before the server answers, and it connects with
    // the password from the keychain.
    ui::MainWindow restarted;
    QVERIFY(!restarted.openStore(store).isError());
    restarted.show();
    QVERIFY(restarted.restoreAccounts());
    QCOMPARE(restarted.account()->settings(), m_settings);
    QTRY_COMPARE_WITH_TIMEOUT(restarted.messageListModel()->rowCount(), onServer - 1, ServerTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(restarted.account()->sync() && restarted.account()->sync()->isPop3(), ServerTimeoutMs);
}

QTEST_MAIN(TestUiPop3)
#include "tst_ui_pop3.moc"
