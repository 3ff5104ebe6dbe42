// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
// The DATA payload encoder: CR LF normalisation, dot-stuffing, the final ".",
// the line length report, and identical bytes however the input is chunked.

#include <QRandomGenerator>
#include <QTest>

#include "mailcore/smtp/dataencoder.h"
#include "support/chunkings.h"
#include "support/datatable.h"

using namespace mailcore;
using namespace mailcore::smtp;

namespace {

QByteArray encodeChunks(const QList<QByteArray> &chunks, qsizetype maxLine = DataEncoder::DefaultMaxLineLength,
                        Error *error = nullptr)
{
    DataEncoder encoder(maxLine);
    QByteArray out;
    for (const QByteArray &chunk : chunks)
        encoder.encode(chunk, out);
    out += encoder.finish();
    if (error)
        *error = encoder.error();
    return out;
}

/// Every chunking of the shared set, and the encoder's own hard cases.
QList<QList<QByteArray>> encoderChunkings(const QByteArray &input)
{
    QList<QList<QByteArray>> result = tandem::test::chunkings(input);
    result.append({QByteArray(), input, QByteArray()}); // empty chunks change nothing
    // Three pieces, for the cases where two boundaries fall inside one "\r\n.".
    for (qsizetype i = 1; i < input.size() && input.size() <= 64; ++i) {
        for (qsizetype j = i + 1; j < input.size(); ++j)
            result.append({input.left(i), input.mid(i, j - i), input.mid(j)});
    }
    return result;
}

// What a receiving server reconstructs: strip the final ".", undo the stuffing.
QByteArray decode(const QByteArray &wire)
{
    Q_ASSERT(wire.endsWith(".\r\n"));
    QByteArray body = wire.chopped(3);
    QByteArray out;
    qsizetype start = 0;
    while (start < body.size()) {
        const qsizetype end = body.indexOf("\r\n", start);
        QByteArray line = body.mid(start, end - start);
        if (line.startsWith('.'))
            line.remove(0, 1);
        out += line + "\r\n";
        start = end + 2;
    }
    return out;
}

} // namespace

class TestSmtpDataEncoder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void chunked_data();
    void chunked();
    void lineLength_data();
    void lineLength();
    void randomChunking();
    void flags();
};

void TestSmtpDataEncoder::chunked_data()
{
    const auto row = tandem::test::table<QByteArray, QByteArray>("input", "output");
    row("empty", "", ".\r\n");
    row("one-line-crlf", "Hi\r\n", "Hi\r\n.\r\n");
    row("no-final-line-end", "Hi", "Hi\r\n.\r\n");
    row("bare-lf", "a\nb\n", "a\r\nb\r\n.\r\n");
    row("bare-cr", "a\rb\r", "a\r\nb\r\n.\r\n");
    row("cr-cr-lf", "a\r\r\nb", "a\r\n\r\nb\r\n.\r\n");
    row("lf-cr", "a\n\rb", "a\r\n\r\nb\r\n.\r\n");
    row("empty-lines", "\r\n\r\n", "\r\n\r\n.\r\n");
    row("leading-dot", ".hidden\r\n", "..hidden\r\n.\r\n");
    row("lone-dot-line", "a\r\n.\r\nb\r\n", "a\r\n..\r\nb\r\n.\r\n");
    row("lone-dot-end", "a\r\n.", "a\r\n..\r\n.\r\n");
    row("double-dot", "..\r\n", "...\r\n.\r\n");
    row("dot-after-bare-lf", "a\n.b", "a\r\n..b\r\n.\r\n");
    row("dot-after-bare-cr", "a\r.b", "a\r\n..b\r\n.\r\n");
    row("dot-mid-line", "a.b\r\nc.\r\n", "a.b\r\nc.\r\n.\r\n");
    row("crlf-dot-crlf-inside", "x\r\n.\r\ny", "x\r\n..\r\ny\r\n.\r\n");
    row("binary", QByteArray("a\0b\xff\r\n", 6), QByteArray("a\0b\xff\r\n.\r\n", 9));
}

void TestSmtpDataEncoder::chunked()
{
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, output);
    tandem::test::compareEveryChunking(encoderChunkings(input), output,
                                       [](const QList<QByteArray> &chunks) { return encodeChunks(chunks); });
    QCOMPARE(DataEncoder::encodeAll(input), output);
}

void TestSmtpDataEncoder::lineLength_data()
{
    const auto row = tandem::test::table<QByteArray, int, bool, int>("input", "maxLine", "tooLong", "longest");
    const QByteArray l998(998, 'x');
    row("998", QByteArray(l998 + "\r\n"), 998, false, 998);
    row("999", QByteArray("a\r\n" + l998 + "y\r\nb"), 998, true, 999);
    row("999-no-line-end", QByteArray(l998 + "y"), 998, true, 999);
    row("999-bare-lf", QByteArray(l998 + "y\n"), 998, true, 999);
    row("dot-not-counted", QByteArray("." + QByteArray(997, 'x') + "\r\n"), 998, false, 998);
    row("unchecked", QByteArray(5000, 'x'), 0, false, 5000);
    row("custom", "12345\r\n", 4, true, 5);
}

void TestSmtpDataEncoder::lineLength()
{
    QFETCH(QByteArray, input);
    QFETCH(int, maxLine);
    QFETCH(bool, tooLong);
    QFETCH(int, longest);
    const QList<QList<QByteArray>> all = encoderChunkings(input);
    // Long inputs: whole, byte by byte, and a sample of two-way splits.
    for (qsizetype k = 0; k<all.size(); k += input.size()> 64 ? 97 : 1) {
        Error error;
        const QByteArray out = encodeChunks(all.at(k), maxLine, &error);
        QCOMPARE(error.isError(), tooLong);
        if (tooLong) {
            QCOMPARE(error.code(), ErrorCode::Limit);
            QCOMPARE(out, DataEncoder::encodeAll(input)); // reported, never broken up
        }
    }
    DataEncoder encoder(maxLine);
    encoder.encode(input);
    encoder.finish();
    QCOMPARE(encoder.longestLine(), qsizetype(longest));
    QCOMPARE(DataEncoder(998).error().isError(), false);
}

void TestSmtpDataEncoder::randomChunking()
{
    // 1 MB of text rich in the interesting octets, cut at random places: the
    // bytes must match the one-piece encoding, and decoding gives back the
    // input with line ends normalised.
    QRandomGenerator random(20240601);
    const char alphabet[] = {'.', '.', '\r', '\n', 'a', 'b', ' ', '\0', '\xe9'};
    QByteArray input;
    input.reserve(1 << 20);
    while (input.size() < (1 << 20))
        input.append(alphabet[random.bounded(int(sizeof alphabet))]);
    const QByteArray expected = DataEncoder::encodeAll(input);
    for (int round = 0; round < 20; ++round) {
        QList<QByteArray> chunks;
        for (qsizetype pos = 0; pos < input.size();) {
            const qsizetype n = qMin<qsizetype>(random.bounded(1, 300), input.size() - pos);
            chunks.append(input.mid(pos, n));
            pos += n;
        }
        QVERIFY(encodeChunks(chunks) == expected);
    }
    QByteArray normalised = input;
    normalised.replace("\r\n", "\n").replace('\r', '\n').replace("\n", "\r\n");
    if (!normalised.endsWith("\r\n"))
        normalised += "\r\n";
    QVERIFY(decode(expected) == normalised);
    QVERIFY(!expected.chopped(3).contains("\r\n.\r\n"));
}

void TestSmtpDataEncoder::flags()
{
    DataEncoder plain;
    plain.encode("Subject: hi\r\n\r\nascii only\r\n");
    QVERIFY(!plain.hasEightBitData());
    QVERIFY(!plain.hasNul());
    DataEncoder eight;
    eight.encode("caf\xc3\xa9\r\n");
    QVERIFY(eight.hasEightBitData());
    DataEncoder nul;
    nul.encode(QByteArrayView("a\0b", 3));
    QVERIFY(nul.hasNul());
}

QTEST_APPLESS_MAIN(TestSmtpDataEncoder)
#include "tst_smtp_data_encoder.moc"
