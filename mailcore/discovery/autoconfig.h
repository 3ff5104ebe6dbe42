// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArrayView>
#include <QList>
#include <QStringList>
#include <QUrl>

#include "mailcore/base/result.h"
#include "mailcore/discovery/discovery.h"

// The autoconfig file of a mail domain (config-v1.1 XML, as mail clients
// publish and read it): where to fetch it, and what it says. The parser is
// pure (bytes in, values out); the file comes from the network, so its size
// and the number of servers taken from it are bounded.
namespace mailcore::discovery {

/// The largest autoconfig file read; real ones are a few KiB.
inline constexpr qsizetype maxAutoconfigSize = 256 * 1024;

/// What an autoconfig file offers.
struct AutoconfigServers {
    QList<ServerCandidate> servers; ///< in the file's order, Source::Autoconfig
    QStringList skipped;            ///< servers not taken, each with why (plain text, unknown type...)
};

/// The URLs to try for `emailAddress`: `configured` with %EMAIL% and %DOMAIN%
/// filled in, or the domain's two well-known https locations.
MAILCORE_EXPORT QList<QUrl> autoconfigUrls(const QStringList &configured, const QString &emailAddress);

/// Reads a config-v1.1 document: IMAP and POP3 incoming servers, SMTP outgoing
/// ones, their placeholders filled in from `emailAddress`. Servers offering
/// no encryption are skipped, not proposed. Not XML, not such a document, or
/// no usable server at all: a Protocol error saying which.
MAILCORE_EXPORT Result<AutoconfigServers> parseAutoconfig(QByteArrayView xml, const QString &emailAddress);

} // namespace mailcore::discovery
