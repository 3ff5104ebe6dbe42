// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/account/setupwizard.h"

#include <QCheckBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <functional>

#include "mailcore/imapclient/imapclient.h"
#include "mailcore/pop3client/pop3client.h"
#include "mailcore/smtpclient/smtpclient.h"
#include "ui/account/accountform.h"
#include "ui/account/certificatedialog.h"
#include "ui/account/connectionproblem.h"
#include "ui/futureresult.h"

namespace tandem::ui {

namespace discovery = mailcore::discovery;

/// A page whose completeness and start the wizard decides.
class SetupWizard::Page : public QWizardPage
{
public:
    using QWizardPage::QWizardPage;
    std::function<bool()> complete = [] { return true; };
    std::function<void()> entered = [] {};
    bool isComplete() const override { return complete(); }
    void initializePage() override { entered(); }
    void changed() { Q_EMIT completeChanged(); }
};

namespace {

struct Found {
    discovery::DiscoveryReport report;
    std::optional<discovery::ProbeResult> probe; ///< of the incoming server chosen
};

struct TestOutcome {
    mailcore::Error incoming;
    int folders = 0;  ///< IMAP
    int messages = 0; ///< POP3
    bool hasOutgoing = false;
    mailcore::Error outgoing;
};

std::optional<discovery::ServerCandidate> firstOf(const QList<discovery::ServerCandidate> &list,
                                                  discovery::Protocol protocol)
{
    for (const discovery::ServerCandidate &candidate : list) {
        if (candidate.protocol == protocol)
            return candidate;
    }
    return std::nullopt;
}

/// IMAP when offered (the mail stays on the server, every device sees it), else POP3.
std::optional<discovery::ServerCandidate> chosenIncoming(const discovery::DiscoveryReport &report)
{
    if (auto imap = firstOf(report.incoming, discovery::Protocol::Imap))
        return imap;
    return firstOf(report.incoming, discovery::Protocol::Pop3);
}

QString sourceText(discovery::Source source, const QString &domain)
{
    switch (source) {
    case discovery::Source::Autoconfig: return QObject::tr("the settings %1 publishes (autoconfig)").arg(domain);
    case discovery::Source::DnsSrv: return QObject::tr("the DNS records of %1 (SRV)").arg(domain);
    case discovery::Source::Guess: return QObject::tr("a guess: common server names that answered");
    }
    return {};
}

} // namespace

SetupWizard::SetupWizard(discovery::DiscoveryOptions options, AccountSettings base, QWidget *parent)
    : QWizard(parent)
    , m_options(std::move(options))
    , m_base(std::move(base))
{
    setWindowTitle(tr("Add a mail account"));
    setObjectName(QStringLiteral("setupWizard"));
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    setPage(AddressPage, makeAddressPage());
    setPage(ServersPage, makeServersPage());
    setPage(TestPage, makeTestPage());
    setButtonText(QWizard::FinishButton, tr("&Done"));
    resize(680, 780);
}

QWizardPage *SetupWizard::makeAddressPage()
{
    auto *page = new Page;
    page->setTitle(tr("Your mail account"));
    page->setSubTitle(tr("Tandem finds the servers from your address. Your password is sent to none of them "
                         "before you have seen which ones they are."));
    m_name = new QLineEdit;
    m_name->setObjectName(QStringLiteral("wizardName"));
    m_name->setPlaceholderText(tr("Alice Example"));
    m_address = new QLineEdit;
    m_address->setObjectName(QStringLiteral("wizardAddress"));
    m_address->setPlaceholderText(tr("alice@example.org"));
    m_password = new QLineEdit;
    m_password->setObjectName(QStringLiteral("wizardPassword"));
    m_password->setEchoMode(QLineEdit::Password);
    auto *form = new QFormLayout(page);
    form->addRow(tr("Your &name:"), m_name);
    form->addRow(tr("&Address:"), m_address);
    form->addRow(tr("&Password:"), m_password);
    page->complete = [this] {
        const QString address = m_address->text().trimmed();
        const qsizetype at = address.indexOf(u'@');
        return at > 0 && at < address.size() - 1 && !m_password->text().isEmpty();
    };
    for (QLineEdit *edit : {m_address, m_password})
        connect(edit, &QLineEdit::textChanged, page, &Page::changed);
    return page;
}

QWizardPage *SetupWizard::makeServersPage()
{
    auto *page = new Page;
    page->setTitle(tr("Servers"));
    page->setSubTitle(tr("What Tandem found. Every field can be changed."));
    m_serversState = new QLabel;
    m_serversState->setObjectName(QStringLiteral("serversState"));
    m_serversState->setWordWrap(true);
    m_form = new AccountForm;
    m_confirmGuess = new QCheckBox(tr("Use these guessed servers and send my password to them"));
    m_confirmGuess->setObjectName(QStringLiteral("confirmGuess"));
    m_confirmGuess->hide();
    m_trustCertificate = new QCheckBox;
    m_trustCertificate->setObjectName(QStringLiteral("trustCertificate"));
    m_trustCertificate->hide();
    m_showCertificate = new QPushButton(tr("Show the certificate…"));
    m_showCertificate->hide();
    connect(m_showCertificate, &QPushButton::clicked, this, [this] {
        if (!m_untrusted)
            return;
        auto *dialog = new CertificateDialog(*m_untrusted, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(dialog, &QDialog::accepted, m_trustCertificate, [this] { m_trustCertificate->setChecked(true); });
        dialog->open();
    });
    m_steps = new QPlainTextEdit;
    m_steps->setObjectName(QStringLiteral("discoverySteps"));
    m_steps->setReadOnly(true);
    m_steps->setMaximumHeight(90);
    m_steps->setPlaceholderText(tr("What was tried shows here."));

    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_serversState);
    layout->addWidget(m_form);
    layout->addWidget(m_confirmGuess);
    auto *trust = new QHBoxLayout;
    trust->addWidget(m_trustCertificate, 1);
    trust->addWidget(m_showCertificate);
    layout->addLayout(trust);
    layout->addWidget(m_steps);

    page->entered = [this] {
        const QString address = m_address->text().trimmed();
        if (address != m_discoveredFor)
            startDiscovery();
    };
    page->complete = [this] { return serversConfirmed(); };
    connect(m_form, &AccountForm::edited, page, &Page::changed);
    connect(m_confirmGuess, &QCheckBox::toggled, page, &Page::changed);
    connect(m_trustCertificate, &QCheckBox::toggled, page, &Page::changed);
    return page;
}

QWizardPage *SetupWizard::makeTestPage()
{
    auto *page = new Page;
    page->setTitle(tr("Trying the account"));
    page->setSubTitle(tr("Tandem logs in to each server once, and keeps the account when both let it in."));
    m_testState = new QLabel;
    m_testState->setObjectName(QStringLiteral("testState"));
    m_testState->setWordWrap(true);
    m_testState->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_testState);
    layout->addStretch();
    page->entered = [this] { startTest(); };
    page->complete = [this] { return m_testPassed; };
    return page;
}

void SetupWizard::startDiscovery()
{
    const QString address = m_address->text().trimmed();
    m_discoveredFor = address;
    m_discoveryDone = false;
    m_untrusted.reset();
    m_confirmGuess->hide();
    m_confirmGuess->setChecked(false);
    m_trustCertificate->hide();
    m_trustCertificate->setChecked(false);
    m_showCertificate->hide();
    m_form->setEnabled(false);
    m_steps->clear();
    m_serversState->setText(tr("Looking for the servers of %1…").arg(address.section(u'@', 1)));
    const int generation = ++m_generation;
    const discovery::DiscoveryOptions options = m_options;
    QFuture<Found> running = QtConcurrent::run([address, options] {
        Found found{discovery::discover(address, options), std::nullopt};
        if (const auto incoming = chosenIncoming(found.report))
            found.probe = discovery::probe(*incoming, options.timeout, options.extraCaCertificatesPem);
        return found;
    });
    whenFinished(this, running, [this, generation](QFuture<Found> done) {
        if (generation != m_generation)
            return; // the address changed meanwhile
        const Found found = done.result();
        showDiscovered(found.report, found.probe);
    });
    if (auto *page = dynamic_cast<Page *>(this->page(ServersPage)))
        page->changed();
}

void SetupWizard::showDiscovered(const discovery::DiscoveryReport &report,
                                 const std::optional<discovery::ProbeResult> &probe)
{
    const QString address = m_discoveredFor;
    const QString domain = address.section(u'@', 1);
    m_steps->setPlainText(report.steps.join(u'\n'));
    AccountSettings settings = m_base;
    settings.fromName = m_name->text().trimmed();
    settings.fromAddress = address;
    settings.user = address;
    settings.host.clear();
    settings.smtpHost.clear();
    const auto incoming = chosenIncoming(report);
    const auto outgoing = firstOf(report.outgoing, discovery::Protocol::Smtp);
    QStringList said;
    if (incoming) {
        settings.incoming = incoming->protocol == discovery::Protocol::Pop3 ? AccountSettings::Incoming::Pop3
                                                                            : AccountSettings::Incoming::Imap;
        settings.host = incoming->endpoint.host;
        settings.port = incoming->endpoint.port;
        settings.security = incoming->endpoint.security;
        settings.user = incoming->userName.isEmpty() ? address : incoming->userName;
        said << tr("Incoming mail: %1 %2, from %3.")
                    .arg(settings.isPop3() ? QStringLiteral("POP3") : QStringLiteral("IMAP"),
                         serverName(incoming->endpoint), sourceText(incoming->source, domain));
    } else {
        said << tr("No incoming server was found for %1: fill it in below.").arg(domain);
    }
    if (outgoing) {
        settings.smtpHost = outgoing->endpoint.host;
        settings.smtpPort = outgoing->endpoint.port;
        settings.smtpSecurity = outgoing->endpoint.security;
        said << tr("Outgoing mail: %1, from %2.")
                    .arg(serverName(outgoing->endpoint), sourceText(outgoing->source, domain));
    } else {
        said << tr("No outgoing server was found: fill it in below, or leave it empty to only receive.");
    }
    if (probe && probe->tlsFailure && !probe->tlsFailure->chain.isEmpty()) {
        offerToTrust(*probe->tlsFailure, settings);
    } else if (probe && !probe->reachable) {
        said << connectionProblem(probe->error, serverName(settings.endpoint()));
    }
    const bool guessed = (incoming && incoming->source == discovery::Source::Guess)
        || (outgoing && outgoing->source == discovery::Source::Guess);
    m_confirmGuess->setVisible(guessed);
    m_serversState->setText(said.join(u'\n'));
    m_probed = settings;
    m_form->setSettings(settings);
    m_form->setPassword(m_password->text());
    m_form->setEnabled(true);
    m_discoveryDone = true;
    if (auto *page = dynamic_cast<Page *>(this->page(ServersPage)))
        page->changed();
}

void SetupWizard::offerToTrust(const mailcore::TlsFailure &failure, const AccountSettings &settings)
{
    m_untrusted = failure;
    m_trustCertificate->setText(
        tr("The certificate of %1 is not trusted (%2). Trust exactly this certificate for this server")
            .arg(serverName(settings.endpoint()), failure.errors.join(u' ')));
    m_trustCertificate->setChecked(false);
    m_trustCertificate->show();
    m_showCertificate->show();
}

bool SetupWizard::serversConfirmed() const
{
    if (!m_discoveryDone || !m_form->isComplete())
        return false;
    const AccountSettings now = m_form->settings();
    const bool sameIncoming = now.host == m_probed.host && now.port == m_probed.port;
    const bool sameServers = sameIncoming && now.smtpHost == m_probed.smtpHost && now.smtpPort == m_probed.smtpPort;
    // Typed by the user: theirs to judge. As guessed or as untrusted: only once confirmed.
    if (m_confirmGuess->isVisible() && sameServers && !m_confirmGuess->isChecked())
        return false;
    if (m_untrusted && sameIncoming && !m_trustCertificate->isChecked())
        return false;
    return true;
}

AccountSettings SetupWizard::settings() const
{
    AccountSettings settings = m_form->settings();
    if (m_untrusted && m_trustCertificate->isChecked() && settings.host == m_probed.host
        && settings.port == m_probed.port)
        settings.pinnedSha256 = m_untrusted->chain.first().sha256;
    return settings;
}

QString SetupWizard::password() const { return m_form->password(); }

void SetupWizard::startTest()
{
    m_testPassed = false;
    const AccountSettings settings = this->settings();
    const QString password = this->password();
    QStringList servers{serverName(settings.endpoint())};
    if (!settings.smtpHost.isEmpty())
        servers << serverName(settings.smtpEndpoint());
    m_testState->setText(tr("Logging in to %1…").arg(servers.join(tr(" and "))));
    const int generation = ++m_generation;
    QFuture<TestOutcome> running = QtConcurrent::run([settings, password] {
        TestOutcome outcome;
        if (settings.isPop3()) {
            mailcore::Pop3Client pop3(settings.endpoint(), settings.user, password);
            const auto box = pop3.mailboxInfo(); // nothing marked, nothing deleted
            if (box)
                outcome.messages = box->messageCount;
            else
                outcome.incoming = box.error();
        } else {
            mailcore::ImapClient imap(settings.endpoint(), settings.user, password);
            imap.setMaxConnectionsPerServer(1);
            const auto folders = imap.listFolders();
            if (folders)
                outcome.folders = int(folders->size());
            else
                outcome.incoming = folders.error();
        }
        if (!settings.smtpHost.isEmpty()) {
            outcome.hasOutgoing = true;
            mailcore::SmtpClient smtp(settings.smtpEndpoint(), settings.user, password);
            smtp.setMaxConnectionsPerServer(1);
            outcome.outgoing = smtp.checkLogin();
        }
        return outcome;
    });
    whenFinished(this, running, [this, generation, settings](QFuture<TestOutcome> done) {
        if (generation != m_generation)
            return;
        const TestOutcome outcome = done.result();
        QStringList lines;
        const QString incoming = serverName(settings.endpoint());
        if (outcome.incoming.isError())
            lines << QStringLiteral("✘ ") + connectionProblem(outcome.incoming, incoming);
        else if (settings.isPop3())
            lines << QStringLiteral("✔ ")
                    + tr("Incoming mail: logged in to %1 (%n message(s) to download).", nullptr, outcome.messages)
                          .arg(incoming);
        else
            lines << QStringLiteral("✔ ")
                    + tr("Incoming mail: logged in to %1 (%n folder(s)).", nullptr, outcome.folders).arg(incoming);
        if (outcome.hasOutgoing)
            lines << (outcome.outgoing.isError() ? QStringLiteral("✘ ")
                              + connectionProblem(outcome.outgoing, serverName(settings.smtpEndpoint()))
                                                 : QStringLiteral("✔ ")
                              + tr("Outgoing mail: logged in to %1.").arg(serverName(settings.smtpEndpoint())));
        if (const auto failure = outcome.incoming.tlsFailure(); failure && !failure->chain.isEmpty()) {
            // Judged on the servers page: Back shows the certificate and the choice to trust it.
            offerToTrust(*failure, settings);
            m_probed = settings;
            lines << tr("Go back to see the certificate and decide whether to trust it.");
        }
        m_testPassed = !outcome.incoming.isError() && !outcome.outgoing.isError();
        if (m_testPassed)
            lines << tr("All set: Done adds the account.");
        m_testState->setText(lines.join(u'\n'));
        if (auto *page = dynamic_cast<Page *>(this->page(TestPage)))
            page->changed();
    });
}

} // namespace tandem::ui
