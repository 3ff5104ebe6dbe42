// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QDialog>

#include "mailcore/base/tlsfailure.h"

namespace tandem::ui {

/// "The server's certificate is not trusted": what was wrong, and every
/// certificate of the chain (subject, issuer, names, validity, SHA-256), so the
/// user can compare the fingerprint with one they know. "Trust this
/// certificate" accepts exactly the server's own (leaf) certificate for that
/// host and port, by its SHA-256, and nothing else.
class CertificateDialog : public QDialog
{
    Q_OBJECT

public:
    explicit CertificateDialog(const mailcore::TlsFailure &failure, QWidget *parent = nullptr);

    /// The fingerprint to pin when the dialog was accepted.
    QByteArray leafSha256() const;
    /// The text shown (tests read it).
    QString detailsText() const;

private:
    mailcore::TlsFailure m_failure;
    QString m_details;
};

} // namespace tandem::ui
