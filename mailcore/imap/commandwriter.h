// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringBuilder>

#include "mailcore/imap/command.h"

namespace mailcore::imap::detail {

/// Internal: writes one command, choosing atom, quoted string or literal for
/// every argument so that no value can end the command line early. Keeps the
/// redacted log line in step with the real bytes. The first bad argument
/// poisons the writer; finish() then returns a Command carrying that error.
/// Error messages name the argument, never its value (it may be a password).
class CommandWriter
{
public:
    enum class Sensitivity { Normal, Secret, MessageBody };

    CommandWriter(const QByteArray &tag, QByteArrayView name, const SerializerOptions &options);

    /// Grammar tokens written by the builders themselves (trusted, ASCII).
    void raw(QByteArrayView text);
    template <typename A, typename B>
    void raw(const QStringBuilder<A, B> &text)
    {
        raw(QByteArrayView(QByteArray(text)));
    }
    void space() { raw(" "); }
    /// Trusted bytes that must not be logged (a SASL response): "***" in the log.
    void rawSecret(QByteArrayView text);
    /// An atom the caller chose (capability, status item): validated.
    void atom(QByteArrayView value, const char *what);
    /// Atoms separated by single spaces (status items, sort criteria...).
    void atoms(const QList<QByteArray> &values, const char *what);
    /// A flag or keyword: "\Seen" or "$Forwarded"; `\*` is refused.
    void flag(QByteArrayView value);
    void flagList(const QList<QByteArray> &flags);
    /// quoted or literal.
    void string(QByteArrayView value, const char *what, Sensitivity s = Sensitivity::Normal);
    void string(const QString &value, const char *what, Sensitivity s = Sensitivity::Normal);
    /// atom if it can be one, else string.
    void astring(QByteArrayView value, const char *what, Sensitivity s = Sensitivity::Normal);
    /// nstring: NIL for a null value.
    void nstring(const QString &value, const char *what);
    /// A mailbox name: mUTF-7, or UTF-8 when UTF8=ACCEPT is on; INBOX normalised.
    void mailbox(const QString &name);
    /// Two mailbox names with a space between: LIST and LSUB's reference and
    /// pattern, RENAME's old and new name.
    void mailboxes(const QString &first, const QString &second);
    /// Always a literal (APPEND's message, values with CR/LF).
    void literal(QByteArrayView value, Sensitivity s);

    void fail(const QString &message);
    bool failed() const { return m_error.isError(); }
    const SerializerOptions &options() const { return m_options; }

    /// Appends CRLF and returns the command (or the error).
    Command finish();

private:
    void logText(QByteArrayView text, Sensitivity s);

    SerializerOptions m_options;
    Command m_command;
    QByteArray m_current;
    bool m_currentWaits = false;
    Error m_error;
};

bool isAtomText(QByteArrayView value);
/// True when `value` holds a C0 control character or DEL: refused in mailbox
/// and user names, which a server may echo back decoded.
bool containsControlCharacter(const QString &value);

} // namespace mailcore::imap::detail
