// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>

#include <memory>

#include "mailcore/base/endpoint.h"
#include "mailcore/base/error.h"
#include "mailcore/discovery/discovery.h"
#include "mailcore/mailcore_export.h"

namespace mailcore::discovery {

/// One protocol's side of a probe, pure: the server's bytes in, what to send
/// and do next out. It reads the greeting and the capabilities, upgrades with
/// STARTTLS when asked to (refusing to go on without it), reads the
/// capabilities again over TLS, and ends with the protocol's goodbye. It has
/// no way to send a user name or a password: a probe never logs in.
class MAILCORE_EXPORT ProbeDialogue
{
public:
    /// What the connection does after a step.
    enum class Next {
        Wait,     ///< send `write` (if any) and wait for more bytes
        StartTls, ///< the server said go: start the handshake now, then call secured()
        Finished, ///< the server is what it should be: send `write` (the goodbye) and close
        Failed,   ///< close at once; `error` says why in plain words
    };
    /// One step of the conversation.
    struct Step {
        QByteArray write; ///< bytes to send now (never a credential)
        Next next = Next::Wait;
        Error error; ///< for Failed
    };

    /// `security` is what the probe must reach; `host` names the server in errors.
    ProbeDialogue(Security security, QString host)
        : m_security(security)
        , m_host(std::move(host))
    {
    }
    virtual ~ProbeDialogue();
    /// Bytes the server sent. After StartTls the caller drops whatever is
    /// still buffered and feeds nothing more until secured().
    virtual Step received(QByteArrayView bytes) = 0;
    /// The STARTTLS handshake succeeded: the capabilities are asked again.
    virtual Step secured() = 0;

    /// The server's greeting text, once received.
    QString greeting() const { return m_greeting; }
    /// The capabilities last read (after STARTTLS: those read over TLS).
    QStringList capabilities() const { return m_capabilities; }

    /// The dialogue for `protocol` over `security`; `host` names the server in errors.
    static std::unique_ptr<ProbeDialogue> create(Protocol protocol, Security security, const QString &host);

protected:
    /// The capabilities were read: upgrade when STARTTLS is required and not
    /// yet done (`offered` says whether the server announced it), else finish.
    Step afterCapabilities(bool offered, QByteArray startTlsCommand, QByteArray goodbye);
    Step fail(ErrorCode code, const QString &message);
    /// Adds `step`'s bytes to what `out` sends for this read; true when the
    /// conversation moves on (StartTls, Finished, Failed): `out` is then the
    /// step to return, and nothing more of this read is looked at (after the
    /// go-ahead for STARTTLS nothing more is read in plain text).
    static bool movesOn(Step &out, Step step);

    Security m_security;
    QString m_host;
    bool m_secured = false;
    bool m_failed = false;
    QString m_greeting;
    QStringList m_capabilities;
};

} // namespace mailcore::discovery
