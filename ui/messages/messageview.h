// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QWidget>

#include <optional>

#include "mailcore/base/error.h"
#include "ui/messages/parsedmessage.h"

class QLabel;
class QListWidget;
class QPushButton;

namespace tandem::ui {

class AccountSync;
class SafeTextBrowser;

/// Shows one message: decoded headers, the HTML (through SafeTextBrowser, with
/// a bar saying when remote content was blocked and a button to load its
/// remote pictures for this message) or the plain text, and the
/// attachments with Save. The message comes from the local store (else the
/// server, through AccountSync, and is kept), parsing runs on a worker thread; only the newest request is shown. GUI
/// thread.
class MessageView : public QWidget
{
    Q_OBJECT

public:
    /// Data role of an attachmentList() item: the file name Save suggests
    /// (never a path: see mailcore::mime::safeFileName()).
    static constexpr int SaveNameRole = Qt::UserRole + 1;

    explicit MessageView(QWidget *parent = nullptr);

    /// Shows message `uid` of `folder` (nullptr: nothing).
    void showMessage(AccountSync *sync, const QString &folder, quint32 uid);
    void clear();

    /// Decodes an attachment of the shown message into `path` on a worker
    /// thread; emits attachmentSaved().
    void saveAttachment(const QString &attachmentId, const QString &path);

    SafeTextBrowser *browser() const { return m_browser; }
    QLabel *headerLabel() const { return m_headers; }
    QWidget *remoteContentBar() const { return m_remoteBar; }
    /// Says the message is signed or encrypted, and not verified/decrypted.
    QLabel *securityNoteLabel() const { return m_securityNote; }
    QPushButton *loadRemoteButton() const { return m_loadRemote; }
    QListWidget *attachmentList() const { return m_attachments; }
    /// The message shown now, if any.
    const std::optional<ParsedMessage> &current() const { return m_current; }

Q_SIGNALS:
    void messageShown(const QString &folder, quint32 uid);
    void loadFailed(const mailcore::Error &error);
    void attachmentSaved(const QString &path, const mailcore::Error &error);

private:
    void display(ParsedMessage parsed);
    void showStatus(const QString &text);
    void updateRemoteBar(int blocked);
    void loadRemoteImages();
    void showRemoteImagesLoaded(int loaded, int failed);
    void saveSelected();

    QLabel *m_headers = nullptr;
    QLabel *m_securityNote = nullptr;
    QWidget *m_remoteBar = nullptr;
    QLabel *m_remoteText = nullptr;
    QPushButton *m_loadRemote = nullptr;
    SafeTextBrowser *m_browser = nullptr;
    QWidget *m_attachmentPane = nullptr;
    QListWidget *m_attachments = nullptr;
    QPushButton *m_save = nullptr;
    std::optional<ParsedMessage> m_current;
    quint64 m_request = 0; ///< answers to older requests are dropped
};

} // namespace tandem::ui
