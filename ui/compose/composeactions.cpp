// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/compose/composeactions.h"

#include <QAction>
#include <QWidget>

#include "mailcore/mime/reply.h"
#include "ui/account/account.h"
#include "ui/compose/composer.h"
#include "ui/messages/messageview.h"
#include "ui/messages/parsedmessage.h"
#include "ui/sync/accountsync.h"

namespace tandem::ui {

namespace {

QAction *makeAction(QObject *parent, const QString &name, const QString &icon, const QString &text,
                    const QKeySequence &key)
{
    auto *action = new QAction(QIcon::fromTheme(icon), text, parent);
    action->setObjectName(name);
    action->setShortcut(key);
    return action;
}

} // namespace

ComposeActions::ComposeActions(std::function<Account *()> currentAccount, MessageView *view, QWidget *window)
    : QObject(window)
    , m_currentAccount(std::move(currentAccount))
    , m_view(view)
    , m_window(window)
    , m_new(makeAction(this, QStringLiteral("actionNewMessage"), QStringLiteral("mail-message-new"), tr("&New message"),
                       QKeySequence(Qt::CTRL | Qt::Key_N)))
    , m_reply(makeAction(this, QStringLiteral("actionReply"), QStringLiteral("mail-reply-sender"), tr("&Reply"),
                         QKeySequence(Qt::CTRL | Qt::Key_R)))
    , m_replyAll(makeAction(this, QStringLiteral("actionReplyAll"), QStringLiteral("mail-reply-all"),
                            tr("Reply to &all"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R)))
    , m_forward(makeAction(this, QStringLiteral("actionForward"), QStringLiteral("mail-forward"), tr("&Forward"),
                           QKeySequence(Qt::CTRL | Qt::Key_L)))
    , m_forwardAttached(makeAction(this, QStringLiteral("actionForwardAttached"), QStringLiteral("mail-forward"),
                                   tr("Forward as a&ttachment"), QKeySequence()))
{
    connect(m_new, &QAction::triggered, this, [this] { open(Kind::New); });
    connect(m_reply, &QAction::triggered, this, [this] { open(Kind::Reply); });
    connect(m_replyAll, &QAction::triggered, this, [this] { open(Kind::ReplyAll); });
    connect(m_forward, &QAction::triggered, this, [this] { open(Kind::Forward); });
    connect(m_forwardAttached, &QAction::triggered, this, [this] { open(Kind::ForwardAttached); });
    connect(m_view, &MessageView::messageShown, this, &ComposeActions::updateEnabled);
    updateEnabled();
}

void ComposeActions::updateEnabled()
{
    const Account *account = m_currentAccount();
    const bool canSend = account && account->sync() && account->sync()->canSend();
    const bool shown = canSend && m_view->current().has_value();
    m_new->setEnabled(canSend);
    for (QAction *action : {m_reply, m_replyAll, m_forward, m_forwardAttached})
        action->setEnabled(shown);
}

mailcore::mime::MailAddress ComposeActions::identity() const
{
    const AccountSettings &settings = m_currentAccount()->settings();
    return {settings.fromName, settings.senderAddress(), {}};
}

Composer *ComposeActions::openDraftFor(const mailcore::mime::OutgoingMessage &draft)
{
    const Account *account = m_currentAccount();
    AccountSync *sync = account ? account->sync() : nullptr;
    if (!sync || !sync->canSend())
        return nullptr;
    auto *composer = new Composer(sync, identity(), m_window);
    composer->setDraft(draft);
    composer->show();
    Q_EMIT composerOpened(composer);
    return composer;
}

void ComposeActions::open(Kind kind)
{
    // A new message starts empty; the others from the message shown.
    mailcore::mime::OutgoingMessage draft;
    if (kind != Kind::New && m_view->current()) {
        const mailcore::mime::Message &original = m_view->current()->message;
        const mailcore::mime::MailAddress me = identity();
        const QStringList mine{me.address};
        switch (kind) {
        case Kind::Reply:
            draft = mailcore::mime::makeReply(original, me, mailcore::mime::ReplyMode::Sender, mine);
            break;
        case Kind::ReplyAll:
            draft = mailcore::mime::makeReply(original, me, mailcore::mime::ReplyMode::All, mine);
            break;
        case Kind::Forward:
            draft = mailcore::mime::makeForward(original, me, mailcore::mime::ForwardMode::Inline);
            break;
        case Kind::ForwardAttached:
            draft = mailcore::mime::makeForward(original, me, mailcore::mime::ForwardMode::AsAttachment);
            break;
        case Kind::New: break;
        }
    }
    openDraftFor(draft);
}

} // namespace tandem::ui
