// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QHostInfo>
#include <QObject>
#include <QTimer>

#include <memory>

#include "mailcore/discovery/discovery.h"
#include "mailcore/discovery/probedialogue.h"

namespace mailcore::net {
class SslTransport;
}

namespace mailcore::discovery {

/// One probe in progress: looks the host up, connects over net::SslTransport
/// and lets the protocol's ProbeDialogue talk, all within one deadline.
/// Several run side by side in one event loop (guessing probes them all at
/// once). Thread: the one that created it, which must run an event loop.
class Prober : public QObject
{
    Q_OBJECT

public:
    Prober(ServerCandidate server, std::chrono::milliseconds timeout, const QList<QByteArray> &extraCaCertificatesPem,
           QObject *parent = nullptr);
    ~Prober() override;

    /// Starts; finished() follows, perhaps before start() returns.
    void start();
    bool isDone() const { return m_done; }
    const ServerCandidate &server() const { return m_server; }
    /// What was seen; complete once isDone().
    const ProbeResult &result() const { return m_result; }

Q_SIGNALS:
    void finished();

private:
    void resolved(const QHostInfo &info);
    void connectTransport();
    void apply(ProbeDialogue::Step step);
    void transportFailed(const Error &error);
    void finish(Error error);

    ServerCandidate m_server;
    std::chrono::milliseconds m_timeout;
    std::unique_ptr<ProbeDialogue> m_dialogue;
    std::unique_ptr<net::SslTransport> m_transport;
    QTimer m_deadline;
    bool m_handshakeAfterStartTls = false;
    bool m_done = false;
    ProbeResult m_result;
};

} // namespace mailcore::discovery
