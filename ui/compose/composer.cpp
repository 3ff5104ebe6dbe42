// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/compose/composer.h"

#include <QCloseEvent>
#include <QComboBox>
#include <QCompleter>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QLocale>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QStringListModel>
#include <QVBoxLayout>

#include "mailcore/mime/builder.h"
#include "mailcore/mime/message.h"
#include "mailcore/store/mailstore.h"
#include "ui/addresses.h"
#include "ui/futureresult.h"
#include "ui/sync/accountsync.h"

namespace tandem::ui {

using mailcore::mime::MailAddress;
using mailcore::mime::OutgoingAttachment;

namespace {

constexpr int PathRole = Qt::UserRole + 1; ///< an attachment item's file; empty for one of the draft's

QString joined(const QList<MailAddress> &addresses)
{
    QStringList out;
    for (const MailAddress &a : addresses)
        out << a.toDisplayString();
    return out.join(QStringLiteral(", "));
}

QString sizeText(qint64 bytes) { return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat); }

} // namespace

namespace {

/// The signature block: the "-- " line (RFC 3676 4.3) and the signature.
QString signatureBlock(const QString &signature)
{
    return signature.isEmpty() ? QString() : QStringLiteral("-- \n") + signature;
}

} // namespace

Composer::Composer(QList<Sender> senders, int chosen, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_senders(std::move(senders))
    , m_fromField(new QComboBox)
    , m_to(new QLineEdit)
    , m_cc(new QLineEdit)
    , m_bcc(new QLineEdit)
    , m_subject(new QLineEdit)
    , m_text(new QPlainTextEdit)
    , m_attachments(new QListWidget)
    , m_send(new QPushButton(QIcon::fromTheme(QStringLiteral("mail-send")), tr("&Send")))
    , m_problem(new QLabel)
    , m_people(new QStringListModel(this))
    , m_completer(new QCompleter(m_people, this))
{
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setFilterMode(Qt::MatchContains); // "jör" finds "Jörg Müller <joerg@…>"
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    connect(m_completer, qOverload<const QString &>(&QCompleter::activated), this, [this](const QString &person) {
        auto *field = qobject_cast<QLineEdit *>(m_completer->widget());
        if (!field)
            return;
        // The address being written becomes the one chosen; the ones before stay.
        const QString text = field->text();
        const qsizetype comma = text.lastIndexOf(u',');
        field->setText((comma < 0 ? QString() : text.left(comma + 1) + u' ') + person + QStringLiteral(", "));
    });
    for (QLineEdit *field : {m_to, m_cc, m_bcc})
        connect(field, &QLineEdit::textEdited, this, [this, field] { completeIn(field); });
    m_fromField->setObjectName(QStringLiteral("from"));
    for (const Sender &sender : std::as_const(m_senders))
        m_fromField->addItem(sender.label);
    const int first = std::clamp(chosen, 0, std::max(0, int(m_senders.size()) - 1));
    if (!m_senders.isEmpty()) {
        m_sync = m_senders.at(first).sync;
        m_from = m_senders.at(first).from;
        m_signature = m_senders.at(first).signature;
    }
    m_fromField->setCurrentIndex(first);
    connect(m_fromField, &QComboBox::currentIndexChanged, this, &Composer::chooseSender);
    loadPeople();
    setObjectName(QStringLiteral("composer"));
    setWindowTitle(tr("New message"));
    setAttribute(Qt::WA_DeleteOnClose);
    setAcceptDrops(true); // files dropped anywhere on the window are attached
    m_savedState = state();
    m_to->setObjectName(QStringLiteral("to"));
    m_cc->setObjectName(QStringLiteral("cc"));
    m_bcc->setObjectName(QStringLiteral("bcc"));
    m_subject->setObjectName(QStringLiteral("subject"));
    m_text->setObjectName(QStringLiteral("text"));
    m_attachments->setObjectName(QStringLiteral("attachments"));
    m_send->setObjectName(QStringLiteral("send"));
    m_problem->setObjectName(QStringLiteral("problem"));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #b00020"));
    m_problem->hide();
    for (QLineEdit *field : {m_to, m_cc, m_bcc})
        field->setPlaceholderText(tr("Name <address@example.org>, another@example.org"));
    m_attachments->setMaximumHeight(m_attachments->fontMetrics().height() * 5);
    m_attachments->hide(); // until there is one

    auto *fields = new QFormLayout;
    fields->addRow(tr("&From:"), m_fromField);
    fields->addRow(tr("&To:"), m_to);
    fields->addRow(tr("&Cc:"), m_cc);
    fields->addRow(tr("&Bcc:"), m_bcc);
    fields->addRow(tr("S&ubject:"), m_subject);

    auto *keep = new QPushButton(QIcon::fromTheme(QStringLiteral("document-save")), tr("Save &draft"));
    keep->setObjectName(QStringLiteral("saveDraft"));
    keep->setShortcut(QKeySequence::Save);
    connect(keep, &QPushButton::clicked, this, &Composer::saveDraft);
    auto *attach = new QPushButton(QIcon::fromTheme(QStringLiteral("mail-attachment")), tr("&Attach…"));
    attach->setObjectName(QStringLiteral("attach"));
    connect(attach, &QPushButton::clicked, this, &Composer::chooseAttachments);
    connect(m_send, &QPushButton::clicked, this, &Composer::send);
    auto *sendShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    connect(sendShortcut, &QShortcut::activated, this, &Composer::send);
    m_send->setToolTip(tr("Send (Ctrl+Return)"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(attach);
    buttons->addWidget(keep);
    buttons->addStretch(1);
    buttons->addWidget(m_send);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(fields);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_attachments);
    layout->addWidget(m_problem);
    layout->addLayout(buttons);
    resize(720, 560);
}

void Composer::loadPeople()
{
    if (!m_sync)
        return;
    const qint64 accountId = m_sync->accountId();
    // Every stored message is read: on the sync's thread, never the GUI's.
    whenFinished(this, m_sync->run([accountId](mailcore::store::MailStore &store, mailcore::ImapClient *) {
        const auto people = store.correspondents(accountId);
        QStringList shown;
        if (people) {
            for (const MailAddress &a : people.value())
                shown << a.toDisplayString();
        }
        return shown;
    }),
                 [this](QFuture<QStringList> future) {
                     const auto shown = takeResult(future);
                     if (shown)
                         m_people->setStringList(shown.value());
                     m_peopleLoaded = true;
                 });
}

void Composer::completeIn(QLineEdit *field)
{
    const QString typed = field->text().section(u',', -1).trimmed();
    if (typed.isEmpty())
        return;
    m_completer->setWidget(field);
    m_completer->setCompletionPrefix(typed);
    m_completer->complete();
}

QStringList Composer::suggestionsFor(const QString &typed) const
{
    m_completer->setCompletionPrefix(typed);
    QStringList out;
    for (int row = 0; row < m_completer->completionModel()->rowCount(); ++row)
        out << m_completer->completionModel()->index(row, 0).data().toString();
    return out;
}

void Composer::setDraft(const mailcore::mime::OutgoingMessage &draft)
{
    m_draft = draft;
    m_to->setText(joined(draft.to));
    m_cc->setText(joined(draft.cc));
    m_bcc->setText(joined(draft.bcc));
    m_subject->setText(draft.subject);
    m_text->setPlainText(draft.plainText);
    m_text->moveCursor(QTextCursor::Start);
    for (const OutgoingAttachment &a : draft.attachments) {
        auto *item = new QListWidgetItem(
            QStringLiteral("%1 (%2)").arg(
                a.fileName, sizeText(a.filePath.isEmpty() ? a.data.size() : QFileInfo(a.filePath).size())),
            m_attachments);
        item->setData(PathRole, QString());
    }
    m_attachments->setVisible(m_attachments->count() > 0);
    setWindowTitle(draft.subject.isEmpty() ? tr("New message") : draft.subject);
    m_savedState = state(); // a reply or forward left unchanged is not kept as a draft
}

void Composer::addSignature()
{
    if (m_signature.isEmpty())
        return;
    // Above a reply's quote, where the cursor starts: what is written goes over it.
    const QString text = m_text->toPlainText();
    m_text->setPlainText(QStringLiteral("\n\n") + signatureBlock(m_signature)
                         + (text.isEmpty() ? QString() : QStringLiteral("\n\n") + text));
    m_text->moveCursor(QTextCursor::Start);
    m_savedState = state(); // a signature alone is nothing to keep
}

void Composer::chooseSender(int index)
{
    if (index < 0 || index >= m_senders.size())
        return;
    const Sender &sender = m_senders.at(index);
    const bool unchanged = state() == m_savedState; // nothing new since the last save (or since it opened)
    if (!m_signature.isEmpty() || !sender.signature.isEmpty()) {
        const QString text = m_text->toPlainText();
        const QString old = signatureBlock(m_signature);
        if (!old.isEmpty() && text.contains(old)) {
            QString changed = text;
            changed.replace(changed.indexOf(old), old.size(), signatureBlock(sender.signature));
            m_text->setPlainText(changed);
        }
    }
    bool moveDraft = false;
    if (sender.sync != m_sync) {
        // Another account: the draft kept in the old one's Drafts goes; the next save is in the new one's.
        moveDraft = m_savedDraft.queued.isValid() || m_savedDraft.uid != 0;
        if (m_sync && moveDraft)
            m_sync->discardDraft(m_savedDraft);
        m_savedDraft = {};
        m_sync = sender.sync;
        loadPeople();
    }
    m_from = sender.from;
    m_signature = sender.signature;
    // Only the sender changed: nothing new to keep, unless a kept draft must move to the new account.
    m_savedState = unchanged && !moveDraft ? state() : QString();
}

void Composer::addAttachment(const QString &path)
{
    const QFileInfo file(path);
    if (!file.isFile())
        return;
    auto *item = new QListWidgetItem(QStringLiteral("%1 (%2)").arg(file.fileName(), sizeText(file.size())),
                                     m_attachments);
    item->setData(PathRole, file.absoluteFilePath());
    m_attachments->show();
}

void Composer::chooseAttachments()
{
    for (const QString &path : QFileDialog::getOpenFileNames(this, tr("Attach files")))
        addAttachment(path);
}

void Composer::setDraftOrigin(quint32 uid)
{
    m_savedDraft = {};
    m_savedDraft.uid = uid;
    m_savedState = state(); // as it is in Drafts already
}

QString Composer::state() const
{
    QStringList parts{m_to->text(), m_cc->text(), m_bcc->text(), m_subject->text(), m_text->toPlainText()};
    for (int i = 0; i < m_attachments->count(); ++i)
        parts << m_attachments->item(i)->text();
    return parts.join(QChar(0));
}

void Composer::saveDraft()
{
    if (!m_sync || m_sent || state() == m_savedState)
        return;
    mailcore::mime::OutgoingMessage m = message();
    if (m.from.address.isEmpty())
        return;
    mailcore::Error error;
    const QByteArray bytes = mailcore::mime::MessageBuilder::build(m, &error);
    if (error.isError()) {
        showProblem(tr("The draft could not be kept: %1").arg(error.toString()));
        return;
    }
    m_savedDraft = m_sync->saveDraft(bytes, m_savedDraft);
    m_savedState = state();
}

void Composer::closeEvent(QCloseEvent *event)
{
    // Nothing written is lost: closed unsent, it is kept in Drafts.
    const bool empty = m_to->text().trimmed().isEmpty() && m_subject->text().trimmed().isEmpty()
        && m_text->toPlainText().trimmed().isEmpty() && m_attachments->count() == 0;
    if (!m_sent && !empty)
        saveDraft();
    QWidget::closeEvent(event);
}

void Composer::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void Composer::dropEvent(QDropEvent *event)
{
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile())
            addAttachment(url.toLocalFile());
    }
    event->acceptProposedAction();
}

mailcore::mime::OutgoingMessage Composer::message() const
{
    mailcore::mime::OutgoingMessage m = m_draft; // the reply's ids, a forwarded message's parts
    m.from = m_from;
    m.to = addressesIn(m_to->text());
    m.cc = addressesIn(m_cc->text());
    m.bcc = addressesIn(m_bcc->text());
    m.subject = m_subject->text();
    m.plainText = m_text->toPlainText();
    m.htmlText.clear(); // what the user sees is what is sent
    m.attachments.clear();
    int fromDraft = 0;
    for (int i = 0; i < m_attachments->count(); ++i) {
        const QString path = m_attachments->item(i)->data(PathRole).toString();
        if (path.isEmpty())
            m.attachments << m_draft.attachments.value(fromDraft++);
        else
            m.attachments << OutgoingAttachment::fromFile(path);
    }
    return m;
}

QString Composer::problem() const { return m_problem->isVisible() ? m_problem->text() : QString(); }

void Composer::showProblem(const QString &problem)
{
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
}

bool Composer::send()
{
    bool unreadable = false;
    for (QLineEdit *field : {m_to, m_cc, m_bcc}) {
        bool bad = false;
        addressesIn(field->text(), &bad);
        if (bad && !field->text().trimmed().isEmpty())
            unreadable = true;
    }
    const mailcore::mime::OutgoingMessage m = message();
    if (unreadable) {
        showProblem(tr("An address cannot be read: write each as name@example.org or Name <name@example.org>, "
                       "separated by commas."));
        return false;
    }
    if (m.envelopeRecipients().isEmpty()) {
        showProblem(tr("Whom to? Add at least one recipient."));
        return false;
    }
    if (!m_sync || !m_sync->canSend()) {
        showProblem(tr("This account has no server to send with: set one in the account settings."));
        return false;
    }
    mailcore::Error error;
    const QByteArray bytes = mailcore::mime::MessageBuilder::build(m, &error);
    if (error.isError()) {
        showProblem(tr("The message could not be made: %1").arg(error.toString()));
        return false;
    }
    m_sync->send(bytes, m.from.address, m.envelopeRecipients());
    m_sent = true;
    if (m_savedDraft.queued.isValid() || m_savedDraft.uid != 0)
        m_sync->discardDraft(m_savedDraft); // sent: the draft is not wanted any more
    showProblem({});
    Q_EMIT queued();
    close();
    return true;
}

} // namespace tandem::ui
