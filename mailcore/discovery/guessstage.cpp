// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include <QEventLoop>

#include <memory>
#include <vector>

#include "mailcore/discovery/prober.h"
#include "mailcore/discovery/stages.h"

namespace mailcore::discovery {

namespace {

// The hosts worth trying for `protocol`: the ones given, else the names
// providers commonly use.
QStringList hostsFor(Protocol protocol, const StageRequest &request)
{
    if (!request.options.guessHosts.isEmpty())
        return request.options.guessHosts;
    const QString base = request.options.guessBase.isEmpty() ? request.parts.domain : request.options.guessBase;
    QStringList prefixes;
    switch (protocol) {
    case Protocol::Imap: prefixes = {QStringLiteral("imap."), QStringLiteral("mail.")}; break;
    case Protocol::Pop3: prefixes = {QStringLiteral("pop3."), QStringLiteral("pop."), QStringLiteral("mail.")}; break;
    case Protocol::Smtp: prefixes = {QStringLiteral("smtp."), QStringLiteral("mail.")}; break;
    }
    QStringList hosts;
    for (const QString &prefix : std::as_const(prefixes))
        hosts << prefix + base;
    return hosts;
}

QList<ServerCandidate> guessesFor(Protocol protocol, const StageRequest &request)
{
    const GuessPorts &ports = request.options.guessPorts;
    const std::pair<quint16, quint16> tlsAndStartTls = protocol == Protocol::Imap
        ? std::pair(ports.imapTls, ports.imapStartTls)
        : protocol == Protocol::Pop3 ? std::pair(ports.pop3Tls, ports.pop3StartTls)
                                     : std::pair(ports.smtpTls, ports.smtpStartTls);
    QList<ServerCandidate> guesses;
    for (const QString &host : hostsFor(protocol, request)) {
        for (const auto &[port, security] : {std::pair(tlsAndStartTls.first, Security::ImplicitTls),
                                             std::pair(tlsAndStartTls.second, Security::StartTls)}) {
            ServerCandidate candidate;
            candidate.protocol = protocol;
            candidate.endpoint.host = host;
            candidate.endpoint.port = port;
            candidate.endpoint.security = security;
            candidate.userName = request.address;
            candidate.source = Source::Guess;
            guesses << candidate;
        }
    }
    return guesses;
}

} // namespace

StageResult fromGuesses(const StageRequest &request, QStringList &steps)
{
    QList<ServerCandidate> guesses;
    if (request.wantIncoming)
        guesses << guessesFor(Protocol::Imap, request) << guessesFor(Protocol::Pop3, request);
    if (request.wantOutgoing)
        guesses << guessesFor(Protocol::Smtp, request);

    // Every guess at once: most fail (no such host, refused), and the slow
    // ones then cost one timeout in all, not one each.
    QEventLoop loop;
    std::vector<std::unique_ptr<Prober>> probers;
    int running = 0;
    for (const ServerCandidate &guess : std::as_const(guesses)) {
        auto prober = std::make_unique<Prober>(guess, request.options.timeout, request.options.extraCaCertificatesPem);
        QObject::connect(prober.get(), &Prober::finished, &loop, [&running, &loop] {
            if (--running == 0)
                loop.quit();
        });
        ++running;
        probers.push_back(std::move(prober));
    }
    for (const auto &prober : probers)
        prober->start();
    if (running > 0)
        loop.exec();

    StageResult result;
    for (qsizetype i = 0; i < guesses.size(); ++i) {
        const ProbeResult &probed = probers[size_t(i)]->result();
        const ServerCandidate &guess = guesses.at(i); // as guessed: without the probe's extra trust
        if (probed.reachable) {
            (guess.protocol == Protocol::Smtp ? result.outgoing : result.incoming) << guess;
            steps << QStringLiteral("Guessed %1: it answers, certificate verified (ask before using it).")
                         .arg(describe(guess));
        } else {
            steps << QStringLiteral("Guessed %1: %2.").arg(describe(guess), probed.error.message());
        }
    }
    return result;
}

} // namespace mailcore::discovery
