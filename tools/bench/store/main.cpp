// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// tandem-bench-store DIR [MESSAGES]
// tandem-bench-store --mode floor|first-sync|resync|flag ...   (the sync benchmarks: syncbench.cpp)
//
// Makes DIR/store.sqlite with one folder of MESSAGES (default 100,000)
// synthetic messages, each with a small stored body, unless it is there
// already; then, in this order:
//   open:   MailStore::open (integrity check included) and the first 100 rows
//           of the folder newest first: the time, and the resident size after;
//   sort:   the first 100 rows by sender, by subject, by size;
//   search: local searches (median of 9 runs each).
// Prints one line per figure.

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "mailcore/store/mailstore.h"
#include "syncbench.h"

using namespace mailcore;
using namespace mailcore::store;

namespace {

const char *const kWords[] = {"invoice",  "meeting", "report",  "holiday",  "budget", "release", "review",
                              "contract", "server",  "backup",  "schedule", "travel", "design",  "question",
                              "update",   "payment", "project", "weekly",   "launch", "draft"};
constexpr int kWordCount = int(std::size(kWords));

double residentMiB()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return 0;
    return statm.readAll().split(' ').value(1).toDouble() * double(sysconf(_SC_PAGESIZE)) / (1024 * 1024);
}

StoredMessage row(quint32 uid)
{
    StoredMessage m;
    MessageSummary &s = m.summary;
    s.uid = uid;
    s.flags = uid % 3 ? QList<QByteArray>{"\\Seen"} : QList<QByteArray>{};
    s.size = 2000 + uid % 50000;
    s.internalDate = QDateTime::fromSecsSinceEpoch(1'600'000'000 + qint64(uid) * 300, Qt::UTC);
    s.date = s.internalDate.addSecs(-qint64(uid % 7200));
    s.subject = QStringLiteral("%1 %2 number %3")
                    .arg(QLatin1String(kWords[uid % kWordCount]), QLatin1String(kWords[(uid / 7) % kWordCount]))
                    .arg(uid);
    s.from = {mime::MailAddress{
        QStringLiteral("Person %1").arg(uid % 997), QStringLiteral("p%1@example.org").arg(uid % 997), {}}};
    s.to = {mime::MailAddress{{}, QStringLiteral("me@example.org"), {}}};
    s.messageId = QStringLiteral("bench-%1@example.org").arg(uid);
    return m;
}

QByteArray body(quint32 uid)
{
    return "Subject: x\r\n\r\nHello,\r\nthe " + QByteArray(kWords[(uid / 3) % kWordCount]) + " for week "
        + QByteArray::number(uid % 52) + " is attached; code " + QByteArray::number(uid * 7919 % 1000003) + ".\r\n";
}

template <typename T>
T await(QFuture<T> future)
{
    future.waitForFinished(); // rethrows a store error: the bench stops with it
    if constexpr (!std::is_void_v<T>)
        return future.result();
}

void fill(const QString &path, quint32 count)
{
    Result<std::unique_ptr<MailStore>> opened = MailStore::open(path);
    if (!opened) {
        std::fprintf(stderr, "%s\n", qPrintable(opened.error().toString()));
        std::exit(1);
    }
    auto store = std::move(opened.value());
    const qint64 account = await(store->addAccount(Account{0,
                                                           QStringLiteral("bench"),
                                                           QStringLiteral("imap"),
                                                           QStringLiteral("bench"),
                                                           993,
                                                           QStringLiteral("tls"),
                                                           QStringLiteral("me"),
                                                           {}}));
    Folder folder;
    folder.accountId = account;
    folder.name = QStringLiteral("INBOX");
    const qint64 folderId = await(store->saveFolder(folder));
    QElapsedTimer clock;
    clock.start();
    for (quint32 first = 1; first <= count; first += 5000) {
        QList<StoredMessage> rows;
        for (quint32 uid = first; uid < first + 5000 && uid <= count; ++uid)
            rows << row(uid);
        await(store->saveMessages(folderId, rows));
    }
    std::printf("fill: %u rows in %.1f s\n", count, double(clock.elapsed()) / 1000);
    clock.restart();
    QList<QFuture<void>> pending;
    const QList<StoredMessage> all = store->messages(folderId, SortColumn::Arrival, Qt::AscendingOrder).value();
    for (const StoredMessage &m : all) {
        pending << store->saveBody(m.id, body(m.summary.uid));
        if (pending.size() >= 1000) {
            for (auto &f : pending)
                await(f);
            pending.clear();
        }
    }
    for (auto &f : pending)
        await(f);
    std::printf("fill: %lld bodies in %.1f s\n", static_cast<long long>(all.size()), double(clock.elapsed()) / 1000);
}

template <typename F>
double medianMs(int runs, F f)
{
    QList<double> times;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer clock;
        clock.start();
        f();
        times << double(clock.nsecsElapsed()) / 1e6;
    }
    std::sort(times.begin(), times.end());
    return times.at(times.size() / 2);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    if (argc > 1 && argv[1][0] == '-')
        return benchstore::syncBenchMain();
    if (argc < 2) {
        std::fprintf(stderr, "usage: tandem-bench-store DIR [MESSAGES]\n");
        return 2;
    }
    QDir().mkpath(QString::fromLocal8Bit(argv[1]));
    const QString path = QString::fromLocal8Bit(argv[1]) + QStringLiteral("/store.sqlite");
    const quint32 count = argc > 2 ? QByteArray(argv[2]).toUInt() : 100'000;
    if (!QFileInfo::exists(path))
        fill(path, count);
    std::printf("store: %s, %.1f MiB\n", qPrintable(path), double(QFileInfo(path).size()) / (1024 * 1024));

    QElapsedTimer clock;
    clock.start();
    Result<std::unique_ptr<MailStore>> opened = MailStore::open(path);
    if (!opened) {
        std::fprintf(stderr, "%s\n", qPrintable(opened.error().toString()));
        return 1;
    }
    MailStore &store = *opened.value();
    const double openMs = double(clock.nsecsElapsed()) / 1e6;
    const qint64 account = store.accounts().value().first().id;
    const qint64 folderId = store.folder(account, QStringLiteral("INBOX")).value()->id;
    const QList<StoredMessage> first = store.messages(folderId, SortColumn::Date, Qt::DescendingOrder, 0, 100).value();
    const double firstRowsMs = double(clock.nsecsElapsed()) / 1e6;
    std::printf("open: MailStore::open %.1f ms; with the first %lld rows (newest first) %.1f ms; resident %.1f MiB\n",
                openMs, static_cast<long long>(first.size()), firstRowsMs, residentMiB());
    std::printf("count: %d messages\n", store.messageCount(folderId).value());

    const std::pair<const char *, SortColumn> sorts[] = {
        {"sender", SortColumn::Sender}, {"subject", SortColumn::Subject}, {"size", SortColumn::Size}};
    for (const auto &sort : sorts) {
        const SortColumn column = sort.second;
        const double ms = medianMs(9, [&] { store.messages(folderId, column, Qt::AscendingOrder, 0, 100).value(); });
        std::printf("sort: first 100 rows by %s: %.2f ms (median of 9)\n", sort.first, ms);
    }
    const double deep = medianMs(9,
                                 [&] { store.messages(folderId, SortColumn::Date, Qt::DescendingOrder, 50'000, 100); });
    std::printf("sort: 100 rows at offset 50,000 by date: %.2f ms (median of 9)\n", deep);
    const StoredMessage before =
        store.messages(folderId, SortColumn::Date, Qt::DescendingOrder, 49'999, 1).value().first();
    const double byKey = medianMs(
        9, [&] { store.messagesAfter(folderId, SortColumn::Date, Qt::DescendingOrder, before, 100); });
    std::printf("sort: the same 100 rows by key (after row 50,000): %.2f ms (median of 9)\n", byKey);

    const char *const queries[] = {"invoice", "invoice meeting", "week 17", "code 4242", "person 42", "nothingmatches"};
    for (const char *q : queries) {
        int found = 0;
        const double ms = medianMs(9,
                                   [&] { found = int(store.search(account, QString::fromLatin1(q)).value().size()); });
        std::printf("search: \"%s\": %d found (limit 500), %.2f ms (median of 9)\n", q, found, ms);
    }
    std::printf("resident at the end: %.1f MiB\n", residentMiB());
    return 0;
}
