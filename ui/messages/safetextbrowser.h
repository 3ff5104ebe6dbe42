// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QHash>
#include <QImage>
#include <QSet>
#include <QTextBrowser>
#include <QUrl>

class QNetworkAccessManager;
class QNetworkReply;

namespace tandem::ui {

/// A QTextBrowser for mail HTML that never reaches the network or the disk on
/// its own: every resource the document asks for (images, style sheets,
/// anything) goes through loadResource(), which answers only cid: pictures of
/// the message itself and inline data: images. Every other URL is refused and
/// counted, so the view can say that remote content was blocked. Only when
/// the user asks (loadRemoteImages()) are the refused http(s) pictures of this
/// one document fetched: without cookies, size- and time-limited, never
/// following a redirect from https to http. Style sheets stay refused. Links
/// are not followed by the browser itself. (QTextBrowser runs no scripts at
/// all.) GUI thread.
class SafeTextBrowser : public QTextBrowser
{
    Q_OBJECT

public:
    explicit SafeTextBrowser(QWidget *parent = nullptr);

    /// The message's pictures by Content-ID; clears the blocked list and
    /// abandons remote pictures still on their way for the last document.
    void startDocument(QHash<QString, QImage> inlineImages);
    QList<QUrl> blockedUrls() const { return m_blocked.values(); }
    /// The blocked pictures that loadRemoteImages() would fetch (http, https).
    int remoteImageCount() const { return int(m_blockedImages.size()); }
    /// The user allowed this document's remote pictures: fetches them (at most
    /// kMaxRemoteImages, kMaxRemoteImageBytes each) and shows each as it comes.
    void loadRemoteImages();

    static constexpr int kMaxRemoteImages = 100;
    static constexpr qint64 kMaxRemoteImageBytes = 10 * 1024 * 1024;
    static constexpr int kRemoteImageTimeoutMs = 20'000;

Q_SIGNALS:
    /// A URL was refused for the first time in this document; `count` so far.
    void remoteContentBlocked(int count);
    /// loadRemoteImages() is done: `loaded` pictures shown, `failed` not.
    void remoteImagesLoaded(int loaded, int failed);

protected:
    QVariant loadResource(int type, const QUrl &url) override;

private:
    void remoteImageArrived(QNetworkReply *reply);

    QHash<QString, QImage> m_inlineImages;
    QSet<QUrl> m_blocked;
    QSet<QUrl> m_blockedImages;                 // http(s) pictures among m_blocked
    QNetworkAccessManager *m_network = nullptr; // made on the first loadRemoteImages()
    QList<QNetworkReply *> m_pending;
    int m_loaded = 0;
    int m_failed = 0;
};

} // namespace tandem::ui
