// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// mailto: links (RFC 6068) into a draft: the examples of the RFC's section
// 6, percent-encoding, and the fields a link must not set.

#include <QTest>

#include "ui/compose/mailto.h"

using tandem::ui::draftFromMailto;

class TestMailto : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void addressesSubjectAndBody()
    {
        bool ok = false;
        const auto draft = draftFromMailto(
            QUrl(QStringLiteral(
                "mailto:chris@example.com,Ann%20Smith%20%3Cann@example.org%3E"
                "?cc=bob@example.com&subject=current-issue%20%C3%BCber&body=send%20current-issue%0D%0Aplease")),
            &ok);
        QVERIFY(ok);
        QCOMPARE(draft.to.size(), 2);
        QCOMPARE(draft.to.at(0).address, QStringLiteral("chris@example.com"));
        QCOMPARE(draft.to.at(1).name, QStringLiteral("Ann Smith"));
        QCOMPARE(draft.to.at(1).address, QStringLiteral("ann@example.org"));
        QCOMPARE(draft.cc.value(0).address, QStringLiteral("bob@example.com"));
        QCOMPARE(draft.subject, QStringLiteral("current-issue über"));
        QCOMPARE(draft.plainText, QStringLiteral("send current-issue\r\nplease"));
    }

    void toInTheQueryAndInReplyTo()
    {
        const auto draft = draftFromMailto(QUrl(QStringLiteral(
            "mailto:?to=joe@example.com&bcc=hidden@example.com&In-Reply-To=%3C3469A91.D10AF4C@example.com%3E")));
        QCOMPARE(draft.to.value(0).address, QStringLiteral("joe@example.com"));
        QCOMPARE(draft.bcc.value(0).address, QStringLiteral("hidden@example.com"));
        QCOMPARE(draft.inReplyTo, QStringLiteral("3469A91.D10AF4C@example.com"));
    }

    void fieldsALinkMustNotSetAreIgnored()
    {
        const auto draft = draftFromMailto(QUrl(
            QStringLiteral("mailto:a@example.com?from=boss@example.com&attach=/etc/passwd&X-Mailer=evil&body=hi")));
        QCOMPARE(draft.from.address, QString());
        QVERIFY(draft.attachments.isEmpty());
        QCOMPARE(draft.plainText, QStringLiteral("hi"));
    }

    void otherSchemesAreNotDrafts()
    {
        bool ok = true;
        const auto draft = draftFromMailto(QUrl(QStringLiteral("https://example.com/?to=a@example.com")), &ok);
        QVERIFY(!ok);
        QVERIFY(draft.to.isEmpty());
    }
};

QTEST_MAIN(TestMailto)
#include "tst_mailto.moc"
