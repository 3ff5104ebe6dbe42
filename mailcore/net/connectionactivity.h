#pragma once

#include <QString>

#include <functional>
#include <mutex>

namespace mailcore {

/// What one connection is doing, as its protocol layer reports it (pool spec
/// B08). Filled by each protocol connection (IMAP, POP3, SMTP); the pool
/// adds role and id.
struct ConnectionActivity {
    enum class State {
        Connecting,     ///< TCP/TLS handshake, greeting
        Authenticating, ///< STARTTLS, capabilities, login
        Idle,           ///< logged in, nothing queued
        Busy,           ///< commands queued or on the wire
        Idling,         ///< IMAP IDLE: waiting for the server to push (B10)
        Closing,        ///< logging out
        Closed,
    };
    State state = State::Connecting;
    QString command;        ///< name of the oldest command on the wire ("UID FETCH"); never arguments
    int queueDepth = 0;     ///< commands waiting plus commands on the wire
    quint64 bytesIn = 0;    ///< since the connection was opened
    quint64 bytesOut = 0;
    qint64 lastActivityMs = 0; ///< QDateTime::currentMSecsSinceEpoch() of the last byte either way
    friend bool operator==(const ConnectionActivity &, const ConnectionActivity &) = default;
};

/// A connection's activity as other threads see it: its session publishes in
/// the I/O thread, anyone reads, and a listener (the pool's monitor) is told
/// of each change. The same for IMAP, POP3 and SMTP connections.
class ActivityBoard
{
public:
    /// I/O thread.
    void publish(const ConnectionActivity &activity)
    {
        std::function<void()> listener;
        {
            std::lock_guard lock(m_mutex);
            m_activity = activity;
            listener = m_listener;
        }
        if (listener) // outside the lock: it may read current()
            listener();
    }
    /// Any thread.
    ConnectionActivity current() const
    {
        std::lock_guard lock(m_mutex);
        return m_activity;
    }
    /// Any thread; called in the I/O thread after each publish().
    void setListener(std::function<void()> listener)
    {
        std::lock_guard lock(m_mutex);
        m_listener = std::move(listener);
    }

private:
    mutable std::mutex m_mutex;
    ConnectionActivity m_activity;
    std::function<void()> m_listener;
};

} // namespace mailcore
