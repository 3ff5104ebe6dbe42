// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "ui/messages/safetextbrowser.h"

#include <QColor>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTextDocument>

#include <utility>

namespace tandem::ui {

namespace {

/// "data:image/png;base64,...": the picture, or a null image for anything else.
QImage dataUrlImage(const QUrl &url)
{
    const QString text = url.toString(QUrl::FullyEncoded);
    const qsizetype comma = text.indexOf(QLatin1Char(','));
    if (comma < 0)
        return {};
    const QString meta = text.mid(5, comma - 5); // after "data:"
    if (!meta.startsWith(QLatin1String("image/")) || !meta.endsWith(QLatin1String(";base64")))
        return {};
    return QImage::fromData(QByteArray::fromBase64(QStringView(text).mid(comma + 1).toLatin1()));
}

} // namespace

SafeTextBrowser::SafeTextBrowser(QWidget *parent)
    : QTextBrowser(parent)
{
    setOpenLinks(false);
    setOpenExternalLinks(false);
}

void SafeTextBrowser::startDocument(QHash<QString, QImage> inlineImages)
{
    m_inlineImages = std::move(inlineImages);
    m_blocked.clear();
    m_blockedImages.clear();
    // Pictures asked for the last message must not land in this one.
    for (QNetworkReply *reply : std::exchange(m_pending, {})) {
        reply->disconnect(this);
        reply->abort();
        reply->deleteLater();
    }
    m_loaded = 0;
    m_failed = 0;
}

void SafeTextBrowser::loadRemoteImages()
{
    if (!m_pending.isEmpty())
        return;
    if (!m_network)
        m_network = new QNetworkAccessManager(this);
    m_loaded = 0;
    m_failed = 0;
    int asked = 0;
    for (const QUrl &url : std::as_const(m_blockedImages)) {
        if (asked++ == kMaxRemoteImages) {
            m_failed += int(m_blockedImages.size()) - kMaxRemoteImages;
            break;
        }
        QNetworkRequest request(url);
        // No cookies either way: a picture must not tie this reading to others.
        request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
        request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
        request.setTransferTimeout(kRemoteImageTimeoutMs);
        QNetworkReply *reply = m_network->get(request);
        m_pending << reply;
        connect(reply, &QNetworkReply::downloadProgress, this, [reply](qint64 received, qint64) {
            if (received > kMaxRemoteImageBytes)
                reply->abort(); // finished() follows, as a failure
        });
        connect(reply, &QNetworkReply::finished, this, [this, reply] { remoteImageArrived(reply); });
    }
    if (m_pending.isEmpty())
        Q_EMIT remoteImagesLoaded(m_loaded, m_failed);
}

void SafeTextBrowser::remoteImageArrived(QNetworkReply *reply)
{
    m_pending.removeOne(reply);
    reply->deleteLater();
    const QImage image = reply->error() == QNetworkReply::NoError ? QImage::fromData(reply->readAll()) : QImage();
    if (image.isNull()) {
        ++m_failed;
    } else {
        ++m_loaded;
        m_blocked.remove(reply->request().url()); // no longer blocked: shown
        m_blockedImages.remove(reply->request().url());
        // A resource added to the document wins over the placeholder it cached;
        // laying the text out again draws it.
        document()->addResource(QTextDocument::ImageResource, reply->request().url(), image);
        document()->markContentsDirty(0, document()->characterCount());
    }
    if (m_pending.isEmpty())
        Q_EMIT remoteImagesLoaded(m_loaded, m_failed);
}

QVariant SafeTextBrowser::loadResource(int type, const QUrl &url)
{
    // Deliberately no call to QTextBrowser::loadResource: it would read local
    // files (file:, relative paths), which a mail must not reach either.
    const QString scheme = url.scheme().toLower();
    if (type == QTextDocument::ImageResource) {
        if (scheme == QLatin1String("cid")) {
            const QImage image = m_inlineImages.value(url.path());
            if (!image.isNull())
                return image;
            return {};
        }
        if (scheme == QLatin1String("data")) {
            const QImage image = dataUrlImage(url);
            if (!image.isNull())
                return image;
            return {};
        }
    }
    if (!m_blocked.contains(url)) {
        m_blocked.insert(url);
        if (type == QTextDocument::ImageResource
            && (scheme == QLatin1String("http") || scheme == QLatin1String("https")))
            m_blockedImages.insert(url);
        Q_EMIT remoteContentBlocked(int(m_blocked.size()));
    }
    if (type == QTextDocument::ImageResource) {
        // A plain pale box where the picture would be, rather than Qt's broken-image
        // icon blown up to the size the mail asked for.
        static const QImage placeholder = [] {
            QImage image(1, 1, QImage::Format_RGB32);
            image.fill(QColor(0xee, 0xee, 0xee));
            return image;
        }();
        return placeholder;
    }
    return {};
}

} // namespace tandem::ui
