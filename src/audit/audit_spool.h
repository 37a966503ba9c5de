// The spool of audit entries written on their own (the audit of a read, a sign-in) on SQLite: a small
// SQLite database beside the registry's, where each group-commit batch is made durable (one commit, one
// fsync) before the reads it records are answered. AuditLog folds the spool into the hash chain of the
// registry database in large batches (AuditLog::Fold).
//
// Why: in WAL mode every commit to a database file makes every other connection to it drop its whole
// page cache at its next read. With each audited read committing its entry to the registry file, every
// read started cold and re-read ~200 pages through pread (most of an audited name search's time). Entries
// committed to another file leave the registry connections' caches warm; the registry file then changes
// only when entries are folded (a few times a second at most) and when the registry itself changes.
//
// Entries keep the order they were spooled in. `seq` only grows (AUTOINCREMENT), and each spool file has
// a random identity, so that the chain's head can record how far it has folded this very file: a fold
// cut short after its commit but before the spooled rows were dropped does not fold them twice, and a
// recreated spool file does not have its entries taken for already folded ones.
//
// Thread safety: every method may be called from any thread; several processes may share one spool
// (SQLite's locking).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "audit/audit_entry.h"
#include "core/error.h"
#include "db/database.h"

namespace sanad::audit {

// Binds an entry's event fields — at, user_id, username, action, record_type, record_id, ip,
// request_id, details, in that order — to `q`: the columns the spool and the chain share.
void BindEventFields(db::Prepared& q, const AuditEntry& e);

class AuditSpool {
 public:
  // The spool of the SQLite database at `db_path` (a file beside it), created when missing.
  static Result<std::unique_ptr<AuditSpool>> Open(const std::string& db_path);
  static std::string PathFor(const std::string& db_path) { return db_path + "-audit-spool"; }

  // This spool file's identity (hex), stored in it when it was created.
  const std::string& id() const { return id_; }

  // Appends the entries (their `at` set; id and hashes are assigned when folded) in order, in one
  // durable transaction.
  Status Write(const std::vector<AuditEntry>& batch);
  // At most `limit` entries with seq > `after`, in seq order, each with its seq.
  Result<std::vector<std::pair<long long, AuditEntry>>> After(long long after, std::size_t limit);
  // Drops the entries with seq <= `seq` (folded).
  Status DropThrough(long long seq);

 private:
  AuditSpool(std::unique_ptr<db::Database> db, std::string id) : db_(std::move(db)), id_(std::move(id)) {}
  std::unique_ptr<db::Database> db_;
  std::string id_;
};

}  // namespace sanad::audit
