// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include "mailcore/mailcore_export.h"

namespace mailcore {

/// One certificate of a server's chain, as a UI shows it ("Do you trust ...?").
/// Plain values so that a program using mailcore needs no QtNetwork types.
struct CertificateInfo {
    QString subject;              ///< the subject's common name and organisation
    QString issuer;               ///< the issuer's common name and organisation
    QStringList alternativeNames; ///< every subject alternative name (DNS names, e-mail and IP addresses)
    QDateTime notBefore;          ///< start of the validity period
    QDateTime notAfter;           ///< end of the validity period
    QByteArray sha256;            ///< SHA-256 of the DER form, raw bytes
    QByteArray pem;               ///< the whole certificate, PEM-encoded (to save or export it)

    /// "AB:CD:..." as people compare fingerprints.
    MAILCORE_EXPORT QString sha256Text() const;
    /// Member by member.
    friend bool operator==(const CertificateInfo &, const CertificateInfo &) = default;
};

/// Why a TLS handshake was not trusted: every verification error and the chain
/// the server presented. A UI can show it and offer to trust exactly the leaf
/// certificate's fingerprint for that one server (TlsSettings::pinnedSha256).
struct TlsFailure {
    QString host;                 ///< the server's host name, as its Endpoint names it
    quint16 port = 0;             ///< the server's port
    QStringList errors;           ///< human-readable, one per verification error
    QList<CertificateInfo> chain; ///< leaf first; empty when none was presented
    /// Member by member.
    friend bool operator==(const TlsFailure &, const TlsFailure &) = default;
};

} // namespace mailcore
