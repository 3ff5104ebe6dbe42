// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include "mailcore/imapclient/imaptypes.h"

namespace mailcore::store {

/// An account as the store keeps it: where and who, never the password (the
/// keychain has it). What else the app remembers of it is in `settings`.
struct Account {
    qint64 id = 0;        ///< the store's id; 0 before it is saved
    QString name;         ///< what the user calls it
    QString protocol;     ///< "imap" or "pop3"
    QString host;         ///< the incoming server
    int port = 0;         ///< its port
    QString security;     ///< "tls" or "starttls"
    QString userName;     ///< the login name
    QJsonObject settings; ///< everything else (limits, idle time, POP3 options), as the app writes it
    /// Member by member.
    friend bool operator==(const Account &, const Account &) = default;
};

/// A folder of an account, and what the last sync learned of it on the server.
struct Folder {
    qint64 id = 0;                      ///< the store's id; 0 before it is saved
    qint64 accountId = 0;               ///< the account it belongs to
    QString name;                       ///< the full name, decoded
    QString delimiter;                  ///< the hierarchy delimiter; empty when none
    FolderRole role = FolderRole::None; ///< what it is for (Sent, Trash...)
    bool selectable = true;             ///< false for a node of the tree only
    quint32 uidValidity = 0;            ///< the server's UIDVALIDITY; 0: never synced
    quint32 uidNext = 0;                ///< the server's UIDNEXT at the last sync
    quint64 highestModseq = 0;          ///< 0: none known (or no CONDSTORE)
    quint32 serverCount = 0;            ///< messages on the server at the last sync
    quint32 serverUnseen = 0;           ///< of them without `\Seen`
    /// Member by member.
    friend bool operator==(const Folder &, const Folder &) = default;
};

/// A message of a folder: its list row, as the server described it.
struct StoredMessage {
    qint64 id = 0;          ///< the store's id (bodies, search); 0 before it is saved
    qint64 folderId = 0;    ///< the folder it is in
    MessageSummary summary; ///< UID, flags, size, dates, addresses, subject, thread ids, parts
    quint64 modseq = 0;     ///< its MODSEQ (CONDSTORE); 0 when unknown
    bool hasBody = false;   ///< the raw message is in the store (read only: set by the store)
    /// Member by member.
    friend bool operator==(const StoredMessage &, const StoredMessage &) = default;
};

/// What prepare() found and did.
struct PrepareReport {
    int versionFound = 0; ///< the schema version before; 0 for a new file
    int version = 0;      ///< the version now
    bool rebuilt = false; ///< the file was damaged: moved aside, a new one made
    QString movedTo;      ///< where the damaged file went (its -wal and -shm beside it)
    QString damage;       ///< what SQLite said was wrong with it
};

/// A message a POP3 account downloaded (MailStore::pop3Downloads()).
struct Pop3Download {
    qint64 message = 0;           ///< its row in the store; 0 if the user deleted it since
    QDateTime downloadedAt;       ///< when it was stored
    bool deletedOnServer = false; ///< the server copy is gone (deleted and committed)
    /// Member by member.
    friend bool operator==(const Pop3Download &, const Pop3Download &) = default;
};

/// A change to make on the server that waits until it can be sent (the
/// server could not be reached); kept in the store, sent in the order made.
struct OfflineAction {
    /// What to do.
    enum class Kind {
        AddFlags,    ///< add `flags` to `uids` in `folder`
        RemoveFlags, ///< remove `flags` from `uids` in `folder`
        Move,        ///< move `uids` from `folder` to `target`
        Copy,        ///< copy `uids` from `folder` to `target`
        Delete,      ///< expunge `uids` from `folder`
        Append       ///< append `message` (with `flags`) to `folder`: a draft, a sent copy
    };
    qint64 id = 0;              ///< the store's id, in order of making; 0 before it is queued
    Kind kind = Kind::AddFlags; ///< what to do
    QString folder;             ///< where
    QList<quint32> uids;        ///< which messages (not for Append)
    QList<QByteArray> flags;    ///< for AddFlags, RemoveFlags, Append
    QString target;             ///< for Move, Copy
    QByteArray message;         ///< for Append
    int attempts = 0;           ///< how often sending it failed
    QString lastError;          ///< why it failed last
    /// Member by member.
    friend bool operator==(const OfflineAction &, const OfflineAction &) = default;
};

/// A message in the Outbox: written, not yet sent (or not known to be).
/// It stays until the server took it and its copy is in Sent, or the user
/// cancels it; it is never sent twice.
struct OutboxEntry {
    /// Where it is on its way.
    enum class State {
        Waiting, ///< to be sent (again: `lastError` says why it is not yet)
        Sending, ///< handed to the server; if the process ended here it may have gone out: never sent again without the
                 ///< user
        Sent,    ///< the server took it; its copy for Sent may still be missing
        Held     ///< the user is editing it: not sent until put back
    };
    qint64 id = 0;                ///< the store's id; 0 before it is queued
    qint64 accountId = 0;         ///< the account that sends it
    QByteArray message;           ///< the RFC 5322 bytes as they will be sent (no Bcc header)
    QString sender;               ///< the envelope sender (MAIL FROM)
    QStringList recipients;       ///< the envelope recipients (RCPT TO), Bcc included
    State state = State::Waiting; ///< where it is
    int attempts = 0;             ///< tries that failed
    QString lastError;            ///< why the last try failed
    QDateTime createdAt;          ///< when it was queued
    QDateTime sentAt;             ///< when the server took it; invalid before
    bool sentCopyDone = false;    ///< its copy is in the Sent folder
    /// Member by member.
    friend bool operator==(const OutboxEntry &, const OutboxEntry &) = default;
};

/// What a message list is sorted by (each has its index).
enum class SortColumn {
    Date,       ///< the Date: header (when it was written)
    Arrival,    ///< when the server received it (INTERNALDATE)
    Sender,     ///< the first From: name, else its address, case-folded
    Subject,    ///< the decoded subject
    Size,       ///< RFC822.SIZE
    Flagged,    ///< whether it has `\\Flagged` (descending: flagged first)
    Attachments ///< whether it has files attached (descending: those first)
};

/// How many messages of a folder the store holds, and how many of them are unread.
struct FolderCounts {
    int messages = 0; ///< rows of the folder
    int unread = 0;   ///< of them without `\\Seen`
    /// Member by member.
    friend bool operator==(const FolderCounts &, const FolderCounts &) = default;
};

} // namespace mailcore::store
