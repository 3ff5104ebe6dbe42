// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include "mailcore/imap/framer.h"
#include "mailcore/imap/sequenceset.h"

// Internal to the parser: a read position over one Frame with the IMAP lexical
// rules (atoms, quoted strings, literals, lists). Every read either succeeds or
// throws ParseFailure; parseResponse() catches it and turns it into a
// ProtocolError value, so no exception ever leaves the parser. Throwing keeps
// the recursive-descent code free of "did that fail?" checks after every token,
// which is where error-flag parsers grow their infinite loops.

namespace mailcore::imap::detail {

struct ParseFailure {
    QString description;
    qsizetype textPosition = 0;
};

class Cursor
{
public:
    Cursor(const Frame &frame, const ParserLimits &limits);

    [[noreturn]] void fail(const QString &what) const;
    [[noreturn]] void fail(const char *what) const { fail(QString::fromLatin1(what)); }

    qsizetype position() const { return m_pos; }
    /// Byte offset in the received stream (literal bytes counted).
    qint64 streamPosition(qsizetype textPosition) const;

    char peek() const { return m_pos < m_text.size() ? m_text[m_pos] : '\0'; }
    bool atLineEnd() const;
    /// At the terminator of the response's last line.
    bool atEnd() const;
    void expectEnd();
    void expect(char c);
    void expectSpace() { expect(' '); }
    /// SP, then the caller reads what follows it: c.afterSpace().number() is
    /// the grammar's "SP number".
    Cursor &afterSpace()
    {
        expectSpace();
        return *this;
    }
    bool consumeIf(char c);
    /// Case-insensitive keyword followed by a non-atom character.
    bool consumeKeyword(QByteArrayView keyword);

    /// 1*ATOM-CHAR (RFC 3501); `allowBracket` also admits ']' (ASTRING-CHAR).
    QByteArray atom(bool allowBracket = false);
    /// A FETCH item name: atom characters up to a '[' ("BODY" of "BODY[1]").
    QByteArray fetchItemName();
    /// flag: "\" atom, "\*", or a keyword atom.
    QByteArray flag();
    quint64 number();
    quint32 number32();
    quint32 nzNumber32();
    /// quoted / literal
    QByteArray string();
    /// string / NIL (null QByteArray)
    QByteArray nstring();
    /// atom (with ']') / string
    QByteArray astring();
    /// nstring, but also a number or atom where sloppy servers send one.
    QByteArray lenientNString();
    bool consumeNil();
    /// sequence-set, e.g. "1:3,5,7:*".
    SequenceSet sequenceSet();

    /// '(' with the nesting limit; leaveList() expects ')'.
    void enterList();
    /// The grammar's `"(" ... ")" / nil`: false for NIL; for '(' enters the
    /// list as enterList() does and returns true.
    bool enterListOrNil();
    void leaveList();
    /// Inside a list: consumes ')' and returns true, or returns false when more
    /// members follow. Fails at the end of the line, so loops always terminate.
    bool leaveListIf();
    int depth() const { return m_depth; }

    /// Skips one value of any shape (atom, number, string, list): unknown
    /// extension data is tolerated.
    void skipValue();
    /// Raw bytes up to the end of the current line (not the terminator).
    QByteArray restOfLine();
    /// Raw bytes up to (not including) `stop` on this line.
    QByteArray until(char stop);

private:
    QByteArray quoted();
    QByteArray literal();

    const Frame &m_frame;
    const QByteArray &m_text;
    const ParserLimits &m_limits;
    qsizetype m_pos = 0;
    qsizetype m_nextLiteral = 0;
    int m_depth = 0;
};

bool isAtomChar(char c);

} // namespace mailcore::imap::detail
