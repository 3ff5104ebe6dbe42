// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The POP3 connection against the kit's real Dovecot: POP3S and STLS logins,
// STAT/LIST/UIDL against the corpus manifest, pipelined RETR by UIDL compared
// byte for byte (SHA-256), streaming to a file, TOP, DELE + RSET, a wrong password.

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryFile>
#include <QTest>

#include "mailcore/pop3/connection.h"
#include "support/datatable.h"
#include "support/kitenv.h"
#include "support/outcome.h"
#include "support/verify.h"

using namespace mailcore;
using namespace mailcore::pop3;
using tandem::test::KitEnv;

class TestPop3ConnectionDovecot : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void logsInOverPop3sAndStls_data();
    void logsInOverPop3sAndStls();
    void statListAndUidlMatchTheCorpus();
    void retrievesTheFirstTwentyByUidPipelined();
    void streamsTheLargestMessageToAFile();
    void topReturnsTheHeader();
    void deleThenRsetDeletesNothing();
    void wrongPasswordIsAnAuthError();

private:
    struct Expected {
        qint64 size = 0;
        QByteArray sha256; // hex
    };
    SessionSettings settings(Security security, const QString &password = {}) const;
    /// Opens `connection` and lists its uids (UIDL), in message order; empty,
    /// with a warning, when either failed.
    static QList<QByteArray> openAndListUids(Pop3Connection &connection);
    KitEnv m_env;
    QList<Expected> m_inbox; // in UID order, which is POP3's message order
};

namespace {

using tandem::test::outcome;

QByteArray sha256Hex(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

} // namespace

void TestPop3ConnectionDovecot::initTestCase()
{
    m_env = KitEnv::load();
    QVERIFY2(m_env.isValid(), qPrintable(m_env.error()));
    const QJsonObject folders = m_env.corpusFolders();
    QVERIFY2(!folders.isEmpty(), "the kit must have imported a corpus");
    const QJsonArray inbox = folders.value(QLatin1String("INBOX")).toArray();
    for (const QJsonValue &message : inbox) {
        const QJsonObject object = message.toObject();
        m_inbox.append({qint64(object.value(QLatin1String("size")).toDouble()),
                        object.value(QLatin1String("sha256")).toString().toLatin1()});
    }
    QVERIFY2(m_inbox.size() >= 20, "the corpus has at least 20 INBOX messages");
}

SessionSettings TestPop3ConnectionDovecot::settings(Security security, const QString &password) const
{
    return m_env.sessionSettings<SessionSettings>(m_env.endpoint(KitEnv::Service::Pop3, security), 0, password);
}

QList<QByteArray> TestPop3ConnectionDovecot::openAndListUids(Pop3Connection &connection)
{
    const Error opened = outcome(connection.open());
    auto uidl = connection.uidl();
    const Error listed = outcome(uidl);
    if (opened.isError() || listed.isError()) {
        qWarning("open or UIDL failed: %s", qPrintable((opened.isError() ? opened : listed).toString()));
        return {};
    }
    return uidl.result();
}

void TestPop3ConnectionDovecot::logsInOverPop3sAndStls_data()
{
    tandem::test::column<Security>("security", {{"pop3s", Security::ImplicitTls}, {"stls", Security::StartTls}});
}

void TestPop3ConnectionDovecot::logsInOverPop3sAndStls()
{
    QFETCH(Security, security);
    Pop3Connection connection(settings(security));
    VERIFY_OK(connection.open());
    QCOMPARE(connection.state(), SessionState::Transaction);
    QVERIFY(connection.capabilities().pipelining);
    QVERIFY(connection.capabilities().hasSasl("PLAIN"));
    QVERIFY(!connection.capabilities().stls); // not offered again over TLS
    VERIFY_OK(connection.noop());
    VERIFY_OK(connection.quit());
    QTRY_COMPARE(connection.state(), SessionState::Closed);
}

void TestPop3ConnectionDovecot::statListAndUidlMatchTheCorpus()
{
    Pop3Connection connection(settings(Security::ImplicitTls));
    VERIFY_OK(connection.open());
    auto stat = connection.stat();
    auto list = connection.list();
    auto uidl = connection.uidl();
    VERIFY_OK(uidl);
    VERIFY_OK(stat);
    VERIFY_OK(list);
    qint64 total = 0;
    for (const Expected &message : std::as_const(m_inbox))
        total += message.size;
    QCOMPARE(stat.result().count, m_inbox.size());
    QCOMPARE(stat.result().size, total);
    const QList<MessageInfo> messages = list.result();
    QCOMPARE(messages.size(), m_inbox.size());
    for (int i = 0; i < messages.size(); ++i) {
        QCOMPARE(messages.at(i).size, m_inbox.at(i).size);
        QCOMPARE(messages.at(i).uid, uidl.result().at(i));
    }
    VERIFY_OK(connection.quit());
}

void TestPop3ConnectionDovecot::retrievesTheFirstTwentyByUidPipelined()
{
    Pop3Connection connection(settings(Security::ImplicitTls));
    const QList<QByteArray> uids = openAndListUids(connection);
    QVERIFY(!uids.isEmpty());
    const QList<QByteArray> firstTwenty = uids.first(20);
    // All twenty submitted at once: the session keeps up to its window on the wire.
    QList<QFuture<QByteArray>> messages;
    for (const QByteArray &uid : firstTwenty)
        messages << connection.retrieve(uid);
    for (int i = 0; i < 20; ++i) {
        VERIFY_OK(messages[i]);
        const QByteArray bytes = messages[i].result();
        QCOMPARE(qint64(bytes.size()), m_inbox.at(i).size);
        QCOMPARE(sha256Hex(bytes), m_inbox.at(i).sha256);
    }
    VERIFY_OK(connection.quit());
}

void TestPop3ConnectionDovecot::streamsTheLargestMessageToAFile()
{
    int largest = 0;
    for (int i = 1; i < m_inbox.size(); ++i) {
        if (m_inbox.at(i).size > m_inbox.at(largest).size)
            largest = i;
    }
    Pop3Connection connection(settings(Security::StartTls));
    const QList<QByteArray> uids = openAndListUids(connection);
    QVERIFY(!uids.isEmpty());
    QTemporaryFile file;
    QVERIFY(file.open());
    auto written = connection.retrieveTo(uids.at(largest), &file);
    VERIFY_OK(written);
    QCOMPARE(written.result(), m_inbox.at(largest).size);
    QVERIFY(file.seek(0));
    QCOMPARE(sha256Hex(file.readAll()), m_inbox.at(largest).sha256);
    VERIFY_OK(connection.quit());
}

void TestPop3ConnectionDovecot::topReturnsTheHeader()
{
    Pop3Connection connection(settings(Security::ImplicitTls));
    const QList<QByteArray> uids = openAndListUids(connection);
    QVERIFY(!uids.isEmpty());
    const QByteArray uid = uids.at(1);
    auto top = connection.top(uid, 0);
    auto whole = connection.retrieve(uid);
    VERIFY_OK(top);
    VERIFY_OK(whole);
    const QByteArray message = whole.result();
    const qsizetype headerEnd = message.indexOf("\r\n\r\n");
    QVERIFY(headerEnd > 0);
    QCOMPARE(top.result(), message.left(headerEnd + 4));
    VERIFY_OK(connection.quit());
}

void TestPop3ConnectionDovecot::deleThenRsetDeletesNothing()
{
    {
        Pop3Connection connection(settings(Security::ImplicitTls));
        const QList<QByteArray> uids = openAndListUids(connection);
        QVERIFY(!uids.isEmpty());
        VERIFY_OK(connection.dele(uids.first()));
        auto afterDele = connection.stat();
        VERIFY_OK(afterDele);
        QCOMPARE(afterDele.result().count, m_inbox.size() - 1);
        // A deleted message is still known by its id; the server refuses it.
        QCOMPARE(outcome(connection.retrieve(uids.first())).code(), ErrorCode::ServerRefused);
        VERIFY_OK(connection.rset());
        auto afterRset = connection.stat();
        VERIFY_OK(afterRset);
        QCOMPARE(afterRset.result().count, m_inbox.size());
        VERIFY_OK(connection.quit());
    }
    // QUIT committed nothing: a new session sees every message.
    Pop3Connection again(settings(Security::ImplicitTls));
    VERIFY_OK(again.open());
    auto stat = again.stat();
    VERIFY_OK(stat);
    QCOMPARE(stat.result().count, m_inbox.size());
    VERIFY_OK(again.quit());
}

void TestPop3ConnectionDovecot::wrongPasswordIsAnAuthError()
{
    Pop3Connection connection(settings(Security::ImplicitTls, QStringLiteral("not-the-password")));
    const Error error = outcome(connection.open());
    QCOMPARE(error.code(), ErrorCode::Auth);
    QVERIFY(!error.message().contains(QLatin1String("not-the-password")));
    QTRY_COMPARE(connection.state(), SessionState::Closed);
}

QTEST_GUILESS_MAIN(TestPop3ConnectionDovecot)
#include "tst_pop3_connection_dovecot.moc"
