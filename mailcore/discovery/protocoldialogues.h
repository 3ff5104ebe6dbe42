// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <memory>

#include "mailcore/discovery/probedialogue.h"

// The three protocols' probe dialogues, each in its own file.
namespace mailcore::discovery {

std::unique_ptr<ProbeDialogue> makeImapDialogue(Security security, const QString &host);
std::unique_ptr<ProbeDialogue> makePop3Dialogue(Security security, const QString &host);
std::unique_ptr<ProbeDialogue> makeSmtpDialogue(Security security, const QString &host);

} // namespace mailcore::discovery
