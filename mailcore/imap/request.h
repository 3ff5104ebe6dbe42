// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

#include <functional>
#include <optional>

#include "mailcore/base/endpoint.h"
#include "mailcore/base/error.h"
#include "mailcore/imap/command.h"
#include "mailcore/imap/response.h"
#include "mailcore/imap/sequenceset.h"

namespace mailcore::imap {

class CommandBuilder;

enum class SessionState {
    Disconnected,
    Connecting,
    AwaitingGreeting,
    StartingTls,
    Authenticating,
    Authenticated,
    Selected,
    Idling, ///< IDLE accepted: the server pushes changes until DONE
    LoggingOut,
    Closed,
};

struct SessionSettings {
    Endpoint endpoint;
    QString user;
    QString password; ///< handed to the server only; never logged, never in an error text
    int pipelineWindow = 16;
    /// Extensions to ENABLE (RFC 5161) right after login, those of them the
    /// server offers; what it enabled is Session::enabled(). QRESYNC makes the
    /// server report expunges as VANISHED instead of EXPUNGE, on every mailbox.
    QList<QByteArray> enable = {};
};

/// One command for the queue: how to build it once its tag is known, and how
/// the queue must treat it.
struct Request {
    std::function<Command(const CommandBuilder &, const QByteArray &tag)> build;
    /// Sent only alone on the wire: it changes session state (SELECT, STARTTLS,
    /// AUTHENTICATE, IDLE, LOGOUT, CLOSE).
    bool barrier = false;
    /// For UID FETCH/STORE: untagged FETCH replies with these UIDs belong to this
    /// command even while other commands are pipelined beside it.
    std::optional<SequenceSet> uids;
    /// For UID FETCH: what it asked for beyond UID and FLAGS. When two commands
    /// in flight asked for the same UID, a reply goes to the one that asked for
    /// what the reply carries: Dovecot answers pipelined FETCHes interleaved, so
    /// a summary (ENVELOPE...) may come before the body another command wants.
    struct FetchAsked {
        /// The BODY[...] sections asked for, by sectionKind(): a summary's
        /// HEADER.FIELDS and another command's whole body are told apart.
        QList<QByteArray> sections;
        bool envelope = false;
        bool size = false;
        bool structure = false; ///< BODYSTRUCTURE
        bool date = false;      ///< INTERNALDATE
    };
    FetchAsked fetchAsked;
    /// What tells one section from another in a FETCH reply: the specifier up to
    /// its field list ("HEADER.FIELDS" for "HEADER.FIELDS (FROM)", "" for the
    /// whole message, "1.2"), upper case: a server may echo the list otherwise.
    static QByteArray sectionKind(QByteArrayView section)
    {
        const qsizetype space = section.indexOf(' ');
        return (space < 0 ? section : section.first(space)).toByteArray().toUpper();
    }
    /// Set for SELECT/EXAMINE: the mailbox that is selected once it succeeds;
    /// an empty string for CLOSE/UNSELECT (none selected afterwards).
    std::optional<QString> selects;
    /// The mailbox this command works on (FETCH, STORE, SEARCH, COPY, EXPUNGE...).
    /// When another one is selected, the session selects this one first, at the
    /// moment the command reaches the head of the queue, so no other caller's
    /// SELECT can slip in between (S16 in docs/POOL.md). Unset: any state will do.
    std::optional<QString> inMailbox;
    /// With inMailbox: the UIDVALIDITY the command's UIDs belong to; 0: any.
    /// A connection whose view of the mailbox has another (or none known)
    /// selects it afresh first: a server may keep showing a session the
    /// mailbox it selected even after another client deleted and made it
    /// again (Dovecot does). If the fresh view has another UIDVALIDITY too,
    /// the UIDs mean other messages now: the command fails with NotFound.
    quint32 inUidValidity = 0;
    /// Set by the session once a fresh SELECT confirmed inUidValidity.
    bool inUidValidityChecked = false;
    /// With inMailbox: the highest UID the command names (0: none). A server
    /// shows a session a message added by another session only once it syncs
    /// the session's view, and answers a UID FETCH, STORE, COPY or MOVE of a
    /// message outside the view with nothing but OK: a flag set on a message
    /// just appended elsewhere would be lost without a word. So when this UID
    /// lies beyond what the view is known to hold, the session syncs it first
    /// (a NOOP alone on the wire) and sends the command after.
    quint32 highestUid = 0;
    /// Background work (a bulk fetch's batch): on a connection it shares, it
    /// gives way to every other command (issue 15's lanes). It is sent only
    /// while no other command is queued or in flight and no interactive
    /// operation holds the connection (ImapConnection::beginInteractive()),
    /// and an interactive command queued after it is sent before it.
    bool background = false;
    /// For STATUS: the mailbox asked about. Its untagged STATUS reply goes to
    /// this command even while other commands are in flight (a server may
    /// answer pipelined STATUS commands in any order: the reply names its mailbox).
    /// An empty name for a LIST that returns STATUS (RFC 5819): it gets the
    /// STATUS replies of every mailbox, so it and a STATUS command are never
    /// in flight together.
    std::optional<QString> statusOf;
    /// Non-empty for commands whose untagged replies cannot be told apart from
    /// those of another command of the same kind ("SEARCH", "LIST"): no two with
    /// the same value are in flight at once. Dovecot answers two pipelined
    /// SEARCHes interleaved, so order alone does not tell whose "* SEARCH" is whose.
    QByteArray oneInFlight;
    /// What a tagged NO means for this command (Auth for LOGIN, else ServerRefused).
    ErrorCode codeForNo = ErrorCode::ServerRefused;
    /// IDLE: the server's "+" starts idling; DONE (sent by done(), or by the
    /// session itself as soon as another command is queued) ends it.
    bool idle = false;
};

/// What a completed command yields: its tagged OK and the untagged data that
/// belonged to it.
struct CommandResult {
    StatusResponse completion;
    QList<Response> untagged;

    template <typename T>
    QList<T> all() const
    {
        QList<T> out;
        for (const Response &r : untagged) {
            if (const T *value = r.get<T>())
                out << *value;
        }
        return out;
    }

    /// The FETCH replies, one per message (by UID, else by sequence number),
    /// in the order the messages first came. A server may send data about a
    /// message at any time (RFC 9051 5.2), so one message may have several
    /// replies: Dovecot sends a flag change made by another session as "* 5 FETCH (UID 9 FLAGS (\Flagged))"
    /// amid a UID FETCH's answer, and that reply names the UID the command
    /// asked for without any of what it asked. So they are merged: a caller
    /// that took each reply as the answer took a message's flags for all of it.
    MAILCORE_EXPORT QList<FetchData> fetches() const;
};

} // namespace mailcore::imap

Q_DECLARE_METATYPE(mailcore::imap::Response)
Q_DECLARE_METATYPE(mailcore::imap::SessionState)
Q_DECLARE_METATYPE(mailcore::Error)
