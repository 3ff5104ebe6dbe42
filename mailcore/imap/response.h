// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <optional>
#include <variant>
#include <vector>

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>

#include "mailcore/imap/sequenceset.h"
#include "mailcore/mailcore_export.h"

// Value types for parsed IMAP server responses. Everything here is plain data:
// copyable, comparable, no pointers back into the parser. Byte strings from the
// server stay QByteArray (they may be mUTF-7, RFC 2047 or 8-bit); NIL is a null
// QByteArray, "" an empty one (QByteArray::isNull() tells them apart).

namespace mailcore::imap {

using ByteList = QList<QByteArray>;
using ParamList = QList<QPair<QByteArray, QByteArray>>;

/// The bracketed code of a status response ("[UIDNEXT 42]"), RFC 3501 7.1 and
/// the extensions a client meets (RFC 4315, 5162, 5530, 7162, ...).
struct ResponseCode {
    enum class Kind {
        None,
        Alert,
        BadCharset,
        Capability,
        Parse,
        PermanentFlags,
        ReadOnly,
        ReadWrite,
        TryCreate,
        UidNext,
        UidValidity,
        Unseen,
        AppendUid,
        CopyUid,
        HighestModSeq,
        NoModSeq,
        Modified,
        Closed,
        UidNotSticky,
        Unavailable,
        AuthenticationFailed,
        AuthorizationFailed,
        Expired,
        PrivacyRequired,
        ContactAdmin,
        NoPerm,
        InUse,
        ExpungeIssued,
        Corruption,
        ServerBug,
        ClientBug,
        CannotDo,
        Limit,
        OverQuota,
        AlreadyExists,
        NonExistent,
        Other,
    };
    Kind kind = Kind::None;
    QByteArray name;       ///< the code's atom, upper-cased ("UIDNEXT", "X-FOO")
    QByteArray arguments;  ///< raw text after the name, for codes without a typed form
    ByteList list;         ///< CAPABILITY, PERMANENTFLAGS, BADCHARSET
    quint64 number = 0;    ///< UIDNEXT, UIDVALIDITY, UNSEEN, HIGHESTMODSEQ, APPENDUID/COPYUID validity
    SequenceSet sourceSet; ///< COPYUID source UIDs, MODIFIED set
    SequenceSet destSet;   ///< COPYUID destination UIDs, APPENDUID UID(s)
    friend bool operator==(const ResponseCode &, const ResponseCode &) = default;
};

enum class Status { Ok, No, Bad, PreAuth, Bye };

/// OK/NO/BAD/PREAUTH/BYE, tagged or untagged.
struct StatusResponse {
    Status status = Status::Ok;
    ResponseCode code;
    QString text;
    friend bool operator==(const StatusResponse &, const StatusResponse &) = default;
};

/// "+ text": the server waits for more client data (a literal, a SASL step, IDLE).
struct ContinuationRequest {
    QByteArray text;
    /// The text decoded as base64 (SASL challenges); nullopt when it is not base64.
    MAILCORE_EXPORT std::optional<QByteArray> decodedBase64() const;
    friend bool operator==(const ContinuationRequest &, const ContinuationRequest &) = default;
};

struct CapabilityData {
    ByteList capabilities; ///< upper-cased
    MAILCORE_EXPORT bool has(QByteArrayView capability) const;
    friend bool operator==(const CapabilityData &, const CapabilityData &) = default;
};

enum class SpecialUse { None, All, Archive, Drafts, Flagged, Junk, Sent, Trash };

/// LIST or LSUB (RFC 3501 7.2.2, RFC 6154 special-use, RFC 5258 extended data skipped).
struct ListData {
    bool lsub = false;
    ByteList flags;                                          ///< as sent ("\HasNoChildren", "\Sent")
    std::optional<char> delimiter;                           ///< nullopt for NIL (a flat namespace)
    QByteArray rawName;                                      ///< as sent: mUTF-7, or UTF-8 under UTF8=ACCEPT
    QString name;                                            ///< decoded for display
    MAILCORE_EXPORT bool hasFlag(QByteArrayView flag) const; ///< case-insensitive
    MAILCORE_EXPORT SpecialUse specialUse() const;
    friend bool operator==(const ListData &, const ListData &) = default;
};

/// STATUS mailbox (MESSAGES 3 UIDNEXT 4 ...): items as sent, names upper-cased.
struct MailboxStatusData {
    QByteArray rawName;
    QString name;
    QList<QPair<QByteArray, quint64>> items;
    MAILCORE_EXPORT std::optional<quint64> value(QByteArrayView item) const;
    friend bool operator==(const MailboxStatusData &, const MailboxStatusData &) = default;
};

/// "* n EXISTS", "* n RECENT", "* n EXPUNGE".
struct NumberData {
    enum class Kind { Exists, Recent, Expunge };
    Kind kind = Kind::Exists;
    quint32 number = 0;
    friend bool operator==(const NumberData &, const NumberData &) = default;
};

/// "* VANISHED [(EARLIER)] uid-set" (RFC 7162 QRESYNC).
struct VanishedData {
    bool earlier = false;
    SequenceSet uids;
    friend bool operator==(const VanishedData &, const VanishedData &) = default;
};

struct Address {
    QByteArray name, adl, mailbox, host; ///< raw (name may be RFC 2047 encoded)
    /// RFC 3501 group syntax: start has mailbox = group name and host NIL;
    /// end has both NIL.
    bool isGroupStart() const { return host.isNull() && !mailbox.isNull(); }
    bool isGroupEnd() const { return host.isNull() && mailbox.isNull(); }
    friend bool operator==(const Address &, const Address &) = default;
};

struct Envelope {
    QByteArray date, subject; ///< raw header values
    QList<Address> from, sender, replyTo, to, cc, bcc;
    QByteArray inReplyTo, messageId;
    friend bool operator==(const Envelope &, const Envelope &) = default;
};

/// BODY / BODYSTRUCTURE (RFC 3501 7.4.2). `parts` holds the children of a
/// multipart, or the one encapsulated body of a message/rfc822 part.
struct BodyStructure {
    QByteArray type, subtype; ///< lower-cased; type is "multipart" for multiparts
    ParamList parameters;
    QByteArray id, description, encoding; ///< single parts only
    quint64 size = 0;
    std::optional<quint64> lines;     ///< text/* and message/rfc822
    std::optional<Envelope> envelope; ///< message/rfc822
    std::vector<BodyStructure> parts;
    // Extension data (BODYSTRUCTURE only; absent fields stay empty).
    QByteArray md5;
    QByteArray disposition;
    ParamList dispositionParameters;
    ByteList language;
    QByteArray location;
    bool isMultipart() const { return type == "multipart"; }
    friend bool operator==(const BodyStructure &, const BodyStructure &) = default;
};

/// BODY[section]<origin>, BINARY[section], RFC822, RFC822.HEADER, RFC822.TEXT.
struct SectionData {
    QByteArray item;    ///< "BODY", "BINARY", "RFC822", "RFC822.HEADER", "RFC822.TEXT"
    QByteArray section; ///< text between the brackets, as sent ("1.2.MIME", "HEADER.FIELDS (FROM)")
    std::optional<quint32> origin;
    QByteArray data; ///< null for NIL; shares the literal's buffer (no copy)
    friend bool operator==(const SectionData &, const SectionData &) = default;
};

/// "* n FETCH (...)". Only what the server sent is set.
struct FetchData {
    quint32 sequence = 0;
    std::optional<quint32> uid;
    std::optional<ByteList> flags;
    std::optional<QDateTime> internalDate;
    std::optional<quint64> size; ///< RFC822.SIZE
    std::optional<quint64> modSeq;
    std::optional<Envelope> envelope;
    std::optional<BodyStructure> body; ///< BODY or BODYSTRUCTURE
    QList<SectionData> sections;
    QList<QPair<QByteArray, quint64>> binarySizes; ///< BINARY.SIZE[section]
    MAILCORE_EXPORT const SectionData *section(QByteArrayView item, QByteArrayView section) const;
    /// Takes in what a later FETCH reply for the same message says: its items
    /// replace these, its sections join them (a section sent again replaces
    /// the earlier one).
    MAILCORE_EXPORT void update(const FetchData &later);
    friend bool operator==(const FetchData &, const FetchData &) = default;
};

/// "* SEARCH 2 3 [(MODSEQ 9)]".
struct SearchData {
    QList<quint32> numbers;
    std::optional<quint64> modSeq;
    friend bool operator==(const SearchData &, const SearchData &) = default;
};

/// "* SORT 5 3 4" (RFC 5256): the numbers in the server's order, which is the
/// whole point, so a type of its own rather than SearchData (whose numbers
/// callers may sort) and routed by its own name (Session: "* SORT" goes to the
/// SORT in flight, never to a SEARCH).
struct SortData {
    QList<quint32> numbers;
    friend bool operator==(const SortData &, const SortData &) = default;
};

/// "* ESEARCH (TAG "A1") UID MIN 2 COUNT 3 ALL 2:4" (RFC 4731).
struct ESearchData {
    QByteArray tag;
    bool uid = false;
    std::optional<quint32> min, max;
    std::optional<quint64> count;
    std::optional<SequenceSet> all;
    std::optional<quint64> modSeq;
    friend bool operator==(const ESearchData &, const ESearchData &) = default;
};

struct EnabledData {
    ByteList capabilities;
    friend bool operator==(const EnabledData &, const EnabledData &) = default;
};

/// "* ID (...)" (RFC 2971); empty for NIL.
struct IdData {
    ParamList fields;
    friend bool operator==(const IdData &, const IdData &) = default;
};

struct NamespaceEntry {
    QByteArray prefix;
    std::optional<char> delimiter;
    friend bool operator==(const NamespaceEntry &, const NamespaceEntry &) = default;
};

/// "* NAMESPACE personal other shared" (RFC 2342); extensions skipped.
struct NamespaceData {
    QList<NamespaceEntry> personal, otherUsers, shared;
    friend bool operator==(const NamespaceData &, const NamespaceData &) = default;
};

struct FlagsData {
    ByteList flags;
    friend bool operator==(const FlagsData &, const FlagsData &) = default;
};

/// An untagged response this parser has no typed form for: kept, not an error,
/// so that a server extension never breaks the connection.
struct GenericData {
    std::optional<quint32> number; ///< for "* 5 XFOO"
    QByteArray name;               ///< upper-cased atom
    QByteArray text;               ///< the rest of the first line, raw
    friend bool operator==(const GenericData &, const GenericData &) = default;
};

using ResponseData = std::variant<StatusResponse, ContinuationRequest, CapabilityData, ListData, MailboxStatusData,
                                  NumberData, VanishedData, FetchData, SearchData, SortData, ESearchData, EnabledData,
                                  IdData, NamespaceData, FlagsData, GenericData>;

/// One complete server response.
struct Response {
    enum class Kind { Untagged, Tagged, Continuation };
    Kind kind = Kind::Untagged;
    QByteArray tag; ///< tagged responses only
    ResponseData data;

    bool isTagged() const { return kind == Kind::Tagged; }
    /// The status part for OK/NO/BAD/PREAUTH/BYE, else nullptr.
    const StatusResponse *status() const { return std::get_if<StatusResponse>(&data); }
    template <typename T>
    const T *get() const
    {
        return std::get_if<T>(&data);
    }
    friend bool operator==(const Response &, const Response &) = default;
};

} // namespace mailcore::imap
