// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// POP3 into the store, against the kit's Dovecot (a kit of the store tests'
// own, user bob): every message once, byte for byte; the server's copy left,
// deleted after download, or after some days, and only once stored.

#include <QTemporaryDir>
#include <QTest>

#include "mailcore/imapclient/imapclient.h"
#include "mailcore/mime/message.h"
#include "mailcore/pop3client/pop3client.h"
#include "mailcore/store/mailstore.h"
#include "mailcore/store/pop3sync.h"
#include "support/kitenv.h"
#include "support/outcome.h"

using namespace mailcore;
using namespace mailcore::store;
using tandem::test::KitEnv;
using tandem::test::outcome;

namespace {

constexpr int kUser = 1; // bob: this kit's POP3 user for these tests

QByteArray message(int n)
{
    QByteArray m = "From: Alice <alice@localhost>\r\nTo: bob@localhost\r\nSubject: pop3 store test "
        + QByteArray::number(n) + "\r\nMessage-ID: <pop3-store-" + QByteArray::number(n)
        + "@tandem.test>\r\nReferences: <root@tandem.test>\r\n\r\nfirst line\r\n.\r\n..dots\r\n";
    // Every fourth one larger than the store keeps in its database.
    if (n % 4 == 0)
        m += QByteArray(76, 'x').append("\r\n").repeated(int(MailStore::kLargeBody / 78 + 10));
    return m;
}

} // namespace

class TestStorePop3Sync : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void eachMessageIsStoredOnceAndLeftOnTheServer();
    void deleteAfterDownloadDeletesWhatIsStored();
    void deleteAfterDaysKeepsTheRecentOnes();

private:
    std::unique_ptr<Pop3Client> pop() const
    {
        return std::make_unique<Pop3Client>(m_env.endpoint(KitEnv::Service::Pop3, Security::ImplicitTls),
                                            m_env.user(kUser), m_env.password(kUser));
    }
    void append(int first, int count);
    QList<QByteArray> onServer() const;
    /// The store's messages of the account's INBOX, by Message-ID, with their bodies.
    QMap<QString, QByteArray> stored();

    KitEnv m_env;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MailStore> m_store;
    std::unique_ptr<Pop3Client> m_pop;
    qint64 m_accountId = 0;
};

void TestStorePop3Sync::initTestCase()
{
    m_env = KitEnv::load();
    QVERIFY2(m_env.isValid(), qPrintable(m_env.error()));
    QCOMPARE(m_env.user(kUser).section(QLatin1Char('@'), 0, 0), QStringLiteral("bob"));
}

void TestStorePop3Sync::init()
{
    // An empty maildrop, whatever an earlier test left.
    {
        auto p = pop();
        const Result<QList<Pop3MessageInfo>> list = p->listMessages();
        QVERIFY2(list, qPrintable(list.error().toString()));
        for (const Pop3MessageInfo &m : list.value())
            QVERIFY(!p->deleteMessage(m.uid).isError());
        QVERIFY(!p->commit().isError());
    }
    m_dir = std::make_unique<QTemporaryDir>();
    Result<std::unique_ptr<MailStore>> opened = MailStore::open(m_dir->filePath(QStringLiteral("store.sqlite")));
    QVERIFY2(opened, qPrintable(opened.error().toString()));
    m_store = std::move(opened.value());
    QFuture<qint64> account = m_store->addAccount(Account{0,
                                                          QStringLiteral("pop"),
                                                          QStringLiteral("pop3"),
                                                          m_env.host(),
                                                          0,
                                                          QStringLiteral("tls"),
                                                          m_env.user(kUser),
                                                          {}});
    QVERIFY(!outcome(account).isError());
    m_accountId = account.result();
    m_pop = pop();
}

void TestStorePop3Sync::cleanup()
{
    m_pop.reset();
    m_store.reset();
    m_dir.reset();
}

void TestStorePop3Sync::append(int first, int count)
{
    ImapClient imap(m_env.endpoint(KitEnv::Service::Imap, Security::ImplicitTls), m_env.user(kUser),
                    m_env.password(kUser));
    for (int n = first; n < first + count; ++n)
        QVERIFY(imap.appendMessage(QStringLiteral("INBOX"), message(n)));
}

QList<QByteArray> TestStorePop3Sync::onServer() const
{
    QList<QByteArray> uids;
    const Result<QList<Pop3MessageInfo>> list = pop()->listMessages();
    if (list) {
        for (const Pop3MessageInfo &m : list.value())
            uids << m.uid;
    }
    return uids;
}

QMap<QString, QByteArray> TestStorePop3Sync::stored()
{
    QMap<QString, QByteArray> out;
    const Result<std::optional<Folder>> inbox = m_store->folder(m_accountId, QStringLiteral("INBOX"));
    if (!inbox || !inbox.value())
        return out;
    const Result<QList<StoredMessage>> rows = m_store->messages(inbox.value()->id);
    for (const StoredMessage &m : rows.value()) {
        if (out.contains(m.summary.messageId))
            out.insert(QStringLiteral("twice: ") + m.summary.messageId, {});
        out.insert(m.summary.messageId, m_store->body(m.id).value().value_or(QByteArray()));
    }
    return out;
}

void TestStorePop3Sync::eachMessageIsStoredOnceAndLeftOnTheServer()
{
    append(1, 5);
    Pop3Sync sync(*m_store, *m_pop, m_accountId);
    const Result<Pop3SyncReport> first = sync.download();
    QVERIFY2(first, qPrintable(first.error().toString()));
    QCOMPARE(first->downloaded, 5);
    QCOMPARE(first->deletedOnServer, 0);
    QCOMPARE(onServer().size(), 5);

    // Byte for byte as POP3 gives them, large ones too.
    const QMap<QString, QByteArray> bodies = stored();
    QCOMPARE(bodies.size(), 5);
    for (const QByteArray &uid : onServer()) {
        const QByteArray raw = pop()->fetchMessage(uid).value();
        const QString id = mime::Message::parseHeaders(raw).messageId;
        QVERIFY2(bodies.value(id) == raw, qPrintable(id));
    }
    const StoredMessage row =
        m_store->messages(m_store->folder(m_accountId, QStringLiteral("INBOX")).value()->id).value().first();
    QVERIFY(row.summary.subject.startsWith(QStringLiteral("pop3 store test")));
    QCOMPARE(row.summary.references, QStringList{QStringLiteral("root@tandem.test")});
    QVERIFY(row.summary.flags.isEmpty()); // unread

    // Again: nothing fetched twice; then only what is new.
    const Result<Pop3SyncReport> again = sync.download();
    QVERIFY(again);
    QCOMPARE(again->downloaded, 0);
    QCOMPARE(again->alreadyStored, 5);
    append(6, 2);
    const Result<Pop3SyncReport> more = sync.download();
    QVERIFY(more);
    QCOMPARE(more->downloaded, 2);
    QCOMPARE(stored().size(), 7);
    QCOMPARE(m_store->pop3Downloads(m_accountId)->size(), 7);
}

void TestStorePop3Sync::deleteAfterDownloadDeletesWhatIsStored()
{
    append(1, 6);
    Pop3Sync sync(*m_store, *m_pop, m_accountId);
    const Result<Pop3SyncReport> report = sync.download({Pop3Policy::Keep::DeleteAfterDownload});
    QVERIFY2(report, qPrintable(report.error().toString()));
    QCOMPARE(report->downloaded, 6);
    QCOMPARE(report->deletedOnServer, 6);
    QVERIFY(onServer().isEmpty());
    QCOMPARE(stored().size(), 6); // every one kept here
    const Result<QHash<QByteArray, Pop3Download>> downloads = m_store->pop3Downloads(m_accountId);
    QCOMPARE(downloads->size(), 6);
    for (const Pop3Download &d : downloads.value())
        QVERIFY(d.deletedOnServer);
}

void TestStorePop3Sync::deleteAfterDaysKeepsTheRecentOnes()
{
    append(1, 3);
    Pop3Sync sync(*m_store, *m_pop, m_accountId);
    const Result<Pop3SyncReport> fresh = sync.download({Pop3Policy::Keep::DeleteAfterDays, 1});
    QVERIFY(fresh);
    QCOMPARE(fresh->downloaded, 3);
    QCOMPARE(fresh->deletedOnServer, 0); // stored today: kept a day
    QCOMPARE(onServer().size(), 3);
    // With no grace at all, what was stored goes.
    const Result<Pop3SyncReport> due = sync.download({Pop3Policy::Keep::DeleteAfterDays, 0});
    QVERIFY2(due, qPrintable(due.error().toString()));
    QCOMPARE(due->deletedOnServer, 3);
    QVERIFY(onServer().isEmpty());
    QCOMPARE(stored().size(), 3);
}

QTEST_GUILESS_MAIN(TestStorePop3Sync)
#include "tst_store_pop3sync.moc"
