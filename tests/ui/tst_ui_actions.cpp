// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// Acting on mail from the window, against the kit's Dovecot: flag and read
// state of several selected messages, delete to the Trash and undo, move by
// the menu and by dropping on a folder, copy. Each change shows in the list
// at once (the store) and is then checked on the server itself.

#include <QAction>
#include <QItemSelectionModel>
#include <QMenu>
#include <QMimeData>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QUuid>

#include "kitwindow.h"
#include "mailcore/imapclient/imapclient.h"
#include "ui/folders/foldermodel.h"
#include "ui/mainwindow.h"
#include "ui/messages/messageactions.h"
#include "ui/messages/messagelistmodel.h"

using namespace tandem;
using tandem::ui::FolderModel;
using tandem::ui::MessageListModel;

namespace {

constexpr int ServerTimeoutMs = 30000;

} // namespace

class TestUiActions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void flagAndReadOfSeveralMessagesReachTheServer();
    void deleteGoesToTheTrashAndUndoBringsItBack();
    void moveByMenuAndByDropAndCopy();

private:
    /// The subjects of `folder`'s messages on the server, and their flags.
    QMap<QString, QList<QByteArray>> onServer(const QString &folder) const;
    /// The list's rows selected: these UIDs.
    void select(ui::MainWindow &window, const QList<quint32> &uids) const;

    test::KitAccount m_kit;
    std::unique_ptr<mailcore::ImapClient> m_other;
    QString m_tag;    ///< in every subject of this test function
    QString m_folder; ///< made for each test function
    QString m_second; ///< a second one, to move to
    QList<quint32> m_uids;
};

void TestUiActions::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_kit = test::KitAccount::load();
    if (!m_kit.error.isEmpty())
        QFAIL(qPrintable(m_kit.error));
    m_other = std::make_unique<mailcore::ImapClient>(m_kit.demo.settings.endpoint(), m_kit.demo.settings.user,
                                                     m_kit.demo.password);
}

void TestUiActions::init()
{
    m_tag = QUuid::createUuid().toString(QUuid::WithoutBraces).left(8);
    m_folder = QStringLiteral("Act ") + m_tag;
    m_second = QStringLiteral("Act2 ") + m_tag;
    QVERIFY(!m_other->createFolder(m_folder).isError());
    QVERIFY(!m_other->createFolder(m_second).isError());
    m_uids.clear();
    for (int n = 1; n <= 3; ++n) {
        const auto uid = m_other->appendMessage(m_folder,
                                                test::uniqueMessage(QStringLiteral("%1 message %2").arg(m_tag).arg(n)));
        QVERIFY2(uid, qPrintable(uid.error().toString()));
        m_uids << uid.value();
    }
}

void TestUiActions::cleanup()
{
    m_other->deleteFolder(m_folder);
    m_other->deleteFolder(m_second);
    // What went to the Trash: this test's messages only.
    const auto uids = m_other->allUids(QStringLiteral("Trash"));
    if (uids && !uids->isEmpty()) {
        const auto rows = m_other->listMessages(QStringLiteral("Trash"), uids.value());
        QList<quint32> ours;
        for (const mailcore::MessageSummary &s : rows.value())
            if (s.subject.startsWith(m_tag))
                ours << s.uid;
        if (!ours.isEmpty()) {
            m_other->deleteMessages(QStringLiteral("Trash"), ours);
            m_other->expunge(QStringLiteral("Trash"), ours);
        }
    }
}

QMap<QString, QList<QByteArray>> TestUiActions::onServer(const QString &folder) const
{
    QMap<QString, QList<QByteArray>> out;
    const auto uids = m_other->allUids(folder);
    if (!uids || uids->isEmpty())
        return out;
    const auto rows = m_other->listMessages(folder, uids.value());
    if (!rows)
        return out;
    for (const mailcore::MessageSummary &s : rows.value()) {
        if (s.subject.startsWith(m_tag))
            out.insert(s.subject, s.flags);
    }
    return out;
}

void TestUiActions::select(ui::MainWindow &window, const QList<quint32> &uids) const
{
    QItemSelectionModel *selection = window.messageListView()->selectionModel();
    selection->clearSelection();
    for (const quint32 uid : uids)
        selection->select(window.messageListModel()->indexOfUid(uid),
                          QItemSelectionModel::Select | QItemSelectionModel::Rows);
}

void TestUiActions::flagAndReadOfSeveralMessagesReachTheServer()
{
    auto window = test::connectedWindow(m_kit, m_folder);
    MessageListModel *list = window->messageListModel();
    QTRY_COMPARE_WITH_TIMEOUT(list->rowCount(), 3, ServerTimeoutMs);
    ui::MessageActions *actions = window->messageActions();
    select(*window, {m_uids[0], m_uids[2]});
    QTRY_VERIFY(actions->toggleFlag()->isEnabled());

    actions->toggleFlag()->trigger();                                                      // S
    QTRY_VERIFY(list->indexOfUid(m_uids[0]).data(MessageListModel::FlaggedRole).toBool()); // the store, at once
    QVERIFY(list->indexOfUid(m_uids[2]).data(MessageListModel::FlaggedRole).toBool());
    QVERIFY(!list->indexOfUid(m_uids[1]).data(MessageListModel::FlaggedRole).toBool());
    const QString first = m_tag + QStringLiteral(" message 1"), second = m_tag + QStringLiteral(" message 2"),
                  third = m_tag + QStringLiteral(" message 3");
    QTRY_VERIFY_WITH_TIMEOUT(onServer(m_folder).value(first).contains("\\Flagged")
                                 && onServer(m_folder).value(third).contains("\\Flagged"),
                             ServerTimeoutMs);
    QVERIFY(!onServer(m_folder).value(second).contains("\\Flagged"));

    actions->toggleRead()->trigger(); // M: both unread, so both read
    // (Each toggle decides from what the list shows: wait for it to show the last one.)
    QTRY_VERIFY(!list->indexOfUid(m_uids[0]).data(MessageListModel::UnreadRole).toBool()
                && !list->indexOfUid(m_uids[2]).data(MessageListModel::UnreadRole).toBool());
    QTRY_VERIFY_WITH_TIMEOUT(onServer(m_folder).value(first).contains("\\Seen")
                                 && onServer(m_folder).value(third).contains("\\Seen"),
                             ServerTimeoutMs);
    actions->toggleRead()->trigger(); // M again: both read, so both unread
    QTRY_VERIFY(list->indexOfUid(m_uids[0]).data(MessageListModel::UnreadRole).toBool());
    QTRY_VERIFY_WITH_TIMEOUT(!onServer(m_folder).value(first).contains("\\Seen")
                                 && !onServer(m_folder).value(third).contains("\\Seen"),
                             ServerTimeoutMs);
    QTRY_VERIFY(list->indexOfUid(m_uids[2]).data(MessageListModel::UnreadRole).toBool());
    actions->toggleFlag()->trigger(); // both flagged: unflagged
    QTRY_VERIFY_WITH_TIMEOUT(!onServer(m_folder).value(first).contains("\\Flagged"), ServerTimeoutMs);
}

void TestUiActions::deleteGoesToTheTrashAndUndoBringsItBack()
{
    auto window = test::connectedWindow(m_kit, m_folder);
    MessageListModel *list = window->messageListModel();
    QTRY_COMPARE_WITH_TIMEOUT(list->rowCount(), 3, ServerTimeoutMs);
    ui::MessageActions *actions = window->messageActions();
    const QString second = m_tag + QStringLiteral(" message 2");
    select(*window, {m_uids[1]});
    QTRY_VERIFY(actions->remove()->isEnabled());
    QVERIFY(!actions->undo()->isEnabled());

    actions->remove()->trigger();                        // Delete
    QTRY_VERIFY(!list->indexOfUid(m_uids[1]).isValid()); // gone from the list at once
    QCOMPARE(list->rowCount(), 2);
    QTRY_VERIFY_WITH_TIMEOUT(onServer(QStringLiteral("Trash")).contains(second), ServerTimeoutMs);
    QVERIFY(!onServer(m_folder).contains(second));
    QVERIFY(actions->undo()->isEnabled());

    actions->undo()->trigger(); // Ctrl+Z
    QTRY_VERIFY_WITH_TIMEOUT(onServer(m_folder).contains(second), ServerTimeoutMs);
    QVERIFY(!onServer(QStringLiteral("Trash")).contains(second));
    QTRY_COMPARE_WITH_TIMEOUT(list->rowCount(), 3, ServerTimeoutMs); // and back in the list
    QVERIFY(!actions->undo()->isEnabled());
}

void TestUiActions::moveByMenuAndByDropAndCopy()
{
    auto window = test::connectedWindow(m_kit, m_folder);
    MessageListModel *list = window->messageListModel();
    QTRY_COMPARE_WITH_TIMEOUT(list->rowCount(), 3, ServerTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(window->folderModel()->indexOfFolder(m_second).isValid(), ServerTimeoutMs);
    ui::MessageActions *actions = window->messageActions();
    const QString first = m_tag + QStringLiteral(" message 1"), second = m_tag + QStringLiteral(" message 2"),
                  third = m_tag + QStringLiteral(" message 3");

    // By the "Move to" menu.
    select(*window, {m_uids[0]});
    QMenu *move = actions->moveMenu();
    Q_EMIT move->aboutToShow();
    QAction *target = nullptr;
    for (QAction *item : move->actions())
        if (item->text() == m_second)
            target = item;
    QVERIFY(target);
    target->trigger();
    QTRY_VERIFY(!list->indexOfUid(m_uids[0]).isValid());
    QTRY_VERIFY_WITH_TIMEOUT(onServer(m_second).contains(first) && !onServer(m_folder).contains(first),
                             ServerTimeoutMs);

    // Dropped on the folder (what a drag from the list does): move.
    FolderModel *folders = window->folderModel();
    std::unique_ptr<QMimeData> dragged(list->mimeData({list->indexOfUid(m_uids[1])}));
    const QModelIndex onto = folders->indexOfFolder(m_second);
    QVERIFY(folders->canDropMimeData(dragged.get(), Qt::MoveAction, -1, -1, onto));
    QVERIFY(!folders->canDropMimeData(dragged.get(), Qt::MoveAction, -1, -1, folders->indexOfFolder(m_folder)));
    QVERIFY(folders->dropMimeData(dragged.get(), Qt::MoveAction, -1, -1, onto));
    QTRY_VERIFY(!list->indexOfUid(m_uids[1]).isValid());
    QTRY_VERIFY_WITH_TIMEOUT(onServer(m_second).contains(second) && !onServer(m_folder).contains(second),
                             ServerTimeoutMs);

    // With Ctrl held the drop copies: the message stays here too.
    dragged.reset(list->mimeData({list->indexOfUid(m_uids[2])}));
    QVERIFY(folders->dropMimeData(dragged.get(), Qt::CopyAction, -1, -1, onto));
    QTRY_VERIFY_WITH_TIMEOUT(onServer(m_second).contains(third), ServerTimeoutMs);
    QVERIFY(onServer(m_folder).contains(third));
    QVERIFY(list->indexOfUid(m_uids[2]).isValid());
}

QTEST_MAIN(TestUiActions)
#include "tst_ui_actions.moc"
