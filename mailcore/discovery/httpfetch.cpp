// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/discovery/httpfetch.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QTimer>

#include <memory>

namespace mailcore::discovery {

Result<QByteArray> fetchDocument(const QUrl &url, std::chrono::milliseconds timeout, qsizetype maxBytes,
                                 const QList<QByteArray> &extraCaCertificatesPem)
{
    QNetworkAccessManager manager;
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setMaximumRedirectsAllowed(5);
    request.setTransferTimeout(int(timeout.count()));
    if (url.scheme() == QLatin1String("https")) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        QList<QSslCertificate> cas = tls.caCertificates();
        for (const QByteArray &pem : extraCaCertificatesPem)
            cas += QSslCertificate::fromData(pem, QSsl::Pem);
        tls.setCaCertificates(cas);
        request.setSslConfiguration(tls);
    }
    std::unique_ptr<QNetworkReply> reply(manager.get(request));
    QEventLoop loop;
    QByteArray body;
    bool tooBig = false;
    QObject::connect(reply.get(), &QNetworkReply::readyRead, &loop, [&] {
        body += reply->read(maxBytes + 1 - body.size());
        if (body.size() > maxBytes) {
            tooBig = true;
            reply->abort();
        }
    });
    QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
    // The transfer timeout watches silence only; this bounds the whole fetch.
    QTimer deadline;
    deadline.setSingleShot(true);
    bool timedOut = false;
    QObject::connect(&deadline, &QTimer::timeout, &loop, [&] {
        timedOut = true;
        reply->abort();
    });
    deadline.start(timeout);
    if (!reply->isFinished())
        loop.exec();
    if (tooBig)
        return Error(ErrorCode::Limit, QStringLiteral("%1 sent more than %2 bytes").arg(url.host()).arg(maxBytes));
    if (timedOut || reply->error() == QNetworkReply::OperationCanceledError
        || reply->error() == QNetworkReply::TimeoutError)
        return Error(
            ErrorCode::Timeout,
            QStringLiteral("%1 did not answer within %2 s").arg(url.host()).arg(double(timeout.count()) / 1000.0));
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    switch (reply->error()) {
    case QNetworkReply::NoError: break;
    case QNetworkReply::HostNotFoundError:
        return Error(ErrorCode::Network, QStringLiteral("no such host: %1").arg(url.host()));
    case QNetworkReply::ConnectionRefusedError:
        return Error(ErrorCode::Network, QStringLiteral("%1 refused the connection").arg(url.host()));
    case QNetworkReply::SslHandshakeFailedError:
        return Error(ErrorCode::Tls,
                     QStringLiteral("%1: the secure connection failed (%2)").arg(url.host(), reply->errorString()));
    case QNetworkReply::InsecureRedirectError:
        return Error(ErrorCode::Tls, QStringLiteral("%1 redirected to an unencrypted address").arg(url.host()));
    default:
        if (status == 0)
            return Error(ErrorCode::Network, QStringLiteral("%1: %2").arg(url.host(), reply->errorString()));
        break;
    }
    if (status != 200)
        return Error(ErrorCode::NotFound,
                     QStringLiteral("%1 answered HTTP %2 %3")
                         .arg(url.host())
                         .arg(status)
                         .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString().left(60)));
    body += reply->readAll().left(maxBytes + 1 - body.size());
    if (body.size() > maxBytes)
        return Error(ErrorCode::Limit, QStringLiteral("%1 sent more than %2 bytes").arg(url.host()).arg(maxBytes));
    return body;
}

} // namespace mailcore::discovery
