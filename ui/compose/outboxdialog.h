// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QDialog>
#include <QPointer>

#include "mailcore/mime/outgoing.h"
#include "mailcore/store/records.h"

class QListWidget;
class QPushButton;

namespace tandem::ui {

class AccountSync;

/// The Outbox: every message written and not yet sent, with where it is and
/// why it has not gone (the server's or the network's words); "Send now"
/// tries again, "Cancel" takes the selected one out (it is not sent). A
/// message the server may have taken already (the run ended while it was
/// being handed over) says so and is never sent again by itself. "Edit"
/// holds a waiting message (it is not sent meanwhile): the window then opens
/// a composer on it (AccountSync::heldForEditing). GUI thread.
class OutboxDialog : public QDialog
{
    Q_OBJECT

public:
    OutboxDialog(AccountSync *sync, QWidget *parent = nullptr);
    QListWidget *list() const { return m_list; }
    /// Reads the Outbox again.
    void reload();
    /// What an Outbox message says, as a draft to edit (Bcc from its envelope).
    static mailcore::mime::OutgoingMessage draftOf(const mailcore::store::OutboxEntry &entry);

private:
    QPointer<AccountSync> m_sync;
    QListWidget *m_list;
    QPushButton *m_cancel;
    QPushButton *m_edit;
};

} // namespace tandem::ui
