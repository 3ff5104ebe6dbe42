#include <QApplication>
#include <QCommandLineParser>

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
    parser.process(app);

    tandem::ui::MainWindow window;
    window.show();
    return app.exec();
}
