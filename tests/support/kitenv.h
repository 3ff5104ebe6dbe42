// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QHash>
#include <QJsonObject>
#include <QString>

#include "mailcore/base/endpoint.h"

namespace tandem::test {

/// The facts the test kit (tools/testkit/kit.py) wrote about the servers it started:
/// ports, users, CA certificate, SMTP store. Read from the file named by an
/// environment variable ($TANDEM_KIT_ENV by default).
class KitEnv
{
public:
    /// Loads the env file; on failure isValid() is false and error() says why.
    /// Tests must fail then (QVERIFY2(isValid(), error())): a missing server is
    /// a failure, never a skip.
    static KitEnv load(const char *variable = "TANDEM_KIT_ENV");

    bool isValid() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }

    QString value(const QString &key) const { return m_values.value(key); }
    quint16 port(const QString &key) const { return quint16(m_values.value(key).toUInt()); }
    QString host() const { return value(QStringLiteral("TANDEM_KIT_HOST")); }
    QString caCertificatePath() const { return value(QStringLiteral("TANDEM_KIT_CA_CERT")); }
    /// The kit's server on the port named by `portKey` (e.g. TANDEM_KIT_IMAPS_PORT),
    /// trusting the kit's CA; `port` overrides it (a proxy in front).
    mailcore::Endpoint endpoint(const QString &portKey, quint16 port = 0) const;

    enum class Service { Imap, Pop3, Submission, Smtp }; ///< Submission: Dovecot's; Smtp: aiosmtpd
    /// The kit's `service` over `security`: its implicit-TLS port (e.g.
    /// TANDEM_KIT_IMAPS_PORT) or its plain one, which offers STARTTLS
    /// (TANDEM_KIT_IMAP_PORT); trusting the kit's CA.
    mailcore::Endpoint endpoint(Service service, mailcore::Security security) const;
    /// Session settings of any protocol (IMAP, POP3, SMTP: an endpoint, a user
    /// and a password) for `endpoint` as kit user `user`, with `password` instead
    /// of theirs when given.
    template <typename Settings>
    Settings sessionSettings(const mailcore::Endpoint &endpoint, int user = 0, const QString &password = {}) const
    {
        Settings settings;
        settings.endpoint = endpoint;
        settings.user = this->user(user);
        settings.password = password.isEmpty() ? this->password(user) : password;
        return settings;
    }
    QString smtpStore() const { return value(QStringLiteral("TANDEM_KIT_SMTP_STORE")); }

    /// The corpus manifest's folders (make_corpus.py): folder -> [one object
    /// per message, in UID order, with size, sha256...]. Empty when the
    /// manifest cannot be read.
    QJsonObject corpusFolders() const;

    /// True when the kit runs GNU Mailutils (profile mailutils) rather than Dovecot.
    bool isMailutils() const;
    /// True when the kit's server rewrites stored messages (GNU Mailutils
    /// adds header lines to its mbox files), so their bytes and sizes differ
    /// from what was appended.
    bool serverRewritesMessages() const;
    /// `message` without the header lines the kit's server is known to add to
    /// stored messages (Mailutils: Status, X-IMAPbase, X-UID, X-UIDL), for
    /// comparing fetched bytes with appended ones; unchanged on any other server.
    QByteArray withoutServerHeaders(const QByteArray &message) const;

    /// The name kit user `index` logs in with ("alice", or "alice@localhost"
    /// on Mailutils), and their password.
    QString user(int index = 0) const;
    QString password(int index = 0) const;

private:
    QHash<QString, QString> m_values;
    QString m_error;
};

} // namespace tandem::test
