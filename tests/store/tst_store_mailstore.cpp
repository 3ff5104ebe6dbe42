// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The store's rows: what is saved comes back, sorted and paged by any column;
// changes are all or nothing; readers never wait for the writer.

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <thread>

#include "mailcore/store/database.h"
#include "mailcore/store/mailstore.h"
#include "mailcore/store/writer.h"
#include "store/storesamples.h"
#include "support/outcome.h"

using namespace mailcore;
using namespace mailcore::store;
using tandem::test::outcome;
using tandem::test::sampleMessage;

Q_DECLARE_METATYPE(mailcore::store::SortColumn)

namespace {

constexpr quint32 kMessages = 60;

#define VERIFY_WRITTEN(future)                                                                                         \
    do {                                                                                                               \
        const Error e_ = outcome(future);                                                                              \
        QVERIFY2(!e_.isError(), qPrintable(e_.toString()));                                                            \
    } while (false)

template <typename T>
T valueOf(QFuture<T> future)
{
    outcome(future);
    return future.result();
}

} // namespace

class TestStoreMailStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void foldersAndMessagesComeBackAsSaved();
    void savingAgainUpdatesByNameAndUid();
    void textJsonMustEscapeComesBackAsSaved();
    void aNewBatchNamingAUidTwiceKeepsTheLast();
    void everyColumnSortsAndPagesWithoutGapsOrRepeats_data();
    void everyColumnSortsAndPagesWithoutGapsOrRepeats();
    void flagsRemovalsAndAUidValidityReset();
    void smallBodiesLiveInTheDatabaseLargeOnesInFilesBeside();
    void aFailedChangeLeavesNothingOfItself();
    void readersNeverWaitForTheWriter();
    void readsFromManyThreadsWhileWriting();
    void readsFromThreadsThatComeAndGo();
    void theConnectionLimitIsRememberedAcrossRestarts();
    void anOutboxEntryKeepsItsStateAcrossRestarts();
    void idsOfActionsAndOutboxEntriesAreNeverUsedTwice();
    void correspondentsAreThePeopleOfStoredMailMostSeenFirst();
    void searchFindsWordsInSubjectsPeopleAndStoredText();
    void aRemovedAccountTakesAllOfItsMailAndNothingElse();

private:
    void openStore();
    /// An account with one folder holding sampleMessage(1..count); the folder's id.
    qint64 filledFolder(quint32 count = kMessages);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MailStore> m_store;
    QString m_path;
};

void TestStoreMailStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("store.sqlite"));
    openStore();
}

void TestStoreMailStore::cleanup()
{
    m_store.reset();
    m_dir.reset();
}

void TestStoreMailStore::openStore()
{
    Result<std::unique_ptr<MailStore>> opened = MailStore::open(m_path);
    if (!opened)
        QFAIL(qPrintable(opened.error().toString()));
    m_store = std::move(opened.value());
}

qint64 TestStoreMailStore::filledFolder(quint32 count)
{
    Account account{0,   QStringLiteral("Work"), QStringLiteral("imap"), QStringLiteral("imap.example.org"),
                    993, QStringLiteral("tls"),  QStringLiteral("me"),   QJsonObject{{QStringLiteral("limit"), 10}}};
    const qint64 accountId = valueOf(m_store->addAccount(account));
    Folder folder;
    folder.accountId = accountId;
    folder.name = QStringLiteral("INBOX");
    folder.delimiter = QStringLiteral("/");
    folder.role = FolderRole::Inbox;
    folder.uidValidity = 1234;
    folder.uidNext = count + 1;
    folder.highestModseq = 9999;
    folder.serverCount = count;
    folder.serverUnseen = 3;
    const qint64 folderId = valueOf(m_store->saveFolder(folder));
    QList<StoredMessage> messages;
    for (quint32 uid = 1; uid <= count; ++uid)
        messages << sampleMessage(uid);
    const Error saved = outcome(m_store->saveMessages(folderId, messages));
    if (saved.isError())
        qFatal("%s", qPrintable(saved.toString()));
    return folderId;
}

void TestStoreMailStore::foldersAndMessagesComeBackAsSaved()
{
    const qint64 folderId = filledFolder();
    const Result<QList<Account>> accounts = m_store->accounts();
    QVERIFY(accounts);
    QCOMPARE(accounts->size(), 1);
    QCOMPARE(accounts->first().host, QStringLiteral("imap.example.org"));
    QCOMPARE(accounts->first().settings.value(QStringLiteral("limit")).toInt(), 10);
    // An account's settings change: saved over the same row.
    Account changed = accounts->first();
    changed.port = 143;
    changed.security = QStringLiteral("starttls");
    changed.settings = QJsonObject{{QStringLiteral("limit"), 4}};
    QVERIFY(!outcome(m_store->saveAccount(changed)).isError());
    QCOMPARE(m_store->accounts().value(), QList<Account>{changed});

    const Result<QList<Folder>> folders = m_store->folders(accounts->first().id);
    QVERIFY(folders);
    QCOMPARE(folders->size(), 1);
    const Folder &f = folders->first();
    QCOMPARE(f.id, folderId);
    QCOMPARE(f.role, FolderRole::Inbox);
    QCOMPARE(f.uidValidity, 1234u);
    QCOMPARE(f.highestModseq, 9999u);
    QCOMPARE(f.serverCount, kMessages);

    const Result<QList<StoredMessage>> rows = m_store->messages(folderId, SortColumn::Arrival, Qt::AscendingOrder);
    QVERIFY2(rows, qPrintable(rows.error().toString()));
    QCOMPARE(rows->size(), int(kMessages));
    for (quint32 uid = 1; uid <= kMessages; ++uid) {
        StoredMessage expected = sampleMessage(uid);
        const StoredMessage &got = rows->at(int(uid) - 1);
        expected.id = got.id;
        expected.folderId = folderId;
        QVERIFY(got.id > 0);
        QCOMPARE(got.summary, expected.summary);
        QCOMPARE(got, expected);
    }
    QCOMPARE(m_store->messageCount(folderId).value(), int(kMessages));
    const Result<std::optional<StoredMessage>> one = m_store->message(folderId, 7);
    QVERIFY(one && one.value());
    QCOMPARE(one.value()->summary.subject, sampleMessage(7).summary.subject);
    QVERIFY(!m_store->message(folderId, 999).value().has_value());
}

void TestStoreMailStore::savingAgainUpdatesByNameAndUid()
{
    const qint64 folderId = filledFolder(10);
    StoredMessage changed = sampleMessage(4);
    changed.summary.flags = {"\\Answered"};
    changed.summary.subject = QStringLiteral("Changed");
    changed.modseq = 5000;
    VERIFY_WRITTEN(m_store->saveMessages(folderId, {changed}));
    QCOMPARE(m_store->messageCount(folderId).value(), 10);
    const StoredMessage got = *m_store->message(folderId, 4).value();
    QCOMPARE(got.summary.flags, QList<QByteArray>{"\\Answered"});
    QCOMPARE(got.summary.subject, QStringLiteral("Changed"));
    QCOMPARE(got.modseq, 5000u);

    Folder again = m_store->folders(m_store->accounts()->first().id)->first();
    const qint64 id = again.id;
    again.id = 0;
    again.uidNext = 77;
    QCOMPARE(valueOf(m_store->saveFolder(again)), id);
    QCOMPARE(m_store->folders(again.accountId)->size(), 1);
    QCOMPARE(m_store->folders(again.accountId)->first().uidNext, 77u);
}

// Addresses and parts are stored as JSON written by hand (rows.cpp): every
// character JSON escapes, and some it does not, come back as they went in,
// through the first save's insert and through the upsert of a known row.
void TestStoreMailStore::textJsonMustEscapeComesBackAsSaved()
{
    const qint64 folderId = filledFolder(2);
    const QString awkward = QStringLiteral("a\"b\\c/d\ne\rf\tg\bh\fi") + QChar(1) + QChar(0x1f)
        + QStringLiteral(" é 漢字 ") + QString::fromUcs4(U"\U0001F600");
    StoredMessage odd = sampleMessage(3);
    odd.summary.from = {mime::MailAddress{awkward, QStringLiteral("x@example.org"), awkward}};
    odd.summary.to = {};
    odd.summary.parts.first().fileName = awkward;
    odd.summary.parts.first().contentId = awkward;
    odd.summary.parts.first().size = 5'000'000'000;
    VERIFY_WRITTEN(m_store->saveMessages(folderId, {odd})); // new: inserted
    StoredMessage got = *m_store->message(folderId, 3).value();
    odd.id = got.id;
    odd.folderId = folderId;
    QCOMPARE(got.summary, odd.summary);
    odd.summary.cc = odd.summary.from;
    VERIFY_WRITTEN(m_store->saveMessages(folderId, {odd})); // known: upserted
    got = *m_store->message(folderId, 3).value();
    QCOMPARE(got.summary, odd.summary);
}

// A batch of rows the folder does not hold is inserted plainly (no upsert),
// unless a UID comes twice in it: then the last one is kept, as before.
void TestStoreMailStore::aNewBatchNamingAUidTwiceKeepsTheLast()
{
    const qint64 folderId = filledFolder(2);
    StoredMessage first = sampleMessage(5);
    StoredMessage second = sampleMessage(5);
    second.summary.subject = QStringLiteral("the second");
    VERIFY_WRITTEN(m_store->saveMessages(folderId, {first, sampleMessage(6), second}));
    QCOMPARE(m_store->messageCount(folderId).value(), 4);
    QCOMPARE(m_store->message(folderId, 5).value()->summary.subject, QStringLiteral("the second"));
    QCOMPARE(m_store->search(m_store->accounts()->first().id, QStringLiteral("second"), folderId)->size(), 1);
}

void TestStoreMailStore::everyColumnSortsAndPagesWithoutGapsOrRepeats_data()
{
    QTest::addColumn<SortColumn>("column");
    QTest::addColumn<Qt::SortOrder>("order");
    const std::pair<const char *, SortColumn> columns[] = {{"date", SortColumn::Date},
                                                           {"arrival", SortColumn::Arrival},
                                                           {"sender", SortColumn::Sender},
                                                           {"subject", SortColumn::Subject},
                                                           {"size", SortColumn::Size},
                                                           {"flag", SortColumn::Flagged},
                                                           {"attachments", SortColumn::Attachments}};
    for (const auto &[name, column] : columns) {
        QTest::addRow("%s ascending", name) << column << Qt::AscendingOrder;
        QTest::addRow("%s descending", name) << column << Qt::DescendingOrder;
    }
}

void TestStoreMailStore::everyColumnSortsAndPagesWithoutGapsOrRepeats()
{
    QFETCH(SortColumn, column);
    QFETCH(Qt::SortOrder, order);
    const qint64 folderId = filledFolder();
    const auto key = [column](const StoredMessage &m) -> QVariant {
        switch (column) {
        case SortColumn::Date: return m.summary.date.toSecsSinceEpoch();
        case SortColumn::Arrival: return m.summary.internalDate.toSecsSinceEpoch();
        case SortColumn::Sender: return m.summary.from.first().name.toCaseFolded();
        case SortColumn::Subject: return m.summary.subject;
        case SortColumn::Size: return m.summary.size;
        case SortColumn::Flagged: return m.summary.flags.contains("\\Flagged");
        case SortColumn::Attachments: return m.summary.hasAttachments();
        }
        return {};
    };
    QList<StoredMessage> paged;
    for (int offset = 0; offset < int(kMessages); offset += 7) {
        const Result<QList<StoredMessage>> page = m_store->messages(folderId, column, order, offset, 7);
        QVERIFY(page);
        paged << page.value();
    }
    QCOMPARE(paged.size(), int(kMessages));
    // Page by key (messagesAfter): the same rows in the same order.
    QList<StoredMessage> byKey = m_store->messages(folderId, column, order, 0, 7).value();
    while (byKey.size() < int(kMessages)) {
        const Result<QList<StoredMessage>> next = m_store->messagesAfter(folderId, column, order, byKey.last(), 7);
        QVERIFY2(next, qPrintable(next.error().toString()));
        QVERIFY2(!next->isEmpty(), qPrintable(QStringLiteral("stopped after %1 rows").arg(byKey.size())));
        byKey << next.value();
    }
    QCOMPARE(byKey, paged);
    QVERIFY(m_store->messagesAfter(folderId, column, order, byKey.last(), 7)->isEmpty());
    QSet<quint32> uids;
    for (const StoredMessage &m : paged)
        uids << m.summary.uid;
    QCOMPARE(uids.size(), int(kMessages)); // none twice, none missing
    for (int i = 1; i < paged.size(); ++i) {
        const QVariant a = key(paged[i - 1]), b = key(paged[i]);
        const auto c = QVariant::compare(a, b);
        QVERIFY2(order == Qt::AscendingOrder ? c != QPartialOrdering::Greater : c != QPartialOrdering::Less,
                 qPrintable(QStringLiteral("row %1: %2 then %3").arg(i).arg(a.toString(), b.toString())));
    }
}

void TestStoreMailStore::flagsRemovalsAndAUidValidityReset()
{
    const qint64 folderId = filledFolder(10);
    VERIFY_WRITTEN(m_store->setFlags(folderId, {{2, {"\\Seen", "\\Flagged"}}, {3, {}}, {404, {"\\Seen"}}}));
    QCOMPARE(m_store->message(folderId, 2).value()->summary.flags, (QList<QByteArray>{"\\Seen", "\\Flagged"}));
    QVERIFY(m_store->message(folderId, 3).value()->summary.flags.isEmpty());

    VERIFY_WRITTEN(m_store->removeMessages(folderId, {1, 5, 404}));
    QCOMPARE(m_store->uids(folderId).value(), (QList<quint32>{2, 3, 4, 6, 7, 8, 9, 10}));

    VERIFY_WRITTEN(m_store->resetFolder(folderId, 4321));
    QCOMPARE(m_store->messageCount(folderId).value(), 0);
    const Folder f = m_store->folders(m_store->accounts()->first().id)->first();
    QCOMPARE(f.uidValidity, 4321u);
    QCOMPARE(f.uidNext, 0u);
    QCOMPARE(f.highestModseq, 0u);
}

void TestStoreMailStore::smallBodiesLiveInTheDatabaseLargeOnesInFilesBeside()
{
    const qint64 folderId = filledFolder(3);
    const qint64 small = m_store->message(folderId, 1).value()->id;
    const qint64 large = m_store->message(folderId, 2).value()->id;
    const QByteArray smallBody = "Subject: small\r\n\r\nhello\r\n";
    QByteArray largeBody = "Subject: large\r\n\r\n";
    while (largeBody.size() <= MailStore::kLargeBody)
        largeBody += "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\r\n";
    VERIFY_WRITTEN(m_store->saveBody(small, smallBody));
    VERIFY_WRITTEN(m_store->saveBody(large, largeBody));

    QCOMPARE(m_store->body(small).value().value(), smallBody);
    QCOMPARE(m_store->body(large).value().value(), largeBody);
    QVERIFY(!m_store->body(m_store->message(folderId, 3).value()->id).value().has_value());
    QVERIFY(m_store->message(folderId, 2).value()->hasBody);
    QVERIFY(!m_store->message(folderId, 3).value()->hasBody);

    // The large one is a file named by the row's id, beside the database; no
    // part of it is in the database.
    const QString bodies = m_path + QStringLiteral(".bodies");
    const QStringList files = QDir(bodies).entryList({QStringLiteral("*.eml")}, QDir::Files, QDir::Name)
        + QDir(bodies + QStringLiteral("/%1").arg(large % 256, 2, 16, QLatin1Char('0')))
              .entryList({QStringLiteral("*.eml")}, QDir::Files);
    QCOMPARE(files, QStringList{QStringLiteral("%1.eml").arg(large)});
    {
        auto c = Connection::open(m_path, QStringLiteral("inspect"));
        QVERIFY(c);
        QSqlQuery query(c.value()->db());
        QVERIFY(query.exec(QStringLiteral("SELECT message, data IS NULL, file IS NULL FROM bodies ORDER BY message")));
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toLongLong(), small);
        QVERIFY(!query.value(1).toBool() && query.value(2).toBool()); // in the database
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toLongLong(), large);
        QVERIFY(query.value(1).toBool() && !query.value(2).toBool()); // in the file only
    }

    // Gone with its message.
    VERIFY_WRITTEN(m_store->removeMessages(folderId, {2}));
    QVERIFY(
        !QFileInfo::exists(bodies + QStringLiteral("/%1/%2.eml").arg(large % 256, 2, 16, QLatin1Char('0')).arg(large)));
    QVERIFY(!m_store->body(large).value().has_value());
}

void TestStoreMailStore::aFailedChangeLeavesNothingOfItself()
{
    Writer writer(m_path);
    QFuture<int> failing = writer.write([](QSqlDatabase &db) -> int {
        QSqlQuery insert(db);
        insert.exec(QStringLiteral("INSERT INTO accounts (name, protocol, host, port, security, user_name)"
                                   " VALUES ('half', 'imap', 'h', 1, 'tls', 'u')"));
        throw MailException(Error(ErrorCode::Io, QStringLiteral("the second half failed")));
    });
    const Error e = outcome(failing);
    QCOMPARE(e.code(), ErrorCode::Io);
    QCOMPARE(e.message(), QStringLiteral("the second half failed"));
    QVERIFY(m_store->accounts()->isEmpty());

    // A failing statement of the store's own: a folder of no account.
    Folder orphan;
    orphan.accountId = 42;
    orphan.name = QStringLiteral("Nowhere");
    const Error refused = outcome(m_store->saveFolder(orphan));
    QCOMPARE(refused.code(), ErrorCode::Io);
    QVERIFY2(refused.message().contains(QStringLiteral("Nowhere")), qPrintable(refused.message()));
}

void TestStoreMailStore::readersNeverWaitForTheWriter()
{
    const qint64 folderId = filledFolder(5);
    // Another writer holds the file's write lock, in the middle of a
    // transaction, until told to go on.
    Writer other(m_path);
    std::atomic<bool> inside{false}, release{false};
    QFuture<void> held = other.write([&](QSqlDatabase &db) {
        QSqlQuery remove(db);
        remove.exec(QStringLiteral("DELETE FROM messages WHERE uid = 1"));
        inside = true;
        while (!release)
            std::this_thread::yield(); // holding the lock until the test has read
    });
    QTRY_VERIFY(inside.load());
    // Reads come back at once, with the last committed state.
    QElapsedTimer clock;
    clock.start();
    QCOMPARE(m_store->messageCount(folderId).value(), 5);
    QCOMPARE(m_store->uids(folderId).value().first(), 1u);
    QVERIFY2(clock.elapsed() < 5000, "a read waited for the writer's lock"); // the busy timeout is 10 s
    release = true;
    VERIFY_WRITTEN(held);
    QCOMPARE(m_store->messageCount(folderId).value(), 4);
}

void TestStoreMailStore::readsFromManyThreadsWhileWriting()
{
    const qint64 folderId = filledFolder(20);
    std::atomic<int> failures{0}, reads{0};
    std::atomic<bool> stop{false};
    std::vector<std::thread> readers;
    for (int t = 0; t < 4; ++t) {
        readers.emplace_back([&] {
            while (!stop) {
                const Result<QList<StoredMessage>> rows = m_store->messages(folderId);
                if (!rows || rows->size() < 20)
                    ++failures;
                ++reads;
            }
        });
    }
    for (quint32 round = 0; round < 20; ++round) {
        QList<StoredMessage> more;
        for (quint32 uid = 100 + round * 10; uid < 110 + round * 10; ++uid)
            more << sampleMessage(uid);
        VERIFY_WRITTEN(m_store->saveMessages(folderId, more));
    }
    QTRY_VERIFY(reads >= 40);
    stop = true;
    for (auto &t : readers)
        t.join();
    QCOMPARE(failures.load(), 0);
    QCOMPARE(m_store->messageCount(folderId).value(), 220);
}

void TestStoreMailStore::readsFromThreadsThatComeAndGo()
{
    // A pool's threads end when idle and new ones start, often at the same
    // address or with the same id: each must read through a connection of
    // its own, never the one an ended thread left behind (Qt Sql refuses a
    // connection made by another thread).
    const qint64 folderId = filledFolder(5);
    int failures = 0;
    for (int round = 0; round < 200; ++round) {
        QThread *thread = QThread::create([&] {
            const Result<QList<StoredMessage>> rows = m_store->messages(folderId);
            if (!rows || rows->size() != 5)
                ++failures;
        });
        thread->start();
        QVERIFY(thread->wait(10000));
        delete thread;
    }
    QCOMPARE(failures, 0);
}

void TestStoreMailStore::theConnectionLimitIsRememberedAcrossRestarts()
{
    VERIFY_WRITTEN(m_store->rememberConnectionLimit(QStringLiteral("imap"), QStringLiteral("imap.example.org"), 993,
                                                    QStringLiteral("me"), 4));
    m_store.reset();
    openStore();
    QCOMPARE(
        m_store->connectionLimit(QStringLiteral("imap"), QStringLiteral("imap.example.org"), 993, QStringLiteral("me"))
            .value(),
        std::optional<int>(4));
    QCOMPARE(
        m_store->connectionLimit(QStringLiteral("pop3"), QStringLiteral("imap.example.org"), 995, QStringLiteral("me"))
            .value(),
        std::nullopt);
}

void TestStoreMailStore::anOutboxEntryKeepsItsStateAcrossRestarts()
{
    filledFolder(1);
    const qint64 accountId = m_store->accounts()->first().id;
    OutboxEntry entry;
    entry.accountId = accountId;
    entry.message = "Subject: hello\r\n\r\nHi.\r\n";
    entry.sender = QStringLiteral("me@example.org");
    entry.recipients = {QStringLiteral("you@example.org"), QStringLiteral("hidden@example.org")};
    const qint64 id = valueOf(m_store->queueOutgoing(entry));
    const auto only = [&] {
        const Result<QList<OutboxEntry>> box = m_store->outbox(accountId);
        return box && box->size() == 1 ? box->first() : OutboxEntry{};
    };
    QCOMPARE(only().id, id);
    QCOMPARE(only().state, OutboxEntry::State::Waiting);
    QCOMPARE(only().message, entry.message);
    QCOMPARE(only().recipients, entry.recipients);
    QVERIFY(only().createdAt.isValid());

    VERIFY_WRITTEN(m_store->failOutgoing(id, QStringLiteral("connection refused")));
    QCOMPARE(only().attempts, 1);
    QCOMPARE(only().lastError, QStringLiteral("connection refused"));
    QCOMPARE(only().state, OutboxEntry::State::Waiting);

    // Held while the user edits it, then put back.
    VERIFY_WRITTEN(m_store->holdOutgoing(id, true));
    QCOMPARE(only().state, OutboxEntry::State::Held);
    VERIFY_WRITTEN(m_store->holdOutgoing(id, false));
    QCOMPARE(only().state, OutboxEntry::State::Waiting);

    // Handed to the server, then the process ends: still "sending" at the
    // next start, so it is never sent again by itself.
    VERIFY_WRITTEN(m_store->markSending(id));
    m_store.reset();
    openStore();
    QCOMPARE(only().state, OutboxEntry::State::Sending);

    VERIFY_WRITTEN(m_store->markSent(id));
    QCOMPARE(only().state, OutboxEntry::State::Sent);
    QVERIFY(only().sentAt.isValid());
    VERIFY_WRITTEN(m_store->removeOutgoing(id));
    QVERIFY(m_store->outbox(accountId)->isEmpty());
}

void TestStoreMailStore::idsOfActionsAndOutboxEntriesAreNeverUsedTwice()
{
    // Once the queue is empty, a plain rowid would give the next one the id
    // of the one just sent, and whatever remembered that id named the new one.
    filledFolder(1);
    const qint64 accountId = m_store->accounts()->first().id;
    OfflineAction action;
    action.kind = OfflineAction::Kind::AddFlags;
    action.folder = QStringLiteral("INBOX");
    action.uids = {1};
    action.flags = {"\\Seen"};
    const qint64 first = valueOf(m_store->queueAction(accountId, action));
    VERIFY_WRITTEN(m_store->finishAction(first));
    QVERIFY(m_store->pendingActions(accountId)->isEmpty());
    const qint64 second = valueOf(m_store->queueAction(accountId, action));
    QVERIFY2(second > first, qPrintable(QStringLiteral("%1 then %2").arg(first).arg(second)));

    OutboxEntry entry;
    entry.accountId = accountId;
    entry.message = "Subject: x\r\n\r\ny\r\n";
    entry.sender = QStringLiteral("me@example.org");
    entry.recipients = {QStringLiteral("you@example.org")};
    const qint64 sent = valueOf(m_store->queueOutgoing(entry));
    VERIFY_WRITTEN(m_store->removeOutgoing(sent));
    QVERIFY(valueOf(m_store->queueOutgoing(entry)) > sent);
}

void TestStoreMailStore::correspondentsAreThePeopleOfStoredMailMostSeenFirst()
{
    filledFolder(70); // senders s0..s6@example.org, 10 messages each; me and team on every one
    const qint64 accountId = m_store->accounts()->first().id;
    const Result<QList<mailcore::mime::MailAddress>> people = m_store->correspondents(accountId);
    QVERIFY2(people, qPrintable(people.error().toString()));
    QCOMPARE(people->size(), 9); // each address once
    QStringList first2{people->at(0).address, people->at(1).address};
    first2.sort();
    QCOMPARE(first2, QStringList({QStringLiteral("me@example.org"), QStringLiteral("team@example.org")}));
    const auto sender3 = std::find_if(people->cbegin(), people->cend(), [](const mailcore::mime::MailAddress &a) {
        return a.address == QLatin1String("s3@example.org");
    });
    QVERIFY(sender3 != people->cend());
    QCOMPARE(sender3->name, QStringLiteral("Sender 3"));
    QCOMPARE(m_store->correspondents(accountId, 3)->size(), 3);
}

void TestStoreMailStore::searchFindsWordsInSubjectsPeopleAndStoredText()
{
    const qint64 folderId = filledFolder(30);
    const qint64 accountId = m_store->accounts()->first().id;
    const auto uidsOf = [&](const QString &words, qint64 folder = 0) {
        const Result<QList<StoredMessage>> found = m_store->search(accountId, words, folder);
        QList<quint32> uids;
        if (!found) {
            qWarning("%s", qPrintable(found.error().toString()));
            return QList<quint32>{999999};
        }
        for (const StoredMessage &m : found.value())
            uids << m.summary.uid;
        std::sort(uids.begin(), uids.end());
        return uids;
    };
    // Subjects ("Subject 007 — ünïcode"): words, prefixes, no accents needed.
    QCOMPARE(uidsOf(QStringLiteral("subject 007")), QList<quint32>{7});
    QCOMPARE(uidsOf(QStringLiteral("SUBJ 01")).size(), 10); // 010..019
    QCOMPARE(uidsOf(QStringLiteral("unicode")).size(), 30);
    // People: "Sender n" with n = uid % 7.
    QCOMPARE(uidsOf(QStringLiteral("sender 3")), (QList<quint32>{3, 10, 17, 24}));
    QCOMPARE(uidsOf(QStringLiteral("s3@example.org")), (QList<quint32>{3, 10, 17, 24}));
    // Stored text: plain, and HTML without its tags or scripts.
    const qint64 five = m_store->message(folderId, 5).value()->id;
    const qint64 six = m_store->message(folderId, 6).value()->id;
    VERIFY_WRITTEN(m_store->saveBody(five, "Subject: x\r\n\r\nPlease pay the quarterly invoice.\r\n"));
    VERIFY_WRITTEN(m_store->saveBody(six,
                                     "Subject: y\r\nContent-Type: text/html\r\n\r\n<p>Monthly <b>report</b>"
                                     "</p><script>secretword()</script>\r\n"));
    QCOMPARE(uidsOf(QStringLiteral("invoice")), QList<quint32>{5});
    QCOMPARE(uidsOf(QStringLiteral("quart inv")), QList<quint32>{5});
    QCOMPARE(uidsOf(QStringLiteral("report")), QList<quint32>{6});
    QCOMPARE(uidsOf(QStringLiteral("secretword")), QList<quint32>{});
    // Saving the row again keeps the text; another folder is not searched when one is named.
    VERIFY_WRITTEN(m_store->saveMessages(folderId, {sampleMessage(5)}));
    QCOMPARE(uidsOf(QStringLiteral("invoice"), folderId), QList<quint32>{5});
    QCOMPARE(uidsOf(QStringLiteral("invoice"), folderId + 1), QList<quint32>{});
    // What the user types is only text: quotes, operators, nothing at all.
    QCOMPARE(uidsOf(QStringLiteral("\"invoice")), QList<quint32>{5});
    QCOMPARE(uidsOf(QStringLiteral("invoice OR NOT report*")), QList<quint32>{});
    QCOMPARE(uidsOf(QStringLiteral("   ")), QList<quint32>{});
    // Gone with the message.
    VERIFY_WRITTEN(m_store->removeMessages(folderId, {5}));
    QCOMPARE(uidsOf(QStringLiteral("invoice")), QList<quint32>{});
}

void TestStoreMailStore::aRemovedAccountTakesAllOfItsMailAndNothingElse()
{
    const qint64 kept = filledFolder(2);   // the first account: stays
    const qint64 doomed = filledFolder(3); // the second: removed
    const QList<Account> both = m_store->accounts().value();
    QCOMPARE(both.size(), 2);
    const qint64 keptAccount = both.at(0).id;
    const qint64 doomedAccount = both.at(1).id;
    QByteArray largeBody = "Subject: large\r\n\r\n";
    while (largeBody.size() <= MailStore::kLargeBody)
        largeBody += "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\r\n";
    const qint64 large = m_store->message(doomed, 2).value()->id;
    VERIFY_WRITTEN(m_store->saveBody(large, largeBody));
    VERIFY_WRITTEN(m_store->saveBody(m_store->message(kept, 1).value()->id, largeBody));
    OutboxEntry entry;
    entry.accountId = doomedAccount;
    entry.message = "Subject: hello\r\n\r\nHi.\r\n";
    entry.sender = QStringLiteral("me@example.org");
    entry.recipients = {QStringLiteral("you@example.org")};
    valueOf(m_store->queueOutgoing(entry));
    OfflineAction action;
    action.kind = OfflineAction::Kind::AddFlags;
    action.folder = QStringLiteral("INBOX");
    action.uids = {1};
    action.flags = {"\\Seen"};
    valueOf(m_store->queueAction(doomedAccount, action));
    const QString bodies = m_path + QStringLiteral(".bodies");
    const auto bodyFiles = [&] {
        QStringList files;
        QDirIterator it(bodies, {QStringLiteral("*.eml")}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            files << QFileInfo(it.next()).fileName();
        return files;
    };
    QCOMPARE(bodyFiles().size(), 2);

    VERIFY_WRITTEN(m_store->removeAccount(doomedAccount));
    QCOMPARE(m_store->accounts()->size(), 1);
    QCOMPARE(m_store->accounts()->first().id, keptAccount);
    QVERIFY(m_store->folders(doomedAccount)->isEmpty());
    QVERIFY(m_store->outbox(doomedAccount)->isEmpty());
    QVERIFY(m_store->pendingActions(doomedAccount)->isEmpty());
    QVERIFY(!m_store->body(large).value().has_value());
    QVERIFY(m_store->search(doomedAccount, QStringLiteral("0123456789abcdef")).value().isEmpty());
    QCOMPARE(m_store->search(keptAccount, QStringLiteral("0123456789abcdef")).value().size(), 1);
    // The other account is as it was, its large body's file too.
    QCOMPARE(m_store->messageCount(kept).value(), 2);
    QCOMPARE(bodyFiles(), QStringList{QStringLiteral("%1.eml").arg(m_store->message(kept, 1).value()->id)});
    QCOMPARE(m_store->body(m_store->message(kept, 1).value()->id).value().value(), largeBody);
}

QTEST_GUILESS_MAIN(TestStoreMailStore)
#include "tst_store_mailstore.moc"
