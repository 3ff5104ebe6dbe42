// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/account/accountdialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QVBoxLayout>

#include "ui/account/accountform.h"
#include "ui/account/passwordstore.h"

namespace tandem::ui {

AccountDialog::AccountDialog(const AccountSettings &settings, const QString &password, PasswordStore *store,
                             QWidget *parent)
    : QDialog(parent)
    , m_original(settings)
    , m_store(store)
    , m_form(new AccountForm(this))
{
    setWindowTitle(tr("Account settings"));
    m_form->setSettings(settings);
    m_form->setPassword(password);
    if (!settings.pinnedSha256.isEmpty())
        m_form->setNote(tr("You trusted one certificate of this server explicitly (SHA-256 %1).")
                            .arg(QString::fromLatin1(settings.pinnedSha256.toHex(':').toUpper())));
    else if (!settings.extraCaPem.isEmpty())
        m_form->setNote(tr("Certificates signed by the extra authority given with the account are trusted "
                           "(the demo's own CA)."));

    m_keychain = new QLabel(tr("Asking the keychain…"));
    m_keychain->setObjectName(QStringLiteral("keychainState"));
    m_keychain->setWordWrap(true);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_form);
    layout->addWidget(m_keychain);
    layout->addWidget(buttons);

    if (m_store) {
        connect(m_store, &PasswordStore::backendChanged, this, &AccountDialog::showKeychainState);
        connect(m_store, &PasswordStore::passwordRead, this,
                [this](const QString &key, const QString &stored, bool found) {
                    if (key == m_original.accountId() && found && m_form->password().isEmpty())
                        m_form->setPassword(stored);
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

AccountSettings AccountDialog::settings() const { return m_form->settings(); }

QString AccountDialog::password() const { return m_form->password(); }

} // namespace tandem::ui
