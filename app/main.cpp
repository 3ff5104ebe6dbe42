// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include <memory>
#include <utility>

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QMessageBox>
#include <QTimer>
#include <QUrl>

#include "mailcore/version.h"
#include "resources/icons.h"
#include "ui/account/demoaccount.h"
#include "ui/mainwindow.h"

namespace {

/// The command line: Tandem's own options beside Qt's --help and --version.
struct Options {
    QCommandLineOption demoEnv{
        QStringLiteral("demo-env"),
        QStringLiteral("Connect to the demo servers described in <file> (written by tools/testkit/kit.py)."),
        QStringLiteral("file")};
    QCommandLineOption untrustedCa{
        QStringLiteral("untrusted-demo-ca"),
        QStringLiteral("Do not trust the demo's own CA: shows the certificate question first.")};
    QCommandLineOption store{QStringLiteral("store"),
                             QStringLiteral("Keep mail in the store <file> (default: mail.sqlite in the application's "
                                            "data folder; with --demo-env, in tandem-store beside the demo's file)."),
                             QStringLiteral("file")};
    QCommandLineOption folder{QStringLiteral("folder"), QStringLiteral("Open <folder> first (default INBOX)."),
                              QStringLiteral("folder")};
    QCommandLineOption message{QStringLiteral("message"), QStringLiteral("Open the message with <uid> of that folder."),
                               QStringLiteral("uid")};
    QCommandLineOption startDownload{QStringLiteral("start-download"),
                                     QStringLiteral("Run \"Download folder\" on <folder> once it is open."),
                                     QStringLiteral("folder")};
    QCommandLineOption screenshot{QStringLiteral("screenshot"),
                                  QStringLiteral("Save the window to <png> and quit: after --screenshot-delay, or with "
                                                 "--start-download once a third of the folder is fetched."),
                                  QStringLiteral("png")};
    QCommandLineOption screenshotDelay{QStringLiteral("screenshot-delay"),
                                       QStringLiteral("Milliseconds before the screenshot (default 4000)."),
                                       QStringLiteral("ms"), QStringLiteral("4000")};
    QCommandLineParser parser;

    Options()
    {
        parser.setApplicationDescription(QStringLiteral("Tandem mail client"));
        parser.addHelpOption();
        parser.addVersionOption();
        parser.addPositionalArgument(QStringLiteral("mailto"),
                                     QStringLiteral("A mailto: link (RFC 6068) to write a message to."),
                                     QStringLiteral("[mailto:...]"));
        parser.addOptions({demoEnv, untrustedCa, store, folder, message, startDownload, screenshot, screenshotDelay});
    }
};

/// --help and --version only print, so they need no display: they answer in a
/// terminal without one (over ssh, in a package check).
bool onlyPrints(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const QByteArrayView arg(argv[i]);
        if (arg == "-h" || arg == "--help" || arg == "--help-all" || arg == "-v" || arg == "--version")
            return true;
    }
    return false;
}

void nameTheApplication()
{
    QCoreApplication::setApplicationName(QStringLiteral("Tandem"));
    QCoreApplication::setOrganizationName(QStringLiteral("Tandem"));
    QCoreApplication::setApplicationVersion(QLatin1String(MAILCORE_VERSION_STRING));
}

} // namespace

int main(int argc, char *argv[])
{
    if (onlyPrints(argc, argv)) {
        QCoreApplication app(argc, argv);
        nameTheApplication();
        Options().parser.process(app); // prints and exits
        return 0;
    }
    QApplication app(argc, argv);
    nameTheApplication();
    QGuiApplication::setDesktopFileName(QStringLiteral("org.tandem.Tandem"));
    tandem::resources::useTandemIcons();

    Options options;
    QCommandLineParser &parser = options.parser;
    parser.process(app);

    tandem::ui::MainWindow window;
    for (const QString &argument : parser.positionalArguments()) {
        if (argument.startsWith(QLatin1String("mailto:"), Qt::CaseInsensitive))
            window.composeAtStart(QUrl(argument)); // once the account can send
    }
    if (parser.isSet(options.store))
        window.openStore(parser.value(options.store)); // a failure is shown in the window
    else if (parser.isSet(options.demoEnv))
        // The demo's mail lives beside the demo's servers: each demo (new
        // servers, new ports, its own mail) starts with a store of its own,
        // and the user's own store never gets a demo account.
        window.openStore(QFileInfo(parser.value(options.demoEnv)).absolutePath()
                         + QStringLiteral("/tandem-store/mail.sqlite"));
    if (parser.isSet(options.startDownload)) {
        window.openAtStart(parser.value(options.startDownload));
        window.downloadAtStart(parser.value(options.startDownload));
    }
    if (parser.isSet(options.folder))
        window.openAtStart(parser.value(options.folder), parser.value(options.message).toUInt());
    window.show();
    if (parser.isSet(options.demoEnv)) {
        const auto demo = tandem::ui::DemoAccount::fromKitEnv(parser.value(options.demoEnv),
                                                              !parser.isSet(options.untrustedCa));
        if (!demo.isValid()) {
            QMessageBox::critical(&window, QStringLiteral("Tandem"), demo.error);
            return 1;
        }
        window.connectAccount(demo.settings, demo.password);
    } else if (!window.restoreAccounts()) {
        window.showSetupWizard(); // a first start: which account?
    }
    if (parser.isSet(options.screenshot)) {
        const QString path = parser.value(options.screenshot);
        auto taken = std::make_shared<bool>(false);
        auto shoot = [&window, path, taken] {
            if (std::exchange(*taken, true))
                return; // once: progress keeps coming until the loop ends
            QCoreApplication::exit(window.saveScreenshot(path) ? 0 : 2);
        };
        if (parser.isSet(options.startDownload)) {
            // During the download: once a third is in, so the pool is busy and the bar half way.
            QObject::connect(&window, &tandem::ui::MainWindow::downloadProgress, &window, [shoot](int done, int total) {
                if (total > 0 && done * 3 >= total)
                    shoot();
            });
            QTimer::singleShot(std::chrono::minutes(5), &window, shoot); // never hang a script
        } else {
            QTimer::singleShot(parser.value(options.screenshotDelay).toInt(), &window, shoot);
        }
    }
    return app.exec();
}
