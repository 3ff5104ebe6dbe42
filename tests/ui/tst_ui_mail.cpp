// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The main window against the kit's Dovecot: folders with roles and unread
// counts, a folder's rows decoded and paged, a non-ASCII HTML message shown
// with the right text, an attachment saved byte for byte, remote content that
// is never fetched (a local HTTP listener sees no connection) until the user
// asks for a message's pictures (then only those, never its style sheets), and
// the Connections dock and "Download folder" wired into the window.

#include <QBuffer>
#include <QCryptographicHash>
#include <QFile>
#include <QFont>
#include <QImage>
#include <QLabel>
#include <QListWidget>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QScopeGuard>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTextDocument>
#include <QTimer>
#include <QUuid>

#include "kitwindow.h"
#include "mailcore/imapclient/imapclient.h"
#include "mailcore/mime/message.h"
#include "ui/account/account.h"
#include "ui/connections/connectionsdock.h"
#include "ui/download/folderdownload.h"
#include "ui/folders/foldermodel.h"
#include "ui/mainwindow.h"
#include "ui/messages/messagelistmodel.h"
#include "ui/messages/messageview.h"
#include "ui/messages/safetextbrowser.h"
#include "ui/sync/accountsync.h"

using namespace tandem;
using tandem::ui::FolderModel;
using tandem::ui::MessageListModel;

namespace {

constexpr int ServerTimeoutMs = 20000;

QByteArray sha256Hex(const QByteArray &bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex();
}

QString str(const QJsonObject &o, const char *key) { return o.value(QLatin1String(key)).toString(); }

/// A new HTML message (unique Message-ID) from a probe sender, to append.
QByteArray htmlProbeMessage(const QByteArray &subject, const QString &html)
{
    return "From: Probe <probe@example.com>\r\nTo: alice@example.org\r\nSubject: " + subject + "\r\nMessage-ID: <"
        + QUuid::createUuid().toByteArray(QUuid::WithoutBraces)
        + "@example.com>\r\n"
          "Date: Mon, 18 Mar 2024 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
          "Content-Type: text/html; charset=utf-8\r\n\r\n"
        + html.toUtf8() + "\r\n";
}

} // namespace

class TestUiMail : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void foldersAppearWithRolesAndUnreadCounts();
    void folderOpensWithDecodedSortableRows();
    void rowsArriveInPagesAsTheListScrolls();
    void sortingOrdersTheWholeFolder();
    void flagAndAttachmentMarksShow();
    void nonAsciiHtmlMessageShowsItsText();
    void attachmentSavesByteIdentical();
    void signedMessageSaysItIsNotVerifiedAndListsNamedTexts();
    void remoteContentIsNeverFetched();
    void remotePicturesLoadOnlyWhenTheUserAsks();
    void connectionsDockAndDownloadActionAreWired();
    void downloadAtStartRunsOnceTheFolderIsOpen();

private:
    /// Appends `message` to Showcase and opens a window that shows it; nullptr,
    /// with the reason in `why`, if either fails.
    std::unique_ptr<ui::MainWindow> openAppended(const QByteArray &message, QString *why);

    test::KitAccount m_kit;
};

std::unique_ptr<ui::MainWindow> TestUiMail::openAppended(const QByteArray &message, QString *why)
{
    mailcore::ImapClient client(m_kit.demo.settings.endpoint(), m_kit.demo.settings.user, m_kit.demo.password);
    const auto uid = client.appendMessage(QStringLiteral("Showcase"), message);
    if (!uid.isOk() || uid.value() == 0) {
        *why = QStringLiteral("append to Showcase: ") + uid.error().toString();
        return nullptr;
    }
    auto window = test::connectedWindow(m_kit, QStringLiteral("Showcase"), uid.value());
    ui::MessageView *view = window->messageView();
    if (!QTest::qWaitFor([&] { return view->current() && view->current()->uid == uid.value(); }, ServerTimeoutMs)) {
        *why = QStringLiteral("message %1 was not shown").arg(uid.value());
        return nullptr;
    }
    return window;
}

void TestUiMail::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_kit = test::KitAccount::load();
    if (!m_kit.error.isEmpty())
        QFAIL(qPrintable(m_kit.error));
}

void TestUiMail::foldersAppearWithRolesAndUnreadCounts()
{
    auto window = test::connectedWindow(m_kit);
    FolderModel *folders = window->folderModel();
    QTRY_VERIFY_WITH_TIMEOUT(folders->indexOfFolder(QStringLiteral("Work")).isValid(), ServerTimeoutMs);

    for (const QString &name : m_kit.folders.keys())
        QVERIFY2(folders->indexOfFolder(name).isValid(), qPrintable(name));
    const QModelIndex inbox = folders->indexOfFolder(QStringLiteral("INBOX"));
    const QModelIndex sent = folders->indexOfFolder(QStringLiteral("Sent"));
    const QModelIndex work = folders->indexOfFolder(QStringLiteral("Work"));
    QCOMPARE(inbox.data(FolderModel::FolderRoleRole).toInt(), int(mailcore::FolderRole::Inbox));
    QCOMPARE(sent.data(FolderModel::FolderRoleRole).toInt(), int(mailcore::FolderRole::Sent));
    QCOMPARE(work.data(FolderModel::FolderRoleRole).toInt(), int(mailcore::FolderRole::None));
    QCOMPARE(inbox.row(), 0); // Inbox first
    // Special-use folders look different from ordinary ones.
    const QIcon sentIcon = sent.data(Qt::DecorationRole).value<QIcon>();
    const QIcon workIcon = work.data(Qt::DecorationRole).value<QIcon>();
    QVERIFY(!sentIcon.isNull());
    QVERIFY(sentIcon.pixmap(16).toImage() != workIcon.pixmap(16).toImage());

    // STATUS arrives per folder: Work is never opened by any test, so all 50 are unread.
    const int workSize = int(m_kit.folders.value(QStringLiteral("Work")).toArray().size());
    QTRY_COMPARE_WITH_TIMEOUT(work.data(FolderModel::UnreadRole).toInt(), workSize, ServerTimeoutMs);
    QCOMPARE(work.data(FolderModel::TotalRole).toInt(), workSize);
    QCOMPARE(work.data(Qt::DisplayRole).toString(), QStringLiteral("Work (%1)").arg(workSize));
    QVERIFY(work.data(Qt::FontRole).value<QFont>().bold());
    QCOMPARE(inbox.data(Qt::DisplayRole).toString().section(QLatin1Char(' '), 0, 0), QStringLiteral("Inbox"));
}

void TestUiMail::folderOpensWithDecodedSortableRows()
{
    const QString folder = QStringLiteral("Work");
    auto window = test::connectedWindow(m_kit, folder);
    MessageListModel *list = window->messageListModel();
    const QJsonArray expected = m_kit.folders.value(folder).toArray();
    QTRY_COMPARE_WITH_TIMEOUT(list->rowCount(), int(expected.size()), ServerTimeoutMs);
    QCOMPARE(list->folder(), folder);
    QCOMPARE(window->messageListView()->model()->rowCount(), int(expected.size()));

    for (quint32 uid = 1; uid <= quint32(expected.size()); ++uid) {
        const QJsonObject facts = expected.at(int(uid) - 1).toObject();
        const QString where = QStringLiteral("%1 UID %2").arg(folder).arg(uid);
        const QModelIndex subject = list->indexOfUid(uid, MessageListModel::SubjectColumn);
        QVERIFY2(subject.isValid(), qPrintable(where));
        QCOMPARE(subject.data().toString(), str(facts, "subject"));
        const QString fromName = str(facts, "from_name");
        QCOMPARE(list->indexOfUid(uid, MessageListModel::FromColumn).data().toString(),
                 fromName.isEmpty() ? str(facts, "from_address") : fromName);
        QCOMPARE(list->indexOfUid(uid, MessageListModel::SizeColumn).data(MessageListModel::SortRole).toULongLong(),
                 quint64(facts.value(QLatin1String("size")).toInteger()));
        QVERIFY2(subject.data(Qt::FontRole).value<QFont>().bold(), "unread rows are bold");
    }

    // Sorted newest first by default; a click on Subject sorts the whole
    // folder by subject in the store (by its UTF-8 bytes, then by UID).
    QAbstractItemModel *shown = window->messageListView()->model();
    for (int row = 1; row < shown->rowCount(); ++row)
        QVERIFY(shown->index(row - 1, MessageListModel::DateColumn).data(MessageListModel::SortRole).toDateTime()
                >= shown->index(row, MessageListModel::DateColumn).data(MessageListModel::SortRole).toDateTime());
    window->messageListView()->sortByColumn(MessageListModel::SubjectColumn, Qt::AscendingOrder);
    QList<quint32> bySubject;
    for (quint32 uid = 1; uid <= quint32(expected.size()); ++uid)
        bySubject << uid;
    std::stable_sort(bySubject.begin(), bySubject.end(), [&](quint32 a, quint32 b) {
        return str(expected.at(int(a) - 1).toObject(), "subject").toUtf8()
            < str(expected.at(int(b) - 1).toObject(), "subject").toUtf8();
    });
    const auto shownUids = [shown] {
        QList<quint32> uids;
        for (int row = 0; row < shown->rowCount(); ++row)
            uids << shown->index(row, 0).data(MessageListModel::UidRole).value<quint32>();
        return uids;
    };
    QTRY_COMPARE_WITH_TIMEOUT(shownUids(), bySubject, ServerTimeoutMs);
}

void TestUiMail::rowsArriveInPagesAsTheListScrolls()
{
    const QString folder = QStringLiteral("INBOX");
    const int total = int(m_kit.folders.value(folder).toArray().size());
    constexpr int Page = 40;
    QVERIFY(total > 2 * Page);

    auto window = test::connectedWindow(m_kit, folder, 0, Page);
    MessageListModel *list = window->messageListModel();
    QTableView *view = window->messageListView();
    QTRY_COMPARE_WITH_TIMEOUT(list->rowCount(), Page, ServerTimeoutMs);
    // The first page fills the view (the view is laid out for it: its scroll
    // bar has a range)...
    QTRY_VERIFY_WITH_TIMEOUT(view->verticalScrollBar()->maximum() > 0, ServerTimeoutMs);
    // ...and the view would ask for more from a zero timer that layout
    // started; a zero timer started now fires after it. By then no page is
    // being listed and no row was added: nothing more is fetched until the
    // user scrolls.
    QTimer afterLayout;
    afterLayout.setSingleShot(true);
    QSignalSpy laidOut(&afterLayout, &QTimer::timeout);
    afterLayout.start(0);
    QVERIFY(laidOut.wait());
    QCOMPARE(list->rowCount(), Page);
    QVERIFY(list->canFetchMore({}));

    for (int round = 0; round < 10 && list->rowCount() < total; ++round) {
        const int before = list->rowCount();
        view->scrollToBottom();
        QTRY_VERIFY_WITH_TIMEOUT(list->rowCount() > before, ServerTimeoutMs);
    }
    QCOMPARE(list->rowCount(), total);
    QVERIFY(!list->canFetchMore({}));
    for (quint32 uid = 1; uid <= quint32(total); ++uid)
        QVERIFY2(list->indexOfUid(uid).isValid(), qPrintable(QString::number(uid)));
}

void TestUiMail::sortingOrdersTheWholeFolder()
{
    // Pages of 20 out of 120: sorted by size, the first rows shown must be the
    // 20 smallest of the whole folder, which no sort of the rows listed so far
    // could give (the view lists a second page if the first does not fill it).
    const QString folder = QStringLiteral("INBOX");
    const QJsonArray facts = m_kit.folders.value(folder).toArray();
    constexpr int Page = 20;
    QVERIFY(facts.size() > 3 * Page);
    QList<quint64> sizes;
    for (const QJsonValue &message : facts)
        sizes << quint64(message.toObject().value(QLatin1String("size")).toInteger());
    std::sort(sizes.begin(), sizes.end());

    auto window = test::connectedWindow(m_kit, folder, 0, Page);
    MessageListModel *list = window->messageListModel();
    QTRY_VERIFY_WITH_TIMEOUT(list->rowCount() >= Page, ServerTimeoutMs);

    const auto shownSizes = [&] {
        QList<quint64> shown;
        QAbstractItemModel *model = window->messageListView()->model();
        for (int row = 0; row < std::min(Page, model->rowCount()); ++row)
            shown << model->index(row, MessageListModel::SizeColumn).data(MessageListModel::SortRole).toULongLong();
        return shown;
    };
    window->messageListView()->sortByColumn(MessageListModel::SizeColumn, Qt::AscendingOrder);
    QTRY_COMPARE_WITH_TIMEOUT(shownSizes(), sizes.mid(0, Page), ServerTimeoutMs);
    QCOMPARE(list->remainingToList(), facts.size() - list->rowCount()); // the rest still comes page by page
    QVERIFY(list->remainingToList() > 0);

    window->messageListView()->sortByColumn(MessageListModel::SizeColumn, Qt::DescendingOrder);
    QList<quint64> largest = sizes.mid(sizes.size() - Page);
    std::reverse(largest.begin(), largest.end());
    QTRY_COMPARE_WITH_TIMEOUT(shownSizes(), largest, ServerTimeoutMs);

    // The flag and attachment columns sort the whole folder too: those with
    // files first (descending), then the others, each by UID.
    window->messageListView()->sortByColumn(MessageListModel::AttachmentColumn, Qt::DescendingOrder);
    QAbstractItemModel *model = window->messageListView()->model();
    const auto hasFiles = [model](int row) {
        return model->index(row, MessageListModel::AttachmentColumn).data(MessageListModel::SortRole).toBool();
    };
    QTRY_VERIFY_WITH_TIMEOUT(hasFiles(0), ServerTimeoutMs);
    for (int row = 1; row < model->rowCount(); ++row) {
        QVERIFY2(hasFiles(row - 1) >= hasFiles(row), qPrintable(QString::number(row)));
        if (hasFiles(row - 1) == hasFiles(row))
            QVERIFY(model->index(row - 1, 0).data(MessageListModel::UidRole).toUInt()
                    > model->index(row, 0).data(MessageListModel::UidRole).toUInt());
    }
    QCOMPARE(model->rowCount(), Page);
    QVERIFY(list->remainingToList() > 0); // still a page at a time
}

void TestUiMail::flagAndAttachmentMarksShow()
{
    // The corpus has no flagged message (mbox import keeps no flags): flag one, then list.
    const QString folder = QStringLiteral("Showcase");
    mailcore::ImapClient client(m_kit.demo.settings.endpoint(), m_kit.demo.settings.user, m_kit.demo.password);
    const mailcore::Error flagged = client.addFlags(folder, {2}, {"\\Flagged"});
    QVERIFY2(!flagged.isError(), qPrintable(flagged.toString()));
    auto unflag = qScopeGuard([&] { client.removeFlags(folder, {2}, {"\\Flagged"}); });

    auto window = test::connectedWindow(m_kit, folder);
    MessageListModel *list = window->messageListModel();
    QTRY_VERIFY_WITH_TIMEOUT(list->indexOfUid(1).isValid() && list->indexOfUid(2).isValid(), ServerTimeoutMs);
    auto mark = [list](quint32 uid, int column) {
        return !list->indexOfUid(uid, column).data(Qt::DecorationRole).value<QIcon>().isNull();
    };
    QVERIFY(mark(2, MessageListModel::FlagColumn));
    QVERIFY(list->indexOfUid(2).data(MessageListModel::FlaggedRole).toBool());
    QVERIFY(!mark(1, MessageListModel::FlagColumn));
    // From BODYSTRUCTURE, before any message is opened: UID 1 carries a file, UID 2 nothing.
    QVERIFY(mark(1, MessageListModel::AttachmentColumn));
    QVERIFY(!mark(2, MessageListModel::AttachmentColumn));
}

void TestUiMail::nonAsciiHtmlMessageShowsItsText()
{
    auto window = test::connectedWindow(m_kit, QStringLiteral("Showcase"), 1);
    ui::MessageView *view = window->messageView();
    QTRY_VERIFY_WITH_TIMEOUT(view->current() && view->current()->uid == 1, ServerTimeoutMs);
    const QJsonObject facts = m_kit.message(QStringLiteral("Showcase"), 1);

    const QString headers = view->headerLabel()->text();
    QVERIFY2(headers.contains(QStringLiteral("Grüße aus Köln: Zahlen für März")), qPrintable(headers));
    QCOMPARE(str(facts, "subject"), QStringLiteral("Grüße aus Köln: Zahlen für März"));
    QVERIFY2(headers.contains(QStringLiteral("Jörg Müller")), qPrintable(headers));
    QVERIFY(headers.contains(str(facts, "from_address")));

    // The HTML alternative is what shows (its heading is not in the plain part).
    const QString body = view->browser()->toPlainText();
    QVERIFY2(body.contains(QStringLiteral("Grüße aus Köln")), qPrintable(body));
    QVERIFY2(body.contains(QStringLiteral("Die Zahlen für März sind da: 1.234 € Umsatz.")), qPrintable(body));
    QVERIFY2(!body.contains(QStringLiteral("Hallo Alice")), qPrintable(body));
    QVERIFY(view->browser()->document()->toHtml().contains(QStringLiteral("font-weight:700")));
    QVERIFY2(!view->remoteContentBar()->isVisible(), "nothing remote in this message");

    // The list row shows the same decoded subject, and the message is read now.
    const QModelIndex row = window->messageListModel()->indexOfUid(1);
    QCOMPARE(row.data().toString(), str(facts, "subject"));
    QTRY_VERIFY_WITH_TIMEOUT(!row.data(MessageListModel::UnreadRole).toBool(), ServerTimeoutMs);
    QVERIFY(!row.data(Qt::FontRole).value<QFont>().bold());
}

void TestUiMail::attachmentSavesByteIdentical()
{
    auto window = test::connectedWindow(m_kit, QStringLiteral("Showcase"), 1);
    ui::MessageView *view = window->messageView();
    QTRY_VERIFY_WITH_TIMEOUT(view->current() && view->current()->uid == 1, ServerTimeoutMs);
    const QJsonObject expected =
        m_kit.message(QStringLiteral("Showcase"), 1).value(QLatin1String("attachments")).toArray().at(0).toObject();
    QCOMPARE(view->attachmentList()->count(), 1);
    QVERIFY(view->attachmentList()->item(0)->text().startsWith(str(expected, "filename")));
    QCOMPARE(view->attachmentList()->item(0)->data(ui::MessageView::SaveNameRole).toString(),
             str(expected, "filename"));
    const QString id = view->current()->message.attachments().value(0).id;

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(str(expected, "filename"));
    QSignalSpy saved(view, &ui::MessageView::attachmentSaved);
    view->saveAttachment(id, path);
    QVERIFY(saved.wait(10000));
    const auto error = saved.at(0).at(1).value<mailcore::Error>();
    QVERIFY2(!error.isError(), qPrintable(error.toString()));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QCOMPARE(bytes.size(), qsizetype(expected.value(QLatin1String("size")).toInteger()));
    QCOMPARE(sha256Hex(bytes), str(expected, "sha256").toLatin1());

    // And the same bytes as the part of the message the server holds, fetched on our own.
    mailcore::ImapClient client(m_kit.demo.settings.endpoint(), m_kit.demo.settings.user, m_kit.demo.password);
    const auto raw = client.fetchMessage(QStringLiteral("Showcase"), 1);
    QVERIFY2(raw.isOk(), qPrintable(raw.error().toString()));
    QCOMPARE(sha256Hex(raw.value()), str(m_kit.message(QStringLiteral("Showcase"), 1), "sha256").toLatin1());
    QCOMPARE(mailcore::mime::Message::parse(raw.value()).attachmentContent(id), bytes);
}

void TestUiMail::signedMessageSaysItIsNotVerifiedAndListsNamedTexts()
{
    // A signed message whose signed content holds a named text shown inline
    // (build.log) and a file whose name climbs out of the folder.
    const QByteArray message =
        "From: Signer <signer@example.com>\r\nTo: alice@example.org\r\nSubject: Signed log\r\nMessage-ID: <"
        + QUuid::createUuid().toByteArray(QUuid::WithoutBraces)
        + "@example.com>\r\nDate: Mon, 18 Mar 2024 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
          "Content-Type: multipart/signed; protocol=\"application/pgp-signature\"; micalg=pgp-sha256; "
          "boundary=s\r\n\r\n"
          "--s\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n"
          "--m\r\nContent-Type: text/plain\r\n\r\nThe build failed, log attached.\r\n"
          "--m\r\nContent-Type: text/plain; name=build.log\r\nContent-Disposition: inline; filename=build.log\r\n\r\n"
          "error: it broke\r\n"
          "--m\r\nContent-Type: application/octet-stream\r\n"
          "Content-Disposition: attachment; filename=\"../../.bashrc\"\r\n\r\nalias ls=rm\r\n"
          "--m--\r\n"
          "--s\r\nContent-Type: application/pgp-signature; name=signature.asc\r\n\r\n"
          "-----BEGIN PGP SIGNATURE-----\r\n\r\nnot a real one\r\n-----END PGP SIGNATURE-----\r\n"
          "--s--\r\n";
    QString why;
    const auto window = openAppended(message, &why);
    QVERIFY2(window, qPrintable(why));
    ui::MessageView *view = window->messageView();
    QVERIFY(view->browser()->toPlainText().contains(QStringLiteral("error: it broke"))); // shown inline
    QTRY_VERIFY(view->securityNoteLabel()->isVisible());
    QVERIFY2(view->securityNoteLabel()->text().contains(QStringLiteral("OpenPGP"))
                 && view->securityNoteLabel()->text().contains(QStringLiteral("not verified")),
             qPrintable(view->securityNoteLabel()->text()));

    // Listed: the inline log and the file, under a name that stays in the
    // folder the user chooses; never the signature.
    QStringList saveNames;
    for (int i = 0; i < view->attachmentList()->count(); ++i)
        saveNames << view->attachmentList()->item(i)->data(ui::MessageView::SaveNameRole).toString();
    QCOMPARE(saveNames, QStringList({QStringLiteral("build.log"), QStringLiteral("_.._.bashrc")}));

    // An unsigned message shown next has no note.
    mailcore::ImapClient client(m_kit.demo.settings.endpoint(), m_kit.demo.settings.user, m_kit.demo.password);
    view->showMessage(window->account()->sync(), QStringLiteral("Showcase"), 1);
    QTRY_VERIFY_WITH_TIMEOUT(view->current() && view->current()->uid == 1, ServerTimeoutMs);
    QVERIFY(!view->securityNoteLabel()->isVisible());
}

void TestUiMail::remoteContentIsNeverFetched()
{
    QTcpServer listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
    int connections = 0;
    connect(&listener, &QTcpServer::newConnection, &listener, [&] {
        while (QTcpSocket *socket = listener.nextPendingConnection()) {
            ++connections;
            socket->deleteLater();
        }
    });
    const QString base = QStringLiteral("http://127.0.0.1:%1/").arg(listener.serverPort());
    const QStringList urls{base + QStringLiteral("pixel.png"), base + QStringLiteral("style.css"),
                           base + QStringLiteral("import.css"), base + QStringLiteral("background.png"),
                           base + QStringLiteral("body.png")};
    const QString html =
        QStringLiteral(
            "<html><head><link rel=\"stylesheet\" href=\"%2\"><style>@import url(%3); "
            "p.probe { background-image: url(%4); }</style></head><body background=\"%5\">"
            "<p class=\"probe\">Remote probe text.</p><img src=\"%1\" width=\"20\" height=\"20\"></body></html>")
            .arg(urls[0], urls[1], urls[2], urls[3], urls[4]);
    const QByteArray message = htmlProbeMessage("Remote content probe", html);
    QString why;
    const auto window = openAppended(message, &why);
    QVERIFY2(window, qPrintable(why));
    ui::MessageView *view = window->messageView();
    QVERIFY(view->browser()->toPlainText().contains(QStringLiteral("Remote probe text.")));
    QTRY_VERIFY(view->remoteContentBar()->isVisible());
    // Paint it, which is when a text browser asks for images. Qt asks for
    // pictures, @import and backgrounds (and is refused here); it never even
    // asks for <link> style sheets, which the zero below covers too.
    (void)window->grab();
    const auto blocked = [&] {
        QStringList list;
        for (const QUrl &url : view->browser()->blockedUrls())
            list << url.toString();
        return list;
    };
    const QList<int> askedFor{0, 2, 3, 4};
    QTRY_VERIFY2(std::all_of(askedFor.cbegin(), askedFor.cend(), [&](int i) { return blocked().contains(urls[i]); }),
                 qPrintable(blocked().join(QLatin1Char(' '))));
    // Every request was decided, and refused. Nothing in the message view can
    // fetch anything: its network access is made only when the user asks for
    // the pictures.
    QVERIFY(!view->browser()->findChild<QNetworkAccessManager *>());
    // The listener saw no connection before one of ours, made after all that,
    // which it does notice: the zero means something.
    QTcpSocket probe;
    probe.connectToHost(QHostAddress::LocalHost, listener.serverPort());
    QVERIFY(probe.waitForConnected(ServerTimeoutMs));
    QTRY_VERIFY(connections >= 1);
    QCOMPARE(connections, 1);
}

void TestUiMail::remotePicturesLoadOnlyWhenTheUserAsks()
{
    // A small HTTP server: one 7x5 PNG at /pixel.png, 404 for anything else.
    QImage picture(7, 5, QImage::Format_RGB32);
    picture.fill(QColor(0x12, 0x80, 0xf0));
    QByteArray png;
    QBuffer pngBuffer(&png);
    QVERIFY(pngBuffer.open(QIODevice::WriteOnly) && picture.save(&pngBuffer, "PNG"));
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QStringList requested; // request paths, in order
    connect(&server, &QTcpServer::newConnection, &server, [&] {
        while (QTcpSocket *socket = server.nextPendingConnection()) {
            connect(socket, &QTcpSocket::readyRead, socket, [&, socket] {
                const QByteArray head = socket->peek(8192);
                if (!head.contains("\r\n\r\n"))
                    return; // the whole request head first
                socket->readAll();
                const QString path = QString::fromLatin1(head.split(' ').value(1));
                requested << path;
                const bool found = path == QLatin1String("/pixel.png");
                const QByteArray body = found ? png : QByteArray("not here");
                socket->write((found ? "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n"
                                     : "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n")
                              + QByteArray("Content-Length: ") + QByteArray::number(body.size())
                              + "\r\nConnection: close\r\n\r\n" + body);
                socket->disconnectFromHost();
            });
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
    const QString base = QStringLiteral("http://127.0.0.1:%1/").arg(server.serverPort());
    const QUrl pixel(base + QStringLiteral("pixel.png"));
    const QString html = QStringLiteral("<html><head><style>@import url(%2);</style></head><body>"
                                        "<p>Pictures probe.</p><img src=\"%1\"><img src=\"%3\"></body></html>")
                             .arg(pixel.toString(), base + QStringLiteral("import.css"),
                                  base + QStringLiteral("gone.png"));
    const QByteArray message = htmlProbeMessage("Remote pictures probe", html);
    QString why;
    const auto window = openAppended(message, &why);
    QVERIFY2(window, qPrintable(why));
    ui::MessageView *view = window->messageView();
    QTRY_VERIFY(view->remoteContentBar()->isVisible());
    (void)window->grab(); // painted: when pictures are asked for
    // Both pictures were asked for and refused; nothing in the window can
    // fetch anything until the user asks (its network access is made then).
    QTRY_COMPARE(view->browser()->remoteImageCount(), 2);
    QVERIFY(!view->browser()->findChild<QNetworkAccessManager *>());
    // The server saw nothing before a request of ours, made after all that.
    QTcpSocket probe;
    probe.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QVERIFY(probe.waitForConnected(ServerTimeoutMs));
    probe.write("GET /probe HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    QTRY_VERIFY(requested.contains(QStringLiteral("/probe")));
    QCOMPARE(requested, QStringList{QStringLiteral("/probe")}); // nothing until the user asks
    requested.clear();
    QVERIFY(view->loadRemoteButton()->isVisible());

    QSignalSpy loaded(view->browser(), &ui::SafeTextBrowser::remoteImagesLoaded);
    QTest::mouseClick(view->loadRemoteButton(), Qt::LeftButton);
    QVERIFY(loaded.wait(10000));
    QCOMPARE(loaded.first().at(0).toInt(), 1); // pixel.png
    QCOMPARE(loaded.first().at(1).toInt(), 1); // gone.png: 404
    requested.sort();
    QCOMPARE(requested,
             QStringList({QStringLiteral("/gone.png"), QStringLiteral("/pixel.png")})); // never the style sheet
    const QImage shown = view->browser()->document()->resource(QTextDocument::ImageResource, pixel).value<QImage>();
    QCOMPARE(shown.size(), QSize(7, 5));
    QCOMPARE(shown.pixelColor(3, 2), QColor(0x12, 0x80, 0xf0));
    QVERIFY(!view->loadRemoteButton()->isVisible());
    QVERIFY(view->remoteContentBar()->isVisible()); // still says what stays blocked
}

void TestUiMail::connectionsDockAndDownloadActionAreWired()
{
    const QString folder = QStringLiteral("Work");
    auto window = test::connectedWindow(m_kit, folder);
    QSignalSpy progress(window.get(), &ui::MainWindow::downloadProgress);
    QTRY_COMPARE_WITH_TIMEOUT(window->messageListModel()->rowCount(), int(m_kit.folders.value(folder).toArray().size()),
                              ServerTimeoutMs);

    // The Connections panel is docked and visible from the start, fed by the account's client.
    auto *dock = window->findChild<ui::ConnectionsDock *>();
    QVERIFY(dock);
    QVERIFY(dock->isVisible());
    QCOMPARE(window->dockWidgetArea(dock), Qt::BottomDockWidgetArea);

    // "Download folder" on the toolbar runs the download of the open folder in the status bar.
    auto *download = window->findChild<ui::FolderDownload *>();
    QVERIFY(download);
    QVERIFY(!download->isVisible());
    QVERIFY(window->downloadAction()->isEnabled());
    QSignalSpy finished(download, &ui::FolderDownload::finished);
    window->downloadAction()->trigger();
    QVERIFY(download->isRunning());
    QCOMPARE(download->folder(), folder);
    QVERIFY(download->isVisible());
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QCOMPARE(finished.at(0).at(1).toString(), QString());
    QVERIFY(!progress.isEmpty());
    QCOMPARE(progress.last().at(0).toInt(), int(m_kit.folders.value(folder).toArray().size()));

    // A new client (settings applied) gets a new dock and download widget, on the new client.
    window->connectAccount(m_kit.demo.settings, m_kit.demo.password);
    QCOMPARE(window->findChildren<ui::ConnectionsDock *>().size(), 1);
    QCOMPARE(window->findChildren<ui::FolderDownload *>().size(), 1);
}

void TestUiMail::downloadAtStartRunsOnceTheFolderIsOpen()
{
    // What `tandem --start-download Lists` (and tools/screenshot.sh --during-download) does.
    const QString folder = QStringLiteral("Lists");
    ui::MainWindow window;
    QVERIFY(!window.openStore(test::newStorePath()).isError());
    window.openAtStart(folder);
    window.downloadAtStart(folder);
    QSignalSpy progress(&window, &ui::MainWindow::downloadProgress);
    window.show();
    window.connectAccount(m_kit.demo.settings, m_kit.demo.password);
    auto *download = window.findChild<ui::FolderDownload *>();
    QVERIFY(download);
    QSignalSpy finished(download, &ui::FolderDownload::finished);
    QVERIFY(finished.wait(60000));
    QCOMPARE(download->folder(), folder);
    QCOMPARE(finished.at(0).at(1).toString(), QString());
    QCOMPARE(progress.last().at(0).toInt(), int(m_kit.folders.value(folder).toArray().size()));
    QCOMPARE(window.currentFolder(), folder);
}

QTEST_MAIN(TestUiMail)
#include "tst_ui_mail.moc"
