// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QMetaMethod>
#include <QObject>

#include <tuple>
#include <type_traits>

#include "mailcore/mailcore_export.h"

namespace mailcore::net {

/// The base of the thread-safe connections (ImapConnection, Pop3Connection,
/// SmtpConnection): their signals report what the session saw in its I/O
/// thread, and are emitted in the thread that owns the connection.
///
/// A queued signal is an event in the owner's queue, kept until that thread
/// runs its event loop or the connection is destroyed. The pool's connections
/// belong to threads that run no event loop (tasks, callers' threads), and a
/// connection can live for hours: every untagged EXISTS or FLAGS of every
/// SELECT would pile up there unread (the soak saw it grow by the megabyte).
/// So an event is posted only while the signal has a receiver.
class MAILCORE_EXPORT OwnerSignals : public QObject
{
public:
    using QObject::QObject;

protected:
    /// Any thread (the I/O thread): emits `signal(args...)` in this object's
    /// thread if anything is connected to it now, else does nothing.
    template <typename Owner, typename... Params, typename... Args>
    void emitInOwnerThread(void (Owner::*signal)(Params...), Args &&...args)
    {
        static_assert(std::is_base_of_v<OwnerSignals, Owner>);
        if (!isSignalConnected(QMetaMethod::fromSignal(signal)))
            return;
        QMetaObject::invokeMethod(
            this,
            [owner = static_cast<Owner *>(this), signal, values = std::make_tuple(std::decay_t<Args>(args)...)] {
                std::apply([&](const auto &...v) { (owner->*signal)(v...); }, values);
            },
            Qt::QueuedConnection);
    }
};

} // namespace mailcore::net
