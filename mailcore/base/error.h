// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QException>
#include <QString>

#include <memory>

#include "mailcore/mailcore_export.h"

/// Tandem's mail library: the pooled clients ImapClient, Pop3Client and
/// SmtpClient, the values they take and return, and messages (mailcore::mime).
namespace mailcore {

struct TlsFailure;

/// What kind of failure an operation ended in. A UI decides from this alone
/// whether to offer "retry", "check your password", "trust this certificate"...
enum class ErrorCode {
    None,          ///< no error: what a default-constructed Error holds
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
    /// No error: code() is ErrorCode::None.
    Error() = default;
    /// An error of `code` explained by `message` (for people, not for parsing;
    /// the server's own text for ServerRefused). With ErrorCode::None it is no error.
    Error(ErrorCode code, QString message);

    /// True for every code but ErrorCode::None.
    bool isError() const { return m_code != ErrorCode::None; }
    /// The kind of failure: what a program decides on.
    ErrorCode code() const { return m_code; }
    /// What happened, in English, for a log or a dialog; may be empty.
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
    /// A copy marked notSent(). Used by mailcore where it knows the server
    /// never saw the command; a program has no need to call it.
    Error asNotSent() const
    {
        Error copy = *this;
        copy.m_notSent = true;
        return copy;
    }
    /// True when a message's data had been handed to an SMTP server before
    /// the failure (the connection dropped, the reply to its end never came):
    /// the server may have delivered it, so it must not be sent again without
    /// the user (an outbox keeps it apart).
    bool mayHaveBeenDelivered() const { return m_mayHaveBeenDelivered; }
    /// A copy marked mayHaveBeenDelivered(). Used by mailcore's SMTP session.
    Error asMayHaveBeenDelivered() const
    {
        Error copy = *this;
        copy.m_mayHaveBeenDelivered = true;
        return copy;
    }
    /// An ErrorCode::Tls error that carries the failed check, for tlsFailure().
    /// Its message names the host and every verification error.
    static Error fromTlsFailure(TlsFailure failure);

    /// Same code and message; tlsFailure(), notSent() and mayHaveBeenDelivered() are not compared.
    friend bool operator==(const Error &a, const Error &b)
    {
        return a.m_code == b.m_code && a.m_message == b.m_message;
    }

private:
    ErrorCode m_code = ErrorCode::None;
    QString m_message;
    std::shared_ptr<const TlsFailure> m_tlsFailure; // shared: Error is copied through futures
    bool m_notSent = false;
    bool m_mayHaveBeenDelivered = false;
};

/// How an Error travels through a QFuture.
class MAILCORE_EXPORT MailException : public QException
{
public:
    /// Carries `error`; what() is its toString().
    explicit MailException(Error error);

    /// The error the failed operation ended in.
    const Error &error() const { return m_error; }

    /// Throws a copy of this exception: how QFuture rethrows it in the waiting thread.
    void raise() const override;
    /// A copy on the heap, for QFuture to store (QException's contract).
    MailException *clone() const override;
    /// error().toString() in UTF-8; the pointer stays valid while the exception lives.
    const char *what() const noexcept override;

private:
    Error m_error;
    QByteArray m_what; // keeps what()'s pointer valid for the exception's lifetime
};

} // namespace mailcore
