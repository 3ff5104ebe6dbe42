// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QThread>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>

namespace tandem::test {

/// A TCP proxy in front of a real server (the kit's Dovecot) that can break
/// connections on demand: what a real server will not do when a test asks.
/// TLS passes through untouched (the client talks TLS to the server itself).
///
///     FaultProxy proxy(dovecotPort);
///     proxy.start();                      // point the client at proxy.port()
///     proxy.dropAfterServerBytes(4096);   // every connection, once 4 KiB more came from the server
///
/// Runs its own thread with an event loop; every method may be called from
/// the test thread.
class FaultProxy : public QThread
{
public:
    explicit FaultProxy(quint16 upstreamPort);
    ~FaultProxy() override;

    /// Starts listening on 127.0.0.1; port() is valid when this returns.
    void start();
    quint16 port() const { return m_port; }

    /// Closes every open connection, now.
    void dropAll();
    /// Cuts the first connection, open now or opened later, through which the
    /// server sends `bytes` more (counted from now, or from its start): a drop
    /// in the middle of a reply. One cut per call; the others are spared.
    void dropAfterServerBytes(qint64 bytes);
    /// The same for bytes from the client: a drop in the middle of a request.
    void dropAfterClientBytes(qint64 bytes);
    /// Stops (true) or resumes (false) forwarding from the server to clients:
    /// a server that goes quiet in the middle of a reply.
    void stallServer(bool stalled);

    /// While true, every new connection is closed at once and open ones are
    /// dropped: a server that cannot be reached. False: it forwards again.
    void refuseConnections(bool refuse);
    /// Once the server has sent `bytes` more through any one connection, the
    /// server goes out of reach: every connection is cut and new ones are
    /// refused, until refuseConnections(false). (A server that disappears in
    /// the middle of a reply, where a client's retries cannot help.)
    void refuseAfterServerBytes(qint64 bytes);

    int accepted() const { return m_accepted; } ///< connections accepted so far
    int open() const { return m_open; }         ///< connections open now
    int dropped() const { return m_dropped; }   ///< connections the proxy cut

protected:
    void run() override;

private:
    class Relay;
    void post(std::function<void()> work); // runs `work` in the proxy thread
    void disarm();                         // proxy thread

    quint16 m_upstreamPort;
    quint16 m_port = 0;
    std::mutex m_startMutex;
    std::condition_variable m_started;
    bool m_listening = false;
    std::atomic<int> m_accepted{0};
    std::atomic<int> m_open{0};
    std::atomic<int> m_dropped{0};
    std::atomic<bool> m_stalled{false};
    std::atomic<bool> m_refusing{false};
    bool m_refuseAtCut = false;    // proxy thread: the armed cut takes the server out of reach
    QObject *m_context = nullptr;  // proxy-thread object for posting work
    qint64 m_newServerBudget = -1; // proxy thread: armed budgets for connections yet to come
    qint64 m_newClientBudget = -1;
};

} // namespace tandem::test
