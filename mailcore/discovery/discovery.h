// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>

#include "mailcore/base/endpoint.h"
#include "mailcore/base/error.h"
#include "mailcore/base/tlsfailure.h"
#include "mailcore/mailcore_export.h"

/// Finding an account's servers from its e-mail address, and probing a server
/// without ever sending a password: the engine of an account set-up wizard.
namespace mailcore::discovery {

/// Which protocol a server speaks.
enum class Protocol {
    Imap, ///< incoming, mail stays on the server
    Pop3, ///< incoming, mail is downloaded
    Smtp, ///< outgoing: message submission
};

/// How a server was found. Only Autoconfig and DnsSrv come from the domain's
/// owner; a Guess merely answered, so a program asks the user before it sends
/// a password there.
enum class Source {
    Autoconfig, ///< the domain's autoconfig file (config-v1.1 XML)
    DnsSrv,     ///< a DNS SRV record (RFC 6186, RFC 8314)
    Guess,      ///< a common host name and port that answered a probe
};

/// One server an account may use.
struct ServerCandidate {
    Protocol protocol = Protocol::Imap; ///< what it speaks
    Endpoint endpoint;                  ///< host, port and security (never Plain from discovery)
    /// The login name: the autoconfig file's, its placeholders (%EMAILADDRESS%,
    /// %EMAILLOCALPART%, %EMAILDOMAIN%) filled in; otherwise the address.
    QString userName;
    Source source = Source::Guess; ///< how it was found
};

/// Ports tried on guessed host names; the standard ones unless a test says otherwise.
struct GuessPorts {
    quint16 imapTls = 993;      ///< IMAP over implicit TLS
    quint16 imapStartTls = 143; ///< IMAP with STARTTLS
    quint16 pop3Tls = 995;      ///< POP3 over implicit TLS
    quint16 pop3StartTls = 110; ///< POP3 with STLS
    quint16 smtpTls = 465;      ///< submission over implicit TLS
    quint16 smtpStartTls = 587; ///< submission with STARTTLS
};

/// Where discover() looks, and how long it waits. The defaults are the real
/// world's; tests point every source at the machine itself.
struct DiscoveryOptions {
    /// The autoconfig files to fetch, in order; %EMAIL% and %DOMAIN% are
    /// replaced by the address and its domain. Empty: the domain's own,
    /// https://autoconfig.DOMAIN/mail/config-v1.1.xml?emailaddress=ADDRESS
    /// and https://DOMAIN/.well-known/autoconfig/mail/config-v1.1.xml.
    /// Plain http is only for URLs given here (a test's local server).
    QStringList autoconfigUrls;
    /// The DNS server asked for SRV records, as an IP address ("127.0.0.1").
    /// Empty: the system's, the first nameserver of /etc/resolv.conf.
    QString nameServer;
    quint16 nameServerPort = 53; ///< the DNS server's UDP port
    /// The domain whose common host names are guessed (imap.BASE, mail.BASE...).
    /// Empty: the address's domain.
    QString guessBase;
    /// The host names probed when guessing, instead of those made from guessBase.
    QStringList guessHosts;
    GuessPorts guessPorts; ///< the ports probed when guessing
    /// How long each step may take: one fetch, one DNS query, one probe.
    std::chrono::milliseconds timeout{10'000};
    /// Certificates trusted by the probes besides the system's (a test's CA).
    QList<QByteArray> extraCaCertificatesPem;
};

/// What discover() found.
struct DiscoveryReport {
    /// Incoming servers, best first: IMAP before POP3, implicit TLS before STARTTLS.
    QList<ServerCandidate> incoming;
    /// Outgoing (submission) servers, best first: implicit TLS before STARTTLS.
    QList<ServerCandidate> outgoing;
    /// What was tried and what it gave, in plain words, for a "details" view.
    QStringList steps;
};

/// Finds the servers of `emailAddress`: the domain's autoconfig file, then DNS
/// SRV records, then common host names and ports, each probed (implicit TLS
/// and STARTTLS; nothing else). Each source is asked only for what the ones
/// before it did not give. No password is involved. Blocking: call it from a
/// worker thread (it runs its own event loop).
MAILCORE_EXPORT DiscoveryReport discover(const QString &emailAddress, const DiscoveryOptions &options);

/// What probe() saw of one server.
struct ProbeResult {
    bool reachable = false;   ///< it answered as the protocol's server, secured as asked
    bool tlsVerified = false; ///< the connection was encrypted and its certificate trusted
    /// The certificate was not trusted: why, and the chain, for the user to judge.
    std::optional<TlsFailure> tlsFailure;
    /// What the server offered, over the secured connection: IMAP CAPABILITY
    /// atoms, POP3 CAPA lines, SMTP EHLO keyword lines.
    QStringList capabilities;
    QString greeting; ///< the server's first words
    /// Why it is not reachable, in plain words: no such host, connection
    /// refused, timed out, STARTTLS not offered...; no error when reachable.
    Error error;
};

/// Connects to `server` as its endpoint says (TLS from the start, or STARTTLS,
/// which must be offered: a server without it fails the probe, it is never
/// used in plain text), reads the greeting and the capabilities, and says
/// goodbye. Never authenticates, never sends a user name or a password.
/// Blocking: call it from a worker thread (it runs its own event loop).
MAILCORE_EXPORT ProbeResult probe(const ServerCandidate &server, std::chrono::milliseconds timeout,
                                  const QList<QByteArray> &extraCaCertificatesPem = {});

} // namespace mailcore::discovery
