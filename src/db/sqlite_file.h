// How Sanad makes a SQLite database file (db/database.cpp opens every one; db/backup_sqlite.cpp copies them).
#pragma once

namespace sanad::db {

// The page size of a SQLite database file this program creates; a file keeps the size it was made with
// (SQLite fixes it when the file is first written, and VACUUM changes it only outside WAL mode). 16 KiB
// rather than SQLite's 4 KiB: a programme cycle writes millions of rows in one transaction, and with
// 4 KiB pages its write-ahead log holds four times the frames, each found through the log's index when
// the page is read again and copied by its own call at the checkpoint (docs/cycles-benchmark.md "Pages of
// 16 KiB"). 64 KiB pages gained more there but cost small writes, such as a public report's, about a
// fifth of their rate.
inline constexpr int kSqlitePageSize = 16384;

}  // namespace sanad::db
