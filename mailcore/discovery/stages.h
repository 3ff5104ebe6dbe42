// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QList>
#include <QStringList>

#include "mailcore/discovery/discovery.h"
#include "mailcore/discovery/emailaddress.h"

// The three sources discover() asks in turn, each in its own file. A stage
// looks only for the directions still missing and tells what it did in steps.
namespace mailcore::discovery {

/// What one stage found, and for which directions it was asked.
struct StageResult {
    QList<ServerCandidate> incoming;
    QList<ServerCandidate> outgoing;
};

/// What a stage is asked: the address, its parts, the options, and which
/// directions are still missing.
struct StageRequest {
    QString address;
    AddressParts parts;
    const DiscoveryOptions &options;
    bool wantIncoming = true;
    bool wantOutgoing = true;
};

StageResult fromAutoconfig(const StageRequest &request, QStringList &steps);
StageResult fromDnsSrv(const StageRequest &request, QStringList &steps);
StageResult fromGuesses(const StageRequest &request, QStringList &steps);

/// "IMAP", "POP3" or "SMTP".
QString protocolName(Protocol protocol);
/// "host port N, TLS" (or STARTTLS, or no encryption), for steps.
QString describe(const ServerCandidate &candidate);

} // namespace mailcore::discovery
