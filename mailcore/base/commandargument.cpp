// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/base/commandargument.h"

namespace mailcore {

Result<QByteArray> commandArgument(const QString &value, const QString &what, bool allowSpaces)
{
    if (value.isEmpty())
        return Error(ErrorCode::BadArgument, what + QStringLiteral(" is empty"));
    const QByteArray bytes = value.toUtf8();
    for (char c : bytes) {
        if (c == '\r' || c == '\n' || c == '\0')
            return Error(ErrorCode::BadArgument, what + QStringLiteral(" contains CR, LF or NUL"));
        if (!allowSpaces && (c == ' ' || c == '\t'))
            return Error(ErrorCode::BadArgument, what + QStringLiteral(" contains a space"));
    }
    return bytes;
}

Result<QByteArray> saslPlainResponse(const QString &user, const QString &password, const QString &authorizationId)
{
    const Result<QByteArray> authcid = commandArgument(user, QStringLiteral("user name"), true);
    if (!authcid)
        return authcid.error();
    const Result<QByteArray> secret = commandArgument(password, QStringLiteral("password"), true);
    if (!secret)
        return secret.error();
    QByteArray authzid;
    if (!authorizationId.isEmpty()) {
        const Result<QByteArray> checked = commandArgument(authorizationId, QStringLiteral("authorization id"), true);
        if (!checked)
            return checked.error();
        authzid = checked.value();
    }
    return QByteArray(authzid + '\0' + authcid.value() + '\0' + secret.value()).toBase64();
}

Result<AuthPlainCommand> authPlainCommand(const QString &user, const QString &password, const QString &authorizationId,
                                          qsizetype maxCommandLength)
{
    const Result<QByteArray> plain = saslPlainResponse(user, password, authorizationId);
    if (!plain)
        return plain.error();
    const QByteArray &response = plain.value();
    AuthPlainCommand command{"AUTH PLAIN " + response, {}, "AUTH PLAIN ***"};
    if (command.line.size() + 2 > maxCommandLength) // + CR LF
        command = AuthPlainCommand{"AUTH PLAIN", response + "\r\n", "AUTH PLAIN (response ***)"};
    return command;
}

} // namespace mailcore
