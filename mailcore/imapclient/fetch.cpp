// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// ImapClient: fetching one part of a message, and a whole message into a file.
// (Whole messages into memory, one or many, are in imapclient.cpp.)

#include <QRegularExpression>
#include <QSaveFile>

#include <deque>

#include "mailcore/imap/connection.h"
#include "mailcore/imap/requests.h"
#include "mailcore/imapclient/bodystructure.h"
#include "mailcore/imapclient/imapclient.h"
#include "mailcore/imapclient/operations.h"

namespace mailcore {

using namespace mailcore::imap;
using namespace mailcore::imapops;

namespace {

/// A body section is a part path, optionally with the header/text/MIME
/// suffixes ("2", "1.2", "2.MIME"); anything else is refused before sending.
bool isPartSection(const QByteArray &section)
{
    static const QRegularExpression form(
        QStringLiteral("^[1-9][0-9]{0,5}(\\.[1-9][0-9]{0,5}){0,31}(\\.(HEADER|TEXT|MIME))?$"),
        QRegularExpression::CaseInsensitiveOption);
    return form.match(QString::fromLatin1(section)).hasMatch();
}

/// The data of BODY[section] for `uid` in `result`, or nullptr.
const SectionData *sectionIn(const CommandResult &result, quint32 uid, QByteArrayView section)
{
    for (const Response &r : result.untagged) {
        const FetchData *f = r.get<FetchData>();
        if (f && f->uid == uid) {
            if (const SectionData *s = f->section("BODY", section))
                return s;
        }
    }
    return nullptr;
}

bool hasSectionOn(Connection &c, const QString &folder, quint32 uid, const QByteArray &section)
{
    FetchItems items;
    items.bodyStructure = true;
    for (const FetchData &f :
         run(c, in(folder, requests::uidFetch(SequenceSet::fromRange(uid, uid), items))).all<FetchData>()) {
        if (f.uid == uid && f.body)
            return hasSection(*f.body, section);
    }
    return false;
}

QByteArray fetchPartOn(Connection &c, const QString &folder, quint32 uid, const QByteArray &section)
{
    if (!isPartSection(section))
        throw MailException(Error(ErrorCode::BadArgument, QStringLiteral("not a body part section")));
    FetchItems items;
    FetchSection wanted;
    wanted.section = section;
    items.sections = {wanted};
    const CommandResult result = run(c, in(folder, requests::uidFetch(SequenceSet::fromRange(uid, uid), items)));
    const SectionData *data = sectionIn(result, uid, section);
    if (!data)
        throw MailException(noSuchMessage(folder, uid));
    // Servers answer a part that does not exist with NIL or "" (Dovecot): an
    // empty answer is checked against the structure, once, the rare case.
    if (data->data.isEmpty() && !hasSectionOn(c, folder, uid, section))
        throw MailException(Error(
            ErrorCode::NotFound,
            QStringLiteral("message %1 in %2 has no part %3").arg(uid).arg(folder, QString::fromLatin1(section))));
    return data->data;
}

constexpr quint32 kFileChunk = 1024 * 1024; // bytes per partial FETCH
constexpr std::size_t kFileDepth = 4;       // partial FETCHes in flight: the wire stays busy

/// Streams the message into `path` in partial fetches (BODY.PEEK[]<offset.length>),
/// a few pipelined, each chunk written as soon as it arrives: memory stays at
/// a few chunks whatever the message's size. The file appears only once
/// complete (QSaveFile), readable by its owner only.
quint64 fetchMessageToFileOn(Connection &c, const QString &folder, quint32 uid, const QString &path)
{
    const SequenceSet one = SequenceSet::fromRange(uid, uid);
    FetchItems sizeOnly;
    sizeOnly.size = true;
    std::optional<quint64> size;
    for (const FetchData &f : run(c, in(folder, requests::uidFetch(one, sizeOnly))).fetches()) {
        if (f.uid == uid)
            size = f.size;
    }
    if (!size)
        throw MailException(noSuchMessage(folder, uid));

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        throw MailException(Error(ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(path, file.errorString())));
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner); // mail is private

    ImapConnection &connection = connectionOf(c);
    std::deque<QFuture<CommandResult>> inFlight;
    quint64 next = 0; // offset of the next chunk to ask for
    quint64 written = 0;
    bool ended = false; // a short chunk came: the message ends there
    const auto ask = [&] {
        FetchItems items;
        FetchSection chunk;
        chunk.offset = quint32(next);
        chunk.length = kFileChunk;
        items.sections = {chunk};
        inFlight.push_back(connection.execute(in(folder, requests::uidFetch(one, items))));
        next += kFileChunk;
    };
    for (;;) {
        // RFC822.SIZE says how far to ask ahead; the short chunk says where it
        // really ends, so a size that is off only costs a round trip.
        while (!ended && inFlight.size() < kFileDepth && (next <= *size || inFlight.empty()) && next <= 0xFFFFFFFFu)
            ask();
        if (inFlight.empty())
            break;
        const CommandResult result = client::await(std::move(inFlight.front()));
        inFlight.pop_front();
        if (ended)
            continue; // asked beyond the end
        const SectionData *data = sectionIn(result, uid, "");
        if (!data)
            throw MailException(noSuchMessage(folder, uid)); // expunged meanwhile
        if (file.write(data->data) != data->data.size())
            throw MailException(
                Error(ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(path, file.errorString())));
        written += quint64(data->data.size());
        ended = quint64(data->data.size()) < kFileChunk;
    }
    if (!ended)
        throw MailException(
            Error(ErrorCode::Limit, QStringLiteral("message %1 in %2 is larger than 4 GiB").arg(uid).arg(folder)));
    if (!file.commit())
        throw MailException(Error(ErrorCode::Io, QStringLiteral("cannot write %1: %2").arg(path, file.errorString())));
    return written;
}

} // namespace

static client::Operation<QByteArray> fetchPartOp(const QString &folder, quint32 uid, const QByteArray &section)
{
    return {pool::Work::Long, folder, client::Retry::Always,
            [=](auto &c) { return fetchPartOn(c, folder, uid, section); }};
}
Result<QByteArray> ImapClient::fetchPart(const QString &folder, quint32 uid, const QByteArray &section)
{
    return engine().wait(fetchPartOp(folder, uid, section));
}
QFuture<QByteArray> ImapClient::fetchPartAsync(const QString &folder, quint32 uid, const QByteArray &section)
{
    return engine().start(fetchPartOp(folder, uid, section));
}

static client::Operation<quint64> fetchMessageToFileOp(const QString &folder, quint32 uid, const QString &path)
{
    return {pool::Work::Long, folder, client::Retry::Always,
            [=](auto &c) { return fetchMessageToFileOn(c, folder, uid, path); }};
}
Result<quint64> ImapClient::fetchMessageToFile(const QString &folder, quint32 uid, const QString &path)
{
    return engine().wait(fetchMessageToFileOp(folder, uid, path));
}
QFuture<quint64> ImapClient::fetchMessageToFileAsync(const QString &folder, quint32 uid, const QString &path)
{
    return engine().start(fetchMessageToFileOp(folder, uid, path));
}

} // namespace mailcore
