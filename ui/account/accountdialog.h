// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QDialog>

#include "ui/account/accountsettings.h"

class QLabel;

namespace tandem::ui {

class AccountForm;
class PasswordStore;

/// Edits the account (AccountForm: who sends, the incoming and outgoing
/// servers, the password, the pool's limits). While it is open it asks the keychain, and says plainly when none answers
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

    AccountSettings m_original;
    PasswordStore *m_store;
    AccountForm *m_form = nullptr;
    QLabel *m_keychain = nullptr;
};

} // namespace tandem::ui
