// ImapClient's operations against the kit's real Dovecot (user alice). Each
// test works in a folder of its own, created for it and deleted after, so the
// corpus counts other tests rely on never change.

#include <QScopeGuard>
#include <QTest>

#include <algorithm>

#include "mailcore/imapclient.h"
#include "support/kitenv.h"
#include "support/outcome.h"
#include "testmessages.h"

using namespace mailcore;
using tandem::test::KitEnv;
using tandem::test::outcome;
using tandem::test::textMessage;

class TestImapClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void allUidsAreTheAppendedOnes();
    void allUidsOfAMissingFolderIsAnError();

private:
    std::unique_ptr<ImapClient> client();
    /// Creates a fresh folder for the running test (deleted in cleanup()).
    QString ownFolder(const QString &suffix = {});
    /// Appends `messages` to `folder` and returns their UIDs (APPENDUID).
    QList<quint32> appendAll(ImapClient &c, const QString &folder, const QList<QByteArray> &messages);

    KitEnv m_env;
    std::unique_ptr<ImapClient> m_client; // for ownFolder()/cleanup()
    QStringList m_folders;
};

void TestImapClient::initTestCase()
{
    m_env = KitEnv::load();
    if (!m_env.isValid())
        QFAIL(qPrintable(m_env.error()));
    m_client = client();
}

void TestImapClient::cleanup()
{
    for (const QString &folder : std::as_const(m_folders))
        m_client->deleteFolder(folder); // best effort: a test may have deleted it itself
    m_folders.clear();
}

std::unique_ptr<ImapClient> TestImapClient::client()
{
    Endpoint endpoint;
    endpoint.host = m_env.host();
    endpoint.port = m_env.port(QStringLiteral("TANDEM_KIT_IMAPS_PORT"));
    QFile ca(m_env.caCertificatePath());
    if (ca.open(QIODevice::ReadOnly))
        endpoint.tls.extraCaCertificatesPem = {ca.readAll()};
    return std::make_unique<ImapClient>(endpoint, m_env.user(), m_env.password());
}

QString TestImapClient::ownFolder(const QString &suffix)
{
    // The pid keeps a second run against the same kit from meeting leftovers.
    const QString name = QStringLiteral("tc-%1-%2%3")
                             .arg(QString::fromLatin1(QTest::currentTestFunction()))
                             .arg(QCoreApplication::applicationPid())
                             .arg(suffix);
    const Error error = m_client->createFolder(name);
    if (error.isError())
        qWarning("cannot create %s: %s", qPrintable(name), qPrintable(error.toString()));
    m_folders << name;
    return name;
}

QList<quint32> TestImapClient::appendAll(ImapClient &c, const QString &folder, const QList<QByteArray> &messages)
{
    QList<quint32> uids;
    for (const QByteArray &m : messages) {
        Result<quint32> uid = c.appendMessage(folder, m);
        if (!uid)
            qWarning("append failed: %s", qPrintable(uid.error().toString()));
        uids << (uid ? uid.value() : 0);
    }
    return uids;
}

void TestImapClient::allUidsAreTheAppendedOnes()
{
    const QString folder = ownFolder();
    auto c = client();
    QCOMPARE(c->allUids(folder).value(), QList<quint32>{}); // empty folder: no UIDs, no error
    const QList<quint32> uids = appendAll(*c, folder, {textMessage("one"), textMessage("two"), textMessage("three")});
    QVERIFY(!uids.contains(0u));

    Result<QList<quint32>> sync = c->allUids(folder);
    QVERIFY2(sync, qPrintable(sync.error().toString()));
    QCOMPARE(sync.value(), uids);

    QFuture<QList<quint32>> async = c->allUidsAsync(folder);
    QCOMPARE(outcome(async).code(), ErrorCode::None);
    QCOMPARE(async.result(), uids);
}

void TestImapClient::allUidsOfAMissingFolderIsAnError()
{
    auto c = client();
    const QString missing = QStringLiteral("no-such-folder-%1").arg(QCoreApplication::applicationPid());
    Result<QList<quint32>> sync = c->allUids(missing);
    QVERIFY(!sync);
    QCOMPARE(sync.error().code(), ErrorCode::ServerRefused); // the NO of the implicit SELECT, with its text
    QVERIFY2(sync.error().message().contains(missing), qPrintable(sync.error().message()));
    QCOMPARE(outcome(c->allUidsAsync(missing)).code(), ErrorCode::ServerRefused);
}

QTEST_MAIN(TestImapClient)
#include "tst_imapclient.moc"
