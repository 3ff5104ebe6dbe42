// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "commandlog.h"

#include <QLoggingCategory>

#include <mutex>

namespace benchstore {

namespace {

std::mutex g_mutex;
CommandLog::Counts g_counts;           // under g_mutex
QtMessageHandler g_previous = nullptr; // other messages still go where they went

/// The command's name from the traced line `> "t12 UID FETCH 1:300 (...)"`:
/// the words after the tag up to the first argument, "UID" joined to its verb.
QByteArray commandName(const QByteArray &line)
{
    const QList<QByteArray> words = line.mid(line.indexOf('"') + 1).split(' ');
    if (words.size() < 2)
        return "?";
    QByteArray name = words.at(1).toUpper();
    name.replace('"', "");
    if (name == "UID" && words.size() > 2)
        name += ' ' + words.at(2).toUpper();
    return name;
}

void countCommand(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtDebugMsg && qstrcmp(context.category, "tandem.mailcore.imap") == 0) {
        const QByteArray line = message.toUtf8();
        if (line.startsWith("> \"")) {
            const std::lock_guard lock(g_mutex);
            ++g_counts.byName[commandName(line)];
        }
        return; // the trace itself is not printed: it would be read as output
    }
    if (g_previous)
        g_previous(type, context, message);
}

} // namespace

int CommandLog::Counts::total() const
{
    int n = 0;
    for (const int c : byName)
        n += c;
    return n;
}

int CommandLog::Counts::logins() const { return byName.value("AUTHENTICATE") + byName.value("LOGIN"); }

QJsonObject CommandLog::Counts::toJson() const
{
    QJsonObject names;
    for (auto it = byName.cbegin(); it != byName.cend(); ++it)
        names.insert(QString::fromLatin1(it.key()), it.value());
    return QJsonObject{
        {QStringLiteral("total"), total()}, {QStringLiteral("logins"), logins()}, {QStringLiteral("by_name"), names}};
}

void CommandLog::install()
{
    static std::once_flag once;
    std::call_once(once, [] {
        g_previous = qInstallMessageHandler(countCommand);
        QLoggingCategory::setFilterRules(QStringLiteral("tandem.mailcore.imap.debug=true"));
    });
}

CommandLog::Counts CommandLog::snapshot()
{
    const std::lock_guard lock(g_mutex);
    return g_counts;
}

CommandLog::Counts CommandLog::since(const Counts &before)
{
    Counts now = snapshot();
    for (auto it = before.byName.cbegin(); it != before.byName.cend(); ++it) {
        now.byName[it.key()] -= it.value();
        if (now.byName.value(it.key()) == 0)
            now.byName.remove(it.key());
    }
    return now;
}

} // namespace benchstore
