// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QWizard>

#include "mailcore/discovery/discovery.h"
#include "ui/account/accountsettings.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;

namespace tandem::ui {

class AccountForm;

/// A new account in three steps. 1: name, address, password. 2: the servers,
/// found from the address (mailcore::discovery: the domain's autoconfig file,
/// DNS SRV records, then common names, each probed without a password), shown
/// in AccountForm where every field stays editable; a server that was only
/// guessed, or whose certificate did not verify, is used only once the user
/// says so (the certificate shown, exactly it trusted). 3: a test that logs in
/// to both servers and says in plain words what failed. Finished, settings()
/// and password() are the account. Discovery and the test run on worker
/// threads: the window never waits. GUI thread.
class SetupWizard : public QWizard
{
    Q_OBJECT

public:
    enum PageId { AddressPage, ServersPage, TestPage };

    /// `options`: where discovery looks (tests point it at local servers);
    /// `base`: what the new account starts from (trusted CAs, limits).
    explicit SetupWizard(mailcore::discovery::DiscoveryOptions options = {}, AccountSettings base = {},
                         QWidget *parent = nullptr);

    AccountSettings settings() const;
    QString password() const;

    AccountForm *form() const { return m_form; }
    /// What discovery did, step by step.
    QPlainTextEdit *steps() const { return m_steps; }
    /// "Use these servers": needed when they were guessed.
    QCheckBox *confirmGuess() const { return m_confirmGuess; }
    /// "Trust this certificate": needed when the incoming server's did not verify.
    QCheckBox *trustCertificate() const { return m_trustCertificate; }
    /// What the servers page says about where the servers came from.
    QLabel *serversState() const { return m_serversState; }
    /// The test's outcome, per server.
    QLabel *testState() const { return m_testState; }
    /// Whether discovery (and its probe) is over.
    bool discoveryDone() const { return m_discoveryDone; }
    /// Whether the last test logged in to every server.
    bool testPassed() const { return m_testPassed; }

private:
    class Page;
    QWizardPage *makeAddressPage();
    QWizardPage *makeServersPage();
    QWizardPage *makeTestPage();
    void startDiscovery();
    void showDiscovered(const mailcore::discovery::DiscoveryReport &report,
                        const std::optional<mailcore::discovery::ProbeResult> &probe);
    void startTest();
    bool serversConfirmed() const;
    /// Shows why the incoming server's certificate is not trusted, and the choice to trust exactly it.
    void offerToTrust(const mailcore::TlsFailure &failure, const AccountSettings &settings);

    mailcore::discovery::DiscoveryOptions m_options;
    AccountSettings m_base;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_address = nullptr;
    QLineEdit *m_password = nullptr;
    AccountForm *m_form = nullptr;
    QPlainTextEdit *m_steps = nullptr;
    QLabel *m_serversState = nullptr;
    QCheckBox *m_confirmGuess = nullptr;
    QCheckBox *m_trustCertificate = nullptr;
    QPushButton *m_showCertificate = nullptr;
    QLabel *m_testState = nullptr;
    std::optional<mailcore::TlsFailure> m_untrusted; ///< the probed incoming server's certificate problem
    AccountSettings m_probed;                        ///< the settings the probe judged
    QString m_discoveredFor;                         ///< the address discovery last ran for
    int m_generation = 0;                            ///< results of an older run are dropped
    bool m_discoveryDone = false;
    bool m_testPassed = false;
    bool m_testRunning = false;
};

} // namespace tandem::ui
