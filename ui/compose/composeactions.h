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
struct Sender;
class MessageView;

/// New message (Ctrl+N), reply (Ctrl+R), reply to all (Ctrl+Shift+R) and
/// forward (Ctrl+L; inline, or as an attachment from the Message menu): each
/// opens a Composer that offers every identity of every account that can
/// send: the current account's first, or for a reply or forward the identity
/// the message was sent to; a reply or forward starts from the message shown
/// (mailcore::mime::makeReply/makeForward: quoting, In-Reply-To and
/// References), with the identity's signature above the quote. GUI thread.
class ComposeActions : public QObject
{
    Q_OBJECT

public:
    /// `currentAccount` says which account writes by default (the window's
    /// current one), `accounts` which may write.
    ComposeActions(std::function<Account *()> currentAccount, std::function<QList<Account *>()> accounts,
                   MessageView *view, QWidget *window);

    QAction *newMessage() const { return m_new; }
    QAction *reply() const { return m_reply; }
    QAction *replyAll() const { return m_replyAll; }
    QAction *forward() const { return m_forward; }
    QAction *forwardAsAttachment() const { return m_forwardAttached; }
    /// Enables what the account and the message shown allow.
    void updateEnabled();
    /// Opens a composer on `draft` (a mailto: link), as the current account; false when no account can send yet.
    bool openDraft(const mailcore::mime::OutgoingMessage &draft) { return openDraftFor(draft) != nullptr; }
    /// The same, and the composer opened (nullptr when no account can send). No signature is added.
    Composer *openDraftFor(const mailcore::mime::OutgoingMessage &draft);

Q_SIGNALS:
    /// A composer window opened (tests and the window follow it).
    void composerOpened(tandem::ui::Composer *composer);

private:
    enum class Kind { New, Reply, ReplyAll, Forward, ForwardAttached };
    void open(Kind kind);
    /// Every identity that can send now, the current account's first.
    QList<Sender> senders() const;
    Composer *openComposer(const mailcore::mime::OutgoingMessage &draft, const QList<Sender> &senders, int chosen,
                           bool signed_);

    std::function<Account *()> m_currentAccount;
    std::function<QList<Account *>()> m_accounts;
    MessageView *m_view;
    QWidget *m_window;
    QAction *m_new;
    QAction *m_reply;
    QAction *m_replyAll;
    QAction *m_forward;
    QAction *m_forwardAttached;
};

} // namespace tandem::ui
