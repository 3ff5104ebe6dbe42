// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "kitwindow.h"

#include <QTemporaryDir>
#include <QUuid>

#include "support/kitenv.h"
#include "ui/mainwindow.h"
#include "ui/messages/messagelistmodel.h"

namespace tandem::test {

KitAccount KitAccount::load(bool trustCa)
{
    KitAccount kit;
    const KitEnv env = KitEnv::load();
    if (!env.isValid()) {
        kit.error = env.error();
        return kit;
    }
    kit.demo = ui::DemoAccount::fromKitEnv(qEnvironmentVariable("TANDEM_KIT_ENV"), trustCa);
    if (!kit.demo.isValid()) {
        kit.error = kit.demo.error;
        return kit;
    }
    kit.folders = env.corpusFolders();
    if (kit.folders.isEmpty()) {
        kit.error = QStringLiteral("cannot read the corpus manifest %1")
                        .arg(env.value(QStringLiteral("TANDEM_KIT_CORPUS_MANIFEST")));
        return kit;
    }
    if (!kit.folders.contains(QStringLiteral("Showcase")))
        kit.error = QStringLiteral(
            "the kit's corpus has no Showcase folder (tools/testkit/make_corpus.py, profile small)");
    return kit;
}

QString newStorePath()
{
    static QTemporaryDir stores;
    static int made = 0;
    return stores.filePath(QStringLiteral("store-%1/mail.sqlite").arg(++made));
}

QByteArray uniqueMessage(const QString &subject)
{
    return "From: Tester <tester@example.com>\r\nTo: alice@example.org\r\nSubject: " + subject.toUtf8()
        + "\r\nMessage-ID: <" + QUuid::createUuid().toByteArray(QUuid::WithoutBraces)
        + "@example.com>\r\nDate: Mon, 18 Mar 2024 10:00:00 +0000\r\n\r\nBody.\r\n";
}

std::unique_ptr<ui::MainWindow> connectedWindow(const KitAccount &kit, const QString &folder, quint32 uid,
                                                quint32 pageSize, const QString &storePath)
{
    auto window = std::make_unique<ui::MainWindow>();
    window->openStore(storePath.isEmpty() ? newStorePath() : storePath);
    if (pageSize > 0)
        window->messageListModel()->setPageSize(pageSize);
    window->openAtStart(folder, uid);
    window->show();
    window->connectAccount(kit.demo.settings, kit.demo.password);
    return window;
}

} // namespace tandem::test
