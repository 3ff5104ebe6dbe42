// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QList>
#include <QSslCertificate>

#include "mailcore/base/tlsfailure.h"

namespace mailcore::net {

/// QSslCertificate to the plain value type the public API carries.
CertificateInfo toCertificateInfo(const QSslCertificate &certificate);
QList<CertificateInfo> toCertificateInfos(const QList<QSslCertificate> &chain);
QByteArray sha256Of(const QSslCertificate &certificate);

} // namespace mailcore::net
