// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include "mailcore/mime/message.h"

namespace tandem::test {

/// The corpus folder (tests/mime/corpus) from $TANDEM_TEST_DATA.
QString mimeCorpusDir();

/// Names (without extension) of every corpus message.
QStringList mimeCorpusNames();

/// "Group: Name <addr>" for comparing with the corpus' expectations.
QStringList addressStrings(const QList<mailcore::mime::MailAddress> &list);

/// Compares a parse result with the expectations of one corpus message; returns
/// the list of mismatches (empty when everything matched).
QStringList checkExpectations(const QJsonObject &expect, const mailcore::mime::Message &message,
                              const mailcore::Error &error);

} // namespace tandem::test
