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

ComposeActions::ComposeActions(std::function<Account *()> currentAccount, std::function<QList<Account *>()> accounts,
                               MessageView *view, QWidget *window)
    : QObject(window)
    , m_currentAccount(std::move(currentAccount))
    , m_accounts(std::move(accounts))
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
    const bool canSend = !senders().isEmpty();
    const bool shown = canSend && m_view->current().has_value();
    m_new->setEnabled(canSend);
    for (QAction *action : {m_reply, m_replyAll, m_forward, m_forwardAttached})
        action->setEnabled(shown);
}

QList<Sender> ComposeActions::senders() const
{
    // Every identity of every account that can send; the current account's first.
    QList<Account *> accounts = m_accounts();
    if (Account *current = m_currentAccount(); accounts.removeAll(current) > 0)
        accounts.prepend(current);
    QList<Sender> all;
    for (const Account *account : std::as_const(accounts)) {
        AccountSync *sync = account->sync();
        if (!sync || !sync->canSend())
            continue;
        for (const AccountSettings::Identity &identity : account->settings().identities()) {
            const mailcore::mime::MailAddress from{identity.name, identity.address, {}};
            all << Sender{from.toDisplayString(), from, sync, identity.signature};
        }
    }
    return all;
}

Composer *ComposeActions::openDraftFor(const mailcore::mime::OutgoingMessage &draft)
{
    return openComposer(draft, senders(), 0, false);
}

Composer *ComposeActions::openComposer(const mailcore::mime::OutgoingMessage &draft, const QList<Sender> &senders,
                                       int chosen, bool signed_)
{
    if (senders.isEmpty())
        return nullptr;
    auto *composer = new Composer(senders, chosen, m_window);
    composer->setDraft(draft);
    if (signed_)
        composer->addSignature();
    composer->show();
    Q_EMIT composerOpened(composer);
    return composer;
}

void ComposeActions::open(Kind kind)
{
    const QList<Sender> all = senders();
    if (all.isEmpty())
        return;
    // A new message starts empty; the others from the message shown, written
    // as the identity it was sent to (else the current account's).
    int chosen = 0;
    mailcore::mime::OutgoingMessage draft;
    if (kind != Kind::New && m_view->current()) {
        const mailcore::mime::Message &original = m_view->current()->message;
        const mailcore::mime::MessageHeaders &headers = original.headers();
        QStringList mine;
        for (const Sender &sender : all)
            mine << sender.from.address;
        for (int i = 0; i < all.size() && chosen == 0; ++i) {
            for (const QList<mailcore::mime::MailAddress> *list : {&headers.to, &headers.cc}) {
                if (std::any_of(list->cbegin(), list->cend(), [&](const mailcore::mime::MailAddress &a) {
                        return a.address.compare(all.at(i).from.address, Qt::CaseInsensitive) == 0;
                    }))
                    chosen = i;
            }
        }
        const mailcore::mime::MailAddress me = all.at(chosen).from;
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
    openComposer(draft, all, chosen, true);
}

} // namespace tandem::ui
