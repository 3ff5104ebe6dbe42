// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// tandem-bench-pop3: one download of a whole POP3 maildrop by the public
// Pop3Client, timed from the client's construction (the logins count) to the
// last message's arrival: LIST/UIDL on the main session, then
// fetchMessagesAsync() of every id (spread over the sessions the limit
// allows). Prints one JSON line; exit code 0 only when every listed message
// arrived once, with the listed size in all.
//
//   tandem-bench-pop3 --host H --port P --ca FILE --user U --password PW [--limit L]

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <cstdio>

#include "mailcore/pop3client/pop3client.h"

using namespace mailcore;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Times a Pop3Client download of a whole maildrop."));
    p.addHelpOption();
    const QCommandLineOption host(QStringLiteral("host"), QStringLiteral("Server."), QStringLiteral("host"),
                                  QStringLiteral("127.0.0.1"));
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("POP3S port (implicit TLS)."),
                                  QStringLiteral("port"));
    const QCommandLineOption ca(QStringLiteral("ca"), QStringLiteral("Extra CA certificate (PEM)."),
                                QStringLiteral("file"));
    const QCommandLineOption user(QStringLiteral("user"), QStringLiteral("Login."), QStringLiteral("user"));
    const QCommandLineOption password(QStringLiteral("password"), QStringLiteral("Password."),
                                      QStringLiteral("password"));
    const QCommandLineOption limit(QStringLiteral("limit"), QStringLiteral("maxConnectionsPerServer; 0: the default."),
                                   QStringLiteral("n"), QStringLiteral("0"));
    p.addOptions({host, port, ca, user, password, limit});
    p.process(app);

    Endpoint endpoint;
    endpoint.host = p.value(host);
    endpoint.port = quint16(p.value(port).toUInt());
    endpoint.security = Security::ImplicitTls;
    if (p.isSet(ca)) {
        QFile file(p.value(ca));
        if (!file.open(QIODevice::ReadOnly)) {
            std::fprintf(stderr, "tandem-bench-pop3: cannot read %s\n", qPrintable(p.value(ca)));
            return 2;
        }
        endpoint.tls.extraCaCertificatesPem = {file.readAll()};
    }

    QElapsedTimer clock;
    clock.start();
    Pop3Client client(endpoint, p.value(user), p.value(password));
    if (const int l = p.value(limit).toInt(); l > 0) {
        if (const Error e = client.setMaxConnectionsPerServer(l); e.isError()) {
            std::fprintf(stderr, "tandem-bench-pop3: %s\n", qPrintable(e.toString()));
            return 2;
        }
    }
    const Result<QList<Pop3MessageInfo>> listed = client.listMessages();
    if (!listed) {
        std::fprintf(stderr, "tandem-bench-pop3: LIST: %s\n", qPrintable(listed.error().toString()));
        return 1;
    }
    QList<QByteArray> ids;
    qint64 listedBytes = 0;
    for (const Pop3MessageInfo &m : listed.value()) {
        ids << m.uid;
        listedBytes += m.size;
    }
    QFuture<Pop3FetchedMessage> bulk = client.fetchMessagesAsync(ids);
    qint64 bytes = 0;
    QSet<QByteArray> seen;
    try {
        bulk.waitForFinished();
        for (const Pop3FetchedMessage &m : bulk.results()) {
            seen.insert(m.uid);
            // The server counts octets with CR LF line ends, as RETR gives them.
            bytes += m.data.size();
        }
    } catch (const MailException &e) {
        std::fprintf(stderr, "tandem-bench-pop3: RETR: %s\n", qPrintable(e.error().toString()));
        return 1;
    }
    const double seconds = double(clock.nsecsElapsed()) / 1e9;
    const PoolSnapshot pool = client.poolSnapshot();
    const bool ok = seen.size() == ids.size() && bulk.resultCount() == ids.size() && bytes == listedBytes;
    QJsonObject out{{QStringLiteral("seconds"), seconds},
                    {QStringLiteral("messages"), int(seen.size())},
                    {QStringLiteral("listed"), int(ids.size())},
                    {QStringLiteral("bytes"), bytes},
                    {QStringLiteral("listed_bytes"), listedBytes},
                    {QStringLiteral("limit"), client.maxConnectionsPerServer()},
                    {QStringLiteral("connections_after"), pool.connectionCount},
                    {QStringLiteral("lowered_limit"), pool.loweredLimit},
                    {QStringLiteral("ok"), ok}};
    std::printf("%s\n", QJsonDocument(out).toJson(QJsonDocument::Compact).constData());
    return ok ? 0 : 1;
}
