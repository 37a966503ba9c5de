#include "audit/audit_log.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "db/row.h"

namespace sanad::audit {

namespace {

// Details are built with a JSON library by every caller; anything else is refused rather than stored,
// so that no caller can smuggle keys into an entry by string concatenation.
Status CheckDetails(AuditEntry& e) {
  if (e.details.empty()) {
    e.details = "{}";
    return Ok();
  }
  // Well-formed JSON starting with '{' is an object; accept() checks it without building a tree (a
  // search's details list every id it returned).
  const auto start = e.details.find_first_not_of(" \t\r\n");
  if (start == std::string::npos || e.details[start] != '{' || !nlohmann::json::accept(e.details))
    return Fail(Code::kInternal, "audit details must be a JSON object", "details");  // a caller's bug
  return Ok();
}

}  // namespace

AuditLog::AuditLog(db::Database& db, const Clock& clock)
    : db_(db),
      clock_(clock),
      group_(std::make_unique<GroupCommit>([this](std::vector<AuditEntry>& batch) { return WriteBatch(batch); })) {}

AuditLog::~AuditLog() {
  group_.reset();  // writes what is still queued
  if (folder_.joinable()) {
    {
      std::lock_guard lock(folder_mu_);
      folder_stopping_ = true;
    }
    folder_wake_.notify_all();
    folder_.join();
  }
  if (auto st = Fold(); !st) {
    spdlog::error("audit: spooled entries not folded at shutdown (kept in the spool for the next start): {}",
                  st.error().message);
  }
}

Status AuditLog::OpenSpool() {
  if (db_.dialect() != db::Dialect::kSqlite) return Ok();
  const std::string& path = db_.url().sqlite_path;
  if (path.empty() || path == ":memory:" || path.starts_with("file::memory:")) return Ok();
  auto spool = AuditSpool::Open(path);
  if (!spool) return std::unexpected(spool.error());
  spool_ = std::move(*spool);
  spool_in_use_.store(spool_.get());
  if (auto st = Fold(); !st) return st;
  folder_ = std::thread([this] { FoldEvery(); });
  return Ok();
}

void AuditLog::FoldEvery() {
  std::unique_lock lock(folder_mu_);
  while (!folder_wake_.wait_for(lock, kFoldInterval, [this] { return folder_stopping_; })) {
    if (spooled_.load() == 0) continue;
    lock.unlock();
    // The entries are durable in the spool: a failed fold is retried at the next wake-up.
    if (auto st = Fold(); !st) spdlog::error("audit: folding the spool failed (retried): {}", st.error().message);
    lock.lock();
  }
}

Result<std::vector<AuditEntry>> AuditLog::WriteBatch(std::vector<AuditEntry>& batch) {
  AuditSpool* spool = spool_in_use_.load();
  if (!spool) {
    return db_.InTransaction<std::vector<AuditEntry>>([&](db::Session& s) -> Result<std::vector<AuditEntry>> {
      // Details were checked by Append, outside the batch's write lock.
      return AppendChecked(s, batch);
    });
  }
  // The time of the event, not of the fold.
  const std::string now = FormatTimestamp(clock_.Now());
  for (auto& e : batch) e.at = now;
  if (auto st = spool->Write(batch); !st) return std::unexpected(st.error());
  spooled_.fetch_add(batch.size());
  return std::move(batch);
}

Status AuditLog::Fold() {
  if (!spool_in_use_.load()) return Ok();
  std::lock_guard lock(fold_mu_);
  spooled_.store(0);  // what is spooled from here on waits for the next fold
  for (;;) {
    auto n = FoldOnce();
    if (!n) return std::unexpected(n.error());
    if (*n < kFoldBatch) return Ok();
  }
}

// The head records which spool (by identity) it has folded through which seq, in the same transaction
// as the entries: a fold interrupted between its commit and dropping the rows from the spool skips
// them next time; a new spool file (another identity) is folded from its start.
Result<std::size_t> AuditLog::FoldOnce() {
  AuditSpool& spool = *spool_in_use_.load();
  // Folded rows leave the spool: an empty spool needs no write transaction on the registry database.
  auto any = spool.After(0, 1);
  if (!any) return std::unexpected(any.error());
  if (any->empty()) return std::size_t{0};
  long long through = 0;
  auto folded = db_.InTransaction<std::size_t>(
      [&](db::Session& s) -> Result<std::size_t> { return FoldInto(s, spool, through); });
  if (!folded) return std::unexpected(folded.error());
  // Also rows an AppendIn folded (it cannot drop them: its transaction may still roll back).
  if (through > 0) {
    if (auto st = spool.DropThrough(through); !st) return std::unexpected(st.error());
  }
  return *folded;
}

Result<std::size_t> AuditLog::FoldInto(db::Session& s, AuditSpool& spool, long long& through) {
  auto head = s.Prepare("SELECT spool_id, spooled_through FROM audit_head WHERE singleton = 1");
  if (!head.Execute()) return Fail(Code::kInternal, "the audit head row is missing");
  through = head.Row().get<std::string>(0) == spool.id() ? db::RowInt(head.Row(), 1) : 0;
  auto pending = spool.After(through, kFoldBatch);
  if (!pending) return std::unexpected(pending.error());
  if (pending->empty()) return std::size_t{0};
  std::vector<AuditEntry> batch;
  batch.reserve(pending->size());
  for (auto& [seq, e] : *pending) batch.push_back(std::move(e));
  if (auto written = AppendChecked(s, batch); !written) return std::unexpected(written.error());
  through = pending->back().first;
  s.Prepare("UPDATE audit_head SET spool_id = :id, spooled_through = :seq WHERE singleton = 1")
      .Bind(spool.id())
      .Bind(through)
      .Execute();
  return pending->size();
}

Result<AuditEntry> AuditLog::Append(AuditEntry entry) {
  if (auto st = CheckDetails(entry); !st) return std::unexpected(st.error());
  return group_->Submit(std::move(entry));
}

Status AuditLog::AppendAsync(AuditEntry entry, GroupCommit::Done done) {
  if (auto st = CheckDetails(entry); !st) return st;
  group_->SubmitAsync(std::move(entry), std::move(done));
  return Ok();
}

Result<AuditEntry> AuditLog::AppendIn(db::Session& s, AuditEntry e) {
  if (auto st = CheckDetails(e); !st) return std::unexpected(st.error());
  // What is spooled happened before this change: it joins the chain first, so that the chain keeps the
  // order of events (a refused sign-in, then the sign-in). Not under fold_mu_: a Fold holding it may be
  // waiting for the write lock this transaction holds.
  if (AuditSpool* spool = spool_in_use_.load()) {
    for (;;) {
      long long through = 0;
      auto n = FoldInto(s, *spool, through);
      if (!n) return std::unexpected(n.error());
      if (*n < kFoldBatch) break;
    }
  }
  std::vector<AuditEntry> one;
  one.push_back(std::move(e));
  auto written = AppendChecked(s, one);
  if (!written) return std::unexpected(written.error());
  return std::move(written->front());
}

// The head is read once and written once per batch: entries of one batch chain to each other in
// memory, and the batch holds the head row (PostgreSQL row lock, SQLite write lock) throughout. The
// statements are prepared once per connection.
Result<std::vector<AuditEntry>> AuditLog::AppendChecked(db::Session& s, std::vector<AuditEntry>& batch) {
  std::vector<AuditEntry> out;
  if (batch.empty()) return out;
  out.reserve(batch.size());
  long long last_id = 0;
  std::string last_hash;
  {
    // Taking the head row for update serialises appenders: PostgreSQL locks the row until commit;
    // SQLite already holds the database write lock (BEGIN IMMEDIATE).
    auto head = s.Prepare(s.dialect() == db::Dialect::kPostgres
                              ? "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1 FOR UPDATE"
                              : "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1");
    if (!head.Execute()) return Fail(Code::kInternal, "the audit head row is missing");
    last_id = db::RowInt(head.Row(), 0);
    last_hash = head.Row().get<std::string>(1);
  }
  for (auto& e : batch) {
    e.id = last_id + 1;
    if (e.at.empty()) e.at = FormatTimestamp(clock_.Now());  // spooled entries keep the time they were written
    e.prev_hash = last_hash;
    e.hash = ChainHash(e, last_hash);
    last_id = e.id;
    last_hash = e.hash;
  }
  if (s.dialect() == db::Dialect::kPostgres) {
    // The whole batch and the new head in one statement, so one round trip to the server however many
    // entries the batch holds: the entries travel as one JSON array of rows (strings as they are; the
    // chain hashes were computed above from the same values).
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& e : batch) {
      rows.push_back({{"id", e.id},
                      {"at", e.at},
                      {"user_id", e.user_id ? nlohmann::json(*e.user_id) : nlohmann::json(nullptr)},
                      {"username", e.username},
                      {"action", e.action},
                      {"record_type", e.record_type},
                      {"record_id", e.record_id},
                      {"ip", e.ip},
                      {"request_id", e.request_id},
                      {"details", e.details},
                      {"prev_hash", e.prev_hash},
                      {"hash", e.hash}});
    }
    s.Prepare(
         "WITH batch AS (INSERT INTO audit_log (id, at, user_id, username, action, record_type, record_id, ip, "
         "request_id, details, prev_hash, hash) SELECT id, at, user_id, username, action, record_type, record_id, ip, "
         "request_id, details, prev_hash, hash FROM jsonb_to_recordset(CAST(:rows AS JSONB)) AS r(id BIGINT, at TEXT, "
         "user_id BIGINT, username TEXT, action TEXT, record_type TEXT, record_id TEXT, ip TEXT, request_id TEXT, "
         "details TEXT, prev_hash TEXT, hash TEXT)) UPDATE audit_head SET last_id = :id, last_hash = :h WHERE "
         "singleton = 1")
        .Bind(rows.dump())
        .Bind(last_id)
        .Bind(last_hash)
        .Execute();
  } else {
    // SQLite runs in the process: one prepared insert per entry costs no round trip.
    auto insert = s.Prepare(
        "INSERT INTO audit_log (id, at, user_id, username, action, record_type, record_id, ip, request_id, "
        "details, prev_hash, hash) VALUES (:id, :at, :uid, :un, :ac, :rt, :ri, :ip, :rq, :de, :ph, :h)");
    for (const auto& e : batch) {
      insert.Bind(static_cast<long long>(e.id));
      BindEventFields(insert, e);
      insert.Bind(e.prev_hash).Bind(e.hash);
      insert.Execute();
    }
    s.Prepare("UPDATE audit_head SET last_id = :id, last_hash = :h WHERE singleton = 1")
        .Bind(last_id)
        .Bind(last_hash)
        .Execute();
  }
  for (auto& e : batch) out.push_back(std::move(e));
  return out;
}

namespace {

AuditEntry FromRow(const soci::row& r) {
  AuditEntry e;
  e.id = r.get<long long>(0);
  e.at = r.get<std::string>(1);
  if (r.get_indicator(2) != soci::i_null) e.user_id = r.get<long long>(2);
  e.username = r.get<std::string>(3);
  e.action = r.get<std::string>(4);
  e.record_type = r.get<std::string>(5);
  e.record_id = r.get<std::string>(6);
  e.ip = r.get<std::string>(7);
  e.request_id = r.get<std::string>(8);
  e.details = r.get<std::string>(9);
  e.prev_hash = r.get<std::string>(10);
  e.hash = r.get<std::string>(11);
  return e;
}

constexpr const char* kColumns =
    "id, at, user_id, username, action, record_type, record_id, ip, request_id, details, prev_hash, hash";

}  // namespace

namespace {

// The record an entry is about, as an integer id: NULL unless record_id is a plain number (so that no
// cast can fail on PostgreSQL).
constexpr const char* kRecordId =
    "(CASE WHEN audit_log.record_id <> '' AND LENGTH(audit_log.record_id) <= 18 AND "
    "LTRIM(audit_log.record_id, '0123456789') = '' THEN CAST(audit_log.record_id AS BIGINT) END)";

// Entries about records inside the scope's areas (table `sc` of the query's WITH clause). The audit
// log names records of other modules by type and id, so this is the one query of the audit module
// that reads their tables: the filter must be in the query, not applied to a page afterwards.
std::string ScopeClause() {
  const std::string in_area = "IN (SELECT commune FROM sc)";
  const std::string id = kRecordId;
  return fmt::format(
      " AND ((audit_log.record_type IN ('person', 'person_benefits') AND EXISTS (SELECT 1 FROM persons p JOIN "
      "households h "
      "ON h.id = p.household_id WHERE p.id = {0} AND h.commune_code {1}))"
      " OR (audit_log.record_type IN ('household', 'household_history', 'household_benefits') AND EXISTS (SELECT 1 "
      "FROM "
      "households h WHERE h.id = {0} AND h.commune_code {1}))"
      " OR (audit_log.record_type = 'change_request' AND EXISTS (SELECT 1 FROM change_requests cr WHERE cr.id = {0} "
      "AND "
      "cr.area_code {1} AND NOT EXISTS (SELECT 1 FROM change_request_areas ca WHERE ca.change_request_id = cr.id AND "
      "ca.commune_code NOT {1})))"
      " OR (audit_log.record_type = 'benefit' AND EXISTS (SELECT 1 FROM benefits b LEFT JOIN persons p ON p.id = "
      "b.person_id "
      "JOIN households h ON h.id = COALESCE(p.household_id, b.household_id) WHERE b.id = {0} AND h.commune_code {1}))"
      " OR (audit_log.record_type = 'linkage_job' AND EXISTS (SELECT 1 FROM linkage_jobs j WHERE j.id = {0} AND "
      "j.area_code {1}))"
      " OR (audit_log.record_type = 'linkage_candidate' AND EXISTS (SELECT 1 FROM linkage_candidates c JOIN persons pa "
      "ON "
      "pa.id = c.person_a JOIN households ha ON ha.id = pa.household_id JOIN persons pb ON pb.id = c.person_b JOIN "
      "households hb ON hb.id = pb.household_id WHERE c.id = {0} AND ha.commune_code {1} AND hb.commune_code {1})))",
      id, in_area);
}

}  // namespace

Result<AuditPage> AuditLog::Query(const AuditQuery& q) {
  if (auto st = Fold(); !st) return std::unexpected(st.error());
  try {
    auto s = db_.Acquire();
    // Every filter is a bound parameter; absent filters bind NULL and are short-circuited.
    std::string with;
    std::string where = " WHERE 1=1";
    if (q.scope_area) {
      with =
          "WITH sc (commune) AS (SELECT descendant FROM area_ancestors WHERE ancestor = :sa AND valid_from <= :sd1 "
          "AND valid_to > :sd2) ";
    }
    where += " AND (CAST(:u AS TEXT) IS NULL OR username = :u2)";
    where += " AND (CAST(:rt AS TEXT) IS NULL OR record_type = :rt2)";
    where += " AND (CAST(:ri AS TEXT) IS NULL OR record_id = :ri2)";
    where += " AND (CAST(:ac AS TEXT) IS NULL OR action = :ac2)";
    where += " AND (CAST(:f AS TEXT) IS NULL OR at >= :f2)";
    where += " AND (CAST(:t AS TEXT) IS NULL OR at < :t2)";
    if (q.scope_area) where += ScopeClause();
    std::string area = q.scope_area.value_or(""), today = q.today;
    auto bind = [&](soci::statement& st) {
      if (q.scope_area) {
        st.exchange(soci::use(area));
        st.exchange(soci::use(today));
        st.exchange(soci::use(today));
      }
      for (const auto* v : {&q.username, &q.record_type, &q.record_id, &q.action, &q.from, &q.to}) {
        st.exchange(soci::use(*v));
        st.exchange(soci::use(*v));
      }
    };
    AuditPage page;
    {
      soci::statement st(s.sql());
      st.alloc();
      st.prepare(with + "SELECT COUNT(*) FROM audit_log" + where);
      st.exchange(soci::into(page.total));
      bind(st);
      st.define_and_bind();
      st.execute(true);
    }
    soci::row r;
    soci::statement st(s.sql());
    st.alloc();
    st.prepare(with + "SELECT " + kColumns + " FROM audit_log" + where +
               fmt::format(" ORDER BY {} LIMIT {} OFFSET {}",
                           db::OrderBy(db_.dialect(), kAuditSorts, q.sort, "id", "at DESC, id DESC"), q.limit,
                           q.offset));
    st.exchange(soci::into(r));
    bind(st);
    st.define_and_bind();
    if (st.execute(true)) {
      do page.items.push_back(FromRow(r));
      while (st.fetch());
    }
    return page;
  } catch (const std::exception& e) {
    return std::unexpected(db::ErrorFromException(e));
  }
}

namespace {

std::string Str(long long v) { return std::to_string(v); }

// Marks the report broken at `id` for `code` (a catalogue code, audit_verify.*).
void Broken(VerifyReport& report, long long id, std::string_view code, MessageParams params) {
  report.first_broken_id = id;
  report.reason = std::string(code);
  report.params = std::move(params);
}

// Streams the entries after `from` in id order and stops at the first one that breaks contiguity,
// its link to the previous entry, its own hash, or a signed checkpoint at its id. `head` ends at the
// last entry that passed. With `progress`, reports every `progress->every` entries and stops with its
// failure.
Status Walk(db::Session& s, const ChainHead& from, const std::map<long long, const Checkpoint*>& checkpoints,
            VerifyReport& report, ChainHead& head, const VerifyProgress* progress = nullptr, long long total = 0) {
  head = from;
  long long previous_checkpoint = 0;
  for (const auto& [id, c] : checkpoints) {
    if (id <= from.id) previous_checkpoint = id;
  }
  long long from_id = from.id;
  soci::rowset<soci::row> rs =
      (s.sql().prepare << std::string("SELECT ") + kColumns + " FROM audit_log WHERE id > :from ORDER BY id",
       soci::use(from_id));
  for (const auto& r : rs) {
    if (progress && report.checked % progress->every == 0) {
      if (auto st = progress->on_chunk(report.checked, total); !st) return st;
    }
    AuditEntry e = FromRow(r);
    ++report.checked;
    if (e.id != head.id + 1) {
      Broken(report, head.id + 1, MsgCode("audit_verify.entries_missing"),
             {{"id", Str(e.id)}, {"previous", Str(head.id)}});
      return Ok();
    }
    if (e.prev_hash != head.hash) {
      Broken(report, e.id, MsgCode("audit_verify.link_mismatch"), {{"id", Str(e.id)}});
      return Ok();
    }
    if (ChainHash(e, e.prev_hash) != e.hash) {
      Broken(report, e.id, MsgCode("audit_verify.content_altered"), {{"id", Str(e.id)}});
      return Ok();
    }
    if (auto it = checkpoints.find(e.id); it != checkpoints.end()) {
      const Checkpoint& c = *it->second;
      if (c.hash != e.hash) {
        Broken(report, e.id, MsgCode("audit_verify.checkpoint_mismatch"),
               {{"at", c.at}, {"line", Str(c.line)}, {"from", Str(previous_checkpoint + 1)}, {"to", Str(e.id)}});
        return Ok();
      }
      previous_checkpoint = e.id;
      report.anchored_through = e.id;
    }
    head.id = e.id;
    head.hash = e.hash;
  }
  if (progress) return progress->on_chunk(report.checked, std::max(total, report.checked));
  return Ok();
}

}  // namespace

Result<VerifyReport> AuditLog::Verify(const Anchors* anchors, const VerifyProgress* progress) {
  if (auto st = Fold(); !st) return std::unexpected(st.error());
  VerifyReport report;
  std::map<long long, const Checkpoint*> checkpoints;
  if (anchors && anchors->file) {
    for (const Checkpoint& c : anchors->file->checkpoints) {
      if (!SignatureValid(c, anchors->public_key)) {
        report.bad_checkpoint_line = c.line;
        report.reason = MsgCode("audit_verify.checkpoint_unsigned");
        report.params = {{"line", Str(c.line)}, {"id", Str(c.id)}};
        return report;
      }
      ++report.checkpoints;
      auto [it, inserted] = checkpoints.emplace(c.id, &c);
      if (!inserted && it->second->hash != c.hash) {
        report.bad_checkpoint_line = c.line;
        report.reason = MsgCode("audit_verify.checkpoints_disagree");
        report.params = {{"line", Str(it->second->line)}, {"other_line", Str(c.line)}, {"id", Str(c.id)}};
        return report;
      }
    }
    if (anchors->file->malformed_line) {
      report.bad_checkpoint_line = *anchors->file->malformed_line;
      report.reason = MsgCode("audit_verify.checkpoint_malformed");
      report.params = {{"line", Str(*anchors->file->malformed_line)}};
      return report;
    }
  }
  try {
    auto s = db_.Acquire();
    long long total = 0;
    if (progress) s.sql() << "SELECT last_id FROM audit_head WHERE singleton = 1", soci::into(total);
    ChainHead head;
    if (auto st = Walk(s, ChainHead{}, checkpoints, report, head, progress, total); !st) {
      return std::unexpected(st.error());
    }
    if (report.first_broken_id) return report;
    if (!checkpoints.empty() && checkpoints.rbegin()->first > head.id) {
      const Checkpoint& last = *checkpoints.rbegin()->second;
      Broken(report, head.id + 1, MsgCode("audit_verify.truncated"),
             {{"entries", Str(head.id)},
              {"at", last.at},
              {"line", Str(last.line)},
              {"id", Str(last.id)},
              {"from", Str(head.id + 1)},
              {"to", Str(last.id)}});
      return report;
    }
    long long head_id = 0;
    std::string head_hash;
    s.sql() << "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1", soci::into(head_id),
        soci::into(head_hash);
    if (head_id != head.id || head_hash != head.hash) {
      Broken(report, head.id + 1, MsgCode("audit_verify.head_mismatch"),
             {{"last", Str(head.id)}, {"head", Str(head_id)}});
    }
    return report;
  } catch (const std::exception& e) {
    return std::unexpected(db::ErrorFromException(e));
  }
}

Result<VerifyReport> AuditLog::CheckExtends(const ChainHead& from, ChainHead& head) {
  if (auto st = Fold(); !st) return std::unexpected(st.error());
  VerifyReport report;
  try {
    auto s = db_.Acquire();
    if (from.id > 0) {
      long long id = from.id;
      std::string hash;
      soci::indicator ind = soci::i_null;
      s.sql() << "SELECT hash FROM audit_log WHERE id = :id", soci::use(id), soci::into(hash, ind);
      if (ind == soci::i_null || !s.sql().got_data()) {
        Broken(report, from.id, MsgCode("audit_verify.checkpoint_entry_gone"), {{"id", Str(from.id)}});
        return report;
      }
      if (hash != from.hash) {
        Broken(report, from.id, MsgCode("audit_verify.checkpoint_recomputed"), {{"id", Str(from.id)}});
        return report;
      }
    }
    if (auto st = Walk(s, from, {}, report, head); !st) return std::unexpected(st.error());
    return report;
  } catch (const std::exception& e) {
    return std::unexpected(db::ErrorFromException(e));
  }
}

}  // namespace sanad::audit
