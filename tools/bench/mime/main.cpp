// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// tandem-bench-mime [--repeat N] PATH...
// PATH: an .eml file, an mbox file, or a folder of either (recursively).
// Messages are loaded into memory first, so only parsing is measured.

#include <algorithm>
#include <cstdio>

#include <QCoreApplication>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include "mailcore/mime/message.h"

namespace {

// Splits an mbox at "From " lines (the line itself is not part of the message).
void splitMbox(const QByteArray &data, QList<QByteArray> *out)
{
    qsizetype start = -1;
    qsizetype pos = 0;
    while (pos < data.size()) {
        if (data.mid(pos, 5) == "From ") {
            if (start >= 0)
                out->append(data.mid(start, pos - start));
            const qsizetype nl = data.indexOf('\n', pos);
            if (nl < 0)
                return;
            start = nl + 1;
            pos = start;
            continue;
        }
        const qsizetype nl = data.indexOf('\n', pos);
        if (nl < 0)
            break;
        pos = nl + 1;
    }
    if (start >= 0 && start < data.size())
        out->append(data.mid(start));
}

void load(const QString &path, QList<QByteArray> *out)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return;
    const QByteArray data = file.readAll();
    if (data.startsWith("From "))
        splitMbox(data, out);
    else if (!data.isEmpty())
        out->append(data);
}

struct Run {
    double seconds = 0;
    int errors = 0;
};

template <typename F>
Run measure(const QList<QByteArray> &messages, int repeat, F parseOne)
{
    Run best;
    for (int r = 0; r < repeat; ++r) {
        Run run;
        QElapsedTimer timer;
        timer.start();
        for (const QByteArray &m : messages)
            run.errors += parseOne(m) ? 0 : 1;
        run.seconds = double(timer.nsecsElapsed()) / 1e9;
        if (r == 0 || run.seconds < best.seconds)
            best = run;
    }
    return best;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    int repeat = 3;
    if (args.size() >= 2 && args.first() == QLatin1String("--repeat")) {
        repeat = std::max(1, args.at(1).toInt());
        args = args.mid(2);
    }
    if (args.isEmpty()) {
        std::fprintf(stderr, "usage: tandem-bench-mime [--repeat N] PATH...\n");
        return 2;
    }
    QList<QByteArray> messages;
    for (const QString &path : std::as_const(args)) {
        if (QFileInfo(path).isDir()) {
            QStringList files;
            QDirIterator it(path, QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext())
                files.append(it.next());
            files.sort();
            for (const QString &f : std::as_const(files))
                load(f, &messages);
        } else {
            load(path, &messages);
        }
    }
    qint64 bytes = 0;
    for (const QByteArray &m : std::as_const(messages))
        bytes += m.size();
    if (messages.isEmpty()) {
        std::fprintf(stderr, "no messages found\n");
        return 1;
    }
    std::printf("%lld messages, %.2f MB, best of %d runs\n", qlonglong(messages.size()), double(bytes) / 1e6, repeat);

    using mailcore::mime::Message;
    const Run headers = measure(messages, repeat, [](const QByteArray &m) {
        mailcore::Error error;
        Message::parseHeaders(m, &error);
        return !error.isError();
    });
    const Run full = measure(messages, repeat, [](const QByteArray &m) {
        mailcore::Error error;
        const Message message = Message::parse(m, &error);
        return !error.isError() && !message.isNull();
    });
    for (const auto &[name, run] : {std::pair{"header-only", headers}, std::pair{"full", full}}) {
        std::printf("%-12s %8.3f s  %10.0f msgs/s  %8.1f MB/s  (%d errors)\n", name, run.seconds,
                    double(messages.size()) / run.seconds, double(bytes) / 1e6 / run.seconds, run.errors);
    }
    return 0;
}
