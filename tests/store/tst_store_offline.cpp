// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Offline actions against the kit's Dovecot behind a FaultProxy that can
// refuse every connection (the server out of reach): actions made meanwhile
// wait in the store, are sent in order once it can be reached, and a
// conflict (a folder gone) is resolved without losing mail, and reported.

#include <QCoreApplication>
#include <QTemporaryDir>
#include <QTest>

#include "mailcore/imapclient/imapclient.h"
#include "mailcore/store/actionreplay.h"
#include "mailcore/store/mailstore.h"
#include "support/faultproxy.h"
#include "support/kitenv.h"
#include "support/outcome.h"

using namespace mailcore;
using namespace mailcore::store;
using tandem::test::FaultProxy;
using tandem::test::KitEnv;
using tandem::test::outcome;

namespace {

QByteArray message(const QString &subject)
{
    return "From: Offline <offline@example.org>\r\nTo: alice@example.org\r\nSubject: " + subject.toUtf8()
        + "\r\nMessage-ID: <" + subject.toUtf8().replace(' ', '-') + "@offline.test>\r\n\r\nbody\r\n";
}

OfflineAction action(OfflineAction::Kind kind, const QString &folder, const QList<quint32> &uids,
                     const QList<QByteArray> &flags = {}, const QString &target = {}, const QByteArray &message = {})
{
    OfflineAction a;
    a.kind = kind;
    a.folder = folder;
    a.uids = uids;
    a.flags = flags;
    a.target = target;
    a.message = message;
    return a;
}

QList<QByteArray> flagsOf(ImapClient &c, const QString &folder, quint32 uid)
{
    const Result<QList<MessageSummary>> m = c.listMessages(folder, QList<quint32>{uid});
    return m && !m->isEmpty() ? m->first().flags : QList<QByteArray>{"<none>"};
}

} // namespace

class TestStoreOffline : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void actionsMadeWhileTheServerIsOutOfReachAreSentInOrderLater();
    void aFolderGoneMeanwhileIsAConflictResolvedWithoutLosingMail();
    void actionsOnAFolderMadeAgainMeanwhileAreConflictsThatTouchNothing();

private:
    /// A fresh folder on the server holding `count` messages.
    QString ownFolder(const QString &name, int count);
    QFuture<qint64> queue(OfflineAction a) { return m_store->queueAction(m_accountId, std::move(a)); }

    KitEnv m_env;
    std::unique_ptr<ImapClient> m_direct; // straight to the server: what it holds
    std::unique_ptr<FaultProxy> m_proxy;
    std::unique_ptr<ImapClient> m_client; // through the proxy: the one that replays
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MailStore> m_store;
    qint64 m_accountId = 0;
    QStringList m_folders;
};

void TestStoreOffline::initTestCase()
{
    m_env = KitEnv::load();
    QVERIFY2(m_env.isValid(), qPrintable(m_env.error()));
    m_direct = std::make_unique<ImapClient>(m_env.endpoint(QStringLiteral("TANDEM_KIT_IMAPS_PORT")), m_env.user(),
                                            m_env.password());
}

void TestStoreOffline::init()
{
    m_proxy = std::make_unique<FaultProxy>(m_env.port(QStringLiteral("TANDEM_KIT_IMAPS_PORT")));
    m_proxy->start();
    m_client = std::make_unique<ImapClient>(m_env.endpoint(QStringLiteral("TANDEM_KIT_IMAPS_PORT"), m_proxy->port()),
                                            m_env.user(), m_env.password());
    m_dir = std::make_unique<QTemporaryDir>();
    Result<std::unique_ptr<MailStore>> opened = MailStore::open(m_dir->filePath(QStringLiteral("store.sqlite")));
    QVERIFY2(opened, qPrintable(opened.error().toString()));
    m_store = std::move(opened.value());
    QFuture<qint64> account = m_store->addAccount(Account{
        0, QStringLiteral("kit"), QStringLiteral("imap"), m_env.host(), 0, QStringLiteral("tls"), m_env.user(), {}});
    QVERIFY(!outcome(account).isError());
    m_accountId = account.result();
}

void TestStoreOffline::cleanup()
{
    for (const QString &f : std::as_const(m_folders))
        m_direct->deleteFolder(f);
    m_folders.clear();
    m_store.reset();
    m_client.reset();
    m_proxy.reset();
    m_dir.reset();
}

QString TestStoreOffline::ownFolder(const QString &name, int count)
{
    const QString folder = m_env.value(QStringLiteral("TANDEM_KIT_FOLDER_PREFIX"))
        + QStringLiteral("offline-%1-%2").arg(name).arg(QCoreApplication::applicationPid());
    m_direct->deleteFolder(folder); // an earlier run's
    const Error created = m_direct->createFolder(folder);
    if (created.isError())
        qWarning("cannot create %s: %s", qPrintable(folder), qPrintable(created.toString()));
    m_folders << folder;
    for (int n = 1; n <= count; ++n)
        m_direct->appendMessage(folder, message(QStringLiteral("%1 %2").arg(name).arg(n)));
    return folder;
}

void TestStoreOffline::actionsMadeWhileTheServerIsOutOfReachAreSentInOrderLater()
{
    const QString inbox = ownFolder(QStringLiteral("source"), 5);
    const QString archive = ownFolder(QStringLiteral("archive"), 0);
    const QString drafts = ownFolder(QStringLiteral("drafts"), 0);

    m_proxy->refuseConnections(true);
    using K = OfflineAction::Kind;
    QVERIFY(!outcome(queue(action(K::AddFlags, inbox, {1, 2}, {"\\Flagged"}))).isError());
    QVERIFY(!outcome(queue(action(K::Move, inbox, {3}, {}, archive))).isError());
    QVERIFY(
        !outcome(queue(action(K::Append, drafts, {}, {"\\Draft"}, {}, message(QStringLiteral("my draft"))))).isError());
    QVERIFY(
        !outcome(queue(action(K::RemoveFlags, inbox, {1}, {"\\Flagged"}))).isError()); // after the add: order matters
    QVERIFY(!outcome(queue(action(K::Delete, inbox, {4}))).isError());

    ActionReplay replay(*m_store, *m_client, m_accountId);
    const Result<ReplayReport> offline = replay.replay();
    QVERIFY2(offline, qPrintable(offline.error().toString()));
    QCOMPARE(offline->sent, 0);
    QCOMPARE(offline->waiting, 5);
    QVERIFY(offline->stoppedBy.isError());
    const QList<OfflineAction> waiting = m_store->pendingActions(m_accountId).value();
    QCOMPARE(waiting.size(), 5);
    QCOMPARE(waiting.first().attempts, 1);
    QVERIFY(!waiting.first().lastError.isEmpty());
    QCOMPARE(m_direct->allUids(inbox).value().size(), 5); // nothing reached the server

    m_proxy->refuseConnections(false);
    const Result<ReplayReport> online = replay.replay();
    QVERIFY2(online, qPrintable(online.error().toString()));
    QVERIFY2(!online->stoppedBy.isError(), qPrintable(online->stoppedBy.toString()));
    QCOMPARE(online->sent, 5);
    QCOMPARE(online->waiting, 0);
    QVERIFY(online->conflicts.isEmpty());
    QVERIFY(m_store->pendingActions(m_accountId).value().isEmpty());

    // The server as the actions, in their order, leave it.
    QVERIFY(!flagsOf(*m_direct, inbox, 1).contains("\\Flagged")); // added, then removed
    QVERIFY(flagsOf(*m_direct, inbox, 2).contains("\\Flagged"));
    QCOMPARE(m_direct->allUids(inbox).value(), (QList<quint32>{1, 2, 5}));
    QCOMPARE(m_direct->allUids(archive).value().size(), 1);
    const QList<MessageSummary> draft = m_direct->listMessages(drafts, 1).value();
    QCOMPARE(draft.size(), 1);
    QCOMPARE(draft.first().subject, QStringLiteral("my draft"));
    QVERIFY(draft.first().flags.contains("\\Draft"));
}

void TestStoreOffline::aFolderGoneMeanwhileIsAConflictResolvedWithoutLosingMail()
{
    const QString inbox = ownFolder(QStringLiteral("conflicts"), 3);
    const QString target = ownFolder(QStringLiteral("target"), 0);
    const QString prefix = m_env.value(QStringLiteral("TANDEM_KIT_FOLDER_PREFIX"));
    const QString goneTarget = prefix + QStringLiteral("offline-nowhere-%1").arg(QCoreApplication::applicationPid());
    const QString goneDrafts = prefix
        + QStringLiteral("offline-gone-drafts-%1").arg(QCoreApplication::applicationPid());
    m_direct->deleteFolder(goneDrafts);
    m_folders << goneDrafts;
    using K = OfflineAction::Kind;
    QVERIFY(!outcome(queue(action(K::Move, inbox, {1}, {}, goneTarget))).isError());
    QVERIFY(!outcome(queue(action(K::AddFlags, goneTarget, {1}, {"\\Seen"}))).isError());
    QVERIFY(
        !outcome(queue(action(K::Append, goneDrafts, {}, {}, {}, message(QStringLiteral("kept draft"))))).isError());
    QVERIFY(!outcome(queue(action(K::Copy, inbox, {2}, {}, target))).isError());

    ActionReplay replay(*m_store, *m_client, m_accountId);
    const Result<ReplayReport> report = replay.replay();
    QVERIFY2(report, qPrintable(report.error().toString()));
    QVERIFY2(!report->stoppedBy.isError(), qPrintable(report->stoppedBy.toString()));
    QCOMPARE(report->conflicts.size(), 3);
    QVERIFY2(report->conflicts.at(0).contains(QStringLiteral("moving 1 message(s)")),
             qPrintable(report->conflicts.at(0)));
    QVERIFY2(report->conflicts.at(2).contains(QStringLiteral("made again")), qPrintable(report->conflicts.at(2)));
    QCOMPARE(report->sent, 2); // the append (to the folder made again) and the copy
    QVERIFY(m_store->pendingActions(m_accountId).value().isEmpty());
    // No mail lost: the message that could not move stayed; the draft is on the server.
    QCOMPARE(m_direct->allUids(inbox).value(), (QList<quint32>{1, 2, 3}));
    QCOMPARE(m_direct->listMessages(goneDrafts, 1).value().first().subject, QStringLiteral("kept draft"));
    QCOMPARE(m_direct->allUids(target).value().size(), 1);
}

void TestStoreOffline::actionsOnAFolderMadeAgainMeanwhileAreConflictsThatTouchNothing()
{
    // The store read the folder's UIDs under its UIDVALIDITY then.
    const QString folder = ownFolder(QStringLiteral("remade"), 2);
    const Result<FolderStatus> before = m_direct->folderStatus(folder);
    QVERIFY2(before, qPrintable(before.error().toString()));
    Folder known;
    known.accountId = m_accountId;
    known.name = folder;
    known.uidValidity = before->uidValidity;
    QVERIFY(!outcome(m_store->saveFolder(known)).isError());
    using K = OfflineAction::Kind;
    QVERIFY(!outcome(queue(action(K::AddFlags, folder, {1}, {"\\Flagged"}))).isError());
    QVERIFY(!outcome(queue(action(K::Delete, folder, {2}))).isError());
    QVERIFY(
        !outcome(queue(action(K::Append, folder, {}, {}, {}, message(QStringLiteral("kept draft too"))))).isError());

    // Meanwhile the folder is made again on the server: other messages under UIDs 1 and 2.
    QCOMPARE(ownFolder(QStringLiteral("remade"), 2), folder);
    const Result<FolderStatus> after = m_direct->folderStatus(folder);
    QVERIFY2(after, qPrintable(after.error().toString()));
    QVERIFY(after->uidValidity != before->uidValidity); // what Dovecot does for a folder made again

    ActionReplay replay(*m_store, *m_client, m_accountId);
    const Result<ReplayReport> report = replay.replay();
    QVERIFY2(report, qPrintable(report.error().toString()));
    QVERIFY2(!report->stoppedBy.isError(), qPrintable(report->stoppedBy.toString()));
    QCOMPARE(report->conflicts.size(), 2);
    for (const QString &conflict : report->conflicts)
        QVERIFY2(conflict.contains(QStringLiteral("replaced")), qPrintable(conflict));
    QCOMPARE(report->sent, 1); // the append: a message the user wrote goes wherever the folder is now
    QVERIFY(m_store->pendingActions(m_accountId).value().isEmpty());
    // The new messages under those UIDs are as they were; the draft is there too.
    QCOMPARE(m_direct->allUids(folder).value(), (QList<quint32>{1, 2, 3}));
    QVERIFY(!flagsOf(*m_direct, folder, 1).contains("\\Flagged"));
}

QTEST_GUILESS_MAIN(TestStoreOffline)
#include "tst_store_offline.moc"
