// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QList>
#include <QStringList>
#include <QThread>

#include <condition_variable>
#include <mutex>

#include "mailcore/base/endpoint.h"

namespace tandem::test {

/// A scripted fake server for byte-exact protocol tests: listens on 127.0.0.1
/// port 0, accepts one client and plays a dialogue in its own thread:
///
///     ScriptedServer server;
///     server.send("* OK hello\r\n").expect("t1 CAPABILITY\r\n").send("...").hold();
///     server.start();            // then point the client at server.endpoint(...)
///     ... run the client ...
///     QVERIFY2(server.waitDone(), qPrintable(server.failureText()));
///
/// Mismatches are recorded, never asserted in the server thread (a failed
/// QVERIFY there would be lost); the test asserts them in its own thread.
class ScriptedServer : public QThread
{
    Q_OBJECT

public:
    enum class Tls { None, Implicit };
    explicit ScriptedServer(Tls tls = Tls::None);
    ~ScriptedServer() override;

    ScriptedServer &send(const QByteArray &bytes);
    /// The client must send exactly these bytes next.
    ScriptedServer &expect(const QByteArray &bytes);
    /// Server side of STARTTLS: start the handshake now.
    ScriptedServer &startTls();
    /// Wait before the next step: a slow reply, on purpose.
    ScriptedServer &pause(int milliseconds);
    /// The client must send nothing for this long (e.g. a command that has to
    /// wait for the reply to an earlier one). A slow client only passes more
    /// easily: no machine is too slow for it.
    ScriptedServer &expectQuiet(int milliseconds);
    /// Keep the connection as it is until the test calls release() or
    /// waitDone(): e.g. open while the test still asserts on the client, or a
    /// greeting held back until the test has queued (and cancelled) its calls.
    /// Whatever the client sends meanwhile is checked against the next steps
    /// (after the last one: it must have sent nothing more).
    ScriptedServer &hold();
    /// The client must close the connection (or send nothing more) within the wait.
    ScriptedServer &expectClosed(int milliseconds = 3000);
    /// Drop the connection now.
    ScriptedServer &close();

    /// Starts listening; port() is valid when this returns.
    void start();
    quint16 port() const { return m_port; }
    /// Where a client under test finds this server: localhost, port(), the
    /// given security with the test CA trusted, 5 s for connect, greeting and
    /// each command.
    mailcore::Endpoint endpoint(mailcore::Security security) const;
    /// The CA that signed the server's certificate, for the client to trust.
    static QByteArray caCertificatePem();

    /// Ends a hold() (also one still to come); any thread.
    void release();
    /// Releases a hold() and waits for the script's end; false if it did not
    /// end or any step failed.
    bool waitDone(int milliseconds = 10000);
    QStringList failures() const { return locked(m_failures); }
    /// The failures, one per line, for QVERIFY2 messages.
    QString failureText() const { return failures().join(QLatin1Char('\n')); }
    /// Everything the client sent, for searches (e.g. "no password in clear").
    QByteArray received() const { return locked(m_received); }

protected:
    void run() override;

private:
    struct Step {
        enum class Kind { Send, Expect, StartTls, Pause, ExpectQuiet, Hold, ExpectClosed, Close } kind;
        QByteArray bytes;
        int milliseconds = 0;
    };
    void addFailure(const QString &failure);
    /// A copy of a member the server thread writes.
    template <typename T>
    T locked(const T &member) const
    {
        std::lock_guard lock(m_mutex);
        return member;
    }

    Tls m_tls;
    QList<Step> m_steps;
    quint16 m_port = 0;
    qintptr m_listenDescriptor = -1;
    mutable std::mutex m_mutex;
    std::condition_variable m_changed; // listening, or released
    bool m_released = false;
    QStringList m_failures;
    QByteArray m_received;
    bool m_finished = false;
    class Listener;
    Listener *m_listener = nullptr;
};

} // namespace tandem::test
