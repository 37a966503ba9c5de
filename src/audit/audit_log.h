// The audit log store: appends hash-chained entries, queries them, verifies the chain (alone, or
// against signed checkpoints kept outside the database: audit/checkpoint.h).
//
// Thread safety: Append may be called concurrently from any number of threads and processes; entries
// are serialised by the audit_head row (PostgreSQL row lock / SQLite write lock). Within a process,
// concurrent Append calls share one transaction (group commit): each call returns once the
// transaction holding its entry has committed, so one durable commit serves many audited reads.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_entry.h"
#include "audit/audit_spool.h"
#include "audit/checkpoint.h"
#include "audit/group_commit.h"
#include "core/error.h"
#include "core/time.h"
#include "db/database.h"
#include "db/sort_order.h"

namespace sanad::audit {

// The orders of the audit log's list (GET /api/v1/audit?sort=); entries without a user or a record
// (stored as '') first. username and record_type are plain NOT NULL columns: the indexes
// (username, id) and (record_type, id) serve their orders (migration 0014).
inline constexpr db::SortColumn kAuditSorts[] = {
    {"at", "at"}, {"username", "username", true}, {"action", "action", true}, {"record_type", "record_type", true}};

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
  // A value of db::SortValues(kAuditSorts); empty: the newest first by the time of the event.
  std::string sort;
  int limit = 100;
  int offset = 0;
};

struct AuditPage {
  std::vector<AuditEntry> items;
  long long total = 0;
};

// A point of the chain: entry `id` has chain hash `hash` (id 0: the empty log).
struct ChainHead {
  long long id = 0;
  std::string hash = kGenesisHash;
};

struct VerifyReport {
  long long checked = 0;
  std::optional<long long> first_broken_id;  // the first entry whose hash, link or checkpoint does not match
  // Why, as a catalogue code (audit_verify.*) and its parameters; empty when nothing is broken. The
  // text is rendered in the reader's language (the command line renders the English one).
  std::string reason;
  MessageParams params;
  // With checkpoints:
  std::optional<int> bad_checkpoint_line;  // a checkpoint line that is malformed, unsigned or out of order
  long long checkpoints = 0;               // checkpoints whose signature was checked
  long long anchored_through = 0;          // entries 1..anchored_through match a signed checkpoint
  bool broken() const { return first_broken_id || bad_checkpoint_line; }
};

// Called every `every` entries while Verify walks the chain (and once at the start): how many entries
// were checked and how many the log holds. A failure stops the walk and is Verify's result (a
// cancelled job).
struct VerifyProgress {
  std::function<Status(long long checked, long long total)> on_chunk;
  long long every = 1000;
};

// What Verify checks entries against besides the chain itself.
struct Anchors {
  const CheckpointFile* file = nullptr;
  std::array<unsigned char, kPublicKeyBytes> public_key{};
};

class AuditLog {
 public:
  AuditLog(db::Database& db, const Clock& clock);
  // Writes what is still queued and folds the spool into the chain.
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // On a SQLite file database, entries written on their own (Append, AppendAsync) are made durable in
  // a spool beside the database and folded into the chain in batches (audit_spool.h says why); the
  // first fold takes what an earlier process left there. Call once, before the first Append. No-op on
  // PostgreSQL and in-memory SQLite, where Append commits into the chain itself.
  Status OpenSpool();
  // Moves every spooled entry into the chain, in spool order (no-op without a spool). Query, Verify
  // and CheckExtends fold first, so that readers of the log see every durable entry; a folding thread
  // folds every kFoldInterval while entries are spooled. Each fold makes every registry connection
  // start its next read with an empty page cache, hence seconds between folds rather than milliseconds.
  Status Fold();
  static constexpr std::chrono::seconds kFoldInterval{10};
  static constexpr std::size_t kFoldBatch = 4096;  // entries per fold transaction

  // Appends `entry` (at, and once in the chain id, prev_hash and hash, are filled in) and returns once
  // it is durable (in the chain, or in the spool).
  // Concurrent calls share one transaction (group commit, see group_commit.h); if that transaction
  // fails, every entry in it fails. Errors: kInvalidArgument when details is not a JSON object;
  // database errors.
  Result<AuditEntry> Append(AuditEntry entry);
  // The same without waiting: returns an error only when the entry is refused (details); otherwise
  // `done` runs on the group commit's writer thread once the entry is durable or its batch failed.
  Status AppendAsync(AuditEntry entry, GroupCommit::Done done);
  // Appends inside a transaction the caller already holds, so the audit line commits or rolls back
  // with the change it records.
  Result<AuditEntry> AppendIn(db::Session& session, AuditEntry entry);

  Result<AuditPage> Query(const AuditQuery& q);

  // Recomputes the whole chain in id order, streaming. With anchors, also checks every checkpoint's
  // signature and that the entry at each checkpoint has the signed hash, and that no checkpointed
  // entry is missing (truncation).
  Result<VerifyReport> Verify(const Anchors* anchors = nullptr, const VerifyProgress* progress = nullptr);

  // Checks that the chain continues from `from` (that entry exists with that hash, and every later
  // entry links and hashes correctly) and returns the report; on success `head` is the last entry.
  // The checkpointer signs only a head reached this way.
  Result<VerifyReport> CheckExtends(const ChainHead& from, ChainHead& head);

  const GroupCommit& group_commit() const { return *group_; }

 private:
  // Appends entries whose details were checked, in one run of the caller's transaction.
  Result<std::vector<AuditEntry>> AppendChecked(db::Session& s, std::vector<AuditEntry>& batch);
  // The group commit's batch: into the spool when there is one, else into the chain.
  Result<std::vector<AuditEntry>> WriteBatch(std::vector<AuditEntry>& batch);
  // One fold transaction of at most kFoldBatch entries; the number folded.
  Result<std::size_t> FoldOnce();
  // Moves at most kFoldBatch spooled entries into the chain inside the caller's transaction; `through`:
  // the spool's last seq now in the chain.
  Result<std::size_t> FoldInto(db::Session& s, AuditSpool& spool, long long& through);

  db::Database& db_;
  const Clock& clock_;
  std::unique_ptr<AuditSpool> spool_;
  std::atomic<AuditSpool*> spool_in_use_{nullptr};  // spool_, published for the writer thread
  std::mutex fold_mu_;  // one fold at a time in this process (the database serialises processes)
  // The folding thread: wakes every kFoldInterval, or at once when stopping.
  void FoldEvery();
  std::mutex folder_mu_;
  std::condition_variable folder_wake_;
  bool folder_stopping_ = false;           // under folder_mu_
  std::atomic<std::uint64_t> spooled_{0};  // entries spooled by this process since its last fold
  std::thread folder_;
  std::unique_ptr<GroupCommit> group_;  // last: its writer thread uses the members above
};

}  // namespace sanad::audit
