// tandem-bench-gui: how long the GUI thread stalls while "Download folder"
// fetches a whole folder (issue 6). A real window (message list, Connections
// dock, FolderDownload in the status bar); a 5 ms timer probe on the GUI
// thread; the list scrolled continuously meanwhile. Prints one JSON object.
//
// The message list is a QListView over the folder's summaries: a stand-in
// for the main window's list, which had not landed when this was written.

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QJsonObject>
#include <QListView>
#include <QMainWindow>
#include <QScrollBar>
#include <QStatusBar>
#include <QThread>
#include <QTimer>

#include <cstdio>

#include "mailcore/imapclient.h"
#include "stallprobe.h"
#include "summarymodel.h"
#include "ui/connections/connectionsdock.h"
#include "ui/connections/connectionsmodel.h"
#include "ui/download/folderdownload.h"

namespace {

void fail(const QString &message)
{
    std::fprintf(stderr, "tandem-bench-gui: %s\n", qPrintable(message));
    std::exit(2);
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCommandLineParser args;
    args.setApplicationDescription(QStringLiteral("GUI-thread stalls during Download folder. The password is read "
                                                  "from $TANDEM_BENCH_PASSWORD."));
    args.addHelpOption();
    const QCommandLineOption host(QStringLiteral("host"), QStringLiteral("IMAPS host"), QStringLiteral("host"),
                                  QStringLiteral("127.0.0.1"));
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("IMAPS port"), QStringLiteral("port"));
    const QCommandLineOption ca(QStringLiteral("ca"), QStringLiteral("extra CA certificate (PEM)"), QStringLiteral("file"));
    const QCommandLineOption user(QStringLiteral("user"), QStringLiteral("user"), QStringLiteral("user"));
    const QCommandLineOption folder(QStringLiteral("folder"), QStringLiteral("folder to download"), QStringLiteral("name"),
                                    QStringLiteral("Bench"));
    const QCommandLineOption limit(QStringLiteral("limit"), QStringLiteral("maxConnectionsPerServer"), QStringLiteral("n"),
                                   QStringLiteral("10"));
    const QCommandLineOption probeMs(QStringLiteral("probe-ms"), QStringLiteral("probe interval"), QStringLiteral("ms"),
                                     QStringLiteral("5"));
    const QCommandLineOption scrollMs(QStringLiteral("scroll-ms"), QStringLiteral("scroll step interval"),
                                      QStringLiteral("ms"), QStringLiteral("16"));
    const QCommandLineOption scrollRows(QStringLiteral("scroll-rows"), QStringLiteral("rows per scroll step"),
                                        QStringLiteral("n"), QStringLiteral("3"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"), QStringLiteral("save the window as PNG mid-download"),
                                        QStringLiteral("file"));
    const QCommandLineOption screenshotAt(QStringLiteral("screenshot-at"), QStringLiteral("fraction done when taken"),
                                          QStringLiteral("0..1"), QStringLiteral("0.5"));
    const QCommandLineOption baseline(QStringLiteral("baseline-s"),
                                      QStringLiteral("no download: probe and scroll only, for this long (what the "
                                                     "machine's load alone costs)"),
                                      QStringLiteral("s"));
    const QCommandLineOption clientThread(
        QStringLiteral("client-thread"),
        QStringLiteral("move the ImapClient to a thread of its own, so that its poolChanged() snapshot (which takes "
                       "the pool's and every connection's lock) is not taken on the GUI thread"));
    const QCommandLineOption reportGaps(QStringLiteral("report-gaps-ms"),
                                        QStringLiteral("write every gap longer than this to stderr, with its "
                                                       "CLOCK_MONOTONIC end time"),
                                        QStringLiteral("ms"), QStringLiteral("0"));
    const QCommandLineOption timeout(QStringLiteral("timeout-s"), QStringLiteral("give up after"), QStringLiteral("s"),
                                     QStringLiteral("600"));
    args.addOptions({host, port, ca, user, folder, limit, probeMs, scrollMs, scrollRows, screenshot, screenshotAt, baseline, clientThread, reportGaps, timeout});
    args.process(app);
    if (!args.isSet(port) || !args.isSet(user))
        fail(QStringLiteral("--port and --user are required"));

    mailcore::Endpoint endpoint;
    endpoint.host = args.value(host);
    endpoint.port = quint16(args.value(port).toUInt());
    if (args.isSet(ca)) {
        QFile file(args.value(ca));
        if (!file.open(QIODevice::ReadOnly))
            fail(QStringLiteral("cannot read %1").arg(args.value(ca)));
        endpoint.tls.extraCaCertificatesPem = {file.readAll()};
    }
    mailcore::ImapClient client(endpoint, args.value(user), qEnvironmentVariable("TANDEM_BENCH_PASSWORD"));
    if (const mailcore::Error e = client.setMaxConnectionsPerServer(args.value(limit).toInt()); e.isError())
        fail(e.toString());
    const QString folderName = args.value(folder);
    QThread monitorThread;
    monitorThread.setObjectName(QStringLiteral("mail-client"));
    if (args.isSet(clientThread)) {
        monitorThread.start();
        client.moveToThread(&monitorThread);
    }

    // The window a user would watch: list, Connections dock, download bar.
    QMainWindow window;
    window.setWindowTitle(QStringLiteral("Tandem: Download folder benchmark"));
    auto *list = new QListView;
    list->setUniformItemSizes(true); // what a 10,000-row list needs
    window.setCentralWidget(list);
    auto *dock = new tandem::ui::ConnectionsDock(&client, &window);
    window.addDockWidget(Qt::RightDockWidgetArea, dock);
    auto *download = new tandem::ui::FolderDownload(&client);
    window.statusBar()->addPermanentWidget(download, 1);
    window.resize(1280, 800);
    window.resizeDocks({dock}, {600}, Qt::Horizontal);
    window.show();

    tandem::bench::StallProbe probe(args.value(probeMs).toInt());
    probe.setReportGapsOverMs(args.value(reportGaps).toDouble());
    QTimer scroller;
    scroller.setInterval(args.value(scrollMs).toInt());
    const int rowsPerStep = args.value(scrollRows).toInt();
    qint64 scrolledRows = 0;
    QObject::connect(&scroller, &QTimer::timeout, [&] {
        QScrollBar *bar = list->verticalScrollBar();
        // QListView with uniform sizes scrolls by rows: one unit is one row.
        const int next = bar->value() + rowsPerStep;
        bar->setValue(next > bar->maximum() ? 0 : next);
        scrolledRows += rowsPerStep;
    });

    int mostBusy = 0;
    QObject::connect(&client, &mailcore::ImapClient::poolChanged, &window,
                     [&] { mostBusy = std::max(mostBusy, dock->model()->busyCount()); });

    const double shotAt = args.value(screenshotAt).toDouble();
    bool shot = !args.isSet(screenshot);
    int lastDone = 0;
    int lastTotal = 0;
    QObject::connect(download, &tandem::ui::FolderDownload::progress, &window, [&](int done, int total) {
        lastDone = done;
        lastTotal = total;
        if (!shot && total > 0 && done >= shotAt * total) {
            shot = true;
            window.grab().save(args.value(screenshot));
        }
    });

    QElapsedTimer listing;
    QElapsedTimer downloading;
    QFutureWatcher<QList<mailcore::MessageSummary>> summaries;
    QObject::connect(&summaries, &QFutureWatcherBase::finished, &window, [&] {
        QList<mailcore::MessageSummary> rows;
        try {
            rows = summaries.future().result();
        } catch (const mailcore::MailException &e) {
            fail(QStringLiteral("listing %1: %2").arg(folderName, e.error().toString()));
        }
        list->setModel(new tandem::bench::SummaryModel(std::move(rows), list));
        std::fprintf(stderr, "tandem-bench-gui: %lld summaries listed in %lld ms; downloading\n",
                     static_cast<long long>(list->model()->rowCount()), static_cast<long long>(listing.elapsed()));
        probe.start();
        scroller.start();
        downloading.start();
        if (args.isSet(baseline)) {
            QTimer::singleShot(args.value(baseline).toInt() * 1000, &window, [&] {
                Q_EMIT download->finished(false, QString()); // the report below, with no download
            });
            return;
        }
        download->start(folderName);
    });

    int exitCode = 0;
    QObject::connect(download, &tandem::ui::FolderDownload::finished, &window, [&](bool cancelled, const QString &error) {
        const qint64 ms = downloading.elapsed();
        probe.stop();
        scroller.stop();
        QJsonObject out;
        out.insert(QStringLiteral("folder"), folderName);
        out.insert(QStringLiteral("messages"), lastDone);
        out.insert(QStringLiteral("total"), lastTotal);
        out.insert(QStringLiteral("seconds"), ms / 1000.0);
        out.insert(QStringLiteral("probe_ms"), args.value(probeMs).toInt());
        out.insert(QStringLiteral("ticks"), probe.ticks());
        out.insert(QStringLiteral("longest_gap_ms"), probe.longestGapMs());
        out.insert(QStringLiteral("longest_gap_at_ms"), probe.longestGapAtMs());
        out.insert(QStringLiteral("p99_gap_ms"), probe.percentileGapMs(0.99));
        out.insert(QStringLiteral("p50_gap_ms"), probe.percentileGapMs(0.5));
        out.insert(QStringLiteral("gaps_over_50ms"), probe.gapsLongerThan(50));
        out.insert(QStringLiteral("gaps_over_20ms"), probe.gapsLongerThan(20));
        out.insert(QStringLiteral("rows_scrolled"), scrolledRows);
        out.insert(QStringLiteral("most_connections_busy"), mostBusy);
        out.insert(QStringLiteral("platform"), QGuiApplication::platformName());
        out.insert(QStringLiteral("baseline"), args.isSet(baseline));
        out.insert(QStringLiteral("client_thread"), args.isSet(clientThread));
        out.insert(QStringLiteral("ok"), !cancelled && error.isEmpty()
                                             && (args.isSet(baseline) || (lastDone == lastTotal && lastTotal > 0)));
        if (!error.isEmpty())
            out.insert(QStringLiteral("error"), error);
        std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
        std::fflush(stdout);
        exitCode = out.value(QStringLiteral("ok")).toBool() ? 0 : 1;
        QCoreApplication::quit();
    });

    QTimer::singleShot(args.value(timeout).toInt() * 1000, &app, [] { fail(QStringLiteral("timed out")); });
    // Wait for the window to be on screen before anything starts.
    QTimer::singleShot(200, &window, [&] {
        listing.start();
        summaries.setFuture(client.listMessagesAsync(folderName, 1, 0));
    });
    const int rc = app.exec();
    if (monitorThread.isRunning()) {
        // Back to this thread, where it is destroyed.
        QMetaObject::invokeMethod(&client, [&] { client.moveToThread(app.thread()); }, Qt::BlockingQueuedConnection);
        monitorThread.quit();
        monitorThread.wait();
    }
    return rc != 0 ? rc : exitCode;
}
