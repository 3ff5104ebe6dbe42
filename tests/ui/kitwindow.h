// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

// Shared by the GUI tests that run against the kit's Dovecot: the kit's
// account as the demo sees it, the corpus manifest, and a window connected to it.

#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <memory>

#include "ui/account/demoaccount.h"

namespace tandem::ui {
class MainWindow;
}

namespace tandem::test {

struct KitAccount {
    ui::DemoAccount demo;
    QJsonObject folders; ///< manifest: folder -> [message facts in UID order]
    QString error;       ///< empty when the kit and its manifest were read

    /// The facts of one corpus message (UID = position + 1).
    QJsonObject message(const QString &folder, quint32 uid) const
    {
        return folders.value(folder).toArray().at(int(uid) - 1).toObject();
    }

    /// From $TANDEM_KIT_ENV; trustCa as DemoAccount::fromKitEnv.
    static KitAccount load(bool trustCa = true);
};

/// A shown main window connected to the kit, opening `folder` first (and
/// message `uid` if not 0); its message list lists `pageSize` rows at a time
/// if not 0. Its local store is `storePath`, or a new one of its own when empty.
std::unique_ptr<ui::MainWindow> connectedWindow(const KitAccount &kit, const QString &folder = QStringLiteral("INBOX"),
                                                quint32 uid = 0, quint32 pageSize = 0, const QString &storePath = {});
/// A path for a new store file, in a folder removed when the test ends.
QString newStorePath();
/// A small plain-text message with `subject` and a Message-ID of its own, to append.
QByteArray uniqueMessage(const QString &subject);

} // namespace tandem::test
