// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/imap/response.h"

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

} // namespace mailcore::imap
