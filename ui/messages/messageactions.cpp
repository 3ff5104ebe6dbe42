// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/messages/messageactions.h"

#include <QAction>
#include <QItemSelectionModel>
#include <QMenu>
#include <QTableView>

#include <algorithm>

#include "mailcore/imapclient/imaptypes.h"
#include "ui/folders/foldermodel.h"
#include "ui/messages/messagelistmodel.h"
#include "ui/sync/accountsync.h"

namespace tandem::ui {

namespace {

QAction *makeAction(QObject *parent, const QString &name, const QString &icon, const QString &text,
                    const QList<QKeySequence> &keys)
{
    auto *action = new QAction(QIcon::fromTheme(icon), text, parent);
    action->setObjectName(name);
    action->setShortcuts(keys);
    action->setShortcutContext(Qt::WindowShortcut);
    return action;
}

} // namespace

MessageActions::MessageActions(QTableView *view, MessageListModel *messages, FolderModel *folders,
                               std::function<AccountSync *()> sync, QObject *parent)
    : QObject(parent)
    , m_view(view)
    , m_messages(messages)
    , m_folders(folders)
    , m_sync(std::move(sync))
    , m_toggleRead(makeAction(this, QStringLiteral("actionToggleRead"), QStringLiteral("mail-mark-read"),
                              tr("Mark as &read / unread"), {QKeySequence(Qt::Key_M)}))
    , m_toggleFlag(makeAction(this, QStringLiteral("actionToggleFlag"), QStringLiteral("mail-mark-important"),
                              tr("&Flag / unflag"), {QKeySequence(Qt::Key_S), QKeySequence(Qt::Key_Asterisk)}))
    , m_delete(makeAction(this, QStringLiteral("actionDelete"), QStringLiteral("edit-delete"), tr("&Delete"),
                          {QKeySequence::Delete}))
    , m_archive(makeAction(this, QStringLiteral("actionArchive"), QStringLiteral("mail-archive"), tr("&Archive"),
                           {QKeySequence(Qt::Key_A)}))
    , m_undo(makeAction(this, QStringLiteral("actionUndo"), QStringLiteral("edit-undo"), tr("&Undo"),
                        {QKeySequence::Undo}))
    , m_moveMenu(new QMenu(tr("&Move to"), view)) // owned by the view: gone with it
    , m_copyMenu(new QMenu(tr("&Copy to"), view))
{
    m_moveMenu->setObjectName(QStringLiteral("moveMenu"));
    m_copyMenu->setObjectName(QStringLiteral("copyMenu"));
    connect(m_toggleRead, &QAction::triggered, this,
            [this] { toggleOfSelected("\\Seen", MessageListModel::UnreadRole, true); });
    connect(m_toggleFlag, &QAction::triggered, this,
            [this] { toggleOfSelected("\\Flagged", MessageListModel::FlaggedRole, false); });
    connect(m_delete, &QAction::triggered, this, &MessageActions::deleteSelected);
    connect(m_archive, &QAction::triggered, this, &MessageActions::archiveSelected);
    connect(m_undo, &QAction::triggered, this, [this] {
        if (AccountSync *sync = m_sync())
            sync->undo();
    });
    connect(m_moveMenu, &QMenu::aboutToShow, this, [this] { fillFolderMenu(m_moveMenu, true); });
    connect(m_copyMenu, &QMenu::aboutToShow, this, [this] { fillFolderMenu(m_copyMenu, false); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &MessageActions::updateEnabled);
    connect(m_messages, &QAbstractItemModel::dataChanged, this, &MessageActions::updateEnabled);
    connect(m_messages, &MessageListModel::refreshed, this, &MessageActions::selectNextAfterRemoval);
    m_undo->setEnabled(false);
    updateEnabled();
}

void MessageActions::addTo(QMenu *menu) const
{
    menu->addAction(m_toggleRead);
    menu->addAction(m_toggleFlag);
    menu->addSeparator();
    menu->addAction(m_archive);
    menu->addMenu(m_moveMenu);
    menu->addMenu(m_copyMenu);
    menu->addSeparator();
    menu->addAction(m_delete);
    menu->addAction(m_undo);
}

void MessageActions::followSync(AccountSync *sync)
{
    m_undo->setEnabled(sync && sync->canUndo());
    if (!sync)
        return;
    connect(sync, &AccountSync::undoChanged, this, [this](const QString &text) {
        m_undo->setEnabled(!text.isEmpty());
        m_undo->setText(text.isEmpty() ? tr("&Undo") : tr("&Undo: %1").arg(text));
    });
}

QList<quint32> MessageActions::selectedUids() const
{
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(), [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QList<quint32> uids;
    for (const QModelIndex &row : rows)
        uids << row.data(MessageListModel::UidRole).toUInt();
    return uids;
}

void MessageActions::updateEnabled()
{
    const bool any = m_sync() && !m_view->selectionModel()->selectedRows().isEmpty();
    for (QAction *action : {m_toggleRead, m_toggleFlag, m_delete})
        action->setEnabled(any);
    m_archive->setEnabled(any && !specialFolder(int(mailcore::FolderRole::Archive), {}).isEmpty()
                          && specialFolder(int(mailcore::FolderRole::Archive), {}) != m_messages->folder());
    m_moveMenu->setEnabled(any);
    m_copyMenu->setEnabled(any);
}

void MessageActions::toggleOfSelected(const QByteArray &flag, int missingRole, bool missingWhenTrue)
{
    AccountSync *sync = m_sync();
    const QList<quint32> uids = selectedUids();
    if (!sync || uids.isEmpty())
        return;
    // One of them without the flag: all get it; else all lose it.
    const bool anyWithout = std::any_of(uids.cbegin(), uids.cend(), [&](quint32 uid) {
        return m_messages->indexOfUid(uid).data(missingRole).toBool() == missingWhenTrue;
    });
    sync->setFlags(m_messages->folderId(), m_messages->folder(), uids, flag, anyWithout);
}

void MessageActions::deleteSelected()
{
    AccountSync *sync = m_sync();
    const QList<quint32> uids = selectedUids();
    if (!sync || uids.isEmpty())
        return;
    const QString trash = specialFolder(int(mailcore::FolderRole::Trash), QStringLiteral("Trash"));
    m_reselectRow = m_view->selectionModel()->selectedRows().first().row();
    // In the Trash, or a POP3 account (its mail is only here: no folders): for good.
    if (sync->isPop3() || trash.isEmpty() || trash == m_messages->folder())
        sync->expungeMessages(m_messages->folderId(), m_messages->folder(), uids);
    else
        sync->moveMessages(m_messages->folderId(), m_messages->folder(), uids, trash);
}

void MessageActions::archiveSelected()
{
    const QString archive = specialFolder(int(mailcore::FolderRole::Archive), {});
    if (!archive.isEmpty())
        moveSelectedTo(archive);
}

void MessageActions::moveSelectedTo(const QString &folder)
{
    AccountSync *sync = m_sync();
    const QList<quint32> uids = selectedUids();
    if (!sync || uids.isEmpty() || folder == m_messages->folder())
        return;
    m_reselectRow = m_view->selectionModel()->selectedRows().first().row();
    sync->moveMessages(m_messages->folderId(), m_messages->folder(), uids, folder);
}

void MessageActions::copySelectedTo(const QString &folder)
{
    if (AccountSync *sync = m_sync())
        sync->copyMessages(m_messages->folder(), selectedUids(), folder);
}

QModelIndex MessageActions::accountRoot() const
{
    // The open folder's account: its folders are the ones messages can go to.
    return m_folders->indexOfAccount(m_folders->accountOfFolder(m_messages->folderId()));
}

void MessageActions::fillFolderMenu(QMenu *menu, bool move)
{
    menu->clear();
    const QModelIndex root = accountRoot();
    if (!root.isValid())
        return;
    QList<QModelIndex> todo{root};
    while (!todo.isEmpty()) {
        const QModelIndex parent = todo.takeFirst();
        for (int row = 0; row < m_folders->rowCount(parent); ++row) {
            const QModelIndex index = m_folders->index(row, 0, parent);
            todo << index;
            const QString name = index.data(FolderModel::FolderNameRole).toString();
            if (name.isEmpty() || name == m_messages->folder() || !(index.flags() & Qt::ItemIsSelectable))
                continue;
            QAction *item = menu->addAction(index.data(Qt::DecorationRole).value<QIcon>(), name);
            connect(item, &QAction::triggered, this,
                    [this, name, move] { move ? moveSelectedTo(name) : copySelectedTo(name); });
        }
    }
}

QString MessageActions::specialFolder(int role, const QString &fallback) const
{
    const QModelIndex root = accountRoot();
    if (!root.isValid())
        return {};
    QList<QModelIndex> todo{root};
    while (!todo.isEmpty()) {
        const QModelIndex parent = todo.takeFirst();
        for (int row = 0; row < m_folders->rowCount(parent); ++row) {
            const QModelIndex index = m_folders->index(row, 0, parent);
            if (index.data(FolderModel::FolderRoleRole).toInt() == role)
                return index.data(FolderModel::FolderNameRole).toString();
            todo << index;
        }
    }
    const qint64 accountId = root.data(FolderModel::AccountIdRole).toLongLong();
    return fallback.isEmpty() || !m_folders->indexOfFolder(fallback, accountId).isValid() ? QString() : fallback;
}

void MessageActions::selectNextAfterRemoval()
{
    if (m_reselectRow < 0 || m_messages->rowCount() == 0)
        return;
    const int row = std::min(m_reselectRow, m_messages->rowCount() - 1);
    m_reselectRow = -1;
    m_view->setCurrentIndex(m_messages->index(row, MessageListModel::SubjectColumn));
}

} // namespace tandem::ui
