// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include <memory>
#include <utility>

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QMessageBox>
#include <QTimer>

#include "mailcore/version.h"
#include "ui/account/demoaccount.h"
#include "ui/mainwindow.h"

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Tandem"));
    QApplication::setOrganizationName(QStringLiteral("Tandem"));
    QApplication::setApplicationVersion(QLatin1String(MAILCORE_VERSION_STRING));
    QApplication::setDesktopFileName(QStringLiteral("org.tandem.Tandem"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/org/tandem/Tandem/icons/tandem.ico")));
    // Outside a desktop session Qt knows no icon theme; use a common one when installed.
    QIcon::setFallbackThemeName(QStringLiteral("Adwaita"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Tandem mail client"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demoEnv(
        QStringLiteral("demo-env"),
        QStringLiteral("Connect to the demo servers described in <file> (written by tools/testkit/kit.py)."),
        QStringLiteral("file"));
    const QCommandLineOption untrustedCa(
        QStringLiteral("untrusted-demo-ca"),
        QStringLiteral("Do not trust the demo's own CA: shows the certificate question first."));
    const QCommandLineOption folder(QStringLiteral("folder"), QStringLiteral("Open <folder> first (default INBOX)."),
                                    QStringLiteral("folder"));
    const QCommandLineOption message(QStringLiteral("message"),
                                     QStringLiteral("Open the message with <uid> of that folder."),
                                     QStringLiteral("uid"));
    const QCommandLineOption startDownload(QStringLiteral("start-download"),
                                           QStringLiteral("Run \"Download folder\" on <folder> once it is open."),
                                           QStringLiteral("folder"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Save the window to <png> and quit: after --screenshot-delay, or with "
                       "--start-download once a third of the folder is fetched."),
        QStringLiteral("png"));
    const QCommandLineOption screenshotDelay(QStringLiteral("screenshot-delay"),
                                             QStringLiteral("Milliseconds before the screenshot (default 4000)."),
                                             QStringLiteral("ms"), QStringLiteral("4000"));
    parser.addOptions({demoEnv, untrustedCa, folder, message, startDownload, screenshot, screenshotDelay});
    parser.process(app);

    tandem::ui::MainWindow window;
    if (parser.isSet(startDownload)) {
        window.openAtStart(parser.value(startDownload));
        window.downloadAtStart(parser.value(startDownload));
    }
    if (parser.isSet(folder))
        window.openAtStart(parser.value(folder), parser.value(message).toUInt());
    window.show();
    if (parser.isSet(demoEnv)) {
        const auto demo = tandem::ui::DemoAccount::fromKitEnv(parser.value(demoEnv), !parser.isSet(untrustedCa));
        if (!demo.isValid()) {
            QMessageBox::critical(&window, QStringLiteral("Tandem"), demo.error);
            return 1;
        }
        window.connectAccount(demo.settings, demo.password);
    }
    if (parser.isSet(screenshot)) {
        const QString path = parser.value(screenshot);
        auto taken = std::make_shared<bool>(false);
        auto shoot = [&window, path, taken] {
            if (std::exchange(*taken, true))
                return; // once: progress keeps coming until the loop ends
            QCoreApplication::exit(window.saveScreenshot(path) ? 0 : 2);
        };
        if (parser.isSet(startDownload)) {
            // During the download: once a third is in, so the pool is busy and the bar half way.
            QObject::connect(&window, &tandem::ui::MainWindow::downloadProgress, &window, [shoot](int done, int total) {
                if (total > 0 && done * 3 >= total)
                    shoot();
            });
            QTimer::singleShot(std::chrono::minutes(5), &window, shoot); // never hang a script
        } else {
            QTimer::singleShot(parser.value(screenshotDelay).toInt(), &window, shoot);
        }
    }
    return app.exec();
}
