// Modified UTF-7 mailbox names (RFC 3501 5.1.3).

#include <QTest>

#include "mailcore/imap/utf7.h"

using namespace mailcore::imap;

class TestImapUtf7 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void invalid_data();
    void invalid();
    void lenientFallback();
    void encoderOutputIsSafe();
};

void TestImapUtf7::roundTrip_data()
{
    QTest::addColumn<QString>("decoded");
    QTest::addColumn<QByteArray>("encoded");
    QTest::newRow("ascii") << QStringLiteral("INBOX") << QByteArray("INBOX");
    QTest::newRow("empty") << QString() << QByteArray();
    QTest::newRow("ampersand") << QStringLiteral("Tom & Jerry") << QByteArray("Tom &- Jerry");
    QTest::newRow("only ampersand") << QStringLiteral("&") << QByteArray("&-");
    // RFC 3501 5.1.3 example
    QTest::newRow("rfc example") << QStringLiteral("~peter/mail/台北/日本語")
                                 << QByteArray("~peter/mail/&U,BTFw-/&ZeVnLIqe-");
    QTest::newRow("german") << QStringLiteral("Entwürfe") << QByteArray("Entw&APw-rfe");
    QTest::newRow("french") << QStringLiteral("Éléments envoyés") << QByteArray("&AMk-l&AOk-ments envoy&AOk-s");
    QTest::newRow("russian") << QStringLiteral("Отправленные")
                             << QByteArray("&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-");
    QTest::newRow("emoji (surrogate pair)") << QStringLiteral("Mail 📧") << QByteArray("Mail &2D3c5w-");
    QTest::newRow("slash in base64 becomes comma") << QStringLiteral("台") << QByteArray("&U,A-");
    QTest::newRow("control chars are encoded") << QStringLiteral("a\r\nb") << QByteArray("a&AA0ACg-b");
    QTest::newRow("tilde and backslash stay") << QStringLiteral("~\\x") << QByteArray("~\\x");
}

void TestImapUtf7::roundTrip()
{
    QFETCH(QString, decoded);
    QFETCH(QByteArray, encoded);
    QCOMPARE(encodeMailboxName(decoded), encoded);
    const auto back = decodeMailboxName(encoded);
    QVERIFY(back);
    QCOMPARE(*back, decoded);
}

void TestImapUtf7::invalid_data()
{
    QTest::addColumn<QByteArray>("encoded");
    QTest::newRow("unterminated run") << QByteArray("&ZeVnLIqe");
    QTest::newRow("lone ampersand at end") << QByteArray("abc&");
    QTest::newRow("bad base64 char") << QByteArray("&Ze/nLIqe-");
    QTest::newRow("standard base64 padding") << QByteArray("&APw=-");
    QTest::newRow("8-bit byte") << QByteArray("Entw\xc3\xbcrfe");
    QTest::newRow("control byte") << QByteArray("a\tb");
    QTest::newRow("DEL") << QByteArray("a\x7f");
    QTest::newRow("nonzero padding bits") << QByteArray("&APx-");
    QTest::newRow("too many leftover bits") << QByteArray("&APwA-");
    QTest::newRow("encoded printable ascii") << QByteArray("&AGE-");
    QTest::newRow("unpaired high surrogate") << QByteArray("&2D0-");
    QTest::newRow("unpaired low surrogate") << QByteArray("&3OcAYQ-");
    QTest::newRow("high surrogate then ascii") << QByteArray("&2D0-a");
}

void TestImapUtf7::invalid()
{
    QFETCH(QByteArray, encoded);
    QCOMPARE(decodeMailboxName(encoded), std::nullopt);
}

void TestImapUtf7::lenientFallback()
{
    QCOMPARE(decodeMailboxNameLenient("Entw&APw-rfe"), QStringLiteral("Entwürfe"));
    QCOMPARE(decodeMailboxNameLenient("Entw\xc3\xbcrfe"), QStringLiteral("Entwürfe"));
    QCOMPARE(decodeMailboxNameLenient("&broken"), QStringLiteral("&broken"));
}

void TestImapUtf7::encoderOutputIsSafe()
{
    // Whatever the name, the encoding is printable ASCII: it can never carry
    // CR, LF or NUL into a command.
    QString nasty;
    for (char16_t c = 0; c < 0x300; ++c)
        nasty += QChar(c);
    const QByteArray plain = encodeMailboxName(nasty);
    nasty += QChar(char16_t(0xd83d)); // unpaired surrogate
    const QByteArray enc = encodeMailboxName(nasty);
    for (char c : enc)
        QVERIFY(uchar(c) >= 0x20 && uchar(c) <= 0x7e);
    QCOMPARE(decodeMailboxName(plain), std::optional<QString>(nasty.chopped(1)));
    QCOMPARE(decodeMailboxName(enc), std::nullopt); // the unpaired surrogate is caught on the way back
}

QTEST_GUILESS_MAIN(TestImapUtf7)
#include "tst_imap_utf7.moc"
