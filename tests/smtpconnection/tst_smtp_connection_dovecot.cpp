#include <QTest>
class TestSmtpConnectionDovecot : public QObject
{
    Q_OBJECT
};
QTEST_GUILESS_MAIN(TestSmtpConnectionDovecot)
#include "tst_smtp_connection_dovecot.moc"
