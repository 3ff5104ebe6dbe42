// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QPointer>
#include <QWidget>

#include "mailcore/mime/outgoing.h"
#include "ui/sync/accountsync.h"

class QComboBox;
class QCompleter;
class QLabel;
class QStringListModel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace tandem::ui {

/// Who a message can be from: an identity of an account that can send.
struct Sender {
    QString label;                    ///< "Alice Example <alice@example.org>", as the From menu shows it
    mailcore::mime::MailAddress from; ///< the From header
    QPointer<AccountSync> sync;       ///< the account that sends it (its Outbox, Drafts)
    QString signature;                ///< put under the text, after a "-- " line; empty: none
};

/// A window to write a message: From (any identity of any account), To, Cc, Bcc,
/// Subject, the text, and attachments (by button or dropped on the window,
/// each with its size). Send (Ctrl+Return) builds the message
/// (mailcore::mime::MessageBuilder: plain text as format=flowed) and hands it
/// to the account's Outbox (AccountSync::send): it goes now, or waits there
/// and goes later, never lost. A reply or forward starts from the draft
/// mailcore::mime::makeReply/makeForward made. GUI thread.
class Composer : public QWidget
{
    Q_OBJECT

public:
    /// Writes as `senders[chosen]`, and offers the others in the From menu
    /// (their syncs must outlive the window, or be gone before Send: then
    /// Send says so).
    Composer(QList<Sender> senders, int chosen = 0, QWidget *parent = nullptr);

    /// Fills the fields from a draft (a reply, a forward); its attachments too.
    void setDraft(const mailcore::mime::OutgoingMessage &draft);
    /// The message as the fields say now.
    mailcore::mime::OutgoingMessage message() const;
    /// The draft being edited is message `uid` of the Drafts folder: a save
    /// or a send replaces it.
    void setDraftOrigin(quint32 uid);
    /// Adds the file at `path` as an attachment.
    void addAttachment(const QString &path);
    /// Puts the sender's signature at the top, above a reply's quote (new
    /// messages, replies, forwards; a reopened draft has its own already).
    void addSignature();

    /// The From menu: one entry per sender.
    QComboBox *fromField() const { return m_fromField; }
    QLineEdit *toField() const { return m_to; }
    QLineEdit *ccField() const { return m_cc; }
    QLineEdit *bccField() const { return m_bcc; }
    QLineEdit *subjectField() const { return m_subject; }
    QPlainTextEdit *textField() const { return m_text; }
    QListWidget *attachmentList() const { return m_attachments; }
    QPushButton *sendButton() const { return m_send; }
    /// Whether the people to complete addresses from are read (from the store).
    bool peopleLoaded() const { return m_peopleLoaded; }
    /// What the address fields offer for `typed` (the address being written):
    /// the people of the account's mail whose name or address contains it.
    QStringList suggestionsFor(const QString &typed) const;
    /// Why the last Send did not go (empty when it did).
    QString problem() const;

public Q_SLOTS:
    /// Checks the fields, builds the message and hands it to the Outbox; closes on success.
    bool send();
    /// Keeps the message as it is in the Drafts folder (Ctrl+S; also when the
    /// window closes unsent), in place of the draft saved before.
    void saveDraft();

Q_SIGNALS:
    /// The message is in the Outbox (on its way).
    void queued();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void chooseAttachments();
    void loadPeople();
    /// Completes the address being written in `field` (the text after its last comma).
    void completeIn(QLineEdit *field);
    void showProblem(const QString &problem);
    /// From now on the message is from sender `index`: its account sends it, its signature replaces the last one.
    void chooseSender(int index);

    QList<Sender> m_senders;
    QPointer<AccountSync> m_sync; ///< the chosen sender's
    mailcore::mime::MailAddress m_from;
    QString m_signature; ///< the chosen sender's
    QComboBox *m_fromField;
    mailcore::mime::OutgoingMessage m_draft; ///< what setDraft() gave: the reply's ids, forwarded parts
    QLineEdit *m_to;
    QLineEdit *m_cc;
    QLineEdit *m_bcc;
    QLineEdit *m_subject;
    QPlainTextEdit *m_text;
    QListWidget *m_attachments;
    QPushButton *m_send;
    QLabel *m_problem;
    QStringListModel *m_people;
    QCompleter *m_completer; ///< moves to the address field being written
    bool m_peopleLoaded = false;
    AccountSync::Draft m_savedDraft; ///< the version in Drafts, replaced by the next save
    QString m_savedState;            ///< what the fields held at the last save (nothing new: no save)
    bool m_sent = false;
    /// What the fields hold, to tell whether there is anything new to save.
    QString state() const;
};

} // namespace tandem::ui
