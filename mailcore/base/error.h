// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QException>
#include <QString>

#include <memory>

#include "mailcore/mailcore_export.h"

namespace mailcore {

struct TlsFailure;

/// What kind of failure an operation ended in. A UI decides from this alone
/// whether to offer "retry", "check your password", "trust this certificate"...
enum class ErrorCode {
    None,
    Network,       ///< connection refused, reset, host not found, dropped
    Tls,           ///< handshake failed, certificate not trusted, STARTTLS refused
    Auth,          ///< the server rejected the credentials
    Protocol,      ///< the server said something malformed or unexpected
    ServerRefused, ///< a well-formed NO/BAD/-ERR/5xx; message() holds the server's text
    Timeout,       ///< connect, greeting, command or idle timeout
    Cancelled,     ///< the caller cancelled, or the client was disposed
    Limit,         ///< a configured or server-side limit was hit
    BadArgument,   ///< the caller passed something unusable (refused before sending)
    NotFound,      ///< no such folder, message or part
    Io,            ///< local storage: full disk, unwritable file
    Internal,      ///< a bug in Tandem; never expected
};

/// The single error type of mailcore: a code plus a human message.
/// Synchronous calls return it; asynchronous ones raise it as MailException.
class MAILCORE_EXPORT Error
{
public:
    Error() = default;
    Error(ErrorCode code, QString message);

    bool isError() const { return m_code != ErrorCode::None; }
    ErrorCode code() const { return m_code; }
    QString message() const { return m_message; }

    /// "timeout: no greeting from imap.example.org within 30 s"
    QString toString() const;

    /// The stable, untranslated name of a code ("server-refused").
    static QString codeName(ErrorCode code);

    /// For ErrorCode::Tls after a failed certificate check: the chain and every
    /// verification error, so a UI can ask the user. nullptr otherwise.
    const TlsFailure *tlsFailure() const { return m_tlsFailure.get(); }

    /// True when the command this error ended had not been sent yet: the
    /// connection failed while it waited in the queue, so the server never saw
    /// it and sending it again on another connection is safe (B06 in docs/POOL.md).
    bool notSent() const { return m_notSent; }
    Error asNotSent() const
    {
        Error copy = *this;
        copy.m_notSent = true;
        return copy;
    }
    static Error fromTlsFailure(QString message, TlsFailure failure);

    friend bool operator==(const Error &a, const Error &b)
    {
        return a.m_code == b.m_code && a.m_message == b.m_message;
    }

private:
    ErrorCode m_code = ErrorCode::None;
    QString m_message;
    std::shared_ptr<const TlsFailure> m_tlsFailure; // shared: Error is copied through futures
    bool m_notSent = false;
};

/// How an Error travels through a QFuture.
class MAILCORE_EXPORT MailException : public QException
{
public:
    explicit MailException(Error error);

    const Error &error() const { return m_error; }

    void raise() const override;
    MailException *clone() const override;
    const char *what() const noexcept override;

private:
    Error m_error;
    QByteArray m_what; // keeps what()'s pointer valid for the exception's lifetime
};

} // namespace mailcore
