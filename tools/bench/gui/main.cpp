// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// tandem-bench-gui: how long the GUI thread stalls while "Download folder"
// fetches a whole folder (issue 6). The real MainWindow (folders, the paged
// message list, message view, Connections dock, FolderDownload), connected to
// the kit; a 5 ms timer probe on the GUI thread; the message list scrolled
// continuously meanwhile (pages are listed as it reaches the end). Prints one
// JSON object. --simple-list: instead a bare window with a QListView over the
// folder's summaries (the stand-in used before MainWindow existed).

#include <QAction>
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QJsonObject>
#include <QListView>
#include <QMainWindow>
#include <QPlainTextEdit>
#include <QPointer>
#include <QScrollBar>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <cstdio>
#include <ctime>
#include <functional>
#include <memory>

#include "mailcore/imapclient/imapclient.h"
#include "mailcore/store/mailstore.h"
#include "slowevents.h"
#include "stallprobe.h"
#include "summarymodel.h"
#include "ui/account/account.h"
#include "ui/compose/composeactions.h"
#include "ui/compose/composer.h"
#include "ui/connections/connectionsdock.h"
#include "ui/connections/connectionsmodel.h"
#include "ui/download/folderdownload.h"
#include "ui/mainwindow.h"
#include "ui/messages/messageactions.h"
#include "ui/messages/messagelistmodel.h"
#include "ui/sync/accountsync.h"

namespace {

void fail(const QString &message)
{
    std::fprintf(stderr, "tandem-bench-gui: %s\n", qPrintable(message));
    std::exit(2);
}

/// CPU time the calling thread has used, in ms: what the GUI thread spends
/// per run, steadier than the stalls, which also count waiting for a CPU.
double threadCpuMs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    tandem::bench::SlowEventApplication app(argc, argv);
    QCommandLineParser args;
    args.setApplicationDescription(QStringLiteral("GUI-thread stalls during Download folder. The password is read "
                                                  "from $TANDEM_BENCH_PASSWORD."));
    args.addHelpOption();
    const QCommandLineOption host(QStringLiteral("host"), QStringLiteral("IMAPS host"), QStringLiteral("host"),
                                  QStringLiteral("127.0.0.1"));
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("IMAPS port"), QStringLiteral("port"));
    const QCommandLineOption ca(QStringLiteral("ca"), QStringLiteral("extra CA certificate (PEM)"),
                                QStringLiteral("file"));
    const QCommandLineOption user(QStringLiteral("user"), QStringLiteral("user"), QStringLiteral("user"));
    const QCommandLineOption folder(QStringLiteral("folder"), QStringLiteral("folder to download"),
                                    QStringLiteral("name"), QStringLiteral("Bench"));
    const QCommandLineOption limit(QStringLiteral("limit"), QStringLiteral("maxConnectionsPerServer"),
                                   QStringLiteral("n"), QStringLiteral("10"));
    const QCommandLineOption probeMs(QStringLiteral("probe-ms"), QStringLiteral("probe interval"), QStringLiteral("ms"),
                                     QStringLiteral("5"));
    const QCommandLineOption scrollMs(QStringLiteral("scroll-ms"), QStringLiteral("scroll step interval"),
                                      QStringLiteral("ms"), QStringLiteral("16"));
    const QCommandLineOption scrollRows(QStringLiteral("scroll-rows"), QStringLiteral("rows per scroll step"),
                                        QStringLiteral("n"), QStringLiteral("3"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
                                        QStringLiteral("save the window as PNG mid-download"), QStringLiteral("file"));
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
    const QCommandLineOption reportEvents(QStringLiteral("report-events-ms"),
                                          QStringLiteral("write every event the GUI thread took longer than this to "
                                                         "deliver to stderr (receiver, type)"),
                                          QStringLiteral("ms"), QStringLiteral("0"));
    const QCommandLineOption simpleList(QStringLiteral("simple-list"),
                                        QStringLiteral("a bare window with a QListView instead of the MainWindow"));
    const QCommandLineOption timeout(QStringLiteral("timeout-s"), QStringLiteral("give up after"), QStringLiteral("s"),
                                     QStringLiteral("600"));
    const QCommandLineOption duringSync(
        QStringLiteral("during-sync"),
        QStringLiteral(
            "measure the folder's first sync into a new store instead of a download, while the user "
            "scrolls, clicks a row and flags it and types in a composer every --act-ms (needs --smtp-port)"));
    const QCommandLineOption actMs(QStringLiteral("act-ms"), QStringLiteral("--during-sync: how often the user acts"),
                                   QStringLiteral("ms"), QStringLiteral("100"));
    const QCommandLineOption smtpPort(QStringLiteral("smtp-port"), QStringLiteral("SMTPS port (a composer can open)"),
                                      QStringLiteral("port"));
    args.addOptions({host,         port,       ca,         user,         folder,   limit,        probeMs,
                     scrollMs,     scrollRows, screenshot, screenshotAt, baseline, clientThread, reportGaps,
                     reportEvents, simpleList, timeout,    duringSync,   smtpPort, actMs});
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
    const QString folderName = args.value(folder);
    const QString password = qEnvironmentVariable("TANDEM_BENCH_PASSWORD");
    const int connectionLimit = args.value(limit).toInt();
    const bool simple = args.isSet(simpleList);

    // What the measurement needs from either window; the dock and the
    // download widget are looked up once the window has made them.
    QWidget *window = nullptr;
    QAbstractItemView *list = nullptr;
    tandem::ui::ConnectionsDock *dock = nullptr;
    tandem::ui::FolderDownload *download = nullptr;
    std::function<void()> startDownload;
    // The download keeps what it fetches in a store: a new one per run, so
    // every run fetches the whole folder.
    QTemporaryDir storeDir;
    const QString storePath = storeDir.filePath(QStringLiteral("mail.sqlite"));
    std::unique_ptr<mailcore::store::MailStore> ownStore;
    std::unique_ptr<tandem::ui::AccountSync> ownSync;

    // --simple-list: the stand-in window, with a client of its own.
    std::unique_ptr<mailcore::ImapClient> ownClient;
    QThread monitorThread;
    std::unique_ptr<QMainWindow> simpleWindow;
    // Otherwise: the real MainWindow, which makes its account's client.
    std::unique_ptr<tandem::ui::MainWindow> mainWindow;
    tandem::ui::AccountSettings settings;

    if (simple) {
        ownClient = std::make_unique<mailcore::ImapClient>(endpoint, args.value(user), password);
        if (const mailcore::Error e = ownClient->setMaxConnectionsPerServer(connectionLimit); e.isError())
            fail(e.toString());
        if (args.isSet(clientThread)) {
            monitorThread.setObjectName(QStringLiteral("mail-client"));
            monitorThread.start();
            ownClient->moveToThread(&monitorThread);
        }
        simpleWindow = std::make_unique<QMainWindow>();
        simpleWindow->setWindowTitle(QStringLiteral("Tandem: Download folder benchmark"));
        auto *view = new QListView;
        view->setUniformItemSizes(true); // what a 10,000-row list needs
        simpleWindow->setCentralWidget(view);
        dock = new tandem::ui::ConnectionsDock(ownClient.get(), simpleWindow.get());
        simpleWindow->addDockWidget(Qt::RightDockWidgetArea, dock);
        auto opened = mailcore::store::MailStore::open(storePath);
        if (!opened)
            fail(opened.error().toString());
        ownStore = std::move(opened.value());
        const qint64 accountId = tandem::ui::Account::storedAccountId(*ownStore, settings);
        ownSync = std::make_unique<tandem::ui::AccountSync>(*ownStore, *ownClient, accountId);
        download = new tandem::ui::FolderDownload(ownSync.get());
        simpleWindow->statusBar()->addPermanentWidget(download, 1);
        simpleWindow->resize(1280, 800);
        simpleWindow->resizeDocks({dock}, {600}, Qt::Horizontal);
        window = simpleWindow.get();
        list = view;
        startDownload = [&] { download->start(folderName); };
    } else {
        if (args.isSet(clientThread))
            fail(QStringLiteral("--client-thread needs --simple-list (MainWindow owns its client)"));
        settings.host = endpoint.host;
        settings.port = endpoint.port;
        settings.security = mailcore::Security::ImplicitTls;
        settings.user = args.value(user);
        settings.maxConnectionsPerServer = connectionLimit;
        settings.extraCaPem = endpoint.tls.extraCaCertificatesPem;
        if (args.isSet(smtpPort)) {
            settings.smtpHost = endpoint.host;
            settings.smtpPort = quint16(args.value(smtpPort).toUInt());
            settings.fromAddress = settings.user + QStringLiteral("@example.org");
        }
        mainWindow = std::make_unique<tandem::ui::MainWindow>();
        if (const mailcore::Error e = mainWindow->openStore(storePath); e.isError())
            fail(e.toString());
        mainWindow->resize(1280, 800);
        mainWindow->openAtStart(folderName);
        window = mainWindow.get();
        list = mainWindow->messageListView();
        // The toolbar action a user would press, on the folder now open.
        startDownload = [&] { mainWindow->downloadAction()->trigger(); };
    }
    window->show();

    tandem::bench::StallProbe probe(args.value(probeMs).toInt());
    probe.setReportGapsOverMs(args.value(reportGaps).toDouble());
    app.setReportOverMs(args.value(reportEvents).toDouble());
    QTimer scroller;
    scroller.setInterval(args.value(scrollMs).toInt());
    const int rowsPerStep = args.value(scrollRows).toInt();
    qint64 scrolledRows = 0;
    int mostBusy = 0;
    QObject::connect(&scroller, &QTimer::timeout, [&] {
        QScrollBar *bar = list->verticalScrollBar();
        // Both lists scroll per item: one unit is one row. At the end the
        // MainWindow's list asks for its next page; wrap only when it has all.
        const int next = bar->value() + rowsPerStep;
        const bool more = list->model() && list->model()->canFetchMore({});
        bar->setValue(next <= bar->maximum() ? next : more ? bar->maximum() : 0);
        scrolledRows += rowsPerStep;
        if (dock)
            mostBusy = std::max(mostBusy, dock->model()->busyCount());
    });

    // --during-sync: what a user does meanwhile. Every --act-ms a click on a
    // row in view and its flag toggled (S), and a few characters typed in a
    // composer opened at the start.
    QTimer userActs;
    userActs.setInterval(args.value(actMs).toInt());
    QPointer<tandem::ui::Composer> composer;
    int clicks = 0;
    QObject::connect(&userActs, &QTimer::timeout, [&] {
        if (!mainWindow)
            return;
        if (!composer && mainWindow->composeActions()->newMessage()->isEnabled()) {
            QObject::connect(mainWindow->composeActions(), &tandem::ui::ComposeActions::composerOpened, window,
                             [&](tandem::ui::Composer *opened) { composer = opened; });
            mainWindow->composeActions()->newMessage()->trigger();
        }
        if (composer)
            composer->textField()->insertPlainText(QStringLiteral("typing "));
        QAbstractItemModel *model = list->model();
        if (!model || model->rowCount() == 0)
            return;
        const QModelIndex at = list->indexAt(list->viewport()->rect().center());
        list->setCurrentIndex(at.isValid() ? at : model->index(0, 0));
        mainWindow->messageActions()->toggleFlag()->trigger();
        ++clicks;
    });

    const double shotAt = args.value(screenshotAt).toDouble();
    bool shot = !args.isSet(screenshot);
    int lastDone = 0;
    int lastTotal = 0;
    QElapsedTimer downloading;
    double cpuAtStartMs = 0;
    int exitCode = 0;
    bool reported = false;
    const auto report = [&](bool cancelled, const QString &error) {
        // Once: quit() ends the loop only after the events already queued,
        // and one may be another report (the open folder is synced once more
        // when its IDLE comes in place: "nothing synced" overwrote a good run).
        if (reported)
            return;
        reported = true;
        const qint64 ms = downloading.elapsed();
        probe.stop();
        scroller.stop();
        userActs.stop();
        QJsonObject out;
        out.insert(QStringLiteral("window"), simple ? QStringLiteral("simple-list") : QStringLiteral("MainWindow"));
        out.insert(QStringLiteral("folder"), folderName);
        out.insert(QStringLiteral("messages"), lastDone);
        out.insert(QStringLiteral("total"), lastTotal);
        out.insert(QStringLiteral("seconds"), ms / 1000.0);
        out.insert(QStringLiteral("gui_cpu_ms"), threadCpuMs() - cpuAtStartMs);
        out.insert(QStringLiteral("probe_ms"), args.value(probeMs).toInt());
        out.insert(QStringLiteral("ticks"), probe.ticks());
        out.insert(QStringLiteral("longest_gap_ms"), probe.longestGapMs());
        out.insert(QStringLiteral("longest_gap_at_ms"), probe.longestGapAtMs());
        out.insert(QStringLiteral("p99_gap_ms"), probe.percentileGapMs(0.99));
        out.insert(QStringLiteral("p50_gap_ms"), probe.percentileGapMs(0.5));
        out.insert(QStringLiteral("gaps_over_50ms"), probe.gapsLongerThan(50));
        out.insert(QStringLiteral("gaps_over_20ms"), probe.gapsLongerThan(20));
        out.insert(QStringLiteral("rows_scrolled"), scrolledRows);
        out.insert(QStringLiteral("list_rows"), list->model() ? list->model()->rowCount() : 0);
        out.insert(QStringLiteral("most_connections_busy"), mostBusy);
        out.insert(QStringLiteral("platform"), QGuiApplication::platformName());
        out.insert(QStringLiteral("baseline"), args.isSet(baseline));
        out.insert(QStringLiteral("client_thread"), args.isSet(clientThread));
        out.insert(QStringLiteral("during"),
                   args.isSet(duringSync) ? QStringLiteral("sync") : QStringLiteral("download"));
        out.insert(QStringLiteral("clicks"), clicks);
        out.insert(QStringLiteral("typed"), composer ? composer->textField()->toPlainText().size() : 0);
        out.insert(QStringLiteral("ok"),
                   !cancelled && error.isEmpty() && (args.isSet(baseline) || (lastDone == lastTotal && lastTotal > 0)));
        if (!error.isEmpty())
            out.insert(QStringLiteral("error"), error);
        std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
        std::fflush(stdout);
        exitCode = out.value(QStringLiteral("ok")).toBool() ? 0 : 1;
        QCoreApplication::quit();
    };

    // The folder is listed and on screen: measure from here.
    bool begun = false;
    const auto begin = [&] {
        if (begun)
            return;
        begun = true;
        if (!dock)
            dock = window->findChild<tandem::ui::ConnectionsDock *>();
        if (!download)
            download = window->findChild<tandem::ui::FolderDownload *>();
        if (!dock || !download)
            fail(QStringLiteral("the window has no Connections dock or Folder download"));
        if (args.isSet(duringSync)) {
            std::fprintf(stderr, "tandem-bench-gui: syncing %s into a new store\n", qPrintable(folderName));
            probe.start();
            scroller.start();
            userActs.start();
            downloading.start();
            cpuAtStartMs = threadCpuMs();
            return; // report() once the folder is synced
        }
        QObject::connect(download, &tandem::ui::FolderDownload::progress, window, [&](int done, int total) {
            lastDone = done;
            lastTotal = total;
            if (!shot && total > 0 && done >= shotAt * total) {
                shot = true;
                window->grab().save(args.value(screenshot));
            }
        });
        QObject::connect(download, &tandem::ui::FolderDownload::finished, window, report);
        std::fprintf(stderr, "tandem-bench-gui: %s open, %d rows listed; downloading\n", qPrintable(folderName),
                     list->model() ? list->model()->rowCount() : 0);
        probe.start();
        scroller.start();
        downloading.start();
        cpuAtStartMs = threadCpuMs();
        if (args.isSet(baseline)) {
            QTimer::singleShot(args.value(baseline).toInt() * 1000, window, [&] { report(false, QString()); });
            return;
        }
        startDownload();
    };

    QFutureWatcher<QList<mailcore::MessageSummary>> summaries;
    if (simple) {
        QObject::connect(&summaries, &QFutureWatcherBase::finished, window, [&] {
            QList<mailcore::MessageSummary> rows;
            try {
                rows = summaries.future().result();
            } catch (const mailcore::MailException &e) {
                fail(QStringLiteral("listing %1: %2").arg(folderName, e.error().toString()));
            }
            list->setModel(new tandem::bench::SummaryModel(std::move(rows), list));
            begin();
        });
        // Once the window is on screen, and the folder's rows are in the
        // store (what the download fetches the bodies of).
        QObject::connect(ownSync.get(), &tandem::ui::AccountSync::folderSynced, window,
                         [&](const mailcore::store::FolderSyncReport &synced) {
                             if (synced.folder == folderName && !summaries.future().isValid())
                                 summaries.setFuture(ownClient->listMessagesAsync(folderName, 1, 0));
                         });
        QTimer::singleShot(200, window, [&] { ownSync->syncAll(folderName); });
    } else {
        QObject::connect(mainWindow.get(), &tandem::ui::MainWindow::connectionFailed, window,
                         [&](const mailcore::Error &e) { fail(QStringLiteral("connecting: %1").arg(e.toString())); });
        QTimer::singleShot(200, window, [&] {
            mainWindow->connectAccount(settings, password);
            if (args.isSet(duringSync)) {
                // From the connection on, until the folder's first sync is committed.
                begin();
                QObject::connect(mainWindow->account()->sync(), &tandem::ui::AccountSync::folderSynced, window,
                                 [&](const mailcore::store::FolderSyncReport &synced) {
                                     if (synced.folder != folderName)
                                         return;
                                     lastDone = lastTotal = synced.added;
                                     report(false, synced.added > 0 ? QString() : QStringLiteral("nothing synced"));
                                 });
                return;
            }
            // Once the folder's rows are all in the store, and so its first page on screen.
            QObject::connect(mainWindow->account()->sync(), &tandem::ui::AccountSync::folderSynced, window,
                             [&](const mailcore::store::FolderSyncReport &synced) {
                                 if (synced.folder == folderName && mainWindow->currentFolder() == folderName)
                                     begin();
                             });
        });
    }

    QTimer::singleShot(args.value(timeout).toInt() * 1000, &app, [] { fail(QStringLiteral("timed out")); });
    const int rc = app.exec();
    if (monitorThread.isRunning()) {
        // Back to this thread, where it is destroyed.
        QMetaObject::invokeMethod(
            ownClient.get(), [&] { ownClient->moveToThread(app.thread()); }, Qt::BlockingQueuedConnection);
        monitorThread.quit();
        monitorThread.wait();
    }
    return rc != 0 ? rc : exitCode;
}
