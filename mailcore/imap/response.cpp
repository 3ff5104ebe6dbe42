// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/imap/response.h"

#include <QHash>

#include "mailcore/imap/request.h"

namespace mailcore::imap {

std::optional<QByteArray> ContinuationRequest::decodedBase64() const
{
    auto r = QByteArray::fromBase64Encoding(text, QByteArray::AbortOnBase64DecodingErrors);
    if (!r)
        return std::nullopt;
    return r.decoded;
}

bool CapabilityData::has(QByteArrayView capability) const
{
    for (const QByteArray &c : capabilities) {
        if (QByteArrayView(c).compare(capability, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

bool ListData::hasFlag(QByteArrayView flag) const
{
    for (const QByteArray &f : flags) {
        if (QByteArrayView(f).compare(flag, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

SpecialUse ListData::specialUse() const
{
    static constexpr std::pair<const char *, SpecialUse> kUses[] = {
        {"\\All", SpecialUse::All},         {"\\Archive", SpecialUse::Archive}, {"\\Drafts", SpecialUse::Drafts},
        {"\\Flagged", SpecialUse::Flagged}, {"\\Junk", SpecialUse::Junk},       {"\\Sent", SpecialUse::Sent},
        {"\\Trash", SpecialUse::Trash},
    };
    for (const auto &[flag, use] : kUses) {
        if (hasFlag(flag))
            return use;
    }
    return SpecialUse::None;
}

std::optional<quint64> MailboxStatusData::value(QByteArrayView item) const
{
    for (const auto &[name, value] : items) {
        if (QByteArrayView(name).compare(item, Qt::CaseInsensitive) == 0)
            return value;
    }
    return std::nullopt;
}

const SectionData *FetchData::section(QByteArrayView item, QByteArrayView sectionSpec) const
{
    for (const SectionData &s : sections) {
        if (QByteArrayView(s.item).compare(item, Qt::CaseInsensitive) == 0
            && QByteArrayView(s.section).compare(sectionSpec, Qt::CaseInsensitive) == 0)
            return &s;
    }
    return nullptr;
}

void FetchData::update(const FetchData &later)
{
    auto take = [](auto &mine, const auto &theirs) {
        if (theirs)
            mine = theirs;
    };
    if (later.sequence)
        sequence = later.sequence;
    take(uid, later.uid);
    take(flags, later.flags);
    take(internalDate, later.internalDate);
    take(size, later.size);
    take(modSeq, later.modSeq);
    take(envelope, later.envelope);
    take(body, later.body);
    for (const SectionData &s : later.sections) {
        sections.removeIf([&](const SectionData &mine) {
            return mine.item.compare(s.item, Qt::CaseInsensitive) == 0
                && mine.section.compare(s.section, Qt::CaseInsensitive) == 0 && mine.origin == s.origin;
        });
        sections << s;
    }
    for (const auto &size : later.binarySizes) {
        binarySizes.removeIf([&](const auto &mine) { return mine.first == size.first; });
        binarySizes << size;
    }
}

QList<FetchData> CommandResult::fetches() const
{
    QList<FetchData> out;
    QHash<quint64, qsizetype> indexOf; // a UID, or a sequence number above every UID's key
    for (const Response &r : untagged) {
        const FetchData *f = r.get<FetchData>();
        if (!f)
            continue;
        const quint64 key = f->uid ? quint64(*f->uid) : (quint64(1) << 32) + f->sequence;
        const auto found = indexOf.constFind(key);
        if (found == indexOf.cend()) {
            indexOf.insert(key, out.size());
            out << *f;
        } else {
            out[*found].update(*f);
        }
    }
    return out;
}

} // namespace mailcore::imap
