// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <chrono>

#include "mailcore/base/endpoint.h"

namespace mailcore::smtp {

/// Where an SMTP session is in its life; reported by SmtpConnection::stateChanged.
enum class SessionState {
    Disconnected,
    Connecting,
    AwaitingGreeting,
    Greeting, ///< EHLO (or HELO) in progress
    StartingTls,
    Authenticating,
    Ready,   ///< idle, between transactions
    Sending, ///< a mail transaction is in progress
    Quitting,
    Closed,
};

/// How to log in; Auto takes PLAIN when offered, else LOGIN.
enum class AuthMechanism { Auto, Plain, Login };

struct SessionSettings {
    Endpoint endpoint;
    /// Empty: no AUTH (e.g. a relay that trusts the network).
    QString user;
    QString password; ///< handed to the server only; never logged, never in an error text
    AuthMechanism mechanism = AuthMechanism::Auto;
    /// What EHLO says about us. An address literal by default, so the machine's
    /// name does not leak into every message's trace headers.
    QString heloDomain = QStringLiteral("[127.0.0.1]");
    /// The reply to the final "." may take long: the server may scan the
    /// message (RFC 5321 §4.5.3.2 suggests 10 minutes). Also covers the upload.
    std::chrono::milliseconds dataTimeout{10 * 60'000};
};

/// One message to send: the envelope and the message's bytes.
struct Envelope {
    /// The reverse path (MAIL FROM); empty for the null path "<>" (bounces).
    QString from;
    QStringList recipients;
    /// The RFC 5322 message as it should arrive: LF or CRLF line ends, not
    /// dot-stuffed (the connection does both on the wire).
    QByteArray message;
    /// The headers need SMTPUTF8 (RFC 6531). Set automatically when an address
    /// is not ASCII. Refused with BadArgument when the server does not offer it.
    bool smtpUtf8 = false;
    /// Lines over 998 octets break RFC 5322; they are refused (Limit) unless
    /// this is set, because breaking them would change the message.
    bool allowLongLines = false;
};

} // namespace mailcore::smtp
