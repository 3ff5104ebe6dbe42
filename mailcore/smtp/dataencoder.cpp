// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/smtp/dataencoder.h"

namespace mailcore::smtp {

DataEncoder::DataEncoder(qsizetype maxLineLength)
    : m_maxLineLength(maxLineLength)
{
}

void DataEncoder::encode(QByteArrayView chunk, QByteArray &out)
{
    Q_ASSERT(!m_finished);
    out.reserve(out.size() + chunk.size() + chunk.size() / 64 + 8);
    const char *data = chunk.data();
    const qsizetype size = chunk.size();
    qsizetype i = 0;
    while (i < size) {
        const char c = data[i];
        if (m_afterCr) {
            // A CR was already written as CR LF; its own LF must not add a second line end.
            m_afterCr = false;
            if (c == '\n') {
                ++i;
                continue;
            }
        }
        if (c == '\r' || c == '\n') {
            endLine(out);
            m_afterCr = c == '\r';
            ++i;
            continue;
        }
        if (m_atLineStart && c == '.')
            out.append('.');
        m_atLineStart = false;
        // Copy the run of ordinary octets up to the next line end in one go.
        qsizetype run = i;
        while (run < size && data[run] != '\r' && data[run] != '\n') {
            const auto u = static_cast<unsigned char>(data[run]);
            m_eightBit = m_eightBit || u >= 0x80;
            m_nul = m_nul || u == 0;
            ++run;
        }
        out.append(data + i, run - i);
        m_lineLength += run - i;
        if (m_maxLineLength > 0 && m_lineLength > m_maxLineLength && m_firstOverlongLine == 0)
            m_firstOverlongLine = m_line;
        i = run;
    }
}

QByteArray DataEncoder::encode(QByteArrayView chunk)
{
    QByteArray out;
    encode(chunk, out);
    return out;
}

QByteArray DataEncoder::finish()
{
    Q_ASSERT(!m_finished);
    m_finished = true;
    QByteArray out;
    if (!m_atLineStart)
        endLine(out);
    out.append(".\r\n");
    return out;
}

Error DataEncoder::error() const
{
    if (m_firstOverlongLine == 0)
        return {};
    return Error(ErrorCode::Limit,
                 QStringLiteral("line %1 of the message is longer than %2 octets")
                     .arg(m_firstOverlongLine)
                     .arg(m_maxLineLength));
}

QByteArray DataEncoder::encodeAll(QByteArrayView message)
{
    DataEncoder encoder;
    QByteArray out;
    encoder.encode(message, out);
    out += encoder.finish();
    return out;
}

void DataEncoder::endLine(QByteArray &out)
{
    out.append("\r\n");
    m_longestLine = qMax(m_longestLine, m_lineLength);
    m_lineLength = 0;
    m_atLineStart = true;
    ++m_line;
}

} // namespace mailcore::smtp
