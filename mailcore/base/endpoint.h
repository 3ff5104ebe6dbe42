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
    std::chrono::milliseconds connect{30'000};   ///< TCP connect plus TLS handshake
    std::chrono::milliseconds greeting{30'000};  ///< from connected to the server's greeting
    std::chrono::milliseconds command{120'000};  ///< a command's silence: reset by every byte received
    std::chrono::milliseconds idle{29 * 60'000}; ///< an idle connection is closed after this
};

/// What the certificate check trusts besides the system's CAs.
struct TlsSettings {
    QList<QByteArray> extraCaCertificatesPem; ///< e.g. a company or test CA
    /// SHA-256 of the DER form of one exact server certificate the user chose
    /// to trust for this server (pinning). Only that certificate is accepted
    /// despite verification errors; any other one still fails.
    QByteArray pinnedSha256;
};

/// Where and how to reach one server.
struct Endpoint {
    QString host;
    quint16 port = 0;
    Security security = Security::ImplicitTls;
    TlsSettings tls;
    Timeouts timeouts;
};

} // namespace mailcore
