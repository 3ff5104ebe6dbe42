// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QHash>
#include <QObject>
#include <QString>

namespace tandem::ui {

/// Where passwords live: the system keychain through QtKeychain (Secret
/// Service). When no keychain answers, a password is kept in memory for this
/// session only and the UI says so; QtKeychain's plain-text fallback is never
/// switched on, so a password is never written to disk in the clear.
/// GUI thread; every operation is asynchronous (QtKeychain jobs), nothing waits.
class PasswordStore : public QObject
{
    Q_OBJECT

public:
    enum class Backend { Unknown, Keychain, SessionOnly };
    Q_ENUM(Backend)

    explicit PasswordStore(QString service = QStringLiteral("org.tandem.Tandem"), QObject *parent = nullptr);

    Backend backend() const { return m_backend; }
    /// Why the keychain is not used (its error text), empty while it is.
    QString problem() const { return m_problem; }

    /// Looks the password up: keychain first, then this session's memory.
    /// Emits passwordRead().
    void read(const QString &key);
    /// Stores the password in the keychain if one answers, else in memory. Emits stored().
    void store(const QString &key, const QString &password);
    /// Forgets the password (the account is removed): from the keychain and
    /// this session's memory. Emits forgotten() once the keychain answered.
    void forget(const QString &key);

Q_SIGNALS:
    void passwordRead(const QString &key, const QString &password, bool found);
    void stored(const QString &key, tandem::ui::PasswordStore::Backend where);
    void backendChanged(tandem::ui::PasswordStore::Backend backend);
    void forgotten(const QString &key);

private:
    void keychainFailed(const QString &why);

    QString m_service;
    Backend m_backend = Backend::Unknown;
    QString m_problem;
    QHash<QString, QString> m_session; ///< only when no keychain answers
};

} // namespace tandem::ui
