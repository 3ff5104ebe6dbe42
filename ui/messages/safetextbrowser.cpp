#include "ui/messages/safetextbrowser.h"

#include <QColor>
#include <QTextDocument>

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
