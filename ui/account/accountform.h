// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QWidget>

#include "ui/account/accountsettings.h"

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace tandem::ui {

/// Every field of an account, editable: who sends (name, address, other
/// addresses, signature), the
/// incoming server (IMAP or POP3, host, port, security, user, password; for
/// POP3 what becomes of the server's copies), the outgoing one
/// (host, port, security: the same login), how many connections the pool may
/// open (1-50) and how long extra ones stay idle. The settings dialog and the
/// set-up wizard both show it. GUI thread.
class AccountForm : public QWidget
{
    Q_OBJECT

public:
    explicit AccountForm(QWidget *parent = nullptr);

    /// Fills every field from `settings` (kept for what the form does not show, such as a pin).
    void setSettings(const AccountSettings &settings);
    /// The settings as the fields say now.
    AccountSettings settings() const;
    void setPassword(const QString &password);
    QString password() const;
    /// Whether the account can be used: servers, user and address filled in.
    bool isComplete() const;
    /// A line under the fields (how the servers were found, what is trusted).
    void setNote(const QString &html);

Q_SIGNALS:
    /// A field changed.
    void edited();

private:
    void incomingSecurityChanged();
    void incomingKindChanged();
    /// The usual ports of the incoming kind chosen: implicit TLS, STARTTLS.
    std::pair<quint16, quint16> usualPorts() const;
    void outgoingSecurityChanged();

    AccountSettings m_original;
    QComboBox *m_incoming = nullptr;
    QComboBox *m_pop3Keep = nullptr;
    QSpinBox *m_pop3Days = nullptr;
    QWidget *m_pop3Row = nullptr;
    QFormLayout *m_incomingForm = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_address = nullptr;
    QLineEdit *m_otherAddresses = nullptr;
    QPlainTextEdit *m_signature = nullptr;
    QLineEdit *m_host = nullptr;
    QSpinBox *m_port = nullptr;
    QComboBox *m_security = nullptr;
    QLineEdit *m_user = nullptr;
    QLineEdit *m_password = nullptr;
    QLineEdit *m_smtpHost = nullptr;
    QSpinBox *m_smtpPort = nullptr;
    QComboBox *m_smtpSecurity = nullptr;
    QSpinBox *m_connections = nullptr;
    QSpinBox *m_idle = nullptr;
    QLabel *m_note = nullptr;
};

} // namespace tandem::ui
