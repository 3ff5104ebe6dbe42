// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// tandem-delayproxy: a loopback TCP byte proxy that adds latency.
//
//   tandem-delayproxy --target-port PORT [--delay-ms 5] [--up-delay-ms N]
//                     [--down-delay-ms N] [--listen-port 0] [--threads 2]
//                     [--max-seconds 3600]
//
// Listens on 127.0.0.1 (port 0 by default: the kernel picks one) and prints
// "PORT <n>" as the first line of stdout. Every accepted connection gets its
// own connection to 127.0.0.1:<target-port>. Each chunk read from one side is
// stamped with its arrival time and written to the other side exactly
// <delay> later (one precise single-shot QTimer per direction, re-armed for
// the oldest pending chunk), so order is kept per direction and bandwidth is
// not limited beyond the delay: many chunks can be "on the wire" at once, as
// on a long fat link. Default 5 ms each way = 10 ms added round trip.
// TLS passes through untouched: only bytes are moved.
//
// No back-pressure: a slow reader makes the proxy buffer in memory (fine for
// benchmarks on loopback). Connections are spread round-robin over --threads
// worker threads. The process ends after --max-seconds (bounded life), or on
// SIGTERM/SIGINT.

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <cstdio>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

namespace {

QElapsedTimer g_clock; // started once in main; read from every thread (monotonic, const)

// One direction of one connection: src -> (delay) -> dst.
class Pipe : public QObject
{
public:
    Pipe(QTcpSocket *src, QTcpSocket *dst, qint64 delayNs, QObject *parent)
        : QObject(parent)
        , m_src(src)
        , m_dst(dst)
        , m_delayNs(delayNs)
    {
        m_timer.setSingleShot(true);
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, &Pipe::release);
    }

    void start()
    {
        connect(m_src, &QTcpSocket::readyRead, this, &Pipe::onReadyRead);
        connect(m_src, &QTcpSocket::disconnected, this, &Pipe::onSourceClosed);
        onReadyRead(); // whatever arrived before we were wired up
        if (m_src->state() != QAbstractSocket::ConnectedState)
            onSourceClosed();
    }

    bool finished() const { return m_finished; }
    std::function<void()> onFinished;

private:
    struct Chunk {
        qint64 dueNs;
        QByteArray data;
    };

    void onReadyRead()
    {
        if (m_src->bytesAvailable() <= 0)
            return;
        const qint64 now = g_clock.nsecsElapsed();
        m_queue.push_back({now + m_delayNs, m_src->readAll()});
        if (!m_timer.isActive())
            arm();
    }

    void onSourceClosed()
    {
        onReadyRead();
        m_sourceClosed = true;
        if (!m_timer.isActive())
            arm();
    }

    void arm()
    {
        if (m_queue.empty()) {
            if (m_sourceClosed && !m_finished) {
                m_finished = true;
                m_dst->disconnectFromHost(); // flushes what is still in the write buffer first
                if (onFinished)
                    onFinished();
            }
            return;
        }
        const qint64 waitNs = m_queue.front().dueNs - g_clock.nsecsElapsed();
        if (waitNs <= 100'000) { // due (within 0.1 ms): send now
            release();
            return;
        }
        m_timer.start(int((waitNs + 999'999) / 1'000'000)); // whole ms, rounded up: never early
    }

    void release()
    {
        const qint64 now = g_clock.nsecsElapsed();
        while (!m_queue.empty() && m_queue.front().dueNs <= now + 100'000) {
            if (m_dst->state() == QAbstractSocket::ConnectedState)
                m_dst->write(m_queue.front().data);
            m_queue.pop_front();
        }
        arm();
    }

    QTcpSocket *m_src;
    QTcpSocket *m_dst;
    qint64 m_delayNs;
    QTimer m_timer;
    std::deque<Chunk> m_queue;
    bool m_sourceClosed = false;
    bool m_finished = false;
};

// One proxied connection; lives in a worker thread and deletes itself when
// both directions are done.
class Connection : public QObject
{
public:
    Connection(qintptr descriptor, quint16 targetPort, qint64 upNs, qint64 downNs)
        : m_upNs(upNs)
        , m_downNs(downNs)
    {
        m_client = new QTcpSocket(this);
        m_server = new QTcpSocket(this);
        if (!m_client->setSocketDescriptor(descriptor)) {
            deleteLater();
            return;
        }
        m_client->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_server->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        connect(m_server, &QTcpSocket::connected, this, &Connection::onUpstreamConnected);
        connect(m_server, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
            if (!m_up && e != QAbstractSocket::RemoteHostClosedError) { // never connected
                std::fprintf(stderr, "delayproxy: upstream: %s\n", qPrintable(m_server->errorString()));
                m_client->abort();
                deleteLater();
            }
        });
        m_server->connectToHost(QHostAddress::LocalHost, targetPort);
    }

private:
    void onUpstreamConnected()
    {
        m_server->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_up = new Pipe(m_client, m_server, m_upNs, this);
        m_down = new Pipe(m_server, m_client, m_downNs, this);
        m_up->onFinished = [this] { maybeDone(); };
        m_down->onFinished = [this] { maybeDone(); };
        m_up->start();
        m_down->start();
    }

    void maybeDone()
    {
        if (m_up->finished() && m_down->finished()) {
            // give the sockets a moment to flush, then go
            QTimer::singleShot(1000, this, [this] { deleteLater(); });
        }
    }

    qint64 m_upNs, m_downNs;
    QTcpSocket *m_client = nullptr;
    QTcpSocket *m_server = nullptr;
    Pipe *m_up = nullptr;
    Pipe *m_down = nullptr;
};

class Server : public QTcpServer
{
public:
    Server(quint16 targetPort, qint64 upNs, qint64 downNs, int threads)
        : m_targetPort(targetPort)
        , m_upNs(upNs)
        , m_downNs(downNs)
    {
        for (int i = 0; i < threads; ++i) {
            auto *thread = new QThread(this);
            auto *anchor = new QObject; // receiver that lives in the worker thread
            anchor->moveToThread(thread);
            connect(thread, &QThread::finished, anchor, &QObject::deleteLater);
            thread->start();
            m_workers.push_back({thread, anchor});
        }
    }

    ~Server() override
    {
        for (auto &w : m_workers) {
            w.thread->quit();
            w.thread->wait(5000);
        }
    }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        Worker &w = m_workers[m_next++ % m_workers.size()];
        const quint16 port = m_targetPort;
        const qint64 up = m_upNs, down = m_downNs;
        QMetaObject::invokeMethod(
            w.anchor, [=] { new Connection(descriptor, port, up, down); }, Qt::QueuedConnection);
    }

private:
    struct Worker {
        QThread *thread;
        QObject *anchor;
    };
    quint16 m_targetPort;
    qint64 m_upNs, m_downNs;
    std::vector<Worker> m_workers;
    size_t m_next = 0;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    g_clock.start();
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Loopback TCP proxy that delays every chunk in each direction."));
    parser.addHelpOption();
    const QCommandLineOption target(QStringLiteral("target-port"), QStringLiteral("Port on 127.0.0.1 to forward to."),
                                    QStringLiteral("port"));
    const QCommandLineOption delay(QStringLiteral("delay-ms"), QStringLiteral("Delay each way, ms (default 5)."),
                                   QStringLiteral("ms"), QStringLiteral("5"));
    const QCommandLineOption up(QStringLiteral("up-delay-ms"),
                                QStringLiteral("Client-to-server delay (default: --delay-ms)."), QStringLiteral("ms"));
    const QCommandLineOption down(QStringLiteral("down-delay-ms"),
                                  QStringLiteral("Server-to-client delay (default: --delay-ms)."),
                                  QStringLiteral("ms"));
    const QCommandLineOption listen(QStringLiteral("listen-port"),
                                    QStringLiteral("Port to listen on (default 0: any)."), QStringLiteral("port"),
                                    QStringLiteral("0"));
    const QCommandLineOption threads(QStringLiteral("threads"), QStringLiteral("Worker threads (default 2)."),
                                     QStringLiteral("n"), QStringLiteral("2"));
    const QCommandLineOption maxSeconds(QStringLiteral("max-seconds"),
                                        QStringLiteral("Exit after this many seconds (default 3600)."),
                                        QStringLiteral("s"), QStringLiteral("3600"));
    parser.addOptions({target, delay, up, down, listen, threads, maxSeconds});
    parser.process(app);

    bool ok = false;
    const uint targetPort = parser.value(target).toUInt(&ok);
    if (!ok || targetPort == 0 || targetPort > 65535) {
        std::fprintf(stderr, "delayproxy: --target-port PORT is required\n");
        return 2;
    }
    const double delayMs = parser.value(delay).toDouble();
    const double upMs = parser.isSet(up) ? parser.value(up).toDouble() : delayMs;
    const double downMs = parser.isSet(down) ? parser.value(down).toDouble() : delayMs;
    const int threadCount = qBound(1, parser.value(threads).toInt(), 64);

    Server server(quint16(targetPort), qint64(upMs * 1e6), qint64(downMs * 1e6), threadCount);
    server.setMaxPendingConnections(1000);
    if (!server.listen(QHostAddress::LocalHost, quint16(parser.value(listen).toUInt()))) {
        std::fprintf(stderr, "delayproxy: cannot listen: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    std::printf("PORT %u\n", unsigned(server.serverPort()));
    std::fflush(stdout);
    std::fprintf(stderr, "delayproxy: 127.0.0.1:%u -> 127.0.0.1:%u, delay up %.3f ms, down %.3f ms, %d threads\n",
                 unsigned(server.serverPort()), targetPort, upMs, downMs, threadCount);
    QTimer::singleShot(std::chrono::seconds(qMax(1, parser.value(maxSeconds).toInt())), &app, &QCoreApplication::quit);
    return app.exec();
}
