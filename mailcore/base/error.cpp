// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/base/error.h"

#include "mailcore/base/tlsfailure.h"

namespace mailcore {

Error::Error(ErrorCode code, QString message)
    : m_code(code)
    , m_message(std::move(message))
{
}

QString Error::toString() const
{
    if (m_message.isEmpty())
        return codeName(m_code);
    return codeName(m_code) + QStringLiteral(": ") + m_message;
}

Error Error::fromTlsFailure(TlsFailure failure)
{
    // The message is made here, from the failure it then keeps: a caller that
    // built it in the same call as moving the failure in read a moved-from
    // value wherever arguments are evaluated right to left (the reason went
    // missing under g++).
    Error error(ErrorCode::Tls,
                QStringLiteral("the certificate of %1 is not trusted: %2")
                    .arg(failure.host, failure.errors.join(QStringLiteral("; "))));
    error.m_tlsFailure = std::make_shared<const TlsFailure>(std::move(failure));
    return error;
}

QString CertificateInfo::sha256Text() const { return QString::fromLatin1(sha256.toHex(':').toUpper()); }

QString Error::codeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::None: return QStringLiteral("none");
    case ErrorCode::Network: return QStringLiteral("network");
    case ErrorCode::Tls: return QStringLiteral("tls");
    case ErrorCode::Auth: return QStringLiteral("auth");
    case ErrorCode::Protocol: return QStringLiteral("protocol");
    case ErrorCode::ServerRefused: return QStringLiteral("server-refused");
    case ErrorCode::Timeout: return QStringLiteral("timeout");
    case ErrorCode::Cancelled: return QStringLiteral("cancelled");
    case ErrorCode::Limit: return QStringLiteral("limit");
    case ErrorCode::BadArgument: return QStringLiteral("bad-argument");
    case ErrorCode::NotFound: return QStringLiteral("not-found");
    case ErrorCode::Io: return QStringLiteral("io");
    case ErrorCode::Internal: return QStringLiteral("internal");
    }
    return QStringLiteral("unknown");
}

MailException::MailException(Error error)
    : m_error(std::move(error))
    , m_what(m_error.toString().toUtf8())
{
}

void MailException::raise() const { throw *this; }

MailException *MailException::clone() const { return new MailException(*this); }

const char *MailException::what() const noexcept { return m_what.constData(); }

} // namespace mailcore
