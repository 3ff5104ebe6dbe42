// SPDX-License-Identifier: LGPL-2.1-or-later
// SPDX-FileCopyrightText: 2026 The Tandem developers
#include "mailcore/store/schema.h"

namespace mailcore::store {

namespace {

// Version 1: everything the store keeps. Times are seconds since the epoch
// (UTC); UIDs, UIDVALIDITY and MODSEQ are the server's numbers. Never a
// password: those live in the keychain.
Migration firstSchema()
{
    return {1,
            QStringLiteral("accounts, folders, messages, bodies, outbox, offline actions, server limits, search"),
            {
                QStringLiteral(
                    "CREATE TABLE accounts ("
                    " id INTEGER PRIMARY KEY,"
                    " name TEXT NOT NULL,"
                    " protocol TEXT NOT NULL CHECK (protocol IN ('imap', 'pop3')),"
                    " host TEXT NOT NULL,"
                    " port INTEGER NOT NULL,"
                    " security TEXT NOT NULL,"
                    " user_name TEXT NOT NULL,"
                    " settings TEXT NOT NULL DEFAULT '{}')"), // the rest, as JSON: limits, idle time, POP3 options
                QStringLiteral("CREATE TABLE identities ("
                               " id INTEGER PRIMARY KEY,"
                               " account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
                               " position INTEGER NOT NULL DEFAULT 0,"
                               " name TEXT NOT NULL,"
                               " address TEXT NOT NULL,"
                               " signature TEXT NOT NULL DEFAULT '')"),
                // What a pool learned of a server (B05's lowered limit), so a
                // restart does not run into the server's limit again.
                QStringLiteral("CREATE TABLE server_limits ("
                               " protocol TEXT NOT NULL,"
                               " host TEXT NOT NULL,"
                               " port INTEGER NOT NULL,"
                               " user_name TEXT NOT NULL,"
                               " connection_limit INTEGER NOT NULL CHECK (connection_limit >= 1),"
                               " learned_at INTEGER NOT NULL,"
                               " PRIMARY KEY (protocol, host, port, user_name))"),
                QStringLiteral("CREATE TABLE folders ("
                               " id INTEGER PRIMARY KEY,"
                               " account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
                               " name TEXT NOT NULL,"
                               " delimiter TEXT NOT NULL DEFAULT '',"
                               " role TEXT NOT NULL DEFAULT '',"
                               " selectable INTEGER NOT NULL DEFAULT 1,"
                               " uid_validity INTEGER NOT NULL DEFAULT 0,"
                               " uid_next INTEGER NOT NULL DEFAULT 0,"
                               " highest_modseq INTEGER NOT NULL DEFAULT 0,"
                               " server_count INTEGER NOT NULL DEFAULT 0,"
                               " server_unseen INTEGER NOT NULL DEFAULT 0,"
                               " synced_at INTEGER NOT NULL DEFAULT 0,"
                               " UNIQUE (account_id, name))"),
                QStringLiteral("CREATE TABLE messages ("
                               " id INTEGER PRIMARY KEY,"
                               " folder_id INTEGER NOT NULL REFERENCES folders(id) ON DELETE CASCADE,"
                               " uid INTEGER NOT NULL,"
                               " flags TEXT NOT NULL DEFAULT '',"  // space-separated, as IMAP writes them
                               " seen INTEGER NOT NULL DEFAULT 0," // \\Seen and \\Flagged again, for indexes and counts
                               " flagged INTEGER NOT NULL DEFAULT 0,"
                               " modseq INTEGER NOT NULL DEFAULT 0,"
                               " internal_date INTEGER NOT NULL DEFAULT 0,"
                               " size INTEGER NOT NULL DEFAULT 0,"
                               " sent_date INTEGER NOT NULL DEFAULT 0,"
                               " subject TEXT NOT NULL DEFAULT '',"
                               " sender TEXT NOT NULL DEFAULT '',"      // the first From, as people read it: sorted by
                               " addresses TEXT NOT NULL DEFAULT '{}'," // From, To, Cc as JSON
                               " message_id TEXT NOT NULL DEFAULT '',"
                               " in_reply_to TEXT NOT NULL DEFAULT '',"
                               " refs TEXT NOT NULL DEFAULT '',"        // References: ids separated by spaces
                               " structure TEXT NOT NULL DEFAULT '[]'," // BODYSTRUCTURE's leaf parts, JSON
                               " has_attachments INTEGER NOT NULL DEFAULT 0,"
                               " UNIQUE (folder_id, uid))"),
                // A message list is sorted by any column: one index per column.
                QStringLiteral("CREATE INDEX messages_by_date ON messages (folder_id, sent_date)"),
                QStringLiteral("CREATE INDEX messages_by_arrival ON messages (folder_id, internal_date)"),
                QStringLiteral("CREATE INDEX messages_by_sender ON messages (folder_id, sender)"),
                QStringLiteral("CREATE INDEX messages_by_subject ON messages (folder_id, subject)"),
                QStringLiteral("CREATE INDEX messages_by_size ON messages (folder_id, size)"),
                QStringLiteral("CREATE INDEX messages_unseen ON messages (folder_id, seen)"),
                QStringLiteral("CREATE INDEX messages_by_message_id ON messages (message_id)"),
                // The raw message: small ones here, large ones in a file beside
                // the database (named by the row's id only), written atomically.
                QStringLiteral("CREATE TABLE bodies ("
                               " message INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,"
                               " size INTEGER NOT NULL,"
                               " data BLOB,"
                               " file TEXT,"
                               " fetched_at INTEGER NOT NULL,"
                               " CHECK ((data IS NULL) <> (file IS NULL)))"),
                QStringLiteral("CREATE TABLE outbox ("
                               " id INTEGER PRIMARY KEY,"
                               " account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
                               " identity_id INTEGER REFERENCES identities(id) ON DELETE SET NULL,"
                               " message BLOB NOT NULL,"
                               " sender TEXT NOT NULL,"
                               " recipients TEXT NOT NULL,"              // JSON array
                               " state TEXT NOT NULL DEFAULT 'waiting'," // waiting, sending, sent, failed
                               " attempts INTEGER NOT NULL DEFAULT 0,"
                               " last_error TEXT NOT NULL DEFAULT '',"
                               " created_at INTEGER NOT NULL,"
                               " sent_at INTEGER NOT NULL DEFAULT 0," // the server took DATA: never again
                               " sent_copy_done INTEGER NOT NULL DEFAULT 0)"),
                // Actions made offline, replayed in id order.
                QStringLiteral("CREATE TABLE pending_actions ("
                               " id INTEGER PRIMARY KEY,"
                               " account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
                               " kind TEXT NOT NULL,"
                               " folder TEXT NOT NULL DEFAULT '',"
                               " target TEXT NOT NULL DEFAULT '',"
                               " uids TEXT NOT NULL DEFAULT '',"
                               " argument BLOB,"
                               " created_at INTEGER NOT NULL,"
                               " attempts INTEGER NOT NULL DEFAULT 0,"
                               " last_error TEXT NOT NULL DEFAULT '')"),
                // POP3: what was downloaded (by UIDL), so nothing comes twice,
                // and whether the server copy is gone.
                QStringLiteral("CREATE TABLE pop3_downloads ("
                               " account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
                               " uidl TEXT NOT NULL,"
                               " message INTEGER REFERENCES messages(id) ON DELETE SET NULL,"
                               " downloaded_at INTEGER NOT NULL,"
                               " deleted_on_server INTEGER NOT NULL DEFAULT 0,"
                               " PRIMARY KEY (account_id, uidl))"),
                // Local search: headers and the decoded text of cached bodies;
                // rowid is messages.id.
                QStringLiteral("CREATE VIRTUAL TABLE message_text USING fts5("
                               "subject, people, body, tokenize = 'unicode61 remove_diacritics 2')"),
                QStringLiteral("CREATE TRIGGER messages_text_gone AFTER DELETE ON messages"
                               " BEGIN DELETE FROM message_text WHERE rowid = old.id; END"),
            }};
}

// Version 2: offline actions keep their flags apart from their argument
// (the message of an append).
// Version 3: a message list sorts by the flag and attachment columns too.
Migration flagAndAttachmentOrder()
{
    return {3,
            QStringLiteral("sorting by flag and attachments"),
            {QStringLiteral("CREATE INDEX messages_by_flag ON messages (folder_id, flagged, uid)"),
             QStringLiteral("CREATE INDEX messages_by_attachments ON messages (folder_id, has_attachments, uid)")}};
}

// Version 4: ids of offline actions and Outbox messages are never used
// twice. A plain INTEGER PRIMARY KEY takes the largest id + 1, so once the
// queue was empty the next action got the id of one already sent, and
// whatever remembered that id (an undo, a draft to replace, an Outbox entry
// on screen) named the new one. SQLite adds AUTOINCREMENT only to a new
// table: both are made again, their rows copied.
Migration idsNeverReused()
{
    return {4,
            QStringLiteral("ids of offline actions and of the Outbox never reused"),
            {QStringLiteral("CREATE TABLE pending_actions_v4 ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
                            " kind TEXT NOT NULL,"
                            " folder TEXT NOT NULL DEFAULT '',"
                            " target TEXT NOT NULL DEFAULT '',"
                            " uids TEXT NOT NULL DEFAULT '',"
                            " argument BLOB,"
                            " created_at INTEGER NOT NULL,"
                            " attempts INTEGER NOT NULL DEFAULT 0,"
                            " last_error TEXT NOT NULL DEFAULT '',"
                            " flags TEXT NOT NULL DEFAULT '')"),
             QStringLiteral("INSERT INTO pending_actions_v4 (id, account_id, kind, folder, target, uids, argument,"
                            " created_at, attempts, last_error, flags) SELECT id, account_id, kind, folder, target,"
                            " uids, argument, created_at, attempts, last_error, flags FROM pending_actions"),
             QStringLiteral("DROP TABLE pending_actions"),
             QStringLiteral("ALTER TABLE pending_actions_v4 RENAME TO pending_actions"),
             QStringLiteral("CREATE TABLE outbox_v4 ("
                            " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                            " account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
                            " identity_id INTEGER REFERENCES identities(id) ON DELETE SET NULL,"
                            " message BLOB NOT NULL,"
                            " sender TEXT NOT NULL,"
                            " recipients TEXT NOT NULL,"
                            " state TEXT NOT NULL DEFAULT 'waiting',"
                            " attempts INTEGER NOT NULL DEFAULT 0,"
                            " last_error TEXT NOT NULL DEFAULT '',"
                            " created_at INTEGER NOT NULL,"
                            " sent_at INTEGER NOT NULL DEFAULT 0,"
                            " sent_copy_done INTEGER NOT NULL DEFAULT 0)"),
             QStringLiteral("INSERT INTO outbox_v4 SELECT id, account_id, identity_id, message, sender, recipients,"
                            " state, attempts, last_error, created_at, sent_at, sent_copy_done FROM outbox"),
             QStringLiteral("DROP TABLE outbox"), QStringLiteral("ALTER TABLE outbox_v4 RENAME TO outbox")}};
}

Migration actionFlags()
{
    return {2,
            QStringLiteral("flags of offline actions"),
            {QStringLiteral("ALTER TABLE pending_actions ADD COLUMN flags TEXT NOT NULL DEFAULT ''")}};
}

} // namespace

const std::vector<Migration> &migrations()
{
    static const std::vector<Migration> steps{firstSchema(), actionFlags(), flagAndAttachmentOrder(), idsNeverReused()};
    return steps;
}

int newestVersion() { return migrations().back().version; }

} // namespace mailcore::store
