// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// AccountSync: sending through the Outbox. Every message is kept in the store
// before the first try, marked "sending" before it is handed to the server
// and "sent" once the server took it, then copied to Sent and removed: a run
// that ends anywhere leaves it where it can neither be lost nor go out twice.

#include "mailcore/store/mailstore.h"
#include "ui/account/connectionproblem.h"
#include "ui/futureresult.h"
#include "ui/sync/accountsync.h"

namespace tandem::ui {

using mailcore::store::OfflineAction;
using mailcore::store::OutboxEntry;

namespace {

/// The server answered "no" to the message itself or to every recipient: a
/// try again later would get the same answer, unlike a connection that failed.
QString refusedBecause(const mailcore::SmtpSendResult &result)
{
    QStringList refused;
    for (const mailcore::SmtpRecipientResult &r : result.refused())
        refused << QStringLiteral("%1 (%2)").arg(r.address, r.text);
    return refused.join(QStringLiteral(", "));
}

/// Everything the client's connections wrote so far.
quint64 bytesWritten(const mailcore::PoolSnapshot &snapshot)
{
    quint64 out = 0;
    for (const mailcore::PoolConnectionInfo &c : snapshot.connections)
        out += c.activity.bytesOut;
    return out;
}

/// Waits for a store write; a failed one is already logged by the store, and
/// leaves the entry as it was (tried again by the next run).
void waitFor(QFuture<void> write) { takeError(write); }

} // namespace

void AccountSync::send(const QByteArray &message, const QString &sender, const QStringList &recipients)
{
    OutboxEntry entry;
    entry.accountId = m_accountId;
    entry.message = message;
    entry.sender = sender;
    entry.recipients = recipients;
    QFuture<qint64> queued = m_store.queueOutgoing(entry);
    m_sendThread.start([this, queued]() mutable {
        try {
            queued.waitForFinished(); // in the Outbox before the first try
        } catch (const mailcore::MailException &) {
        }
        Q_EMIT outboxChanged();
    });
    sendOutbox();
}

void AccountSync::followSendingBytes()
{
    // The SMTP pool tells what its connections wrote: the share of the message gone so far.
    connect(m_smtp.get(), &mailcore::SmtpClient::poolChanged, this, [this](const mailcore::PoolSnapshot &snapshot) {
        const qint64 id = m_sendingId;
        if (id == 0)
            return;
        const qint64 total = m_sendingTotal;
        const quint64 written = bytesWritten(snapshot) - std::min(bytesWritten(snapshot), quint64(m_sendingBase));
        Q_EMIT sendProgress(id, std::min<qint64>(qint64(written), total), total);
    });
}

void AccountSync::tellProgress(qint64 outboxId, qint64 done, qint64 total)
{
    // From the GUI thread, like the byte counts in between: in order, and on the thread that shows them.
    QMetaObject::invokeMethod(
        this, [this, outboxId, done, total] { Q_EMIT sendProgress(outboxId, done, total); }, Qt::QueuedConnection);
}

void AccountSync::sendOutbox()
{
    if (m_stopping || !m_smtp)
        return;
    m_sendThread.start([this] {
        const auto box = m_store.outbox(m_accountId);
        if (!box)
            return;
        for (const OutboxEntry &entry : box.value()) {
            if (m_stopping)
                return;
            // "Sending": it may have gone, the user decides; "held": being edited.
            if (entry.state == OutboxEntry::State::Waiting || entry.state == OutboxEntry::State::Sent)
                sendEntry(entry);
        }
    });
}

void AccountSync::sendEntry(const OutboxEntry &entry)
{
    if (entry.state == OutboxEntry::State::Waiting) {
        if (QFuture<void> marked = m_store.markSending(entry.id); takeError(marked).isError())
            return; // not marked, so not sent: the next run tries again
        mailcore::SmtpMessage message;
        message.from = entry.sender;
        message.recipients = entry.recipients;
        message.data = entry.message;
        const qint64 total = entry.message.size();
        m_sendingBase = bytesWritten(m_smtp->poolSnapshot());
        m_sendingTotal = total;
        m_sendingId = entry.id;
        tellProgress(entry.id, 0, total);
        const mailcore::Result<mailcore::SmtpSendResult> sent = m_smtp->sendMessage(message);
        m_sendingId = 0;
        tellProgress(entry.id, sent ? total : -1, total);
        if (!sent) {
            // Not taken. Marked "may have been delivered" only when the message's
            // data had been written: then it stays "sending", for the user.
            if (!sent.error().mayHaveBeenDelivered())
                waitFor(
                    m_store.failOutgoing(entry.id, connectionProblem(sent.error(), serverName(m_smtp->endpoint()))));
            Q_EMIT outboxChanged();
            return;
        }
        if (sent->refused().size() == sent->recipients.size() && !sent->recipients.isEmpty()) {
            waitFor(m_store.failOutgoing(entry.id,
                                         tr("every recipient was refused: %1").arg(refusedBecause(sent.value()))));
            Q_EMIT outboxChanged();
            return;
        }
        if (QFuture<void> marked = m_store.markSent(entry.id); takeError(marked).isError())
            return; // "sending" stays: it went out, and is not sent again
        Q_EMIT messageSent(entry.id);
    }
    // Sent: its copy goes to Sent through the queue of changes (so offline it
    // waits there too), and it leaves the Outbox. Before the folder list is
    // known it stays "sent", and the copy is made after that sync.
    // Its Sent folder, else one named "Sent" (an append makes it); none while
    // the store knows no folder of the account yet.
    bool known = false;
    const QString sent = folderOfRole(mailcore::FolderRole::Sent, QStringLiteral("Sent"), &known);
    if (!m_imap) {
        // POP3: no Sent folder on a server to copy it to.
        waitFor(m_store.removeOutgoing(entry.id));
        Q_EMIT outboxChanged();
        return;
    }
    if (!known) {
        Q_EMIT outboxChanged();
        return;
    }
    OfflineAction copy;
    copy.kind = OfflineAction::Kind::Append;
    copy.folder = sent;
    copy.message = entry.message;
    copy.flags = {"\\Seen"};
    sendChanges(m_store.queueAction(m_accountId, copy));
    waitFor(m_store.removeOutgoing(entry.id));
    Q_EMIT outboxChanged();
}

void AccountSync::editOutgoing(qint64 id)
{
    m_sendThread.start([this, id] {
        const auto box = m_store.outbox(m_accountId);
        if (!box)
            return;
        for (const OutboxEntry &entry : box.value()) {
            if (entry.id != id || entry.state != OutboxEntry::State::Waiting)
                continue;
            if (QFuture<void> held = m_store.holdOutgoing(id, true); takeError(held).isError())
                return;
            Q_EMIT outboxChanged();
            Q_EMIT heldForEditing(entry);
        }
    });
}

void AccountSync::holdOutgoing(qint64 id, bool held)
{
    QFuture<void> changed = m_store.holdOutgoing(id, held);
    m_sendThread.start([this, changed]() mutable {
        takeError(changed);
        Q_EMIT outboxChanged();
    });
    if (!held)
        sendOutbox();
}

void AccountSync::cancelOutgoing(qint64 id)
{
    QFuture<void> removed = m_store.removeOutgoing(id);
    m_sendThread.start([this, removed]() mutable {
        try {
            removed.waitForFinished();
        } catch (const mailcore::MailException &) {
        }
        Q_EMIT outboxChanged();
    });
}

} // namespace tandem::ui
