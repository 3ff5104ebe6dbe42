// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/net/certificateinfo.h"

#include <QCryptographicHash>

namespace mailcore::net {

namespace {

QString describe(const QSslCertificate &certificate, bool issuer)
{
    const auto field = [&](QSslCertificate::SubjectInfo info) {
        const QStringList values = issuer ? certificate.issuerInfo(info) : certificate.subjectInfo(info);
        return values.join(QStringLiteral(", "));
    };
    QString text = field(QSslCertificate::CommonName);
    const QString organisation = field(QSslCertificate::Organization);
    if (!organisation.isEmpty())
        text += QStringLiteral(" (") + organisation + QLatin1Char(')');
    return text;
}

} // namespace

QByteArray sha256Of(const QSslCertificate &certificate) { return certificate.digest(QCryptographicHash::Sha256); }

CertificateInfo toCertificateInfo(const QSslCertificate &certificate)
{
    CertificateInfo info;
    info.subject = describe(certificate, false);
    info.issuer = describe(certificate, true);
    const auto names = certificate.subjectAlternativeNames();
    for (auto it = names.cbegin(); it != names.cend(); ++it)
        info.alternativeNames << it.value();
    info.notBefore = certificate.effectiveDate();
    info.notAfter = certificate.expiryDate();
    info.sha256 = sha256Of(certificate);
    info.pem = certificate.toPem();
    return info;
}

QList<CertificateInfo> toCertificateInfos(const QList<QSslCertificate> &chain)
{
    QList<CertificateInfo> infos;
    infos.reserve(chain.size());
    for (const QSslCertificate &certificate : chain)
        infos << toCertificateInfo(certificate);
    return infos;
}

} // namespace mailcore::net
