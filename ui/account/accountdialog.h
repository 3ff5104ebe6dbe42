// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QDialog>

#include "ui/account/accountsettings.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace tandem::ui {

class PasswordStore;

/// Edits the account: server, port, security, user, password, how many
/// connections the pool may open (1-50) and how long extra ones stay idle.
/// While it is open it asks the keychain, and says plainly when none answers
/// (the password is then kept for this session only). Saving the password is
/// the caller's job (PasswordStore::store) once the dialog is accepted.
class AccountDialog : public QDialog
{
    Q_OBJECT

public:
    AccountDialog(const AccountSettings &settings, const QString &password, PasswordStore *store,
                  QWidget *parent = nullptr);

    AccountSettings settings() const;
    QString password() const;

    QLabel *keychainLabel() const { return m_keychain; }

private:
    void showKeychainState();
    void securityChanged();

    AccountSettings m_original;
    PasswordStore *m_store;
    QLineEdit *m_host = nullptr;
    QSpinBox *m_port = nullptr;
    QComboBox *m_security = nullptr;
    QLineEdit *m_user = nullptr;
    QLineEdit *m_password = nullptr;
    QSpinBox *m_connections = nullptr;
    QSpinBox *m_idle = nullptr;
    QLabel *m_keychain = nullptr;
    QLabel *m_trust = nullptr;
};

} // namespace tandem::ui
