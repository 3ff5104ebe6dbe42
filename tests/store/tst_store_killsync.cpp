// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The kill test: a sync (storesync_worker, a process of its own) is killed
// with SIGKILL at random moments, at least 50 times, while another client
// keeps changing the folder behind its back (new mail, flags, expunges); it
// is restarted each time. The store must never be found damaged, and once a
// last sync completes it must equal the server: no message lost, none twice,
// every flag as the server has it.

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <functional>
#include <random>

#include "mailcore/imapclient/imapclient.h"
#include "mailcore/mime/message.h"
#include "mailcore/pop3client/pop3client.h"
#include "mailcore/store/mailstore.h"
#include "support/kitenv.h"

using namespace mailcore;
using namespace mailcore::store;
using tandem::test::KitEnv;

namespace {

constexpr int kKills = 50;
constexpr int kFirstMessages = 1500;

QByteArray message(int n)
{
    return "From: Kill Test <kill@example.org>\r\nTo: alice@example.org\r\nSubject: Message " + QByteArray::number(n)
        + "\r\nMessage-ID: <kill-" + QByteArray::number(n) + "@sync.test>\r\n\r\n"
        + QByteArray(200 + n % 700, char('a' + n % 26)) + "\r\n";
}

} // namespace

class TestStoreKillSync : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void aSyncKilledAtRandomMomentsEndsEqualToTheServer();
    void aPop3DownloadKilledAtRandomMomentsLosesNothingAndStoresNothingTwice();

private:
    std::unique_ptr<ImapClient> client() const
    {
        return std::make_unique<ImapClient>(m_env.endpoint(QStringLiteral("TANDEM_KIT_IMAPS_PORT")), m_env.user(),
                                            m_env.password());
    }
    /// Appends `count` messages numbered from `first`.
    void append(int first, int count);
    /// Prints and uses a new random seed.
    quint32 seed();
    /// Runs storesync_worker with `arguments` and kills it at random moments
    /// until it was killed kKills times, calling `changeBehindItsBack` every
    /// third round; then runs it once to the end.
    void killRepeatedly(const QStringList &arguments, const QProcessEnvironment &environment,
                        const std::function<void(std::mt19937 &)> &changeBehindItsBack);

    std::mt19937 m_random;

    KitEnv m_env;
    std::unique_ptr<ImapClient> m_other;
    QString m_folder;
};

void TestStoreKillSync::initTestCase()
{
    m_env = KitEnv::load();
    QVERIFY2(m_env.isValid(), qPrintable(m_env.error()));
    QVERIFY2(!qEnvironmentVariableIsEmpty("TANDEM_STORESYNC_WORKER"), "the worker's path is set (CTest does)");
    m_other = client();
    m_folder = m_env.value(QStringLiteral("TANDEM_KIT_FOLDER_PREFIX"))
        + QStringLiteral("kill-%1").arg(QCoreApplication::applicationPid());
    QVERIFY(!m_other->createFolder(m_folder).isError());
    append(1, kFirstMessages);
}

void TestStoreKillSync::cleanupTestCase()
{
    if (m_other)
        m_other->deleteFolder(m_folder);
}

void TestStoreKillSync::append(int first, int count)
{
    QList<NewMessage> batch;
    for (int n = first; n < first + count; ++n) {
        NewMessage m;
        m.data = message(n);
        batch << m;
    }
    const Result<QList<quint32>> uids = m_other->appendMessages(m_folder, batch);
    QVERIFY2(uids, qPrintable(uids.error().toString()));
}

quint32 TestStoreKillSync::seed()
{
    const quint32 seed = std::random_device{}();
    qInfo("seed %u", seed); // to repeat a run: the moments and the changes follow from it
    m_random.seed(seed);
    return seed;
}

void TestStoreKillSync::killRepeatedly(const QStringList &arguments, const QProcessEnvironment &environment,
                                       const std::function<void(std::mt19937 &)> &changeBehindItsBack)
{
    const QString worker = qEnvironmentVariable("TANDEM_STORESYNC_WORKER");
    int kills = 0, killedWhileSyncing = 0, completed = 0;
    QList<qint64> durations; // of the syncs that completed, in ms: where the moments fall
    for (int round = 0; kills < kKills; ++round) {
        QVERIFY2(round < 400, "the sync always completed before it could be killed");
        if (round % 3 == 2) {
            changeBehindItsBack(m_random);
            if (QTest::currentTestFailed())
                return;
        }
        QProcess sync;
        sync.setProcessEnvironment(environment);
        QElapsedTimer clock;
        clock.start();
        sync.start(worker, arguments);
        QVERIFY2(sync.waitForStarted(), qPrintable(sync.errorString()));
        // The random moment of the kill (fault injection, not a wait for a
        // condition): anywhere from the process start to the time a whole
        // sync takes (the median of those that completed; the machine's speed
        // decides it).
        QList<qint64> sorted = durations;
        std::sort(sorted.begin(), sorted.end());
        const qint64 span = sorted.isEmpty() ? 500 : std::max<qint64>(20, sorted.at(sorted.size() / 2));
        const int moment = int(m_random() % quint32(span));
        if (sync.waitForFinished(moment)) {
            durations << clock.elapsed();
            const QByteArray out = sync.readAllStandardOutput();
            QVERIFY2(sync.exitStatus() == QProcess::NormalExit && sync.exitCode() == 0,
                     qPrintable(QString::fromUtf8(out + sync.readAllStandardError())));
            QVERIFY2(!out.contains("rebuilt=1"), "the store was found damaged");
            ++completed;
            continue;
        }
        ::kill(pid_t(sync.processId()), SIGKILL);
        QVERIFY(sync.waitForFinished(30000));
        const QByteArray out = sync.readAllStandardOutput();
        QVERIFY2(!out.contains("rebuilt=1"), "the store was found damaged after a kill");
        ++kills;
        if (out.contains("opened"))
            ++killedWhileSyncing; // the store was open: killed in the middle of the sync, not while starting
    }
    qInfo("%d kills (%d with the store open), %d syncs completed before their moment", kills, killedWhileSyncing,
          completed);
    QVERIFY2(killedWhileSyncing >= kKills / 5, "most kills came before the sync had begun");

    // A last sync, left to finish.
    QProcess last;
    last.setProcessEnvironment(environment);
    last.start(worker, arguments);
    QVERIFY(last.waitForFinished(300000));
    const QByteArray out = last.readAllStandardOutput();
    QVERIFY2(last.exitCode() == 0, qPrintable(QString::fromUtf8(out + last.readAllStandardError())));
    QVERIFY2(out.contains("opened rebuilt=0"), out.constData());
}

void TestStoreKillSync::aSyncKilledAtRandomMomentsEndsEqualToTheServer()
{
    QTemporaryDir dir;
    const QString store = dir.filePath(QStringLiteral("store.sqlite"));
    seed();
    int next = kFirstMessages + 1;
    killRepeatedly({store, m_folder}, QProcessEnvironment::systemEnvironment(), [&](std::mt19937 &random) {
        // Behind its back: new mail, flags on some, two expunged.
        append(next, 20);
        next += 20;
        const QList<quint32> uids = m_other->allUids(m_folder).value();
        QList<quint32> some;
        for (int i = 0; i < 40; ++i)
            some << uids.at(int(random() % uids.size()));
        QVERIFY(!m_other->addFlags(m_folder, some, {random() % 2 ? "\\Seen" : "\\Flagged"}).isError());
        const QList<quint32> gone{uids.at(int(random() % uids.size())), uids.at(int(random() % uids.size()))};
        QVERIFY(!m_other->deleteMessages(m_folder, gone).isError());
        QVERIFY(!m_other->expunge(m_folder, gone).isError());
    });
    if (QTest::currentTestFailed())
        return;

    // The store equals the server.
    Result<std::unique_ptr<MailStore>> opened = MailStore::open(store);
    QVERIFY2(opened, qPrintable(opened.error().toString()));
    QVERIFY(!opened.value()->openReport().rebuilt);
    const qint64 folderId = opened.value()->folder(opened.value()->accounts()->first().id, m_folder).value()->id;
    const Result<QList<StoredMessage>> rows = opened.value()->messages(folderId, SortColumn::Arrival,
                                                                       Qt::AscendingOrder);
    QVERIFY(rows);
    const Result<QList<MessageSummary>> server = client()->listMessages(m_folder, 1);
    QVERIFY(server);
    QMap<quint32, MessageSummary> stored;
    for (const StoredMessage &m : rows.value()) {
        QVERIFY2(!stored.contains(m.summary.uid), "a message is in the store twice");
        stored.insert(m.summary.uid, m.summary);
    }
    QCOMPARE(stored.size(), server->size());
    for (const MessageSummary &s : server.value()) {
        QVERIFY2(stored.contains(s.uid), qPrintable(QStringLiteral("UID %1 is missing").arg(s.uid)));
        const MessageSummary &r = stored.value(s.uid);
        QCOMPARE(r.messageId, s.messageId);
        QCOMPARE(r.size, s.size);
        QList<QByteArray> a = r.flags, b = s.flags;
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
        QVERIFY2(a == b,
                 qPrintable(QStringLiteral("UID %1: flags %2, server %3")
                                .arg(s.uid)
                                .arg(QString::fromUtf8(a.join(' ')), QString::fromUtf8(b.join(' ')))));
    }
}

// The same for a POP3 download that deletes the server's copy once stored:
// the dangerous direction (a message deleted on the server but not stored is
// lost for good). On the store tests' own kit, as its user carol.
void TestStoreKillSync::aPop3DownloadKilledAtRandomMomentsLosesNothingAndStoresNothingTwice()
{
    const KitEnv env = KitEnv::load("TANDEM_KIT_STORE_ENV");
    QVERIFY2(env.isValid(), qPrintable(env.error()));
    constexpr int kUser = 2; // carol
    Pop3Client pop(env.endpoint(KitEnv::Service::Pop3, Security::ImplicitTls), env.user(kUser), env.password(kUser));
    {
        const Result<QList<Pop3MessageInfo>> left = pop.listMessages();
        QVERIFY2(left, qPrintable(left.error().toString()));
        for (const Pop3MessageInfo &m : left.value())
            QVERIFY(!pop.deleteMessage(m.uid).isError());
        QVERIFY(!pop.commit().isError());
    }
    ImapClient imap(env.endpoint(KitEnv::Service::Imap, Security::ImplicitTls), env.user(kUser), env.password(kUser));
    QSet<QString> sent;
    int next = 1;
    const auto deliver = [&](int count) {
        QList<NewMessage> batch;
        for (int n = next; n < next + count; ++n) {
            NewMessage m;
            m.data = message(n);
            batch << m;
            sent << QStringLiteral("kill-%1@sync.test").arg(n);
        }
        next += count;
        QVERIFY(imap.appendMessages(QStringLiteral("INBOX"), batch));
    };
    deliver(300);

    QTemporaryDir dir;
    const QString store = dir.filePath(QStringLiteral("store.sqlite"));
    seed();
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("TANDEM_KIT_ENV"), qEnvironmentVariable("TANDEM_KIT_STORE_ENV"));
    killRepeatedly({QStringLiteral("--pop3"), store, QString::number(kUser)}, environment,
                   [&](std::mt19937 &) { deliver(15); });
    if (QTest::currentTestFailed())
        return;

    // Every message sent is in the store once, and none is left on the server.
    Result<std::unique_ptr<MailStore>> opened = MailStore::open(store);
    QVERIFY2(opened, qPrintable(opened.error().toString()));
    const qint64 accountId = opened.value()->accounts()->first().id;
    const qint64 inbox = opened.value()->folder(accountId, QStringLiteral("INBOX")).value()->id;
    const Result<QList<StoredMessage>> rows = opened.value()->messages(inbox);
    QVERIFY(rows);
    QSet<QString> stored;
    for (const StoredMessage &m : rows.value()) {
        QVERIFY2(!stored.contains(m.summary.messageId), qPrintable(m.summary.messageId + QStringLiteral(" twice")));
        stored << m.summary.messageId;
        const Result<std::optional<QByteArray>> body = opened.value()->body(m.id);
        QVERIFY2(body && body.value() && mime::Message::parseHeaders(*body.value()).messageId == m.summary.messageId,
                 qPrintable(m.summary.messageId + QStringLiteral(": its body is missing or another")));
    }
    QCOMPARE(stored.size(), sent.size());
    QCOMPARE(stored, sent);
    QVERIFY(!pop.commit().isError()); // a new session: the maildrop as it is now
    QCOMPARE(pop.listMessages().value().size(), 0);
}

QTEST_GUILESS_MAIN(TestStoreKillSync)
#include "tst_store_killsync.moc"
