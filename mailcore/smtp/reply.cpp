// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/smtp/reply.h"

namespace mailcore::smtp {

QByteArray Reply::text() const { return lines.join('\n'); }

QByteArray Reply::enhancedText() const
{
    if (!enhanced.isValid())
        return {};
    return QByteArray::number(enhanced.klass) + '.' + QByteArray::number(enhanced.subject) + '.'
        + QByteArray::number(enhanced.detail);
}

Error Reply::toError() const
{
    if (code < 400)
        return {};
    QByteArray prefix = QByteArray::number(code) + ' ';
    if (enhanced.isValid())
        prefix += enhancedText() + ' ';
    const QString message = QString::fromLatin1(prefix) + QString::fromUtf8(text());
    if (code == 535 || (enhanced.klass == 5 && enhanced.subject == 7 && enhanced.detail == 8))
        return Error(ErrorCode::Auth, message);
    // Size limits get their own code so the UI can say "too large" instead of "refused".
    const bool sizeStatus = (enhanced.subject == 3 && enhanced.detail == 4)
        || (enhanced.subject == 2 && (enhanced.detail == 2 || enhanced.detail == 3));
    if (code == 552 || (enhanced.isValid() && sizeStatus))
        return Error(ErrorCode::Limit, message);
    return Error(ErrorCode::ServerRefused, message);
}

Result<QByteArray> Reply::challenge() const
{
    if (code != 334)
        return Error(ErrorCode::Protocol, QStringLiteral("expected a 334 challenge"));
    const QByteArray encoded = lines.isEmpty() ? QByteArray() : lines.constFirst().trimmed();
    auto decoded = QByteArray::fromBase64Encoding(encoded, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return Error(ErrorCode::Protocol, QStringLiteral("334 challenge is not base64"));
    return decoded.decoded;
}

} // namespace mailcore::smtp
