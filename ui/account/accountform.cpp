// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/account/accountform.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QVBoxLayout>

namespace tandem::ui {

using mailcore::Security;

namespace {

QLineEdit *lineEdit(const QString &name, QWidget *parent)
{
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(name);
    return edit;
}

QSpinBox *portBox(const QString &name, QWidget *parent)
{
    auto *box = new QSpinBox(parent);
    box->setObjectName(name);
    box->setRange(1, 65535);
    return box;
}

QComboBox *securityBox(const QString &name, const QString &tlsText, const QString &startTlsText, QWidget *parent)
{
    auto *box = new QComboBox(parent);
    box->setObjectName(name);
    box->addItem(tlsText, int(Security::ImplicitTls));
    box->addItem(startTlsText, int(Security::StartTls));
    box->addItem(QObject::tr("None: password and mail readable on the network"), int(Security::Plain));
    return box;
}

/// Follows the usual port of the new security when the port was the usual one of the old.
void followUsualPort(QSpinBox *port, Security security, quint16 tlsPort, quint16 startTlsPort)
{
    if (port->value() == tlsPort || port->value() == startTlsPort)
        port->setValue(security == Security::ImplicitTls ? tlsPort : startTlsPort);
}

} // namespace

AccountForm::AccountForm(QWidget *parent)
    : QWidget(parent)
{
    m_name = lineEdit(QStringLiteral("fromName"), this);
    m_name->setPlaceholderText(tr("Alice Example"));
    m_address = lineEdit(QStringLiteral("fromAddress"), this);
    m_address->setPlaceholderText(tr("alice@example.org"));
    m_otherAddresses = lineEdit(QStringLiteral("otherAddresses"), this);
    m_otherAddresses->setPlaceholderText(tr("none; or: Alice at work <alice@work.example>, alias@example.org"));
    m_signature = new QPlainTextEdit(this);
    m_signature->setObjectName(QStringLiteral("signature"));
    m_signature->setPlaceholderText(tr("none (put under new messages and replies, after a \"-- \" line)"));
    m_signature->setTabChangesFocus(true);
    m_signature->setMaximumHeight(m_signature->fontMetrics().height() * 4);
    m_incoming = new QComboBox(this);
    m_incoming->setObjectName(QStringLiteral("incoming"));
    m_incoming->addItem(tr("IMAP: the mail stays on the server"), int(AccountSettings::Incoming::Imap));
    m_incoming->addItem(tr("POP3: the mail is downloaded to this computer"), int(AccountSettings::Incoming::Pop3));
    using Keep = mailcore::store::Pop3Policy::Keep;
    m_pop3Keep = new QComboBox(this);
    m_pop3Keep->setObjectName(QStringLiteral("pop3Keep"));
    m_pop3Keep->addItem(tr("left on the server"), int(Keep::OnServer));
    m_pop3Keep->addItem(tr("deleted once downloaded"), int(Keep::DeleteAfterDownload));
    m_pop3Keep->addItem(tr("deleted after some days"), int(Keep::DeleteAfterDays));
    m_pop3Days = new QSpinBox(this);
    m_pop3Days->setObjectName(QStringLiteral("pop3Days"));
    m_pop3Days->setRange(0, 3650);
    m_pop3Days->setSuffix(tr(" days"));
    m_pop3Row = new QWidget(this);
    auto *pop3Layout = new QHBoxLayout(m_pop3Row);
    pop3Layout->setContentsMargins(0, 0, 0, 0);
    pop3Layout->addWidget(m_pop3Keep, 1);
    pop3Layout->addWidget(m_pop3Days);
    m_host = lineEdit(QStringLiteral("host"), this);
    m_port = portBox(QStringLiteral("port"), this);
    m_security = securityBox(QStringLiteral("security"), tr("TLS from the start (IMAPS, usually port 993)"),
                             tr("STARTTLS, required (usually port 143)"), this);
    m_user = lineEdit(QStringLiteral("user"), this);
    m_password = lineEdit(QStringLiteral("password"), this);
    m_password->setEchoMode(QLineEdit::Password);
    m_smtpHost = lineEdit(QStringLiteral("smtpHost"), this);
    m_smtpHost->setPlaceholderText(tr("none: this account only receives"));
    m_smtpPort = portBox(QStringLiteral("smtpPort"), this);
    m_smtpSecurity = securityBox(QStringLiteral("smtpSecurity"), tr("TLS from the start (usually port 465)"),
                                 tr("STARTTLS, required (usually port 587)"), this);
    m_connections = new QSpinBox(this);
    m_connections->setObjectName(QStringLiteral("maxConnections"));
    m_connections->setRange(AccountSettings::MinConnections, AccountSettings::MaxConnections);
    m_connections->setToolTip(tr("Every connection counts, the main one included. Servers often allow 10 per user "
                                 "and address; Tandem lowers the limit by itself when the server refuses more."));
    m_idle = new QSpinBox(this);
    m_idle->setObjectName(QStringLiteral("idleSeconds"));
    m_idle->setRange(1, 3600);
    m_idle->setSuffix(tr(" s"));
    m_idle->setToolTip(tr("How long an extra connection that is not in use stays open for the next task."));
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("accountNote"));
    m_note->setWordWrap(true);
    m_note->hide();

    auto *you = new QGroupBox(tr("You"), this);
    auto *youForm = new QFormLayout(you);
    youForm->addRow(tr("&Name:"), m_name);
    youForm->addRow(tr("&Address:"), m_address);
    youForm->addRow(tr("Also sends &as:"), m_otherAddresses);
    youForm->addRow(tr("Si&gnature:"), m_signature);
    auto *incoming = new QGroupBox(tr("Incoming mail"), this);
    auto *incomingForm = m_incomingForm = new QFormLayout(incoming);
    incomingForm->addRow(tr("&Kind:"), m_incoming);
    incomingForm->addRow(tr("&Server:"), m_host);
    incomingForm->addRow(tr("P&ort:"), m_port);
    incomingForm->addRow(tr("S&ecurity:"), m_security);
    incomingForm->addRow(tr("&User:"), m_user);
    incomingForm->addRow(tr("&Password:"), m_password);
    incomingForm->addRow(tr("&Connections at most:"), m_connections);
    incomingForm->addRow(tr("Close &idle extras after:"), m_idle);
    incomingForm->addRow(tr("Server's &copy:"), m_pop3Row);
    auto *outgoing = new QGroupBox(tr("Outgoing mail (SMTP, the same user and password)"), this);
    auto *outgoingForm = new QFormLayout(outgoing);
    outgoingForm->addRow(tr("Se&rver:"), m_smtpHost);
    outgoingForm->addRow(tr("Po&rt:"), m_smtpPort);
    outgoingForm->addRow(tr("Securit&y:"), m_smtpSecurity);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(you);
    layout->addWidget(incoming);
    layout->addWidget(outgoing);
    layout->addWidget(m_note);

    connect(m_security, &QComboBox::currentIndexChanged, this, &AccountForm::incomingSecurityChanged);
    connect(m_incoming, &QComboBox::currentIndexChanged, this, &AccountForm::incomingKindChanged);
    connect(m_pop3Keep, &QComboBox::currentIndexChanged, this, [this] {
        m_pop3Days->setEnabled(m_pop3Keep->currentData().toInt()
                               == int(mailcore::store::Pop3Policy::Keep::DeleteAfterDays));
        Q_EMIT edited();
    });
    connect(m_smtpSecurity, &QComboBox::currentIndexChanged, this, &AccountForm::outgoingSecurityChanged);
    connect(m_signature, &QPlainTextEdit::textChanged, this, &AccountForm::edited);
    for (QLineEdit *edit : {m_name, m_address, m_otherAddresses, m_host, m_user, m_password, m_smtpHost})
        connect(edit, &QLineEdit::textChanged, this, &AccountForm::edited);
    for (QSpinBox *box : {m_port, m_smtpPort, m_connections, m_idle, m_pop3Days})
        connect(box, &QSpinBox::valueChanged, this, &AccountForm::edited);
    setSettings(AccountSettings());
}

void AccountForm::setSettings(const AccountSettings &settings)
{
    m_original = settings;
    m_name->setText(settings.fromName);
    m_address->setText(settings.fromAddress);
    m_otherAddresses->setText(settings.otherAddresses);
    m_signature->setPlainText(settings.signature);
    m_incoming->setCurrentIndex(m_incoming->findData(int(settings.incoming)));
    m_pop3Keep->setCurrentIndex(m_pop3Keep->findData(int(settings.pop3Policy.keep)));
    m_pop3Days->setValue(settings.pop3Policy.days);
    incomingKindChanged();
    m_host->setText(settings.host);
    m_security->setCurrentIndex(m_security->findData(int(settings.security)));
    m_port->setValue(settings.port); // after the security, whose change may move it
    m_user->setText(settings.user);
    m_smtpHost->setText(settings.smtpHost);
    m_smtpSecurity->setCurrentIndex(m_smtpSecurity->findData(int(settings.smtpSecurity)));
    m_smtpPort->setValue(settings.smtpPort);
    m_connections->setValue(settings.maxConnectionsPerServer);
    m_idle->setValue(settings.extraIdleSeconds);
}

AccountSettings AccountForm::settings() const
{
    AccountSettings s = m_original;
    s.fromName = m_name->text().trimmed();
    s.fromAddress = m_address->text().trimmed();
    s.otherAddresses = m_otherAddresses->text().trimmed();
    s.signature = m_signature->toPlainText().trimmed();
    s.incoming = AccountSettings::Incoming(m_incoming->currentData().toInt());
    s.pop3Policy.keep = mailcore::store::Pop3Policy::Keep(m_pop3Keep->currentData().toInt());
    s.pop3Policy.days = m_pop3Days->value();
    s.host = m_host->text().trimmed();
    s.port = quint16(m_port->value());
    s.security = Security(m_security->currentData().toInt());
    s.user = m_user->text().trimmed();
    s.smtpHost = m_smtpHost->text().trimmed();
    s.smtpPort = quint16(m_smtpPort->value());
    s.smtpSecurity = Security(m_smtpSecurity->currentData().toInt());
    s.maxConnectionsPerServer = m_connections->value();
    s.extraIdleSeconds = m_idle->value();
    if (s.host != m_original.host || s.port != m_original.port)
        s.pinnedSha256.clear(); // a pin belongs to one server
    return s;
}

void AccountForm::setPassword(const QString &password) { m_password->setText(password); }

QString AccountForm::password() const { return m_password->text(); }

bool AccountForm::isComplete() const
{
    const AccountSettings s = settings();
    return s.isComplete() && !s.senderAddress().isEmpty();
}

void AccountForm::setNote(const QString &html)
{
    m_note->setText(html);
    m_note->setVisible(!html.isEmpty());
}

std::pair<quint16, quint16> AccountForm::usualPorts() const
{
    return m_incoming->currentData().toInt() == int(AccountSettings::Incoming::Pop3)
        ? std::pair<quint16, quint16>{995, 110}
        : std::pair<quint16, quint16>{993, 143};
}

void AccountForm::incomingSecurityChanged()
{
    const auto [tls, startTls] = usualPorts();
    followUsualPort(m_port, Security(m_security->currentData().toInt()), tls, startTls);
    Q_EMIT edited();
}

void AccountForm::incomingKindChanged()
{
    const bool pop3 = m_incoming->currentData().toInt() == int(AccountSettings::Incoming::Pop3);
    // The usual port of the other kind becomes this kind's.
    const auto [tls, startTls] = usualPorts();
    const int port = m_port->value();
    if (port == 993 || port == 995)
        m_port->setValue(tls);
    else if (port == 143 || port == 110)
        m_port->setValue(startTls);
    m_security->setItemText(0,
                            pop3 ? tr("TLS from the start (POP3S, usually port 995)")
                                 : tr("TLS from the start (IMAPS, usually port 993)"));
    m_security->setItemText(
        1, pop3 ? tr("STARTTLS, required (usually port 110)") : tr("STARTTLS, required (usually port 143)"));
    if (m_incomingForm) { // not yet while the constructor builds it
        m_incomingForm->setRowVisible(m_pop3Row, pop3);
        m_incomingForm->setRowVisible(m_connections, !pop3);
        m_incomingForm->setRowVisible(m_idle, !pop3);
    }
    m_pop3Days->setEnabled(
        pop3 && m_pop3Keep->currentData().toInt() == int(mailcore::store::Pop3Policy::Keep::DeleteAfterDays));
    // POP3 reads over one connection (RFC 1939's maildrop lock): no pool limits to set.
    Q_EMIT edited();
}

void AccountForm::outgoingSecurityChanged()
{
    followUsualPort(m_smtpPort, Security(m_smtpSecurity->currentData().toInt()), 465, 587);
    Q_EMIT edited();
}

} // namespace tandem::ui
