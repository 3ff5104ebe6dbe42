// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// A sync as a process of its own, for tst_store_killsync to kill at random
// moments: opens the store at STORE (adding the kit's account if it has
// none), syncs the folder list and then FOLDER, and prints what happened.
// With --pop3, downloads kit user USER's POP3 maildrop instead, deleting
// what it stored from the server.
//
//   TANDEM_KIT_ENV=kit.env storesync_worker STORE FOLDER
//   TANDEM_KIT_ENV=kit.env storesync_worker --pop3 STORE USER
// Prints "opened rebuilt=0|1" once the store is open, "synced ..." at the
// end; exits 0 when the sync completed.

#include <QCoreApplication>

#include <cstdio>

#include "mailcore/imapclient/imapclient.h"
#include "mailcore/pop3client/pop3client.h"
#include "mailcore/store/imapsync.h"
#include "mailcore/store/mailstore.h"
#include "mailcore/store/pop3sync.h"
#include "support/kitenv.h"

using namespace mailcore;
using namespace mailcore::store;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const bool pop3 = argc == 4 && QByteArray(argv[1]) == "--pop3";
    if (argc != 3 && !pop3) {
        std::fprintf(stderr, "usage: storesync_worker STORE FOLDER | --pop3 STORE USER\n");
        return 2;
    }
    if (pop3)
        ++argv; // STORE USER
    const tandem::test::KitEnv env = tandem::test::KitEnv::load();
    if (!env.isValid()) {
        std::fprintf(stderr, "%s\n", qPrintable(env.error()));
        return 2;
    }
    Result<std::unique_ptr<MailStore>> opened = MailStore::open(QString::fromLocal8Bit(argv[1]));
    if (!opened) {
        std::fprintf(stderr, "%s\n", qPrintable(opened.error().toString()));
        return 1;
    }
    MailStore &store = *opened.value();
    std::printf("opened rebuilt=%d\n", store.openReport().rebuilt ? 1 : 0);
    std::fflush(stdout);
    Result<QList<Account>> accounts = store.accounts();
    if (!accounts)
        return 1;
    qint64 accountId = accounts->isEmpty() ? 0 : accounts->first().id;
    if (accountId == 0) {
        QFuture<qint64> added = store.addAccount(Account{0,
                                                         QStringLiteral("kit"),
                                                         pop3 ? QStringLiteral("pop3") : QStringLiteral("imap"),
                                                         env.host(),
                                                         env.port(QStringLiteral("TANDEM_KIT_IMAPS_PORT")),
                                                         QStringLiteral("tls"),
                                                         env.user(),
                                                         {}});
        try {
            accountId = added.result();
        } catch (const MailException &e) {
            std::fprintf(stderr, "%s\n", qPrintable(e.error().toString()));
            return 1;
        }
    }
    if (pop3) {
        const int user = QByteArray(argv[2]).toInt();
        Pop3Client client(env.endpoint(tandem::test::KitEnv::Service::Pop3, Security::ImplicitTls), env.user(user),
                          env.password(user));
        Pop3Sync sync(store, client, accountId);
        const Result<Pop3SyncReport> done = sync.download({Pop3Policy::Keep::DeleteAfterDownload});
        if (!done) {
            std::fprintf(stderr, "%s\n", qPrintable(done.error().toString()));
            return 1;
        }
        std::printf("synced downloaded=%d deleted=%d\n", done->downloaded, done->deletedOnServer);
        return 0;
    }
    ImapClient client(env.endpoint(QStringLiteral("TANDEM_KIT_IMAPS_PORT")), env.user(), env.password());
    ImapSync sync(store, client, accountId);
    if (const Result<FolderListReport> listed = sync.syncFolderList(); !listed) {
        std::fprintf(stderr, "%s\n", qPrintable(listed.error().toString()));
        return 1;
    }
    const Result<FolderSyncReport> synced = sync.syncFolder(QString::fromLocal8Bit(argv[2]));
    if (!synced) {
        std::fprintf(stderr, "%s\n", qPrintable(synced.error().toString()));
        return 1;
    }
    std::printf("synced added=%d removed=%d flags=%d\n", synced->added, synced->removed, synced->flagsUpdated);
    return 0;
}
