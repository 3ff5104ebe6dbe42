// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QObject>

#include <functional>

#include "mailcore/mime/outgoing.h"

class QAction;
class QWidget;

namespace tandem::ui {

class Account;
class Composer;
class MessageView;

/// New message (Ctrl+N), reply (Ctrl+R), reply to all (Ctrl+Shift+R) and
/// forward (Ctrl+L; inline, or as an attachment from the Message menu): each
/// opens a Composer for the account's identity, a reply or forward starting
/// from the message shown (mailcore::mime::makeReply/makeForward: quoting,
/// In-Reply-To and References). GUI thread.
class ComposeActions : public QObject
{
    Q_OBJECT

public:
    /// `currentAccount` says which account writes now (the window's current one).
    ComposeActions(std::function<Account *()> currentAccount, MessageView *view, QWidget *window);

    QAction *newMessage() const { return m_new; }
    QAction *reply() const { return m_reply; }
    QAction *replyAll() const { return m_replyAll; }
    QAction *forward() const { return m_forward; }
    QAction *forwardAsAttachment() const { return m_forwardAttached; }
    /// Enables what the account and the message shown allow.
    void updateEnabled();
    /// Opens a composer on `draft` (a mailto: link); false when the account cannot send yet.
    bool openDraft(const mailcore::mime::OutgoingMessage &draft) { return openDraftFor(draft) != nullptr; }
    /// The same, and the composer opened (nullptr when the account cannot send).
    Composer *openDraftFor(const mailcore::mime::OutgoingMessage &draft);

Q_SIGNALS:
    /// A composer window opened (tests and the window follow it).
    void composerOpened(tandem::ui::Composer *composer);

private:
    enum class Kind { New, Reply, ReplyAll, Forward, ForwardAttached };
    void open(Kind kind);
    /// Who the account's messages are from.
    mailcore::mime::MailAddress identity() const;

    std::function<Account *()> m_currentAccount;
    MessageView *m_view;
    QWidget *m_window;
    QAction *m_new;
    QAction *m_reply;
    QAction *m_replyAll;
    QAction *m_forward;
    QAction *m_forwardAttached;
};

} // namespace tandem::ui
