#include "mailcore/imapclient/operations.h"

#include "mailcore/base/error.h"

namespace mailcore::imapops {

imap::CommandResult waitFor(QFuture<imap::CommandResult> future)
{
    future.waitForFinished(); // rethrows the command's MailException
    if (future.resultCount() == 0) // the connection went away with the command
        throw MailException(Error(ErrorCode::Cancelled, QStringLiteral("the connection was closed")));
    return future.result();
}

} // namespace mailcore::imapops
