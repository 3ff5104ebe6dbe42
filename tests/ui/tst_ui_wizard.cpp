// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The set-up wizard against local sources and the kit's servers: an autoconfig
// file served on 127.0.0.1 names the kit's IMAP and SMTP servers, a local DNS
// responder knows nothing, and guesses are probed on localhost. Nothing leaves
// the machine. The wizard finds the servers, never uses guessed ones or an
// untrusted certificate before the user says so, logs in to test, says in plain
// words what failed, and once done the window has the account, connected.

#include <QCheckBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QStandardPaths>
#include <QTest>

#include "discovery/localservers.h"
#include "kitwindow.h"
#include "support/kitenv.h"
#include "ui/account/account.h"
#include "ui/account/accountform.h"
#include "ui/account/setupwizard.h"
#include "ui/folders/foldermodel.h"
#include "ui/mainwindow.h"

using namespace tandem;
using mailcore::discovery::DiscoveryOptions;

namespace {

constexpr int ServerTimeoutMs = 30000;

} // namespace

class TestUiWizard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void autoconfigFindsTheServersAndDoneAddsTheAccount();
    void aWrongPasswordIsSaidInPlainWords();
    void guessedServersWaitForTheUsersWord();
    void anUntrustedCertificateIsUsedOnlyOnceTrusted();
    void aDomainWithOnlyPop3GivesAPop3Account();

private:
    /// Where the wizard looks: `http`'s autoconfig file, `dns`, and the kit on localhost.
    DiscoveryOptions localOptions(bool trustKitCa) const;
    /// The autoconfig file naming the kit's IMAPS and SMTPS servers.
    QByteArray kitAutoconfig() const;
    /// Fills the first page and goes to the servers; true once discovery is over.
    bool findServers(ui::SetupWizard *wizard, const QString &password);

    test::KitEnv m_env;
    QByteArray m_ca;
    std::unique_ptr<test::LocalHttpServer> m_http;
    std::unique_ptr<test::LocalDnsResponder> m_dns;
    QString m_address; ///< alice's, in the corpus' domain
};

void TestUiWizard::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_env = test::KitEnv::load();
    QVERIFY2(m_env.isValid(), qPrintable(m_env.error()));
    QFile ca(m_env.caCertificatePath());
    QVERIFY(ca.open(QIODevice::ReadOnly));
    m_ca = ca.readAll();
    m_http = std::make_unique<test::LocalHttpServer>();
    m_dns = std::make_unique<test::LocalDnsResponder>();
    QVERIFY(m_http->isListening());
    QVERIFY(m_dns->isBound());
    m_address = m_env.user(0) + QStringLiteral("@example.org");
}

DiscoveryOptions TestUiWizard::localOptions(bool trustKitCa) const
{
    DiscoveryOptions options;
    options.autoconfigUrls = {m_http->url(QStringLiteral("/%DOMAIN%/config-v1.1.xml"))};
    options.nameServer = QStringLiteral("127.0.0.1");
    options.nameServerPort = m_dns->port();
    options.guessHosts = {QStringLiteral("localhost")};
    options.guessPorts = {
        m_env.port(QStringLiteral("TANDEM_KIT_IMAPS_PORT")), m_env.port(QStringLiteral("TANDEM_KIT_IMAP_PORT")),
        m_env.port(QStringLiteral("TANDEM_KIT_POP3S_PORT")), m_env.port(QStringLiteral("TANDEM_KIT_POP3_PORT")),
        m_env.port(QStringLiteral("TANDEM_KIT_SMTPS_PORT")), m_env.port(QStringLiteral("TANDEM_KIT_SUBMISSION_PORT"))};
    options.timeout = std::chrono::seconds(10);
    if (trustKitCa)
        options.extraCaCertificatesPem = {m_ca};
    return options;
}

QByteArray TestUiWizard::kitAutoconfig() const
{
    const QByteArray host = m_env.host().toUtf8();
    return "<?xml version=\"1.0\"?>\n<clientConfig version=\"1.1\"><emailProvider id=\"example.org\">\n"
           "  <incomingServer type=\"imap\"><hostname>"
        + host + "</hostname><port>" + QByteArray::number(m_env.port(QStringLiteral("TANDEM_KIT_IMAPS_PORT")))
        + "</port><socketType>SSL</socketType><username>%EMAILLOCALPART%</username></incomingServer>\n"
          "  <outgoingServer type=\"smtp\"><hostname>"
        + host + "</hostname><port>" + QByteArray::number(m_env.port(QStringLiteral("TANDEM_KIT_SMTPS_PORT")))
        + "</port><socketType>SSL</socketType><username>%EMAILLOCALPART%</username></outgoingServer>\n"
          "</emailProvider></clientConfig>\n";
}

bool TestUiWizard::findServers(ui::SetupWizard *wizard, const QString &password)
{
    wizard->findChild<QLineEdit *>(QStringLiteral("wizardName"))->setText(QStringLiteral("Alice Example"));
    wizard->findChild<QLineEdit *>(QStringLiteral("wizardAddress"))->setText(m_address);
    wizard->findChild<QLineEdit *>(QStringLiteral("wizardPassword"))->setText(password);
    if (!wizard->currentPage()->isComplete())
        return false;
    wizard->next();
    return QTest::qWaitFor([wizard] { return wizard->discoveryDone(); }, ServerTimeoutMs);
}

void TestUiWizard::autoconfigFindsTheServersAndDoneAddsTheAccount()
{
    m_http->serve("/example.org/config-v1.1.xml", kitAutoconfig());
    ui::MainWindow window;
    QVERIFY(!window.openStore(test::newStorePath()).isError());
    window.show();
    ui::AccountSettings base;
    base.extraCaPem = {m_ca}; // the account trusts the kit's CA, as its probe did
    ui::SetupWizard *wizard = window.showSetupWizard(localOptions(true), base);
    QVERIFY(!wizard->button(QWizard::NextButton)->isEnabled()); // no address yet
    QVERIFY(findServers(wizard, m_env.password(0)));

    // Found in the file, every field filled and editable; nothing to confirm.
    const ui::AccountSettings found = wizard->form()->settings();
    QCOMPARE(found.host, m_env.host());
    QCOMPARE(found.port, m_env.port(QStringLiteral("TANDEM_KIT_IMAPS_PORT")));
    QCOMPARE(found.security, mailcore::Security::ImplicitTls);
    QCOMPARE(found.user, m_env.user(0)); // %EMAILLOCALPART%
    QCOMPARE(found.smtpPort, m_env.port(QStringLiteral("TANDEM_KIT_SMTPS_PORT")));
    QCOMPARE(found.fromAddress, m_address);
    QCOMPARE(found.fromName, QStringLiteral("Alice Example"));
    QVERIFY2(wizard->serversState()->text().contains(QStringLiteral("autoconfig")),
             qPrintable(wizard->serversState()->text()));
    QVERIFY(!wizard->confirmGuess()->isVisible());
    QVERIFY(!wizard->trustCertificate()->isVisible());
    QVERIFY(wizard->currentPage()->isComplete());
    QVERIFY(m_dns->asked.isEmpty()); // the file gave both servers
    QVERIFY(!wizard->steps()->toPlainText().isEmpty());

    // docs/screenshots/wizard.png is this page (TANDEM_SCREENSHOT_DIR=docs/screenshots ctest -R ui_wizard).
    if (const QString dir = qEnvironmentVariable("TANDEM_SCREENSHOT_DIR"); !dir.isEmpty())
        QVERIFY(wizard->grab().save(dir + QStringLiteral("/wizard.png")));

    // The test logs in to both.
    wizard->next();
    QTRY_VERIFY_WITH_TIMEOUT(wizard->testPassed(), ServerTimeoutMs);
    QVERIFY2(wizard->testState()->text().contains(QStringLiteral("Incoming mail: logged in")),
             qPrintable(wizard->testState()->text()));
    QVERIFY(wizard->testState()->text().contains(QStringLiteral("Outgoing mail: logged in")));

    // Done: the window has the account, connected, its folders shown.
    wizard->button(QWizard::FinishButton)->click();
    QTRY_VERIFY_WITH_TIMEOUT(window.account()->client() != nullptr, ServerTimeoutMs);
    QCOMPARE(window.account()->settings().user, m_env.user(0));
    QCOMPARE(window.account()->password(), m_env.password(0));
    QTRY_VERIFY_WITH_TIMEOUT(
        window.folderModel()->indexOfFolder(QStringLiteral("Work"), window.account()->storeId()).isValid(),
        ServerTimeoutMs);
}

void TestUiWizard::aWrongPasswordIsSaidInPlainWords()
{
    m_http->serve("/example.org/config-v1.1.xml", kitAutoconfig());
    ui::AccountSettings base;
    base.extraCaPem = {m_ca};
    ui::SetupWizard wizard(localOptions(true), base);
    wizard.show();
    QVERIFY(findServers(&wizard, QStringLiteral("not-the-password")));
    wizard.next();
    QTRY_VERIFY_WITH_TIMEOUT(wizard.testState()->text().contains(QStringLiteral("✘")), ServerTimeoutMs);
    QVERIFY2(wizard.testState()->text().contains(QStringLiteral("refused the user name or the password")),
             qPrintable(wizard.testState()->text()));
    QVERIFY(!wizard.testPassed());
    QVERIFY(!wizard.button(QWizard::FinishButton)->isEnabled());
}

void TestUiWizard::guessedServersWaitForTheUsersWord()
{
    m_http->serve("/example.org/config-v1.1.xml", "no such file here"); // not a config: the next source
    ui::SetupWizard wizard(localOptions(true));
    wizard.show();
    QVERIFY(findServers(&wizard, m_env.password(0)));
    const ui::AccountSettings found = wizard.form()->settings();
    QCOMPARE(found.host, QStringLiteral("localhost"));
    QCOMPARE(found.port, m_env.port(QStringLiteral("TANDEM_KIT_IMAPS_PORT")));
    QVERIFY2(wizard.serversState()->text().contains(QStringLiteral("guess")),
             qPrintable(wizard.serversState()->text()));
    QVERIFY(!m_dns->asked.isEmpty()); // SRV was asked before guessing
    // Guessed: not used (no password sent) until the user says so.
    QVERIFY(wizard.confirmGuess()->isVisible());
    QVERIFY(!wizard.currentPage()->isComplete());
    wizard.confirmGuess()->setChecked(true);
    QVERIFY(wizard.currentPage()->isComplete());
    // A server the user types is theirs to judge.
    wizard.confirmGuess()->setChecked(false);
    wizard.form()->findChild<QLineEdit *>(QStringLiteral("host"))->setText(m_env.host());
    QVERIFY(wizard.currentPage()->isComplete());
}

void TestUiWizard::anUntrustedCertificateIsUsedOnlyOnceTrusted()
{
    m_http->serve("/example.org/config-v1.1.xml", kitAutoconfig());
    ui::SetupWizard wizard(localOptions(false)); // the kit's CA is not known
    wizard.show();
    QVERIFY(findServers(&wizard, m_env.password(0)));
    QVERIFY(wizard.trustCertificate()->isVisible());
    QVERIFY(!wizard.currentPage()->isComplete());
    QVERIFY(wizard.settings().pinnedSha256.isEmpty());
    wizard.trustCertificate()->setChecked(true);
    QVERIFY(wizard.currentPage()->isComplete());
    // Exactly the server's own certificate is trusted, and with it the login works.
    QFile server(m_env.caCertificatePath().section(u'/', 0, -2) + QStringLiteral("/server.crt"));
    QVERIFY(server.open(QIODevice::ReadOnly));
    const QList<QSslCertificate> chain = QSslCertificate::fromData(server.readAll());
    QCOMPARE(chain.size(), 1);
    QCOMPARE(wizard.settings().pinnedSha256, chain.first().digest(QCryptographicHash::Sha256));
    wizard.next();
    QTRY_VERIFY_WITH_TIMEOUT(wizard.testState()->text().contains(QStringLiteral("Incoming mail: logged in")),
                             ServerTimeoutMs);
}

void TestUiWizard::aDomainWithOnlyPop3GivesAPop3Account()
{
    const QByteArray host = m_env.host().toUtf8();
    m_http->serve("/example.org/config-v1.1.xml",
                  "<clientConfig version=\"1.1\"><emailProvider id=\"example.org\">"
                  "<incomingServer type=\"pop3\"><hostname>"
                      + host + "</hostname><port>"
                      + QByteArray::number(m_env.port(QStringLiteral("TANDEM_KIT_POP3S_PORT")))
                      + "</port><socketType>SSL</socketType><username>%EMAILLOCALPART%</username></incomingServer>"
                        "</emailProvider></clientConfig>");
    ui::AccountSettings base;
    base.extraCaPem = {m_ca};
    ui::SetupWizard wizard(localOptions(true), base);
    wizard.show();
    QVERIFY(findServers(&wizard, m_env.password(0)));
    const ui::AccountSettings found = wizard.form()->settings();
    QVERIFY(found.isPop3());
    QCOMPARE(found.port, m_env.port(QStringLiteral("TANDEM_KIT_POP3S_PORT")));
    QCOMPARE(found.pop3Policy.keep, mailcore::store::Pop3Policy::Keep::OnServer); // nothing deleted unless asked
    QVERIFY(wizard.serversState()->text().contains(QStringLiteral("POP3")));
    // Found nowhere: the outgoing server stays empty (a receiving-only account) unless SRV or a guess gives one.
    wizard.form()->findChild<QLineEdit *>(QStringLiteral("smtpHost"))->clear();
    QVERIFY(wizard.currentPage()->isComplete());
    wizard.next();
    QTRY_VERIFY_WITH_TIMEOUT(wizard.testPassed(), ServerTimeoutMs);
    QVERIFY2(wizard.testState()->text().contains(QStringLiteral("to download")),
             qPrintable(wizard.testState()->text()));
}

QTEST_MAIN(TestUiWizard)
#include "tst_ui_wizard.moc"
