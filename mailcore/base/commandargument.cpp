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

} // namespace mailcore
