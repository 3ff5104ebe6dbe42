// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QEvent>
#include <QObject>

namespace tandem::test {

/// Counts the queued calls delivered to the objects it filters (each queued
/// signal or invokeMethod is one): what a thread's event queue held for them.
///
///     QueuedCallCounter counter;
///     object.installEventFilter(&counter);
///     ...
///     QCoreApplication::sendPostedEvents(&object); // whatever is still queued
///     QCOMPARE(counter.count, 0);
class QueuedCallCounter : public QObject
{
public:
    int count = 0;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::MetaCall)
            ++count;
        return QObject::eventFilter(watched, event);
    }
};

} // namespace tandem::test
