// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/account/accountdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

#include "ui/account/passwordstore.h"

namespace tandem::ui {

using mailcore::Security;

AccountDialog::AccountDialog(const AccountSettings &settings, const QString &password, PasswordStore *store,
                             QWidget *parent)
    : QDialog(parent)
    , m_original(settings)
    , m_store(store)
{
    setWindowTitle(tr("Account settings"));

    m_host = new QLineEdit(settings.host);
    m_host->setObjectName(QStringLiteral("host"));
    m_port = new QSpinBox;
    m_port->setObjectName(QStringLiteral("port"));
    m_port->setRange(1, 65535);
    m_port->setValue(settings.port);
    m_security = new QComboBox;
    m_security->setObjectName(QStringLiteral("security"));
    m_security->addItem(tr("TLS from the start (IMAPS, usually port 993)"), int(Security::ImplicitTls));
    m_security->addItem(tr("STARTTLS, required (usually port 143)"), int(Security::StartTls));
    m_security->addItem(tr("None: password and mail readable on the network"), int(Security::Plain));
    m_security->setCurrentIndex(m_security->findData(int(settings.security)));
    connect(m_security, &QComboBox::currentIndexChanged, this, &AccountDialog::securityChanged);
    m_user = new QLineEdit(settings.user);
    m_user->setObjectName(QStringLiteral("user"));
    m_password = new QLineEdit(password);
    m_password->setObjectName(QStringLiteral("password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_connections = new QSpinBox;
    m_connections->setObjectName(QStringLiteral("maxConnections"));
    m_connections->setRange(AccountSettings::MinConnections, AccountSettings::MaxConnections);
    m_connections->setValue(settings.maxConnectionsPerServer);
    m_connections->setToolTip(tr("Every connection counts, the main one included. Servers often allow 10 per user "
                                 "and address; Tandem lowers the limit by itself when the server refuses more."));
    m_idle = new QSpinBox;
    m_idle->setObjectName(QStringLiteral("idleSeconds"));
    m_idle->setRange(1, 3600);
    m_idle->setSuffix(tr(" s"));
    m_idle->setValue(settings.extraIdleSeconds);
    m_idle->setToolTip(tr("How long an extra connection that is not in use stays open for the next task."));

    m_keychain = new QLabel(tr("Asking the keychain…"));
    m_keychain->setObjectName(QStringLiteral("keychainState"));
    m_keychain->setWordWrap(true);
    m_trust = new QLabel;
    m_trust->setWordWrap(true);
    if (!settings.pinnedSha256.isEmpty())
        m_trust->setText(tr("You trusted one certificate of this server explicitly (SHA-256 %1).")
                             .arg(QString::fromLatin1(settings.pinnedSha256.toHex(':').toUpper())));
    else if (!settings.extraCaPem.isEmpty())
        m_trust->setText(tr("Certificates signed by the extra authority given with the account are trusted "
                            "(the demo's own CA)."));

    auto *form = new QFormLayout;
    form->addRow(tr("&Server:"), m_host);
    form->addRow(tr("P&ort:"), m_port);
    form->addRow(tr("S&ecurity:"), m_security);
    form->addRow(tr("&User:"), m_user);
    form->addRow(tr("&Password:"), m_password);
    form->addRow(QString(), m_keychain);
    form->addRow(tr("&Connections at most:"), m_connections);
    form->addRow(tr("Close &idle extras after:"), m_idle);
    form->addRow(QString(), m_trust);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);

    if (m_store) {
        connect(m_store, &PasswordStore::backendChanged, this, &AccountDialog::showKeychainState);
        connect(m_store, &PasswordStore::passwordRead, this,
                [this](const QString &key, const QString &stored, bool found) {
                    if (key == m_original.accountId() && found && m_password->text().isEmpty())
                        m_password->setText(stored);
                    showKeychainState();
                });
        m_store->read(settings.accountId());
    }
}

void AccountDialog::showKeychainState()
{
    switch (m_store->backend()) {
    case PasswordStore::Backend::Keychain:
        m_keychain->setText(tr("The password is kept in the system keychain."));
        break;
    case PasswordStore::Backend::SessionOnly:
        m_keychain->setText(tr("<b>No keychain answered</b> (%1). The password is kept for this session only "
                               "and never written to disk.")
                                .arg(m_store->problem().toHtmlEscaped()));
        break;
    case PasswordStore::Backend::Unknown: break;
    }
}

void AccountDialog::securityChanged()
{
    // Follow the usual port when the user had the usual port of the old choice.
    const auto security = Security(m_security->currentData().toInt());
    if (m_port->value() == 993 || m_port->value() == 143)
        m_port->setValue(security == Security::ImplicitTls ? 993 : 143);
}

AccountSettings AccountDialog::settings() const
{
    AccountSettings s = m_original;
    s.host = m_host->text().trimmed();
    s.port = quint16(m_port->value());
    s.security = Security(m_security->currentData().toInt());
    s.user = m_user->text().trimmed();
    s.maxConnectionsPerServer = m_connections->value();
    s.extraIdleSeconds = m_idle->value();
    if (s.host != m_original.host || s.port != m_original.port)
        s.pinnedSha256.clear(); // a pin belongs to one server
    return s;
}

QString AccountDialog::password() const { return m_password->text(); }

} // namespace tandem::ui
