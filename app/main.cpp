#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QMessageBox>

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
    // Outside a desktop session Qt knows no icon theme; use a common one when installed.
    QIcon::setFallbackThemeName(QStringLiteral("Adwaita"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Tandem mail client"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demoEnv(QStringLiteral("demo-env"),
                                     QStringLiteral("Connect to the demo servers described in <file> (written by tools/testkit/kit.py)."),
                                     QStringLiteral("file"));
    const QCommandLineOption untrustedCa(QStringLiteral("untrusted-demo-ca"),
                                         QStringLiteral("Do not trust the demo's own CA: shows the certificate question first."));
    const QCommandLineOption folder(QStringLiteral("folder"), QStringLiteral("Open <folder> first (default INBOX)."),
                                    QStringLiteral("folder"));
    const QCommandLineOption message(QStringLiteral("message"), QStringLiteral("Open the message with <uid> of that folder."),
                                     QStringLiteral("uid"));
    const QCommandLineOption startDownload(QStringLiteral("start-download"),
                                           QStringLiteral("Run \"Download folder\" on <folder> once it is open."),
                                           QStringLiteral("folder"));
    parser.addOptions({demoEnv, untrustedCa, folder, message, startDownload});
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
    return app.exec();
}
