// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Every IMAP command the connection offers, against the kit's real Dovecot, as
// user bob (whose mailbox starts empty, so the test may change it freely).
// Registered twice: over IMAPS, and over STARTTLS ($TANDEM_IMAP_SECURITY=starttls).

#include <QSignalSpy>
#include <QTest>
#include <QUuid>

#include "mailcore/imap/connection.h"
#include "mailcore/imap/requests.h"
#include "support/kitenv.h"
#include "support/outcome.h"
#include "support/verify.h"

using namespace mailcore;
using namespace mailcore::imap;
using tandem::test::KitEnv;

namespace {

using tandem::test::outcome;

QByteArray message(const QByteArray &subject)
{
    return "From: Bob <bob@localhost>\r\nTo: bob@localhost\r\nSubject: " + subject + "\r\nMessage-ID: <"
        + QUuid::createUuid().toByteArray(QUuid::WithoutBraces)
        + "@tandem.test>\r\n"
          "Date: Tue, 24 Nov 2026 10:00:00 +0100\r\n\r\nBody of "
        + subject + ".\r\n.leading dot\r\n";
}

quint32 appendedUid(const CommandResult &result)
{
    const ResponseCode &code = result.completion.code;
    return code.kind == ResponseCode::Kind::AppendUid && !code.destSet.isEmpty() ? code.destSet.ranges().first().first
                                                                                 : 0;
}

} // namespace

class TestImapCommandsDovecot : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void sessionCommands();
    void mailboxCommands();
    void messageCommands();
    void moveWithAndWithoutMoveCapability();
    void idleReportsAnAppendFromAnotherConnectionAtOnce();
    void logout();

private:
    std::unique_ptr<ImapConnection> connect(bool starttls = false);
    KitEnv m_env;
    QString m_prefix;        // a fresh folder prefix per run: the kit may be reused
    bool m_starttls = false; // CTest runs this file twice: over IMAPS and over STARTTLS
};

void TestImapCommandsDovecot::initTestCase()
{
    m_env = KitEnv::load();
    QVERIFY2(m_env.isValid(), qPrintable(m_env.error()));
    m_prefix = QStringLiteral("t") + QUuid::createUuid().toString(QUuid::Id128).left(8);
    m_starttls = qEnvironmentVariable("TANDEM_IMAP_SECURITY") == QLatin1String("starttls");
}

std::unique_ptr<ImapConnection> TestImapCommandsDovecot::connect(bool starttls)
{
    starttls = starttls || m_starttls;
    const Endpoint endpoint = m_env.endpoint(KitEnv::Service::Imap,
                                             starttls ? Security::StartTls : Security::ImplicitTls);
    const auto s = m_env.sessionSettings<SessionSettings>(endpoint, 1);
    auto connection = std::make_unique<ImapConnection>(s);
    const Error error = outcome(connection->open());
    if (error.isError())
        qWarning("open failed: %s", qPrintable(error.toString()));
    return connection;
}

void TestImapCommandsDovecot::sessionCommands()
{
    auto c = connect(true); // over STARTTLS this time
    QCOMPARE(c->state(), SessionState::Authenticated);
    QVERIFY(c->capabilities().has("IMAP4REV1"));

    auto caps = c->execute(requests::capability());
    VERIFY_OK(caps);
    QVERIFY(!caps.result().all<CapabilityData>().isEmpty());

    VERIFY_OK(c->execute(requests::noop()));

    auto ns = c->execute(requests::namespaces());
    VERIFY_OK(ns);
    QCOMPARE(ns.result().all<NamespaceData>().size(), 1);
    QCOMPARE(ns.result().all<NamespaceData>().first().personal.value(0).delimiter, std::optional<char>('/'));

    auto id = c->execute(requests::id({{QStringLiteral("name"), QStringLiteral("Tandem")}}));
    VERIFY_OK(id);
    QCOMPARE(id.result().all<IdData>().size(), 1);

    auto enabled = c->execute(requests::enable({"CONDSTORE"}));
    VERIFY_OK(enabled);
    QVERIFY(enabled.result().all<EnabledData>().value(0).capabilities.contains("CONDSTORE"));
}

void TestImapCommandsDovecot::mailboxCommands()
{
    auto c = connect();
    const QString folder = m_prefix + QStringLiteral("/Ünïcødé & Co");
    const QString renamed = m_prefix + QStringLiteral("/Renamed");

    VERIFY_OK(c->execute(requests::create(folder)));
    auto created = c->execute(requests::list(QString(), m_prefix + QStringLiteral("/*")));
    VERIFY_OK(created);
    QCOMPARE(created.result().all<ListData>().value(0).name, folder); // modified UTF-7 both ways

    VERIFY_OK(c->execute(requests::subscribe(folder)));
    auto subscribed = c->execute(requests::lsub(QString(), m_prefix + QStringLiteral("/*")));
    VERIFY_OK(subscribed);
    QCOMPARE(subscribed.result().all<ListData>().size(), 1);
    VERIFY_OK(c->execute(requests::unsubscribe(folder)));

    VERIFY_OK(c->execute(requests::rename(folder, renamed)));
    auto status = c->execute(requests::status(renamed, {"MESSAGES", "UIDNEXT", "UIDVALIDITY", "UNSEEN"}));
    VERIFY_OK(status);
    const MailboxStatusData data = status.result().all<MailboxStatusData>().value(0);
    QCOMPARE(data.name, renamed);
    QCOMPARE(data.value("MESSAGES"), std::optional<quint64>(0));

    ListReturnOptions specialUse;
    specialUse.specialUse = true;
    auto special = c->execute(requests::list(QString(), QStringLiteral("*"), specialUse));
    VERIFY_OK(special);
    bool sawSent = false;
    for (const ListData &entry : special.result().all<ListData>())
        sawSent |= entry.specialUse() == SpecialUse::Sent;
    QVERIFY(sawSent);

    VERIFY_OK(c->execute(requests::deleteMailbox(renamed)));
    const Error gone = outcome(c->execute(requests::status(renamed, {"MESSAGES"})));
    QCOMPARE(gone.code(), ErrorCode::ServerRefused);
}

void TestImapCommandsDovecot::messageCommands()
{
    auto c = connect();
    const QString folder = m_prefix + QStringLiteral("-msgs");
    VERIFY_OK(c->execute(requests::create(folder)));

    // APPEND with flags and a date; APPENDUID gives the new UIDs.
    const QDateTime date(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::OffsetFromUTC, 3600);
    const QByteArray first = message("first");
    auto a1 = c->execute(requests::append(folder, first, {"\\Seen"}, date));
    auto a2 = c->execute(requests::append(folder, message("second needle")));
    VERIFY_OK(a1);
    VERIFY_OK(a2);
    const quint32 uid1 = appendedUid(a1.result());
    const quint32 uid2 = appendedUid(a2.result());
    QVERIFY(uid1 > 0 && uid2 > uid1);

    SelectOptions condStore;
    condStore.condStore = true;
    auto selected = c->execute(requests::select(folder, condStore));
    VERIFY_OK(selected);
    QCOMPARE(selected.result().all<NumberData>().value(0).number, 2u);

    // UID FETCH: everything a message list and a viewer need, byte-exact body.
    FetchItems items;
    items.flags = items.internalDate = items.size = items.envelope = items.bodyStructure = items.modSeq = true;
    items.sections = {FetchSection{}};
    auto fetched = c->execute(requests::uidFetch(SequenceSet::fromRange(uid1, uid1), items));
    VERIFY_OK(fetched);
    const FetchData f = fetched.result().all<FetchData>().value(0);
    QCOMPARE(f.section("BODY", "")->data, first);
    QCOMPARE(f.size, std::optional<quint64>(quint64(first.size())));
    QVERIFY(f.flags && f.flags->contains("\\Seen"));
    QCOMPARE(f.internalDate->toUTC(), date.toUTC());
    QCOMPARE(f.envelope->subject, QByteArray("first"));
    QVERIFY(f.body.has_value());
    QVERIFY(f.modSeq.has_value());

    // UID SEARCH on server-side criteria.
    auto found = c->execute(
        requests::uidSearch(SearchKey::and_({SearchKey::subject(QStringLiteral("needle")), SearchKey::unseen()})));
    VERIFY_OK(found);
    QCOMPARE(found.result().all<SearchData>().value(0).numbers, QList<quint32>{uid2});

    // UID STORE, and UNCHANGEDSINCE refusing a stale change.
    auto stored = c->execute(requests::uidStore(SequenceSet::fromRange(uid2, uid2), StoreMode::Add, {"\\Flagged"}));
    VERIFY_OK(stored);
    QVERIFY(stored.result().all<FetchData>().value(0).flags->contains("\\Flagged"));
    auto stale = c->execute(
        requests::uidStore(SequenceSet::fromRange(uid2, uid2), StoreMode::Remove, {"\\Flagged"}, 1));
    VERIFY_OK(stale);
    QCOMPARE(stale.result().completion.code.kind, ResponseCode::Kind::Modified);

    // UID COPY into another folder, then UID EXPUNGE of one message and EXPUNGE.
    const QString copies = m_prefix + QStringLiteral("-copies");
    VERIFY_OK(c->execute(requests::create(copies)));
    auto copied = c->execute(requests::uidCopy(SequenceSet::fromRange(uid1, uid2), copies));
    VERIFY_OK(copied);
    QCOMPARE(copied.result().completion.code.kind, ResponseCode::Kind::CopyUid);
    VERIFY_OK(c->execute(requests::uidStore(SequenceSet::fromRange(uid1, uid2), StoreMode::Add, {"\\Deleted"})));
    VERIFY_OK(c->execute(requests::uidExpunge(SequenceSet::fromRange(uid1, uid1))));
    auto left = c->execute(requests::uidSearch(SearchKey::all()));
    VERIFY_OK(left);
    QCOMPARE(left.result().all<SearchData>().value(0).numbers, QList<quint32>{uid2});
    VERIFY_OK(c->execute(requests::expunge()));
    auto empty = c->execute(requests::uidSearch(SearchKey::all()));
    VERIFY_OK(empty);
    QVERIFY(empty.result().all<SearchData>().value(0).numbers.isEmpty());

    VERIFY_OK(c->execute(requests::unselect()));
    QTRY_COMPARE(c->state(), SessionState::Authenticated);
    auto copiedStatus = c->execute(requests::status(copies, {"MESSAGES"}));
    VERIFY_OK(copiedStatus);
    QCOMPARE(copiedStatus.result().all<MailboxStatusData>().value(0).value("MESSAGES"), std::optional<quint64>(2));
}

void TestImapCommandsDovecot::moveWithAndWithoutMoveCapability()
{
    auto c = connect();
    QVERIFY(c->capabilities().has("MOVE")); // Dovecot offers MOVE: the direct path
    const QString from = m_prefix + QStringLiteral("-from");
    const QString to = m_prefix + QStringLiteral("-to");
    VERIFY_OK(c->execute(requests::create(from)));
    VERIFY_OK(c->execute(requests::create(to)));
    auto appended = c->execute(requests::append(from, message("moving")));
    VERIFY_OK(appended);
    const quint32 uid = appendedUid(appended.result());
    VERIFY_OK(c->execute(requests::select(from)));
    VERIFY_OK(moveMessages(*c, SequenceSet::fromRange(uid, uid), to));
    VERIFY_OK(c->execute(requests::close()));
    auto status = c->execute(requests::status(to, {"MESSAGES"}));
    VERIFY_OK(status);
    QCOMPARE(status.result().all<MailboxStatusData>().value(0).value("MESSAGES"), std::optional<quint64>(1));
    // The fallback path (no MOVE) is covered byte for byte by the scripted tests.
}

void TestImapCommandsDovecot::idleReportsAnAppendFromAnotherConnectionAtOnce()
{
    const QString folder = m_prefix + QStringLiteral("-idle");
    auto watcher = connect();
    auto writer = connect();
    VERIFY_OK(watcher->execute(requests::create(folder)));
    VERIFY_OK(watcher->execute(requests::select(folder)));
    QSignalSpy events(watcher.get(), &ImapConnection::unsolicited);
    auto idling = watcher->idle();
    QTRY_COMPARE(watcher->state(), SessionState::Idling);

    QElapsedTimer clock;
    clock.start();
    VERIFY_OK(writer->execute(requests::append(folder, message("pushed"))));
    const auto sawExists = [&] {
        for (const QList<QVariant> &args : std::as_const(events)) {
            const Response response = args.value(0).value<Response>(); // keep it: get() points into it
            const auto *n = response.get<NumberData>();
            if (n && n->kind == NumberData::Kind::Exists && n->number == 1)
                return true;
        }
        return false;
    };
    // Dovecot pushes the change (inotify); its fallback, the check every
    // mailbox_idle_check_interval (30 s), would come later than this deadline.
    QVERIFY2(QTest::qWaitFor(sawExists, 15000), "IDLE reported nothing before Dovecot's periodic check");
    qInfo("IDLE reported the new message %lld ms after APPEND completed", qint64(clock.elapsed()));
    watcher->done();
    VERIFY_OK(idling);
}

void TestImapCommandsDovecot::logout()
{
    auto c = connect();
    VERIFY_OK(c->logout());
    QTRY_COMPARE(c->state(), SessionState::Closed);
}

QTEST_GUILESS_MAIN(TestImapCommandsDovecot)
#include "tst_imap_commands_dovecot.moc"
