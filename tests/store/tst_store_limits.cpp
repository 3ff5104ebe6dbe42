// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// B05 remembered: the connection limit a server imposed (its refusal of one
// more login lowered the pool's limit) is saved in the store by the sync and
// applied to the next run's client at once, so a restart does not run into
// the server's limit again. Against the kit's Dovecot with its default limit
// of 10 sessions per user and address, 9 of them held by "other programs".

#include <QTemporaryDir>
#include <QTest>

#include "mailcore/imapclient/imapclient.h"
#include "mailcore/store/imapsync.h"
#include "mailcore/store/mailstore.h"
#include "support/kitenv.h"
#include "support/occupiedsessions.h"
#include "support/outcome.h"

using namespace mailcore;
using namespace mailcore::store;
using tandem::test::KitEnv;
using tandem::test::OccupiedSessions;
using tandem::test::outcome;

class TestStoreLimits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void b05_aLimitTheServerImposedIsRememberedAndAppliedAfterARestart();
};

void TestStoreLimits::b05_aLimitTheServerImposedIsRememberedAndAppliedAfterARestart()
{
    const KitEnv limited = KitEnv::load("TANDEM_KIT_LIMITED_ENV");
    QVERIFY2(limited.isValid(), qPrintable(limited.error()));
    QCOMPARE(limited.value(QStringLiteral("TANDEM_KIT_MAX_USERIP_CONNECTIONS")), QStringLiteral("10"));
    QString held;
    const OccupiedSessions others(limited, 9, held);
    QVERIFY2(held.isEmpty(), qPrintable(held));

    QTemporaryDir dir;
    Result<std::unique_ptr<MailStore>> opened = MailStore::open(dir.filePath(QStringLiteral("store.sqlite")));
    QVERIFY2(opened, qPrintable(opened.error().toString()));
    MailStore &store = *opened.value();
    QFuture<qint64> account = store.addAccount(Account{0,
                                                       QStringLiteral("limited"),
                                                       QStringLiteral("imap"),
                                                       limited.host(),
                                                       0,
                                                       QStringLiteral("tls"),
                                                       limited.user(),
                                                       {}});
    QVERIFY(!outcome(account).isError());
    const Endpoint endpoint = limited.endpoint(QStringLiteral("TANDEM_KIT_IMAPS_PORT"));

    int lowered = 0;
    {
        ImapClient client(endpoint, limited.user(), limited.password());
        QVERIFY(!client.setMaxConnectionsPerServer(15).isError());
        ImapSync sync(store, client, account.result());
        QVERIFY(sync.syncFolderList());
        // Work that wants many connections at once: the server refuses the
        // logins beyond its limit and the pool lowers its own (B05).
        const QList<quint32> uids = client.allUids(QStringLiteral("INBOX")).value();
        QVERIFY(!uids.isEmpty());
        QList<QFuture<QByteArray>> fetches;
        for (int round = 0; round < 6; ++round) {
            for (const quint32 uid : uids)
                fetches << client.fetchMessageAsync(QStringLiteral("INBOX"), uid);
        }
        for (auto &f : fetches)
            QVERIFY(!outcome(f).isError());
        lowered = client.poolSnapshot().loweredLimit;
        QVERIFY2(lowered >= 1 && lowered < 15, qPrintable(QString::number(lowered)));
        const Result<FolderSyncReport> synced = sync.syncFolder(QStringLiteral("INBOX"));
        QVERIFY2(synced, qPrintable(synced.error().toString()));
    }
    QCOMPARE(store.connectionLimit(QStringLiteral("imap"), endpoint.host, endpoint.port, limited.user()).value(),
             std::optional<int>(lowered));

    // The next run: a client with the default limit gets the remembered one
    // before it opens a single connection.
    ImapClient again(endpoint, limited.user(), limited.password());
    QCOMPARE(again.maxConnectionsPerServer(), 10);
    ImapSync nextRun(store, again, account.result());
    QCOMPARE(again.maxConnectionsPerServer(), lowered);
    QCOMPARE(again.poolSnapshot().connectionCount, 0);
}

QTEST_GUILESS_MAIN(TestStoreLimits)
#include "tst_store_limits.moc"
