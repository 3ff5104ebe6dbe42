// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QString>

#include <optional>

namespace mailcore::discovery {

/// The two halves of an address, the domain lower-cased.
struct AddressParts {
    QString localPart; ///< before the last '@'
    QString domain;    ///< after it
};

/// Splits "someone@example.org" at its last '@'; nullopt when either half is
/// empty or the domain cannot be a host name (empty labels, slashes, spaces).
inline std::optional<AddressParts> splitAddress(const QString &address)
{
    const QString trimmed = address.trimmed();
    const qsizetype at = trimmed.lastIndexOf(QLatin1Char('@'));
    if (at <= 0 || at == trimmed.size() - 1)
        return std::nullopt;
    AddressParts parts{trimmed.left(at), trimmed.mid(at + 1).toLower()};
    if (parts.domain.startsWith(QLatin1Char('.')) || parts.domain.endsWith(QLatin1Char('.'))
        || parts.domain.contains(QLatin1String("..")) || parts.domain.contains(QLatin1Char('/'))
        || parts.domain.contains(QLatin1Char(' ')))
        return std::nullopt;
    return parts;
}

} // namespace mailcore::discovery
