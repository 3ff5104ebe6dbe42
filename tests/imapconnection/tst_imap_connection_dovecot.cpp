// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The IMAP connection against the kit's real Dovecot: IMAPS and STARTTLS,
// pipelined fetches, SELECT, and a wrong password.

#include <QTest>

#include "mailcore/imap/connection.h"
#include "mailcore/imap/requests.h"
#include "mailcore/imap/serializer.h"
#include "support/datatable.h"
#include "support/kitenv.h"
#include "support/outcome.h"
#include "support/verify.h"

using namespace mailcore;
using namespace mailcore::imap;
using tandem::test::KitEnv;

class TestImapConnectionDovecot : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void logsInOverImplicitTlsAndStarttls_data();
    void logsInOverImplicitTlsAndStarttls();
    void pipelinedFetchesOfTheCorpus();
    void wrongPasswordIsAnAuthError();

private:
    SessionSettings settings(Security security, const QString &password = {}) const;
    KitEnv m_env;
};

using tandem::test::outcome;

void TestImapConnectionDovecot::initTestCase()
{
    m_env = KitEnv::load();
    QVERIFY2(m_env.isValid(), qPrintable(m_env.error()));
}

SessionSettings TestImapConnectionDovecot::settings(Security security, const QString &password) const
{
    return m_env.sessionSettings<SessionSettings>(m_env.endpoint(KitEnv::Service::Imap, security), 0, password);
}

void TestImapConnectionDovecot::logsInOverImplicitTlsAndStarttls_data()
{
    tandem::test::column<Security>("security", {{"imaps", Security::ImplicitTls}, {"starttls", Security::StartTls}});
}

void TestImapConnectionDovecot::logsInOverImplicitTlsAndStarttls()
{
    QFETCH(Security, security);
    ImapConnection connection(settings(security));
    VERIFY_OK(connection.open());
    QCOMPARE(connection.state(), SessionState::Authenticated);
    VERIFY_OK(connection.logout());
}

void TestImapConnectionDovecot::pipelinedFetchesOfTheCorpus()
{
    ImapConnection connection(settings(Security::ImplicitTls));
    VERIFY_OK(connection.open());
    auto selected = connection.execute(requests::select(QStringLiteral("INBOX")));
    VERIFY_OK(selected);
    const quint32 exists = selected.result().all<NumberData>().value(0).number;
    QVERIFY2(exists >= 20, "the kit imported its corpus into INBOX");

    QList<QFuture<CommandResult>> fetches;
    for (quint32 uid = 1; uid <= 20; ++uid) {
        Request fetch;
        fetch.uids = SequenceSet::fromRange(uid, uid);
        fetch.build = [uid](const CommandBuilder &b, const QByteArray &tag) {
            FetchItems items;
            items.size = true;
            items.sections = {FetchSection{}};
            return b.uidFetch(tag, SequenceSet::fromRange(uid, uid), items);
        };
        fetches << connection.execute(fetch);
    }
    for (quint32 uid = 1; uid <= 20; ++uid) {
        auto &future = fetches[int(uid - 1)];
        VERIFY_OK(future);
        const QList<FetchData> data = future.result().all<FetchData>();
        QCOMPARE(data.size(), 1);
        QCOMPARE(data.first().uid, std::optional<quint32>(uid));
        const SectionData *body = data.first().section("BODY", "");
        QVERIFY(body);
        QCOMPARE(quint64(body->data.size()), data.first().size.value_or(0));
    }
}

void TestImapConnectionDovecot::wrongPasswordIsAnAuthError()
{
    ImapConnection connection(settings(Security::ImplicitTls, QStringLiteral("not-the-password")));
    const Error error = outcome(connection.open());
    QCOMPARE(error.code(), ErrorCode::Auth);
    QVERIFY(!error.message().contains(QLatin1String("not-the-password")));
}

QTEST_GUILESS_MAIN(TestImapConnectionDovecot)
#include "tst_imap_connection_dovecot.moc"
