// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "support/logcapture.h"

#include <QLoggingCategory>

#include <mutex>

namespace tandem::test {

namespace {

// Qt's message handler is a plain function: the captured lines live here.
std::mutex g_mutex;
QStringList g_lines;
QtMessageHandler g_previous = nullptr;

void capture(QtMsgType, const QMessageLogContext &, const QString &message)
{
    std::lock_guard lock(g_mutex);
    g_lines << message;
}

} // namespace

LogCapture::LogCapture()
{
    {
        std::lock_guard lock(g_mutex);
        g_lines.clear();
    }
    QLoggingCategory::setFilterRules(QStringLiteral("tandem.*=true"));
    g_previous = qInstallMessageHandler(capture);
}

LogCapture::~LogCapture()
{
    qInstallMessageHandler(g_previous);
    QLoggingCategory::setFilterRules({});
}

QStringList LogCapture::lines() const
{
    std::lock_guard lock(g_mutex);
    return g_lines;
}

QString LogCapture::lineContainingAny(const QStringList &needles) const
{
    const QStringList all = lines();
    for (const QString &line : all) {
        for (const QString &needle : needles) {
            if (line.contains(needle))
                return line;
        }
    }
    return {};
}

} // namespace tandem::test
