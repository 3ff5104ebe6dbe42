// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/messages/messageview.h"

#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QMimeDatabase>
#include <QPushButton>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "mailcore/mime/filename.h"
#include "ui/futureresult.h"
#include "ui/messages/listicons.h"
#include "ui/messages/safetextbrowser.h"
#include "ui/messages/securitynote.h"
#include "ui/sync/accountsync.h"
#include "ui/workerpool.h"

namespace tandem::ui {

using mailcore::mime::MailAddress;

namespace {

QString addresses(const QList<MailAddress> &list)
{
    QStringList out;
    for (const MailAddress &a : list)
        out << a.toDisplayString();
    return out.join(QStringLiteral(", "));
}

QString headerRow(const QString &name, const QString &value)
{
    if (value.isEmpty())
        return {};
    return QStringLiteral("<tr><td style=\"color:#666; padding-right:8px\">%1</td><td>%2</td></tr>")
        .arg(name.toHtmlEscaped(), value.toHtmlEscaped());
}

// The name Save suggests: the part's own (the parser made it safe), else one
// made of its number and type, "attachment-2.png"; never the list's
// "part 2 (image/png)", whose '/' would name a folder.
QString saveName(const mailcore::mime::AttachmentInfo &a)
{
    if (!a.fileName.isEmpty())
        return a.fileName;
    const QString suffix = QMimeDatabase().mimeTypeForName(a.mimeType).preferredSuffix();
    return mailcore::mime::safeFileName(QStringLiteral("attachment-%1").arg(a.id)
                                        + (suffix.isEmpty() ? QString() : QLatin1Char('.') + suffix));
}

} // namespace

MessageView::MessageView(QWidget *parent)
    : QWidget(parent)
{
    m_headers = new QLabel;
    m_headers->setObjectName(QStringLiteral("messageHeaders"));
    m_headers->setTextFormat(Qt::RichText);
    m_headers->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_headers->setWordWrap(true);
    m_headers->setContentsMargins(6, 6, 6, 6);

    m_securityNote = new QLabel;
    m_securityNote->setObjectName(QStringLiteral("securityNote"));
    m_securityNote->setWordWrap(true);
    m_securityNote->setContentsMargins(8, 4, 8, 4);
    m_securityNote->setAutoFillBackground(true);
    QPalette notePalette = m_securityNote->palette();
    notePalette.setColor(QPalette::Window, QColor(0xe8, 0xef, 0xf8));
    notePalette.setColor(QPalette::WindowText, QColor(0x1f, 0x33, 0x4d));
    m_securityNote->setPalette(notePalette);
    m_securityNote->hide();

    m_remoteBar = new QWidget;
    m_remoteBar->setObjectName(QStringLiteral("remoteContentBar"));
    m_remoteBar->setAutoFillBackground(true);
    QPalette barPalette = m_remoteBar->palette();
    barPalette.setColor(QPalette::Window, QColor(0xff, 0xf3, 0xc4));
    barPalette.setColor(QPalette::WindowText, QColor(0x4a, 0x3b, 0x00));
    m_remoteBar->setPalette(barPalette);
    m_remoteText = new QLabel;
    m_remoteText->setWordWrap(true);
    m_loadRemote = new QPushButton(tr("Load remote pictures"));
    m_loadRemote->setObjectName(QStringLiteral("loadRemoteContent"));
    m_loadRemote->setToolTip(tr("Fetch this message's pictures from the network, once. The sender's "
                                "servers can then see that and when you opened it. Style sheets stay blocked."));
    connect(m_loadRemote, &QPushButton::clicked, this, &MessageView::loadRemoteImages);
    auto *barLayout = new QHBoxLayout(m_remoteBar);
    barLayout->setContentsMargins(8, 4, 8, 4);
    barLayout->addWidget(m_remoteText, 1);
    barLayout->addWidget(m_loadRemote, 0, Qt::AlignVCenter);
    m_remoteBar->hide();

    m_browser = new SafeTextBrowser;
    m_browser->setObjectName(QStringLiteral("messageBody"));
    connect(m_browser, &SafeTextBrowser::remoteContentBlocked, this, &MessageView::updateRemoteBar);
    connect(m_browser, &SafeTextBrowser::remoteImagesLoaded, this, &MessageView::showRemoteImagesLoaded);
    // A link opens only when the user clicks it, in their browser, never inside the mail view.
    connect(m_browser, &QTextBrowser::anchorClicked, this, [](const QUrl &url) {
        const QString scheme = url.scheme().toLower();
        if (scheme == QLatin1String("http") || scheme == QLatin1String("https") || scheme == QLatin1String("mailto"))
            QDesktopServices::openUrl(url);
    });

    m_attachments = new QListWidget;
    m_attachments->setObjectName(QStringLiteral("attachmentList"));
    m_attachments->setFlow(QListView::LeftToRight);
    m_attachments->setWrapping(true);
    m_attachments->setMaximumHeight(fontMetrics().height() * 2 + 14);
    m_save = new QPushButton(tr("Save…"));
    m_save->setObjectName(QStringLiteral("saveAttachment"));
    connect(m_save, &QPushButton::clicked, this, &MessageView::saveSelected);
    connect(m_attachments, &QListWidget::itemDoubleClicked, this, &MessageView::saveSelected);
    m_attachmentPane = new QWidget;
    auto *attachmentLayout = new QHBoxLayout(m_attachmentPane);
    attachmentLayout->setContentsMargins(4, 2, 4, 2);
    attachmentLayout->addWidget(m_attachments, 1);
    attachmentLayout->addWidget(m_save, 0, Qt::AlignTop);
    m_attachmentPane->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_headers);
    layout->addWidget(m_securityNote);
    layout->addWidget(m_remoteBar);
    layout->addWidget(m_browser, 1);
    layout->addWidget(m_attachmentPane);
    clear();
}

void MessageView::clear()
{
    ++m_request;
    m_current.reset();
    m_headers->clear();
    m_headers->hide();
    m_securityNote->hide();
    m_remoteBar->hide();
    m_attachments->clear();
    m_attachmentPane->hide();
    m_browser->startDocument({});
    m_browser->clear();
}

void MessageView::showStatus(const QString &text)
{
    m_browser->startDocument({});
    m_browser->setPlainText(text);
}

void MessageView::showMessage(AccountSync *sync, const QString &folder, quint32 uid)
{
    clear();
    if (!sync)
        return;
    const quint64 request = m_request;
    showStatus(tr("Loading…"));
    QFuture<ParsedMessage> parsing = sync->body(folder, uid).then(workerPool(), [folder, uid](const QByteArray &raw) {
        return ParsedMessage::parse(folder, uid, raw);
    });
    whenFinished(this, parsing, [this, request](QFuture<ParsedMessage> future) {
        auto parsed = takeResult(future);
        if (request != m_request)
            return;
        if (parsed) {
            display(std::move(parsed.value()));
            return;
        }
        showStatus(tr("This message could not be shown: %1").arg(parsed.error().toString()));
        Q_EMIT loadFailed(parsed.error());
    });
}

void MessageView::display(ParsedMessage parsed)
{
    const mailcore::mime::MessageHeaders &h = parsed.message.headers();
    const QString date = h.date.isValid() ? QLocale().toString(h.date, QLocale::LongFormat) : QString();
    m_headers->setText(
        QStringLiteral("<div style=\"font-size:large; font-weight:bold\">%1</div><table>%2%3%4%5</table>")
            .arg((h.subject.isEmpty() ? tr("(no subject)") : h.subject).toHtmlEscaped(),
                 headerRow(tr("From"), addresses(h.from)), headerRow(tr("To"), addresses(h.to)),
                 headerRow(tr("Cc"), addresses(h.cc)), headerRow(tr("Date"), date)));
    m_headers->show();

    const QString note = securityNote(parsed.message.security());
    m_securityNote->setText(note);
    m_securityNote->setVisible(!note.isEmpty());
    m_remoteBar->hide(); // shown again if this document refuses something
    m_browser->startDocument(parsed.inlineImages);
    if (!parsed.html.isEmpty())
        m_browser->setHtml(parsed.html);
    else
        m_browser->setPlainText(parsed.plain);

    for (const mailcore::mime::AttachmentInfo &a : parsed.message.attachments()) {
        const QString name = a.fileName.isEmpty() ? tr("part %1 (%2)").arg(a.id, a.mimeType) : a.fileName;
        const QString size = QLocale().formattedDataSize(a.size, 1, QLocale::DataSizeTraditionalFormat);
        auto *item = new QListWidgetItem(attachmentIcon(), QStringLiteral("%1 (%2)").arg(name, size));
        item->setData(Qt::UserRole, a.id);
        item->setData(SaveNameRole, saveName(a));
        m_attachments->addItem(item);
    }
    if (m_attachments->count() > 0) {
        m_attachments->setCurrentRow(0);
        m_attachmentPane->show();
    }
    const QString folder = parsed.folder;
    const quint32 uid = parsed.uid;
    m_current = std::move(parsed);
    Q_EMIT messageShown(folder, uid);
}

void MessageView::updateRemoteBar(int blocked)
{
    m_remoteText->setText(tr("Remote content blocked: %1 (pictures, style sheets) not loaded from the network, "
                             "so the sender cannot see that you opened this message.")
                              .arg(blocked == 1 ? tr("1 item") : tr("%1 items").arg(blocked)));
    m_loadRemote->setVisible(m_browser->remoteImageCount() > 0);
    m_loadRemote->setEnabled(true);
    m_remoteBar->setVisible(blocked > 0);
}

void MessageView::loadRemoteImages()
{
    m_loadRemote->setEnabled(false);
    m_remoteText->setText(tr("Loading %n remote picture(s)…", nullptr, m_browser->remoteImageCount()));
    m_browser->loadRemoteImages();
}

void MessageView::showRemoteImagesLoaded(int loaded, int failed)
{
    m_loadRemote->hide();
    QString text = tr("Remote pictures loaded for this message: %n.", nullptr, loaded);
    if (failed > 0)
        text += QLatin1Char(' ') + tr("%n could not be loaded.", nullptr, failed);
    m_remoteText->setText(text + QLatin1Char(' ') + tr("Style sheets stay blocked."));
}

void MessageView::saveSelected()
{
    QListWidgetItem *item = m_attachments->currentItem();
    if (!item || !m_current)
        return;
    const QString suggested = QDir(QStandardPaths::writableLocation(QStandardPaths::DownloadLocation))
                                  .filePath(item->data(SaveNameRole).toString());
    const QString path = QFileDialog::getSaveFileName(this, tr("Save attachment"), suggested);
    if (!path.isEmpty())
        saveAttachment(item->data(Qt::UserRole).toString(), path);
}

void MessageView::saveAttachment(const QString &attachmentId, const QString &path)
{
    if (!m_current) {
        Q_EMIT attachmentSaved(path, mailcore::Error(mailcore::ErrorCode::NotFound, tr("no message is shown")));
        return;
    }
    const mailcore::mime::Message message = m_current->message; // shared, safe to use on another thread
    QFuture<mailcore::Error> saving = QtConcurrent::run(
        workerPool(), [message, attachmentId, path] { return message.saveAttachment(attachmentId, path); });
    whenFinished(this, saving, [this, path](QFuture<mailcore::Error> future) {
        // saveAttachment() reports failures as its value; it does not throw.
        Q_EMIT attachmentSaved(path,
                               future.resultCount() > 0
                                   ? future.result()
                                   : mailcore::Error(mailcore::ErrorCode::Cancelled, tr("not saved")));
    });
}

} // namespace tandem::ui
