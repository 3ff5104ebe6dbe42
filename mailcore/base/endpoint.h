// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <chrono>

namespace mailcore {

/// How a connection is secured. Secure by default; Plain only when chosen.
enum class Security {
    ImplicitTls, ///< TLS from the first byte (IMAPS 993, POP3S 995, SMTPS 465)
    StartTls,    ///< plain connect, then a *required* upgrade (143, 110, 587); never falls back
    Plain,       ///< no TLS at all: only when the user explicitly chose it
};

/// Each limit surfaces as ErrorCode::Timeout when it passes.
struct Timeouts {
    std::chrono::milliseconds connect{30'000};  ///< TCP connect plus TLS handshake
    std::chrono::milliseconds greeting{30'000}; ///< from connected to the server's greeting
    std::chrono::milliseconds command{120'000}; ///< a command's silence: reset by every byte received
    /// IMAP only: a connection left without commands is closed after this, and
    /// an IDLE is ended and started again (servers drop one after 30 minutes).
    std::chrono::milliseconds idle{29 * 60'000};
};

/// What the certificate check trusts besides the system's CAs.
struct TlsSettings {
    QList<QByteArray> extraCaCertificatesPem; ///< for example a company or test CA
    /// SHA-256 of the DER form of one exact server certificate the user chose
    /// to trust for this server (pinning). Only that certificate is accepted
    /// despite verification errors; any other one still fails.
    QByteArray pinnedSha256;
};

/// Where and how to reach one server.
struct Endpoint {
    QString host;                              ///< name or address; the certificate must match it
    quint16 port = 0;                          ///< no default: set it (993, 143, 995, 110, 465, 587...)
    Security security = Security::ImplicitTls; ///< TLS from the start, STARTTLS or none
    TlsSettings tls;                           ///< trust beyond the system's CAs
    Timeouts timeouts;                         ///< how long each step may take
};

} // namespace mailcore
