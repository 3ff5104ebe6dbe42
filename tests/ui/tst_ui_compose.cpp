// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Writing and sending from the window, against the kit's servers: a message
// with an attachment (and a Bcc) arrives at the kit's SMTP server byte for
// byte as written and its copy lands in Sent; a reply and a forward carry the
// right headers; with the SMTP server out of reach a message waits in the
// Outbox, survives a restart of the app, and goes out once when the server is
// back.

#include <QComboBox>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include "kitwindow.h"
#include "mailcore/imapclient/imapclient.h"
#include "mailcore/mime/message.h"
#include "mailcore/store/mailstore.h"
#include "support/faultproxy.h"
#include "support/kitenv.h"
#include "support/smtpstore.h"
#include "ui/account/account.h"
#include "ui/compose/composeactions.h"
#include "ui/compose/composer.h"
#include "ui/compose/outboxdialog.h"
#include "ui/mainwindow.h"
#include "ui/messages/messagelistmodel.h"
#include "ui/messages/messageview.h"
#include "ui/sync/accountsync.h"

using namespace tandem;
using tandem::test::FaultProxy;

namespace {

constexpr int ServerTimeoutMs = 30000;

bool hasSubject(const QByteArray &bytes, const QString &subject)
{
    return mailcore::mime::Message::parseHeaders(bytes).subject == subject;
}

} // namespace

class TestUiCompose : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void aMessageWithAnAttachmentArrivesAsWrittenAndIsCopiedToSent();
    void replyAndForwardCarryTheRightHeaders();
    void theOutboxKeepsWhatCannotGoAndSendsItOnceAfterARestart();
    void draftsAreKeptReplacedReopenedAndGoneOnceSent();
    void theFromMenuOffersEveryIdentityAndTheMessageGoesAsTheOneChosen();

private:
    /// Opens the composer of `window` with its New message action.
    ui::Composer *newComposer(ui::MainWindow &window) const;
    /// Whether `folder` on the server holds a message with `subject`.
    bool onServer(const QString &folder, const QString &subject) const;
    bool inSent(const QString &subject) const { return onServer(QStringLiteral("Sent"), subject); }

    test::KitAccount m_kit;    ///< alice: the corpus (the message replied to)
    test::KitAccount m_sender; ///< carol: whose Sent and Drafts these tests fill (no other test counts hers)
    test::KitEnv m_env;
    std::unique_ptr<mailcore::ImapClient> m_other;
};

void TestUiCompose::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qRegisterMetaType<ui::Composer *>(); // for QSignalSpy on composerOpened()
    m_kit = test::KitAccount::load();
    if (!m_kit.error.isEmpty())
        QFAIL(qPrintable(m_kit.error));
    m_env = test::KitEnv::load();
    // The messages sent leave copies in Sent and drafts in Drafts: in carol's
    // mailbox, since other tests compare alice's folders with the corpus.
    m_sender = m_kit;
    m_sender.demo.settings.user = m_env.user(2);
    m_sender.demo.password = m_env.password(2);
    m_sender.demo.settings.fromAddress = m_env.user(2) + QStringLiteral("@example.org");
    m_other = std::make_unique<mailcore::ImapClient>(m_sender.demo.settings.endpoint(), m_sender.demo.settings.user,
                                                     m_sender.demo.password);
}

ui::Composer *TestUiCompose::newComposer(ui::MainWindow &window) const
{
    QSignalSpy opened(window.composeActions(), &ui::ComposeActions::composerOpened);
    if (!QTest::qWaitFor([&] { return window.composeActions()->newMessage()->isEnabled(); }, ServerTimeoutMs))
        return nullptr;
    window.composeActions()->newMessage()->trigger();
    return opened.isEmpty() ? nullptr : opened.first().first().value<ui::Composer *>();
}

bool TestUiCompose::onServer(const QString &folder, const QString &subject) const
{
    const auto uids = m_other->allUids(folder);
    if (!uids || uids->isEmpty())
        return false;
    const auto rows = m_other->listMessages(folder, uids.value());
    return rows && std::any_of(rows->cbegin(), rows->cend(), [&](const mailcore::MessageSummary &s) {
               return s.subject == subject;
           });
}

void TestUiCompose::aMessageWithAnAttachmentArrivesAsWrittenAndIsCopiedToSent()
{
    auto window = test::connectedWindow(m_sender);
    ui::Composer *composer = newComposer(*window);
    QVERIFY(composer);

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("Zahlen März.bin"));
    QByteArray content(3000, Qt::Uninitialized);
    for (char &c : content)
        c = char(QRandomGenerator::global()->bounded(256));
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
    }
    const QString subject = QStringLiteral("Compose ") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    composer->toField()->setText(QStringLiteral("Bob Example <bob@example.org>"));
    composer->bccField()->setText(QStringLiteral("hidden@example.org"));
    composer->subjectField()->setText(subject);
    composer->textField()->setPlainText(QStringLiteral("Hello Bob,\n\nthe numbers are attached.\n"));
    composer->addAttachment(path);
    QCOMPARE(composer->attachmentList()->count(), 1);
    QVERIFY2(composer->attachmentList()->item(0)->text().contains(QStringLiteral("Zahlen März.bin")),
             qPrintable(composer->attachmentList()->item(0)->text())); // with its size beside
    QSignalSpy progress(window->account()->sync(), &ui::AccountSync::sendProgress);
    QVERIFY2(composer->send(), qPrintable(composer->problem()));

    const test::SmtpStore smtp(m_env);
    const test::SmtpStore::Message got = smtp.waitForMessage(
        [&](const QByteArray &bytes) { return hasSubject(bytes, subject); }, ServerTimeoutMs);
    QVERIFY2(!got.bytes.isEmpty(), "the kit's SMTP server got nothing");
    const mailcore::mime::Message parsed = mailcore::mime::Message::parse(got.bytes);
    QCOMPARE(parsed.headers().from.value(0).address, m_sender.demo.settings.fromAddress);
    QCOMPARE(parsed.headers().to.value(0).address, QStringLiteral("bob@example.org"));
    QVERIFY(parsed.plainText().contains(QStringLiteral("the numbers are attached.")));
    QCOMPARE(parsed.attachments().size(), 1);
    QCOMPARE(parsed.attachments().first().fileName, QStringLiteral("Zahlen März.bin"));
    QCOMPARE(parsed.attachmentContent(parsed.attachments().first().id), content); // byte for byte
    QVERIFY(!got.bytes.contains("hidden@example.org"));                           // a Bcc is in the envelope only
    const QJsonObject envelope = smtp.envelopeOf(got);
    QVERIFY2(envelope.value(QStringLiteral("rcpt_tos"))
                 .toVariant()
                 .toStringList()
                 .contains(QStringLiteral("hidden@example.org")),
             QJsonDocument(envelope).toJson().constData());

    // Its progress: from nothing to all of it, never more, the same message throughout.
    QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() && progress.last().at(1) == progress.last().at(2), ServerTimeoutMs);
    const qint64 total = progress.first().at(2).toLongLong();
    QCOMPARE(progress.first().at(1).toLongLong(), 0);
    QVERIFY(total > 3000); // the message with its attachment
    for (const QList<QVariant> &step : std::as_const(progress)) {
        QCOMPARE(step.at(0), progress.first().at(0));
        QVERIFY(step.at(1).toLongLong() <= total);
    }

    // Its copy in Sent, and nothing left in the Outbox.
    QTRY_VERIFY_WITH_TIMEOUT(inSent(subject), ServerTimeoutMs);
    ui::AccountSync *sync = window->account()->sync();
    QTRY_VERIFY_WITH_TIMEOUT(sync->store().outbox(sync->accountId())->isEmpty(), ServerTimeoutMs);
}

void TestUiCompose::replyAndForwardCarryTheRightHeaders()
{
    auto window = test::connectedWindow(m_kit, QStringLiteral("Showcase"), 1);
    ui::MessageView *view = window->messageView();
    QTRY_VERIFY_WITH_TIMEOUT(view->current() && view->current()->uid == 1, ServerTimeoutMs);
    const mailcore::mime::MessageHeaders original = view->current()->message.headers();
    QVERIFY(!original.messageId.isEmpty());
    ui::ComposeActions *actions = window->composeActions();
    QTRY_VERIFY(actions->reply()->isEnabled());

    QSignalSpy opened(actions, &ui::ComposeActions::composerOpened);
    actions->reply()->trigger();
    QCOMPARE(opened.size(), 1);
    const mailcore::mime::OutgoingMessage reply = opened.last().first().value<ui::Composer *>()->message();
    QCOMPARE(reply.inReplyTo, original.messageId);
    QCOMPARE(reply.references.last(), original.messageId);
    QCOMPARE(reply.to.value(0).address, original.from.value(0).address);
    QVERIFY2(reply.subject.startsWith(QStringLiteral("Re: ")), qPrintable(reply.subject));
    QVERIFY(reply.plainText.contains(QStringLiteral("> "))); // the original, quoted
    QCOMPARE(reply.from.address, QStringLiteral("alice@example.org"));

    // Addresses complete from the people of the stored mail, by any part of the name.
    ui::Composer *replying = opened.last().first().value<ui::Composer *>();
    QTRY_VERIFY_WITH_TIMEOUT(replying->peopleLoaded(), ServerTimeoutMs);
    const QString joerg = original.from.value(0).toDisplayString();
    QVERIFY2(replying->suggestionsFor(QStringLiteral("müll")).contains(joerg),
             qPrintable(replying->suggestionsFor(QStringLiteral("müll")).join(u'|')));
    QVERIFY(!replying->suggestionsFor(QStringLiteral("zzzz-nobody")).contains(joerg));
    replying->ccField()->clear();
    QTest::keyClicks(replying->ccField(), QStringLiteral("mueller")); // by the address too; the popup opens
    QVERIFY(replying->suggestionsFor(QStringLiteral("mueller")).contains(joerg));

    actions->forward()->trigger();
    const mailcore::mime::OutgoingMessage forward = opened.last().first().value<ui::Composer *>()->message();
    QVERIFY2(forward.subject.startsWith(QStringLiteral("Fwd: ")), qPrintable(forward.subject));
    QVERIFY(forward.to.isEmpty());
    QVERIFY(forward.plainText.contains(original.subject)); // the forwarded headers in the text
    QCOMPARE(forward.attachments.size(), 1);               // the original's attachment goes along

    actions->forwardAsAttachment()->trigger();
    const mailcore::mime::OutgoingMessage attached = opened.last().first().value<ui::Composer *>()->message();
    QCOMPARE(attached.attachments.size(), 1);
    QCOMPARE(attached.attachments.first().mimeType, QStringLiteral("message/rfc822"));
}

void TestUiCompose::theOutboxKeepsWhatCannotGoAndSendsItOnceAfterARestart()
{
    FaultProxy proxy(m_sender.demo.settings.smtpPort);
    proxy.start();
    proxy.refuseConnections(true); // the SMTP server is out of reach
    ui::AccountSettings settings = m_sender.demo.settings;
    settings.smtpPort = proxy.port();
    const QString store = test::newStorePath();
    const QString subject = QStringLiteral("Outbox ") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    {
        ui::MainWindow first;
        QVERIFY(!first.openStore(store).isError());
        first.show();
        first.connectAccount(settings, m_sender.demo.password);
        ui::Composer *composer = newComposer(first);
        QVERIFY(composer);
        composer->toField()->setText(QStringLiteral("bob@example.org"));
        composer->subjectField()->setText(subject);
        composer->textField()->setPlainText(QStringLiteral("Wait for me."));
        QVERIFY2(composer->send(), qPrintable(composer->problem()));
        // It waits, with the reason shown.
        ui::AccountSync *sync = first.account()->sync();
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto box = sync->store().outbox(sync->accountId());
                return box && box->size() == 1 && !box->first().lastError.isEmpty();
            }(),
            ServerTimeoutMs);
        auto *status = first.findChild<QLabel *>(QStringLiteral("outboxStatus"));
        QVERIFY(status);
        QTRY_VERIFY(status->isVisible() && status->text().startsWith(QStringLiteral("Outbox: 1 waiting")));

        // Edited in the Outbox: held while the composer is open, then the
        // edited message waits in its place.
        first.showOutbox();
        auto *dialog = first.findChild<ui::OutboxDialog *>();
        QVERIFY(dialog);
        QCOMPARE(dialog->list()->count(), 1);
        QVERIFY(dialog->list()->item(0)->text().contains(subject));
        for (const char *button : {"outboxEdit", "outboxCancel"}) {
            auto *shown = dialog->findChild<QPushButton *>(QLatin1String(button));
            QVERIFY2(shown && shown->isVisible() && shown->isEnabled(), button);
        }
        // docs/screenshots/outbox.png is this dialog (TANDEM_SCREENSHOT_DIR, as ui_wizard's).
        if (const QString dir = qEnvironmentVariable("TANDEM_SCREENSHOT_DIR"); !dir.isEmpty())
            QVERIFY(dialog->grab().save(dir + QStringLiteral("/outbox.png")));
        QSignalSpy opened(first.composeActions(), &ui::ComposeActions::composerOpened);
        dialog->findChild<QPushButton *>(QStringLiteral("outboxEdit"))->click();
        QTRY_COMPARE_WITH_TIMEOUT(opened.size(), 1, ServerTimeoutMs); // held between two tries, then opened
        auto *editor = opened.first().first().value<ui::Composer *>();
        QCOMPARE(editor->subjectField()->text(), subject);
        QCOMPARE(editor->toField()->text(), QStringLiteral("bob@example.org"));
        QTRY_COMPARE(sync->store().outbox(sync->accountId())->first().state, mailcore::store::OutboxEntry::State::Held);
        editor->subjectField()->setText(subject + QStringLiteral(" edited"));
        QVERIFY(editor->send());
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto box = sync->store().outbox(sync->accountId());
                return box && box->size() == 1
                    && mailcore::mime::Message::parseHeaders(box->first().message).subject
                    == subject + QStringLiteral(" edited");
            }(),
            ServerTimeoutMs);
    }
    const test::SmtpStore smtp(m_env);
    const auto copies = [&](const QString &which) {
        int n = 0;
        for (const test::SmtpStore::Message &m : smtp.messages())
            n += hasSubject(m.bytes, which) ? 1 : 0;
        return n;
    };
    const QString edited = subject + QStringLiteral(" edited");
    QCOMPARE(copies(edited), 0);

    // The app starts again; the server is back: it goes out, once.
    proxy.refuseConnections(false);
    ui::MainWindow again;
    QVERIFY(!again.openStore(store).isError());
    again.show();
    again.connectAccount(settings, m_sender.demo.password);
    QVERIFY(!smtp.waitForMessage([&](const QByteArray &bytes) { return hasSubject(bytes, edited); }, ServerTimeoutMs)
                 .bytes.isEmpty());
    ui::AccountSync *sync = again.account()->sync();
    QTRY_VERIFY_WITH_TIMEOUT(sync->store().outbox(sync->accountId())->isEmpty(), ServerTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(inSent(edited), ServerTimeoutMs);
    sync->sendOutbox(); // once more: nothing is left to send
    QTRY_VERIFY(!again.findChild<QLabel *>(QStringLiteral("outboxStatus"))->isVisible());
    QCOMPARE(copies(edited), 1);
    QCOMPARE(copies(subject), 0); // the first version never went
}

void TestUiCompose::draftsAreKeptReplacedReopenedAndGoneOnceSent()
{
    const QString drafts = QStringLiteral("Drafts");
    const QString subject = QStringLiteral("Draft ") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QString second = subject + QStringLiteral(" (2)");
    {
        auto window = test::connectedWindow(m_sender);
        ui::Composer *composer = newComposer(*window);
        QVERIFY(composer);
        composer->toField()->setText(QStringLiteral("bob@example.org"));
        composer->subjectField()->setText(subject);
        composer->textField()->setPlainText(QStringLiteral("Half written."));
        composer->saveDraft(); // Ctrl+S
        QTRY_VERIFY_WITH_TIMEOUT(onServer(drafts, subject), ServerTimeoutMs);
        // Saved again: the new version replaces the old one.
        composer->subjectField()->setText(second);
        composer->close(); // closed unsent: kept
        QTRY_VERIFY_WITH_TIMEOUT(onServer(drafts, second), ServerTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(!onServer(drafts, subject), ServerTimeoutMs);
    }

    // Reopened from Drafts, and sent: gone from Drafts, at the server once.
    auto window = test::connectedWindow(m_sender, drafts);
    ui::MessageListModel *list = window->messageListModel();
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (int row = 0; row < list->rowCount(); ++row) {
                if (list->index(row, ui::MessageListModel::SubjectColumn).data().toString() == second) {
                    window->messageListView()->setCurrentIndex(list->index(row, ui::MessageListModel::SubjectColumn));
                    return true;
                }
            }
            return false;
        }(),
        ServerTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(window->messageView()->current()
                                 && window->messageView()->current()->message.headers().subject == second,
                             ServerTimeoutMs);
    QSignalSpy opened(window->composeActions(), &ui::ComposeActions::composerOpened);
    window->editDraft(); // what Enter or a double click on it does
    QCOMPARE(opened.size(), 1);
    ui::Composer *composer = opened.first().first().value<ui::Composer *>();
    QCOMPARE(composer->subjectField()->text(), second);
    QCOMPARE(composer->toField()->text(), QStringLiteral("bob@example.org"));
    QVERIFY(composer->textField()->toPlainText().contains(QStringLiteral("Half written.")));
    QVERIFY2(composer->send(), qPrintable(composer->problem()));
    const test::SmtpStore smtp(m_env);
    QVERIFY(!smtp.waitForMessage([&](const QByteArray &bytes) { return hasSubject(bytes, second); }, ServerTimeoutMs)
                 .bytes.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(!onServer(drafts, second), ServerTimeoutMs);
}

void TestUiCompose::theFromMenuOffersEveryIdentityAndTheMessageGoesAsTheOneChosen()
{
    test::KitAccount carol = m_sender;
    carol.demo.settings.fromName = QStringLiteral("Carol Example");
    carol.demo.settings.signature = QStringLiteral("Carol\nExample Ltd");
    carol.demo.settings.otherAddresses = QStringLiteral("Carol at work <carol.work@example.org>");
    const QString store = test::newStorePath();
    auto window = test::connectedWindow(carol, QStringLiteral("INBOX"), 0, 0, store);
    ui::Composer *composer = newComposer(*window);
    QVERIFY(composer);
    QCOMPARE(composer->fromField()->count(), 2);
    QCOMPARE(composer->fromField()->itemText(0),
             QStringLiteral("Carol Example <%1>").arg(carol.demo.settings.fromAddress));
    QCOMPARE(composer->fromField()->itemText(1), QStringLiteral("Carol at work <carol.work@example.org>"));
    // A new message starts with the signature under its "-- " line, the cursor above it.
    QCOMPARE(composer->textField()->toPlainText(), QStringLiteral("\n\n-- \nCarol\nExample Ltd"));
    QCOMPARE(composer->textField()->textCursor().position(), 0);

    composer->fromField()->setCurrentIndex(1);
    const QString subject = QStringLiteral("As another identity ") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    composer->toField()->setText(QStringLiteral("bob@example.org"));
    composer->subjectField()->setText(subject);
    composer->textField()->moveCursor(QTextCursor::Start);
    composer->textField()->insertPlainText(QStringLiteral("Hello from work."));
    QVERIFY2(composer->send(), qPrintable(composer->problem()));
    const test::SmtpStore smtp(m_env);
    const test::SmtpStore::Message got = smtp.waitForMessage(
        [&](const QByteArray &bytes) { return hasSubject(bytes, subject); }, ServerTimeoutMs);
    QVERIFY2(!got.bytes.isEmpty(), "the kit's SMTP server got nothing");
    const mailcore::mime::Message parsed = mailcore::mime::Message::parse(got.bytes);
    QCOMPARE(parsed.headers().from.value(0).address, QStringLiteral("carol.work@example.org"));
    QCOMPARE(parsed.headers().from.value(0).name, QStringLiteral("Carol at work"));
    QVERIFY2(parsed.plainText().contains(QStringLiteral("Hello from work.\n\n-- \nCarol\nExample Ltd")),
             qPrintable(parsed.plainText()));

    // A second account: its identities join the menu, the current account's first.
    ui::AccountSettings alice = m_kit.demo.settings;
    alice.signature = QStringLiteral("Alice");
    window->connectAccount(alice, m_kit.demo.password); // becomes the current one
    QTRY_VERIFY_WITH_TIMEOUT(window->account()->sync() && window->account()->settings().user == alice.user,
                             ServerTimeoutMs);
    ui::Composer *both = newComposer(*window);
    QVERIFY(both);
    QCOMPARE(both->fromField()->count(), 3);
    QVERIFY(both->fromField()->itemText(0).contains(alice.fromAddress));
    QVERIFY(both->textField()->toPlainText().endsWith(QStringLiteral("-- \nAlice")));
    // Choosing carol changes the account that sends, and her signature replaces alice's.
    both->fromField()->setCurrentIndex(1);
    QVERIFY(both->textField()->toPlainText().endsWith(QStringLiteral("-- \nCarol\nExample Ltd")));
    QVERIFY(!both->textField()->toPlainText().contains(QStringLiteral("-- \nAlice")));
    // Nothing was written: closing keeps no draft in either account (none is queued for Drafts).
    both->close();
    for (ui::Account *account : window->accounts()) {
        const auto pending = window->store()->pendingActions(account->storeId());
        QVERIFY(pending);
        QVERIFY(std::none_of(pending->cbegin(), pending->cend(), [](const mailcore::store::OfflineAction &a) {
            return a.folder.contains(QStringLiteral("Drafts"));
        }));
    }
}

QTEST_MAIN(TestUiCompose)
#include "tst_ui_compose.moc"
