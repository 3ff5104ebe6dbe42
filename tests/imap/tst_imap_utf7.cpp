// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Modified UTF-7 mailbox names (RFC 3501 5.1.3).

#include <QTest>

#include "mailcore/imap/utf7.h"
#include "support/datatable.h"

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
    const auto row = tandem::test::table<QString, QByteArray>("decoded", "encoded");
    row("ascii", QStringLiteral("INBOX"), "INBOX");
    row("empty", QString(), QByteArray());
    row("ampersand", QStringLiteral("Tom & Jerry"), "Tom &- Jerry");
    row("only ampersand", QStringLiteral("&"), "&-");
    // RFC 3501 5.1.3 example
    row("rfc example", QStringLiteral("~peter/mail/台北/日本語"), "~peter/mail/&U,BTFw-/&ZeVnLIqe-");
    row("german", QStringLiteral("Entwürfe"), "Entw&APw-rfe");
    row("french", QStringLiteral("Éléments envoyés"), "&AMk-l&AOk-ments envoy&AOk-s");
    row("russian", QStringLiteral("Отправленные"), "&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-");
    row("emoji (surrogate pair)", QStringLiteral("Mail 📧"), "Mail &2D3c5w-");
    row("slash in base64 becomes comma", QStringLiteral("台"), "&U,A-");
    row("control chars are encoded", QStringLiteral("a\r\nb"), "a&AA0ACg-b");
    row("tilde and backslash stay", QStringLiteral("~\\x"), "~\\x");
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
    const auto row = tandem::test::table<QByteArray>("encoded");
    row("unterminated run", "&ZeVnLIqe");
    row("lone ampersand at end", "abc&");
    row("bad base64 char", "&Ze/nLIqe-");
    row("standard base64 padding", "&APw=-");
    row("8-bit byte", "Entw\xc3\xbcrfe");
    row("control byte", "a\tb");
    row("DEL", "a\x7f");
    row("nonzero padding bits", "&APx-");
    row("too many leftover bits", "&APwA-");
    row("encoded printable ascii", "&AGE-");
    row("unpaired high surrogate", "&2D0-");
    row("unpaired low surrogate", "&3OcAYQ-");
    row("high surrogate then ascii", "&2D0-a");
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
