// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/account/certificatedialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace tandem::ui {

namespace {

QString describe(const mailcore::CertificateInfo &c, int position)
{
    const QLocale locale;
    QString html = QStringLiteral("<h4>%1</h4><table>")
                       .arg(position == 0 ? QObject::tr("The server's certificate")
                                          : QObject::tr("Issuer certificate %1").arg(position));
    auto row = [&html](const QString &name, const QString &value) {
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(name.toHtmlEscaped(), value.toHtmlEscaped());
    };
    row(QObject::tr("Subject"), c.subject);
    row(QObject::tr("Issuer"), c.issuer);
    if (!c.alternativeNames.isEmpty())
        row(QObject::tr("Names"), c.alternativeNames.join(QStringLiteral(", ")));
    row(QObject::tr("Valid from"), locale.toString(c.notBefore, QLocale::ShortFormat));
    row(QObject::tr("Valid until"), locale.toString(c.notAfter, QLocale::ShortFormat));
    row(QObject::tr("SHA-256"), c.sha256Text());
    return html + QStringLiteral("</table>");
}

} // namespace

CertificateDialog::CertificateDialog(const mailcore::TlsFailure &failure, QWidget *parent)
    : QDialog(parent)
    , m_failure(failure)
{
    setWindowTitle(tr("Certificate not trusted"));
    m_details = tr("<p>The certificate of <b>%1:%2</b> could not be verified:</p><ul>")
                    .arg(failure.host.toHtmlEscaped())
                    .arg(failure.port);
    for (const QString &error : failure.errors)
        m_details += QStringLiteral("<li>%1</li>").arg(error.toHtmlEscaped());
    m_details += QStringLiteral("</ul>");
    m_details += tr("<p>Trust it only if you know this server uses exactly this certificate, for example because "
                    "its fingerprint matches one your administrator gave you.</p>");
    for (int i = 0; i < failure.chain.size(); ++i)
        m_details += describe(failure.chain.at(i), i);

    auto *details = new QTextBrowser;
    details->setObjectName(QStringLiteral("certificateDetails"));
    details->setOpenLinks(false);
    details->setHtml(m_details);

    auto *buttons = new QDialogButtonBox;
    QPushButton *trust = buttons->addButton(tr("&Trust this certificate for %1:%2").arg(failure.host).arg(failure.port),
                                            QDialogButtonBox::AcceptRole);
    trust->setObjectName(QStringLiteral("trustCertificate"));
    trust->setEnabled(!failure.chain.isEmpty());
    QPushButton *cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setDefault(true); // trusting must be a deliberate choice
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(details);
    layout->addWidget(buttons);
    resize(620, 480);
}

QByteArray CertificateDialog::leafSha256() const
{
    return m_failure.chain.isEmpty() ? QByteArray() : m_failure.chain.first().sha256;
}

QString CertificateDialog::detailsText() const { return m_details; }

} // namespace tandem::ui
