// The audit log store: appends hash-chained entries, queries them, verifies the chain.
//
// Thread safety: Append may be called concurrently from any number of threads and processes; entries
// are serialised by the audit_head row (PostgreSQL row lock / SQLite write lock).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit/audit_entry.h"
#include "core/error.h"
#include "core/time.h"
#include "db/database.h"

namespace sanad::audit {

struct AuditQuery {
  std::optional<std::string> username;
  std::optional<std::string> record_type;
  std::optional<std::string> record_id;
  std::optional<std::string> action;
  std::optional<std::string> from;  // inclusive ISO date or timestamp
  std::optional<std::string> to;    // exclusive ISO date or timestamp
  // An area-scoped reader: only entries about a record that lies in this area on `today` (a person,
  // household, change request, benefit, linkage job or candidate); searches, accounts and other
  // entries that name no record of the area are left out. nullopt: everything (national).
  std::optional<std::string> scope_area;
  std::string today;  // YYYY-MM-DD, with scope_area
  int limit = 100;
  int offset = 0;
};

struct AuditPage {
  std::vector<AuditEntry> items;
  long long total = 0;
};

struct VerifyReport {
  long long checked = 0;
  std::optional<long long> first_broken_id;  // the first entry whose hash or link does not match
  std::string reason;
};

class AuditLog {
 public:
  AuditLog(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  // Appends `entry` (id, at, prev_hash and hash are filled in) in its own transaction.
  Result<AuditEntry> Append(AuditEntry entry);
  // Appends inside a transaction the caller already holds, so the audit line commits or rolls back
  // with the change it records.
  Result<AuditEntry> AppendIn(db::Session& session, AuditEntry entry);

  Result<AuditPage> Query(const AuditQuery& q);

  // Recomputes the whole chain in id order, streaming.
  Result<VerifyReport> Verify();

 private:
  db::Database& db_;
  const Clock& clock_;
};

}  // namespace sanad::audit
