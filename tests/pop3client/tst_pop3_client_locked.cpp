// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Pop3Client against a Dovecot that locks the maildrop for the whole POP3
// session (kit profile pop3-locked, pop3_lock_session = yes): a second
// session's login waits for the first session to end, then gets [IN-USE]. The
// pool must take that for the server's limit (B05): lower its own to 1 and
// carry on on the main session, with nothing failing; deletions and commit
// work as on one session. User bob, whose maildrop this test owns.

#include <QTemporaryDir>
#include <QTest>

#include <thread>

#include "mailcore/imapclient/imapclient.h"
#include "mailcore/pop3client/pop3client.h"
#include "mailcore/store/mailstore.h"
#include "mailcore/store/pop3sync.h"
#include "support/kitenv.h"
#include "support/verify.h"

using namespace mailcore;
using tandem::test::KitEnv;

namespace {

constexpr int kUser = 1;      // bob
constexpr int kMessages = 40; // more than the main session's share of a bulk (16): extras are asked for

QByteArray messageNumber(int i)
{
    return "From: Alice <alice@localhost>\r\nTo: bob@localhost\r\nSubject: locked maildrop " + QByteArray::number(i)
        + "\r\nMessage-ID: <pop3-locked-" + QByteArray::number(i) + "@tandem.test>\r\n\r\nbody " + QByteArray::number(i)
        + "\r\n";
}

} // namespace

class TestPop3ClientLocked : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void b05_aBulkFetchMeetsTheLockLowersTheLimitToOneAndNothingFails();
    void b05_aReadThatAsksForAnExtraRunsOnTheMainSession();
    void deletionsAndCommitStillWork();
    void b05_theStoreRemembersTheLoweredLimitForTheNextRun();

private:
    std::unique_ptr<Pop3Client> client() const
    {
        return std::make_unique<Pop3Client>(m_env.endpoint(KitEnv::Service::Pop3, Security::ImplicitTls),
                                            m_env.user(kUser), m_env.password(kUser));
    }
    QList<QByteArray> uids() const;

    KitEnv m_env;
};

QList<QByteArray> TestPop3ClientLocked::uids() const
{
    auto pop = client();
    QList<QByteArray> out;
    const Result<QList<Pop3MessageInfo>> list = pop->listMessages();
    if (list) {
        for (const Pop3MessageInfo &m : list.value())
            out << m.uid;
    }
    return out;
}

void TestPop3ClientLocked::initTestCase()
{
    m_env = KitEnv::load();
    QVERIFY2(m_env.isValid(), qPrintable(m_env.error()));
    QCOMPARE(m_env.value(QStringLiteral("TANDEM_KIT_PROFILE")), QStringLiteral("pop3-locked"));
    {
        auto pop = client();
        QVERIFY(!pop->setMaxConnectionsPerServer(1).isError());
        const Result<QList<Pop3MessageInfo>> list = pop->listMessages();
        QVERIFY2(list, qPrintable(list.error().toString()));
        for (const Pop3MessageInfo &m : list.value())
            QVERIFY(!pop->deleteMessage(m.uid).isError());
        QVERIFY(!pop->commit().isError());
    }
    ImapClient imap(m_env.endpoint(KitEnv::Service::Imap, Security::ImplicitTls), m_env.user(kUser),
                    m_env.password(kUser));
    for (int i = 0; i < kMessages; ++i) {
        const Result<quint32> appended = imap.appendMessage(QStringLiteral("INBOX"), messageNumber(i));
        QVERIFY2(appended, qPrintable(appended.error().toString()));
    }
}

void TestPop3ClientLocked::b05_aBulkFetchMeetsTheLockLowersTheLimitToOneAndNothingFails()
{
    const QList<QByteArray> ids = uids();
    QCOMPARE(ids.size(), kMessages);
    auto pop = client();
    QCOMPARE(pop->maxConnectionsPerServer(), 10);
    QFuture<Pop3FetchedMessage> bulk = pop->fetchMessagesAsync(ids);
    VERIFY_OK(bulk);
    const QList<Pop3FetchedMessage> got = bulk.results();
    QCOMPARE(got.size(), ids.size());
    for (const Pop3FetchedMessage &m : got)
        QVERIFY(m_env.withoutServerHeaders(m.data) == messageNumber(int(ids.indexOf(m.uid))));
    // The extras' logins wait for the main session's lock; the first to be
    // taken for refused lowers the limit (B05), maybe after the bulk ended.
    QTRY_COMPARE_WITH_TIMEOUT(pop->poolSnapshot().loweredLimit, 1, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(pop->poolSnapshot().connections.size(), 1, 20000);
    QCOMPARE(pop->poolSnapshot().connections.first().role, PoolConnectionInfo::Role::Main);
    QCOMPARE(pop->maxConnectionsPerServer(), 10); // the user's limit stays; the server's is in force
}

void TestPop3ClientLocked::b05_aReadThatAsksForAnExtraRunsOnTheMainSession()
{
    const QList<QByteArray> ids = uids();
    auto pop = client();
    QVERIFY(pop->mailboxInfo());                                     // the main session holds the lock
    QFuture<QByteArray> fetched = pop->fetchMessageAsync(ids.at(3)); // asks for an extra: it waits for the lock
    VERIFY_OK(fetched);
    QVERIFY(m_env.withoutServerHeaders(fetched.result()) == messageNumber(3));
    QCOMPARE(pop->poolSnapshot().loweredLimit, 1);
    QCOMPARE(pop->poolSnapshot().connections.size(), 1);
    // createConnection() follows the limit in force: with 1 there is no second session (S13).
    bool refused = false;
    std::thread([&] { refused = !pop->createConnection(QDeadlineTimer(2000)).isValid(); }).join();
    QVERIFY(refused);
}

void TestPop3ClientLocked::deletionsAndCommitStillWork()
{
    const QList<QByteArray> ids = uids();
    auto pop = client();
    QFuture<Pop3FetchedMessage> bulk = pop->fetchMessagesAsync(ids);
    VERIFY_OK(bulk);
    QVERIFY(!pop->deleteMessage(ids.first()).isError());
    QVERIFY(!pop->deleteMessage(ids.last()).isError());
    QCOMPARE(pop->pendingDeletions(), 2);
    QVERIFY(!pop->commit().isError());
    QCOMPARE(pop->pendingDeletions(), 0);
    pop.reset(); // and with it any session that logged in once the commit freed the lock
    const QList<QByteArray> after = uids();
    QCOMPARE(after.size(), kMessages - 2);
    QVERIFY(!after.contains(ids.first()));
    QVERIFY(!after.contains(ids.last()));
}

void TestPop3ClientLocked::b05_theStoreRemembersTheLoweredLimitForTheNextRun()
{
    QTemporaryDir dir;
    auto opened = store::MailStore::open(dir.filePath(QStringLiteral("store.sqlite")));
    QVERIFY2(opened, qPrintable(opened.error().toString()));
    std::unique_ptr<store::MailStore> mail = std::move(opened.value());
    store::Account account;
    account.name = QStringLiteral("bob");
    account.protocol = QStringLiteral("pop3");
    QFuture<qint64> added = mail->addAccount(account);
    VERIFY_OK(added);
    const qint64 accountId = added.result();
    {
        auto pop = client();
        store::Pop3Sync sync(*mail, *pop, accountId);
        const Result<store::Pop3SyncReport> first = sync.download(); // every message new: extras are tried
        QVERIFY2(first, qPrintable(first.error().toString()));
        QTRY_COMPARE_WITH_TIMEOUT(pop->poolSnapshot().loweredLimit, 1, 20000);
        QVERIFY(sync.download()); // a download that ends saves what the pool learned
    }
    // The next run's client is told at once: no extra login waits on the lock again.
    auto again = client();
    QCOMPARE(again->maxConnectionsPerServer(), 10);
    store::Pop3Sync next(*mail, *again, accountId);
    QCOMPARE(again->maxConnectionsPerServer(), 1);
}

QTEST_GUILESS_MAIN(TestPop3ClientLocked)
#include "tst_pop3_client_locked.moc"
