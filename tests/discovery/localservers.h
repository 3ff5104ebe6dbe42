// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QHostAddress>
#include <QNetworkDatagram>
#include <QTcpServer>
#include <QTcpSocket>
#include <QUdpSocket>

#include <functional>

#include "dnsbytes.h"

// The sources discovery asks, on 127.0.0.1 at ports the system picks, living
// in the test's thread: an HTTP server for autoconfig files and a DNS
// responder for SRV questions. Nothing leaves the machine.
namespace tandem::test {

/// Serves documents by path over plain HTTP/1.1; 404 for any other path.
class LocalHttpServer : public QObject
{
public:
    LocalHttpServer()
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                socket->setParent(this);
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { answer(socket); });
            }
        });
    }

    bool isListening() const { return m_server.isListening(); }
    /// "http://127.0.0.1:<port><path>"
    QString url(const QString &path) const
    {
        return QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path);
    }
    void serve(const QByteArray &path, const QByteArray &body) { m_documents.insert(path, body); }
    /// Every path asked for, with its query, in order.
    QList<QByteArray> requested;

private:
    void answer(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        if (!buffer.contains("\r\n\r\n"))
            return;
        const QByteArray target = buffer.split(' ').value(1);
        requested << target;
        const QByteArray path = target.split('?').value(0);
        const bool found = m_documents.contains(path);
        const QByteArray body = found ? m_documents.value(path) : QByteArray("not here");
        socket->write((found ? QByteArray("HTTP/1.1 200 OK\r\n") : QByteArray("HTTP/1.1 404 Not Found\r\n"))
                      + "Content-Type: text/xml\r\nContent-Length: " + QByteArray::number(body.size())
                      + "\r\nConnection: close\r\n\r\n" + body);
        socket->disconnectFromHost();
        m_buffers.remove(socket);
    }

    QTcpServer m_server;
    QHash<QByteArray, QByteArray> m_documents;
    QHash<QTcpSocket *, QByteArray> m_buffers;
};

/// Answers SRV questions from a table: the records for a name it knows, "no
/// such name" for others; or, when `reply` is set, whatever that returns
/// (empty: no answer at all), for hostile replies.
class LocalDnsResponder : public QObject
{
public:
    LocalDnsResponder()
    {
        m_socket.bind(QHostAddress::LocalHost, 0);
        connect(&m_socket, &QUdpSocket::readyRead, this, [this] {
            while (m_socket.hasPendingDatagrams()) {
                const QNetworkDatagram datagram = m_socket.receiveDatagram();
                const dns::Question question = dns::questionOf(datagram.data());
                asked << question.name;
                const QList<QByteArray> replies = reply ? reply(question) : QList<QByteArray>{standardReply(question)};
                for (const QByteArray &bytes : replies)
                    m_socket.writeDatagram(bytes, datagram.senderAddress(), quint16(datagram.senderPort()));
            }
        });
    }

    bool isBound() const { return m_socket.state() == QAbstractSocket::BoundState; }
    /// Also answers over TCP on the same port number (RFC 1035 4.2.2: each
    /// message after its two-byte length), from the table, never truncated.
    bool listenTcp()
    {
        connect(&m_tcp, &QTcpServer::newConnection, this, [this] {
            QTcpSocket *socket = m_tcp.nextPendingConnection();
            socket->setParent(this);
            connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                m_tcpBuffer += socket->readAll();
                if (m_tcpBuffer.size() < 2
                    || m_tcpBuffer.size() - 2 < (quint8(m_tcpBuffer[0]) << 8 | quint8(m_tcpBuffer[1])))
                    return;
                const dns::Question question = dns::questionOf(m_tcpBuffer.mid(2));
                m_tcpBuffer.clear();
                askedOverTcp << question.name;
                const QByteArray bytes = standardReply(question);
                socket->write(dns::u16(quint16(bytes.size())) + bytes);
            });
        });
        return m_tcp.listen(QHostAddress::LocalHost, port());
    }
    QList<QByteArray> askedOverTcp; ///< every name asked over TCP
    quint16 port() const { return m_socket.localPort(); }

    QHash<QByteArray, QList<dns::Srv>> records;                    ///< by name, lower case
    std::function<QList<QByteArray>(const dns::Question &)> reply; ///< overrides the table
    QList<QByteArray> asked;                                       ///< every name asked, in order

    QByteArray standardReply(const dns::Question &question) const
    {
        return records.contains(question.name) ? dns::srvReply(question, records.value(question.name))
                                               : dns::srvReply(question, {}, 3);
    }

private:
    QUdpSocket m_socket;
    QTcpServer m_tcp;
    QByteArray m_tcpBuffer;
};

} // namespace tandem::test
