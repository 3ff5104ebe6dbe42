#pragma once

#include <QHash>
#include <QImage>
#include <QSet>
#include <QTextBrowser>
#include <QUrl>

namespace tandem::ui {

/// A QTextBrowser for mail HTML that never reaches the network or the disk:
/// every resource the document asks for (images, style sheets, anything) goes
/// through loadResource(), which answers only cid: pictures of the message
/// itself and inline data: images. Every other URL is refused and counted, so
/// the view can say that remote content was blocked. Links are not followed
/// by the browser itself. (QTextBrowser runs no scripts at all.) GUI thread.
class SafeTextBrowser : public QTextBrowser
{
    Q_OBJECT

public:
    explicit SafeTextBrowser(QWidget *parent = nullptr);

    /// The message's pictures by Content-ID; clears the blocked list.
    void startDocument(QHash<QString, QImage> inlineImages);
    QList<QUrl> blockedUrls() const { return m_blocked.values(); }

Q_SIGNALS:
    /// A URL was refused for the first time in this document; `count` so far.
    void remoteContentBlocked(int count);

protected:
    QVariant loadResource(int type, const QUrl &url) override;

private:
    QHash<QString, QImage> m_inlineImages;
    QSet<QUrl> m_blocked;
};

} // namespace tandem::ui
