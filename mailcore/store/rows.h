// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#pragma once

#include <QSqlQuery>

#include "mailcore/store/records.h"

namespace mailcore::store::rows {

// How the records are written into columns and read back: one place for
// each encoding (flags as IMAP writes them, addresses and parts as JSON,
// times as seconds since the epoch).

QString roleName(FolderRole role);
FolderRole roleFromName(const QString &name);

QString actionName(OfflineAction::Kind kind);
OfflineAction::Kind actionFromName(const QString &name);

QString flagsText(const QList<QByteArray> &flags);
QList<QByteArray> flagsFromText(const QString &text);
bool hasFlag(const QList<QByteArray> &flags, const char *flag);

QString addressesJson(const MessageSummary &summary);
void addressesFromJson(const QString &json, MessageSummary &summary);
QString partsJson(const QList<MessagePart> &parts);
QList<MessagePart> partsFromJson(const QString &json);

/// What the list sorts the sender by: the display name, else the address.
QString senderSortKey(const MessageSummary &summary);

qint64 secondsOf(const QDateTime &time); ///< 0 for an invalid time
QDateTime timeOf(qint64 seconds);        ///< invalid for 0

/// The columns of `messages` that a StoredMessage is read from, in the order
/// messageFrom() expects them.
QString messageColumns();
/// A StoredMessage from the current row of a query that selected messageColumns().
StoredMessage messageFrom(const QSqlQuery &query);

/// The Folder columns, and a Folder from a row of them.
QString folderColumns();
Folder folderFrom(const QSqlQuery &query);

} // namespace mailcore::store::rows
