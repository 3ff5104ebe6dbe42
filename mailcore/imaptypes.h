#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>

namespace mailcore {

/// What a folder is for, from the server's special-use flags (RFC 6154).
enum class FolderRole { None, Inbox, Sent, Drafts, Trash, Junk, Archive, All, Flagged };

struct FolderInfo {
    QString name;          ///< full name, decoded (e.g. "Archive/2026")
    QChar delimiter;       ///< hierarchy delimiter; null when the server has none
    FolderRole role = FolderRole::None;
    bool selectable = true;
    QList<QByteArray> flags; ///< as the server sent them
    friend bool operator==(const FolderInfo &, const FolderInfo &) = default;
};

struct FolderStatus {
    quint32 messages = 0;
    quint32 unseen = 0;
    quint32 uidNext = 0;
    quint32 uidValidity = 0;
    friend bool operator==(const FolderStatus &, const FolderStatus &) = default;
};

/// One row of a message list: cheap to fetch for many messages at once.
struct MessageSummary {
    quint32 uid = 0;
    QList<QByteArray> flags;
    quint64 size = 0;
    QDateTime internalDate;
    QByteArray subject;    ///< raw header value (may be RFC 2047 encoded)
    QByteArray from;       ///< raw: "Name <mailbox@host>"
    QByteArray messageId;
    friend bool operator==(const MessageSummary &, const MessageSummary &) = default;
};

/// One message of a bulk fetch: its UID and raw RFC 5322 bytes.
struct FetchedMessage {
    quint32 uid = 0;
    QByteArray data;
    friend bool operator==(const FetchedMessage &, const FetchedMessage &) = default;
};

} // namespace mailcore
