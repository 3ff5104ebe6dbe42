#include <QApplication>
#include <QCommandLineParser>
#include <QStatusBar>

#include "mailcore/version.h"
#include "ui/mainwindow.h"

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Tandem"));
    QApplication::setOrganizationName(QStringLiteral("Tandem"));
    QApplication::setApplicationVersion(QLatin1String(MAILCORE_VERSION_STRING));
    QApplication::setDesktopFileName(QStringLiteral("org.tandem.Tandem"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Tandem mail client"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demoEnv(QStringLiteral("demo-env"),
                                     QStringLiteral("Connect to the demo servers described in <file> (written by tools/testkit/kit.py)."),
                                     QStringLiteral("file"));
    parser.addOption(demoEnv);
    parser.process(app);

    tandem::ui::MainWindow window;
    if (parser.isSet(demoEnv))
        window.statusBar()->showMessage(QStringLiteral("Demo servers: %1").arg(parser.value(demoEnv)));
    window.show();
    return app.exec();
}
