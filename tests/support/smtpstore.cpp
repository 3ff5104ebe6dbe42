// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "support/smtpstore.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTest>

#include "support/kitenv.h"

namespace tandem::test {

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

SmtpStore::SmtpStore(const KitEnv &kit)
    : m_root(kit.smtpStore())
{
}

QStringList SmtpStore::fileNames() const
{
    return QDir(m_root + QLatin1String("/new")).entryList({QStringLiteral("*.eml")}, QDir::Files, QDir::Name);
}

QList<SmtpStore::Message> SmtpStore::messages() const
{
    QList<Message> out;
    const QStringList names = fileNames();
    for (const QString &name : names)
        out.append({name, readAll(m_root + QLatin1String("/new/") + name)});
    return out;
}

QList<SmtpStore::Message> SmtpStore::withMessageId(const QString &id) const
{
    const QByteArray needle = "<" + id.toUtf8() + ">";
    QList<Message> out;
    const QList<Message> all = messages();
    for (const Message &message : all) {
        if (message.bytes.contains(needle))
            out.append(message);
    }
    return out;
}

QList<SmtpStore::Message> SmtpStore::waitForMessageId(const QString &id, int timeoutMs) const
{
    QList<Message> found;
    (void)QTest::qWaitFor(
        [&] {
            found = withMessageId(id);
            return !found.isEmpty();
        },
        timeoutMs);
    return found;
}

SmtpStore::Message SmtpStore::waitForMessage(const std::function<bool(const QByteArray &)> &matches,
                                             int timeoutMs) const
{
    Message found;
    (void)QTest::qWaitFor(
        [&] {
            const QList<Message> all = messages();
            for (const Message &message : all) {
                if (matches(message.bytes)) {
                    found = message;
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    return found;
}

QJsonObject SmtpStore::envelopeOf(const Message &message) const
{
    QString name = message.fileName;
    name.replace(QLatin1String(".eml"), QLatin1String(".json"));
    return QJsonDocument::fromJson(readAll(m_root + QLatin1String("/envelopes/") + name)).object();
}

QByteArray withoutOneReceivedField(const QByteArray &stored)
{
    if (!stored.startsWith("Received:"))
        return stored;
    qsizetype end = stored.indexOf("\r\n");
    while (end >= 0 && end + 2 < stored.size() && (stored.at(end + 2) == ' ' || stored.at(end + 2) == '\t'))
        end = stored.indexOf("\r\n", end + 2);
    return end < 0 ? stored : stored.mid(end + 2);
}

} // namespace tandem::test
