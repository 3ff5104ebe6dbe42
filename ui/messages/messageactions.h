// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QList>
#include <QModelIndex>
#include <QObject>

#include <functional>

class QAction;
class QMenu;
class QTableView;

namespace tandem::ui {

class AccountSync;
class FolderModel;
class MessageListModel;

/// What the user does to the selected messages: read/unread (M), flag (S or
/// *), delete (Delete: to the Trash, or for good in the Trash), archive (A),
/// move to and copy to a folder, and undo (Ctrl+Z) of a delete or a move.
/// The actions work on every selected row, are enabled only when they can
/// do something, and go through the account's AccountSync: the store (and so
/// the list) changes at once, the server follows. GUI thread.
class MessageActions : public QObject
{
    Q_OBJECT

public:
    /// `view` shows `messages`; `folders` gives the special folders and the
    /// move targets; `sync()` is the current account's sync (nullptr: none).
    MessageActions(QTableView *view, MessageListModel *messages, FolderModel *folders,
                   std::function<AccountSync *()> sync, QObject *parent = nullptr);

    QAction *toggleRead() const { return m_toggleRead; }
    QAction *toggleFlag() const { return m_toggleFlag; }
    QAction *remove() const { return m_delete; }
    QAction *archive() const { return m_archive; }
    QAction *undo() const { return m_undo; }
    QMenu *moveMenu() const { return m_moveMenu; }
    QMenu *copyMenu() const { return m_copyMenu; }
    /// Every action and the two menus, as a context menu for the list.
    void addTo(QMenu *menu) const;

    /// The UIDs of the selected rows, top to bottom.
    QList<quint32> selectedUids() const;
    /// Moves (or copies) the selected messages to `folder`.
    void moveSelectedTo(const QString &folder);
    void copySelectedTo(const QString &folder);
    /// The account changed: undo follows the new one.
    void followSync(AccountSync *sync);
    /// Enables what the selection allows.
    void updateEnabled();

private:
    /// Adds `flag` to every selected message if one lacks it (its
    /// `missingRole` is `missingWhenTrue`), else removes it from all.
    void toggleOfSelected(const QByteArray &flag, int missingRole, bool missingWhenTrue);
    void deleteSelected();
    void archiveSelected();
    void fillFolderMenu(QMenu *menu, bool move);
    /// The open folder's account in the folder model: its folders are where messages may go.
    QModelIndex accountRoot() const;
    /// The open folder's account's folder with `role` (mailcore::FolderRole),
    /// else one named `fallback`; empty if none.
    QString specialFolder(int role, const QString &fallback) const;
    /// After rows go, the row below them is selected (as in every mail client).
    void selectNextAfterRemoval();

    QTableView *m_view;
    MessageListModel *m_messages;
    FolderModel *m_folders;
    std::function<AccountSync *()> m_sync;
    QAction *m_toggleRead;
    QAction *m_toggleFlag;
    QAction *m_delete;
    QAction *m_archive;
    QAction *m_undo;
    QMenu *m_moveMenu;
    QMenu *m_copyMenu;
    int m_reselectRow = -1;
};

} // namespace tandem::ui
