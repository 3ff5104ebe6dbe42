// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/compose/outboxdialog.h"

#include <QDialogButtonBox>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

#include "mailcore/mime/message.h"
#include "mailcore/store/mailstore.h"
#include "ui/compose/draftof.h"
#include "ui/sync/accountsync.h"

namespace tandem::ui {

using mailcore::store::OutboxEntry;

namespace {

constexpr int IdRole = Qt::UserRole + 1;

QString describe(const OutboxEntry &entry)
{
    const mailcore::mime::MessageHeaders headers = mailcore::mime::Message::parseHeaders(entry.message);
    const QString subject = headers.subject.isEmpty() ? OutboxDialog::tr("(no subject)") : headers.subject;
    const QString to = entry.recipients.join(QStringLiteral(", "));
    switch (entry.state) {
    case OutboxEntry::State::Sending:
        return OutboxDialog::tr("%1 to %2: may have been sent already (Tandem stopped while handing it over); "
                                "it is not sent again unless you send it anew")
            .arg(subject, to);
    case OutboxEntry::State::Sent: return OutboxDialog::tr("%1 to %2: sent, being copied to Sent").arg(subject, to);
    case OutboxEntry::State::Held: return OutboxDialog::tr("%1 to %2: being edited").arg(subject, to);
    case OutboxEntry::State::Waiting: break;
    }
    return entry.lastError.isEmpty()
        ? OutboxDialog::tr("%1 to %2: waiting to be sent").arg(subject, to)
        : OutboxDialog::tr("%1 to %2: not sent yet, %3.\n%4")
              .arg(subject, to,
                   entry.attempts == 1 ? OutboxDialog::tr("tried once")
                                       : OutboxDialog::tr("tried %1 times").arg(entry.attempts),
                   entry.lastError);
}

} // namespace

mailcore::mime::OutgoingMessage OutboxDialog::draftOf(const OutboxEntry &entry)
{
    return ui::draftOf(mailcore::mime::Message::parse(entry.message), entry.recipients);
}

OutboxDialog::OutboxDialog(AccountSync *sync, QWidget *parent)
    : QDialog(parent)
    , m_sync(sync)
    , m_list(new QListWidget)
    , m_cancel(new QPushButton(tr("&Cancel this message")))
{
    setObjectName(QStringLiteral("outboxDialog"));
    setWindowTitle(tr("Outbox"));
    m_list->setObjectName(QStringLiteral("outboxList"));
    m_list->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    QPushButton *retry = buttons->addButton(tr("Send &now"), QDialogButtonBox::ActionRole);
    m_edit = buttons->addButton(tr("&Edit"), QDialogButtonBox::ActionRole);
    buttons->addButton(m_cancel, QDialogButtonBox::ActionRole);
    m_cancel->setObjectName(QStringLiteral("outboxCancel"));
    m_edit->setObjectName(QStringLiteral("outboxEdit"));
    connect(m_edit, &QPushButton::clicked, this, [this] {
        if (m_sync && m_list->currentItem())
            m_sync->editOutgoing(m_list->currentItem()->data(IdRole).toLongLong()); // then heldForEditing
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(retry, &QPushButton::clicked, this, [this] {
        if (m_sync)
            m_sync->sendOutbox();
    });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_sync && m_list->currentItem())
            m_sync->cancelOutgoing(m_list->currentItem()->data(IdRole).toLongLong());
    });
    if (m_sync)
        connect(m_sync, &AccountSync::outboxChanged, this, &OutboxDialog::reload);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_list);
    layout->addWidget(buttons);
    resize(640, 320);
    reload();
}

void OutboxDialog::reload()
{
    m_list->clear();
    if (!m_sync)
        return;
    const auto box = m_sync->store().outbox(m_sync->accountId());
    if (!box)
        return;
    for (const OutboxEntry &entry : box.value()) {
        auto *item = new QListWidgetItem(describe(entry), m_list);
        item->setData(IdRole, entry.id);
    }
    m_cancel->setEnabled(m_list->count() > 0);
    m_edit->setEnabled(m_list->count() > 0);
    if (m_list->count() > 0)
        m_list->setCurrentRow(0);
}

} // namespace tandem::ui
