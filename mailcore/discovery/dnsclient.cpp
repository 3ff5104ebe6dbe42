// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/discovery/dnsclient.h"

#include <QEventLoop>
#include <QHostAddress>
#include <QNetworkDatagram>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTimer>
#include <QUdpSocket>

#include <optional>

namespace mailcore::discovery {

namespace {

QString serverText(const NameServer &server)
{
    return QStringLiteral("%1 port %2").arg(server.address).arg(server.port);
}

// One question over UDP, asked twice at most. Only a datagram from the server
// itself, with our id, is read as the answer; anything else is dropped, so a
// stray or forged datagram can neither end the wait nor count as a reply.
Result<DnsReply> askOverUdp(const QByteArray &query, quint16 id, const QString &name, const QHostAddress &address,
                            const NameServer &server, std::chrono::milliseconds timeout)
{
    QUdpSocket socket;
    if (!socket.bind(
            address.protocol() == QAbstractSocket::IPv6Protocol ? QHostAddress::AnyIPv6 : QHostAddress::AnyIPv4, 0))
        return Error(ErrorCode::Network, QStringLiteral("could not open a UDP socket: %1").arg(socket.errorString()));
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    std::optional<Result<DnsReply>> answer;
    QObject::connect(&socket, &QUdpSocket::readyRead, &loop, [&] {
        while (socket.hasPendingDatagrams() && !answer) {
            const QNetworkDatagram datagram = socket.receiveDatagram(maxDnsMessageSize);
            if (datagram.senderAddress().isEqual(address, QHostAddress::TolerantConversion)
                && datagram.senderPort() == server.port && datagram.data().size() >= 2
                && quint16(quint8(datagram.data()[0]) << 8 | quint8(datagram.data()[1])) == id)
                answer = parseSrvReply(datagram.data(), id, name);
        }
        if (answer)
            loop.quit();
    });
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    for (int attempt = 0; attempt < 2 && !answer; ++attempt) {
        socket.writeDatagram(query, address, server.port);
        timer.start(timeout / 2);
        loop.exec();
    }
    if (!answer)
        return Error(ErrorCode::Timeout,
                     QStringLiteral("the DNS server %1 did not answer within %2 s")
                         .arg(serverText(server))
                         .arg(double(timeout.count()) / 1000.0));
    return *answer;
}

// The same question over TCP (RFC 1035 4.2.2: each message after its two-byte
// length), for an answer too big for a datagram.
Result<DnsReply> askOverTcp(const QByteArray &query, quint16 id, const QString &name, const QHostAddress &address,
                            const NameServer &server, std::chrono::milliseconds timeout)
{
    QTcpSocket socket;
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QByteArray received;
    std::optional<Result<DnsReply>> answer;
    QObject::connect(&socket, &QTcpSocket::connected, &loop,
                     [&] { socket.write(QByteArray(1, char(query.size() >> 8)) + char(query.size() & 0xFF) + query); });
    QObject::connect(&socket, &QTcpSocket::readyRead, &loop, [&] {
        received += socket.read(maxDnsMessageSize + 2 - received.size());
        if (received.size() < 2)
            return;
        const qsizetype length = quint8(received[0]) << 8 | quint8(received[1]);
        if (received.size() - 2 >= length) {
            answer = parseSrvReply(QByteArrayView(received).sliced(2, length), id, name);
            loop.quit();
        }
    });
    QObject::connect(&socket, &QTcpSocket::errorOccurred, &loop, [&] {
        answer = Error(ErrorCode::Network,
                       QStringLiteral("the DNS server %1 over TCP: %2").arg(serverText(server), socket.errorString()));
        loop.quit();
    });
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    timer.start(timeout);
    socket.connectToHost(address, server.port);
    loop.exec();
    socket.abort();
    if (!answer)
        return Error(ErrorCode::Timeout,
                     QStringLiteral("the DNS server %1 did not answer over TCP").arg(serverText(server)));
    return *answer;
}

} // namespace

Result<DnsReply> lookupSrv(const QString &name, const NameServer &server, std::chrono::milliseconds timeout)
{
    const QHostAddress address(server.address);
    if (address.isNull())
        return Error(ErrorCode::BadArgument,
                     QStringLiteral("\"%1\" is not a name server's address").arg(server.address));
    const quint16 id = quint16(QRandomGenerator::system()->generate() & 0xFFFF);
    const Result<QByteArray> query = buildSrvQuery(id, name);
    if (!query)
        return query.error();
    Result<DnsReply> reply = askOverUdp(query.value(), id, name, address, server, timeout);
    if (reply && reply->truncated) {
        Result<DnsReply> whole = askOverTcp(query.value(), id, name, address, server, timeout);
        if (whole)
            return whole;
    }
    return reply;
}

} // namespace mailcore::discovery
