// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <optional>

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>

#include "mailcore/imap/command.h"
#include "mailcore/imap/searchkey.h"
#include "mailcore/imap/sequenceset.h"
#include "mailcore/mailcore_export.h"

namespace mailcore::imap {

/// LIST ... RETURN (...) options (RFC 5258, 6154, 5819), used only when the
/// server offers LIST-EXTENDED / SPECIAL-USE / LIST-STATUS.
struct ListReturnOptions {
    bool specialUse = false;
    bool subscribed = false;
    QList<QByteArray> statusItems; ///< e.g. MESSAGES UNSEEN UIDNEXT; empty: no STATUS
};

struct QResyncParameters {
    quint32 uidValidity = 0;
    quint64 modSeq = 0;
    SequenceSet knownUids; ///< may be empty
};

struct SelectOptions {
    bool readOnly = false; ///< EXAMINE instead of SELECT
    bool condStore = false;
    std::optional<QResyncParameters> qresync;
};

/// BODY.PEEK[section]<offset.length> or BINARY.PEEK[...].
struct FetchSection {
    QByteArray section;  ///< "", "HEADER", "1.2", "HEADER.FIELDS (FROM SUBJECT)"
    bool peek = true;    ///< PEEK: do not set \Seen
    bool binary = false; ///< BINARY[] (RFC 3516): the server decodes the transfer encoding
    std::optional<quint32> offset;
    quint32 length = 0; ///< with offset
};

struct FetchItems {
    bool uid = true;
    bool flags = false;
    bool internalDate = false;
    bool size = false;
    bool envelope = false;
    bool bodyStructure = false;
    bool modSeq = false;
    QList<FetchSection> sections;
};

enum class StoreMode { Add, Remove, Replace };

/// Builds the exact bytes of IMAP4rev1 commands (and the extensions a client
/// uses). Every argument is quoted or sent as a literal as needed, so no value
/// can inject CR/LF or end a command early; values IMAP cannot carry at all
/// (NUL bytes, flags with forbidden characters, empty sets) give a Command with
/// ErrorCode::BadArgument and nothing to send. Pure and cheap: no state but the
/// options, usable from any thread.
class MAILCORE_EXPORT CommandBuilder
{
public:
    explicit CommandBuilder(SerializerOptions options = {})
        : m_options(options)
    {
    }
    const SerializerOptions &options() const { return m_options; }
    void setOptions(const SerializerOptions &options) { m_options = options; }

    Command capability(const QByteArray &tag) const;
    Command startTls(const QByteArray &tag) const;
    Command noop(const QByteArray &tag) const;
    Command logout(const QByteArray &tag) const;
    Command namespaces(const QByteArray &tag) const;
    /// LOGIN user password. The log line shows the user and *** for the password.
    Command login(const QByteArray &tag, const QString &user, const QString &password) const;
    /// AUTHENTICATE PLAIN: with SASL-IR one line, otherwise two pieces, the
    /// credentials waiting for the server's "+".
    Command authenticatePlain(const QByteArray &tag, const QString &user, const QString &password) const;
    Command enable(const QByteArray &tag, const QList<QByteArray> &capabilities) const;
    /// ID (RFC 2971); an empty list sends ID NIL.
    Command id(const QByteArray &tag, const QList<QPair<QString, QString>> &fields) const;
    Command list(const QByteArray &tag, const QString &reference, const QString &pattern,
                 const ListReturnOptions &returnOptions = {}) const;
    Command lsub(const QByteArray &tag, const QString &reference, const QString &pattern) const;
    Command create(const QByteArray &tag, const QString &mailbox) const;
    Command deleteMailbox(const QByteArray &tag, const QString &mailbox) const;
    Command rename(const QByteArray &tag, const QString &from, const QString &to) const;
    Command subscribe(const QByteArray &tag, const QString &mailbox) const;
    Command unsubscribe(const QByteArray &tag, const QString &mailbox) const;
    Command status(const QByteArray &tag, const QString &mailbox, const QList<QByteArray> &items) const;
    Command select(const QByteArray &tag, const QString &mailbox, const SelectOptions &options = {}) const;
    Command uidFetch(const QByteArray &tag, const SequenceSet &uids, const FetchItems &items,
                     std::optional<quint64> changedSince = {}, bool vanished = false) const;
    /// UID SEARCH [RETURN (...)] [CHARSET UTF-8] key. `returnOptions` (ESEARCH:
    /// MIN MAX COUNT ALL) only when the server offers ESEARCH.
    Command uidSearch(const QByteArray &tag, const SearchKey &key, const QList<QByteArray> &returnOptions = {}) const;
    /// UID SORT (criteria) UTF-8 key (RFC 5256). `criteria` are sort-key atoms
    /// in order, each optionally preceded by "REVERSE": {"REVERSE", "DATE"}.
    /// Only when the server offers SORT.
    Command uidSort(const QByteArray &tag, const QList<QByteArray> &criteria, const SearchKey &key) const;
    Command uidStore(const QByteArray &tag, const SequenceSet &uids, StoreMode mode, const QList<QByteArray> &flags,
                     bool silent = true, std::optional<quint64> unchangedSince = {}) const;
    Command uidCopy(const QByteArray &tag, const SequenceSet &uids, const QString &mailbox) const;
    Command uidMove(const QByteArray &tag, const SequenceSet &uids, const QString &mailbox) const;
    Command uidExpunge(const QByteArray &tag, const SequenceSet &uids) const;
    Command expunge(const QByteArray &tag) const;
    Command close(const QByteArray &tag) const;
    Command unselect(const QByteArray &tag) const;
    /// APPEND; the message is always a literal (its own piece unless LITERAL+).
    Command append(const QByteArray &tag, const QString &mailbox, const QByteArray &message,
                   const QList<QByteArray> &flags = {}, const QDateTime &internalDate = {}) const;
    Command idle(const QByteArray &tag) const;
    /// Ends IDLE: "DONE" with no tag.
    static Command done();

    /// "dd-Mon-yyyy hh:mm:ss +zzzz" (English month names whatever the locale).
    static QByteArray formatDateTime(const QDateTime &dateTime);
    /// "d-Mon-yyyy" for SEARCH.
    static QByteArray formatDate(QDate date);

private:
    Command simple(const QByteArray &tag, QByteArrayView name) const;
    Command mailboxCommand(const QByteArray &tag, QByteArrayView name, const QString &mailbox) const;
    Command uidSetMailbox(const QByteArray &tag, QByteArrayView name, const SequenceSet &uids,
                          const QString &mailbox) const;

    SerializerOptions m_options;
};

} // namespace mailcore::imap
