#include "jobs/job_store.h"

#include <fmt/format.h>

#include <algorithm>

#include "db/row.h"

namespace sanad::jobs {

namespace {

constexpr const char* kColumns =
    "id, kind, params, area_code, exclusive_key, owner_id, owner, state, progress_done, progress_total, stage, "
    "stage_params, "
    "checkpoint, result, error_code, error_message, lease_owner, lease_until, heartbeat_at, attempts, max_attempts, "
    "cancel_requested, created_at, started_at, finished_at";

Json ParseJson(const std::optional<std::string>& text, Json fallback) {
  if (!text) return fallback;
  Json j = Json::parse(*text, nullptr, /*allow_exceptions=*/false);
  return j.is_discarded() ? fallback : j;
}

JobRecord ReadRecord(const soci::row& r) {
  JobRecord j;
  j.id = db::RowInt(r, 0);
  j.kind = db::RowOptStr(r, 1).value_or("");
  j.params = ParseJson(db::RowOptStr(r, 2), Json::object());
  j.area_code = db::RowOptStr(r, 3);
  j.exclusive_key = db::RowOptStr(r, 4);
  j.owner_id = db::RowOptInt(r, 5);
  j.owner = db::RowOptStr(r, 6).value_or("");
  j.state = ParseState(db::RowOptStr(r, 7).value_or("")).value_or(JobState::kFailed);
  j.progress_done = db::RowInt(r, 8);
  j.progress_total = db::RowInt(r, 9);
  j.stage = db::RowOptStr(r, 10).value_or("");
  j.stage_params = ParseJson(db::RowOptStr(r, 11), Json::object());
  if (auto c = db::RowOptStr(r, 12)) j.checkpoint = ParseJson(c, Json());
  if (auto c = db::RowOptStr(r, 13)) j.result = ParseJson(c, Json());
  j.error_code = db::RowOptStr(r, 14);
  j.error_message = db::RowOptStr(r, 15);
  j.lease_owner = db::RowOptStr(r, 16);
  j.lease_until_ms = db::RowOptInt(r, 17);
  j.heartbeat_at = db::RowOptStr(r, 18);
  j.attempts = static_cast<int>(db::RowInt(r, 19));
  j.max_attempts = static_cast<int>(db::RowInt(r, 20));
  j.cancel_requested = db::RowInt(r, 21) != 0;
  j.created_at = db::RowOptStr(r, 22).value_or("");
  j.started_at = db::RowOptStr(r, 23);
  j.finished_at = db::RowOptStr(r, 24);
  return j;
}

std::optional<JobRecord> GetIn(db::Session& s, std::int64_t id) {
  long long jid = id;
  soci::rowset<soci::row> rs =
      (s.sql().prepare << fmt::format("SELECT {} FROM jobs WHERE id = :id", kColumns), soci::use(jid));
  for (const auto& r : rs) return ReadRecord(r);
  return std::nullopt;
}

bool ValidKind(std::string_view k) {
  return !k.empty() && k.size() <= 40 &&
         std::all_of(k.begin(), k.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

// Executes a fenced UPDATE and reports whether it changed the row.
template <typename Bind>
bool Changed(db::Session& s, const std::string& sql, Bind&& bind) {
  soci::statement st(s.sql());
  st.alloc();
  st.prepare(sql);
  bind(st);
  st.define_and_bind();
  st.execute(true);
  return st.get_affected_rows() > 0;
}

}  // namespace

std::string_view StateName(JobState s) {
  switch (s) {
    case JobState::kQueued:
      return "queued";
    case JobState::kRunning:
      return "running";
    case JobState::kSucceeded:
      return "succeeded";
    case JobState::kFailed:
      return "failed";
    case JobState::kCancelled:
      return "cancelled";
  }
  return "failed";
}

Result<JobState> ParseState(std::string_view text) {
  for (auto s :
       {JobState::kQueued, JobState::kRunning, JobState::kSucceeded, JobState::kFailed, JobState::kCancelled}) {
    if (StateName(s) == text) return s;
  }
  return sanad::Fail(Code::kInvalidArgument, fmt::format("unknown job state '{}'", text), "state");
}

std::int64_t EpochMillis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

Result<JobRecord> JobStore::Enqueue(const NewJob& job, TimePoint now) {
  return db_.InTransaction<JobRecord>([&](db::Session& s) { return Enqueue(s, job, now); });
}

Result<JobRecord> JobStore::Enqueue(db::Session& s, const NewJob& job, TimePoint now) {
  if (!ValidKind(job.kind))
    return sanad::Fail(Code::kInvalidArgument, fmt::format("bad job kind '{}'", job.kind), "kind");
  return db::Guard([&]() -> Result<JobRecord> {
    long long id = 0, max_attempts = std::max(1, job.max_attempts);
    std::optional<long long> owner_id = job.owner_id;
    const std::string params = job.params.dump(), created = FormatTimestamp(now);
    try {
      s.sql()
          << "INSERT INTO jobs (kind, params, area_code, exclusive_key, owner_id, owner, state, stage, stage_params, "
             "max_attempts, created_at) VALUES (:k, :p, :a, :x, :oi, :o, 'queued', 'queued', '{}', :m, :t) RETURNING "
             "id",
          soci::use(job.kind), soci::use(params), soci::use(job.area_code), soci::use(job.exclusive_key),
          soci::use(owner_id), soci::use(job.owner), soci::use(max_attempts), soci::use(created), soci::into(id);
    } catch (const std::exception& e) {
      auto err = db::ErrorFromException(e);
      if (err.code == Code::kAlreadyExists && job.exclusive_key) {
        return sanad::Fail(Code::kConflict, fmt::format("a {} job is already queued or running", job.kind), "kind");
      }
      return std::unexpected(err);
    }
    auto row = GetIn(s, id);
    if (!row) return sanad::Fail(Code::kInternal, "the inserted job vanished");
    return *row;
  });
}

Result<std::optional<JobRecord>> JobStore::Get(std::int64_t id) {
  return db::Guard([&]() -> Result<std::optional<JobRecord>> {
    auto s = db_.Acquire();
    return GetIn(s, id);
  });
}

Result<std::int64_t> JobStore::PruneSettled(const std::string& kind, TimePoint before) {
  if (!ValidKind(kind)) return sanad::Fail(Code::kInvalidArgument, fmt::format("bad job kind '{}'", kind), "kind");
  return db::Guard([&]() -> Result<std::int64_t> {
    auto s = db_.Acquire();
    const std::string t = FormatTimestamp(before);
    soci::statement st(s.sql());
    st.alloc();
    // finished_at is an ISO timestamp (core/time.h): its text order is time order.
    st.prepare(
        "DELETE FROM jobs WHERE kind = :k AND state IN ('succeeded', 'failed', 'cancelled') AND finished_at < :t");
    st.exchange(soci::use(kind));
    st.exchange(soci::use(t));
    st.define_and_bind();
    st.execute(true);
    return static_cast<std::int64_t>(st.get_affected_rows());
  });
}

Result<std::vector<JobRecord>> JobStore::List(const std::string& kind, int limit) {
  return db::Guard([&]() -> Result<std::vector<JobRecord>> {
    auto s = db_.Acquire();
    std::string k = kind;
    std::vector<JobRecord> out;
    soci::rowset<soci::row> rs =
        (s.sql().prepare << fmt::format("SELECT {} FROM jobs WHERE :k1 = '' OR kind = :k2 ORDER BY id DESC LIMIT {}",
                                        kColumns, std::clamp(limit, 1, 1000)),
         soci::use(k), soci::use(k));
    for (const auto& r : rs) out.push_back(ReadRecord(r));
    return out;
  });
}

Result<std::optional<JobRecord>> JobStore::Claim(std::span<const std::string> kinds, const std::string& node,
                                                 TimePoint now, std::chrono::milliseconds lease) {
  std::string in;
  for (const auto& k : kinds) {
    if (!ValidKind(k)) return sanad::Fail(Code::kInvalidArgument, fmt::format("bad job kind '{}'", k), "kind");
    in += fmt::format("{}'{}'", in.empty() ? "" : ", ", k);
  }
  if (in.empty()) return std::optional<JobRecord>();
  return db::Guard([&]() -> Result<std::optional<JobRecord>> {
    auto s = db_.Acquire();
    const bool pg = s.dialect() == db::Dialect::kPostgres;
    // The condition appears twice: in the subquery that picks a candidate and again on the row being
    // updated, so a node that lost the race (another node changed the row first) updates nothing. On
    // PostgreSQL, SKIP LOCKED lets concurrent claimers pick different jobs instead of queueing.
    const std::string claimable = fmt::format(
        "kind IN ({}) AND cancel_requested = 0 AND attempts < max_attempts AND (state = 'queued' OR (state = 'running' "
        "AND "
        "lease_until < :{{0}}))",
        in);
    const std::string sql = fmt::format(
        "UPDATE jobs SET state = 'running', lease_owner = :node, lease_until = :until, heartbeat_at = :hb, attempts = "
        "attempts + 1, "
        "started_at = COALESCE(started_at, :st) WHERE id = (SELECT id FROM jobs WHERE {} ORDER BY id LIMIT 1{}) AND {} "
        "RETURNING id",
        fmt::format(fmt::runtime(claimable), "n1"), pg ? " FOR UPDATE SKIP LOCKED" : "",
        fmt::format(fmt::runtime(claimable), "n2"));
    long long now_ms = EpochMillis(now), until = EpochMillis(now + lease), id = 0;
    const std::string ts = FormatTimestamp(now);
    soci::statement st = (s.sql().prepare << sql, soci::use(node), soci::use(until), soci::use(ts), soci::use(ts),
                          soci::use(now_ms), soci::use(now_ms), soci::into(id));
    if (!st.execute(true)) return std::optional<JobRecord>();
    return GetIn(s, id);
  });
}

Result<ReapCounts> JobStore::Reap(TimePoint now) {
  return db::Guard([&]() -> Result<ReapCounts> {
    auto s = db_.Acquire();
    long long now_ms = EpochMillis(now);
    const std::string ts = FormatTimestamp(now);
    ReapCounts out;
    soci::statement c =
        (s.sql().prepare << "UPDATE jobs SET state = 'cancelled', stage = 'cancelled', lease_until = NULL, "
                            "finished_at = :t WHERE state = 'running' AND cancel_requested = 1 AND lease_until < :n",
         soci::use(ts), soci::use(now_ms));
    c.execute(true);
    out.cancelled = c.get_affected_rows();
    soci::statement f =
        (s.sql().prepare
             << "UPDATE jobs SET state = 'failed', stage = 'failed', error_code = 'attempts_exhausted', "
                "error_message = 'the job was interrupted on every attempt', lease_until = NULL, "
                "finished_at = :t WHERE state = 'running' AND attempts >= max_attempts AND lease_until < :n",
         soci::use(ts), soci::use(now_ms));
    f.execute(true);
    out.failed = f.get_affected_rows();
    return out;
  });
}

Result<LeaseStatus> JobStore::Heartbeat(std::int64_t id, const std::string& node, TimePoint now,
                                        std::chrono::milliseconds lease,
                                        const std::optional<ProgressUpdate>& progress) {
  return db::Guard([&]() -> Result<LeaseStatus> {
    auto s = db_.Acquire();
    long long jid = id, until = EpochMillis(now + lease);
    const std::string ts = FormatTimestamp(now);
    bool held = false;
    if (progress) {
      long long done = progress->done, total = progress->total;
      const std::string params = progress->stage_params.dump();
      held = Changed(
          s,
          "UPDATE jobs SET lease_until = :u, heartbeat_at = :t, progress_done = :d, progress_total = :tt, stage = :g, "
          "stage_params = :gp WHERE id = :id AND lease_owner = :o AND state = 'running'",
          [&](soci::statement& st) {
            st.exchange(soci::use(until));
            st.exchange(soci::use(ts));
            st.exchange(soci::use(done));
            st.exchange(soci::use(total));
            st.exchange(soci::use(progress->stage));
            st.exchange(soci::use(params));
            st.exchange(soci::use(jid));
            st.exchange(soci::use(node));
          });
    } else {
      held = Changed(s,
                     "UPDATE jobs SET lease_until = :u, heartbeat_at = :t WHERE id = :id AND lease_owner = :o AND "
                     "state = 'running'",
                     [&](soci::statement& st) {
                       st.exchange(soci::use(until));
                       st.exchange(soci::use(ts));
                       st.exchange(soci::use(jid));
                       st.exchange(soci::use(node));
                     });
    }
    if (!held) return LeaseStatus::kLost;
    long long cancel = 0;
    s.sql() << "SELECT cancel_requested FROM jobs WHERE id = :id", soci::use(jid), soci::into(cancel);
    return cancel != 0 ? LeaseStatus::kCancelRequested : LeaseStatus::kHeld;
  });
}

Result<bool> JobStore::SaveCheckpoint(std::int64_t id, const std::string& node, const Json& checkpoint, TimePoint now,
                                      std::chrono::milliseconds lease) {
  return db::Guard([&]() -> Result<bool> {
    auto s = db_.Acquire();
    long long jid = id, until = EpochMillis(now + lease);
    const std::string text = checkpoint.dump(), ts = FormatTimestamp(now);
    return Changed(
        s,
        "UPDATE jobs SET checkpoint = :c, lease_until = :u, heartbeat_at = :t WHERE id = :id AND lease_owner = :o "
        "AND state = 'running'",
        [&](soci::statement& st) {
          st.exchange(soci::use(text));
          st.exchange(soci::use(until));
          st.exchange(soci::use(ts));
          st.exchange(soci::use(jid));
          st.exchange(soci::use(node));
        });
  });
}

Status JobStore::Fence(db::Session& s, std::int64_t id, const std::string& node) {
  long long jid = id;
  // An UPDATE rather than a SELECT: it takes the row's write lock on PostgreSQL (and SQLite's write
  // lock), held until the caller commits.
  const bool held =
      Changed(s,
              "UPDATE jobs SET lease_owner = lease_owner WHERE id = :id AND lease_owner = :o AND state = 'running' "
              "AND cancel_requested = 0",
              [&](soci::statement& st) {
                st.exchange(soci::use(jid));
                st.exchange(soci::use(node));
              });
  if (held) return Ok();
  std::optional<std::string> owner, state;
  long long cancel = 0;
  s.sql() << "SELECT lease_owner, state, cancel_requested FROM jobs WHERE id = :id", soci::use(jid), soci::into(owner),
      soci::into(state), soci::into(cancel);
  if (owner == node && state == "running" && cancel != 0) {
    return sanad::Fail(Code::kFailedPrecondition, fmt::format("job {}: cancellation requested", id), "id");
  }
  return sanad::Fail(Code::kConflict, fmt::format("job {} is no longer held by {}", id, node), "id");
}

Result<bool> JobStore::MarkSucceeded(std::int64_t id, const std::string& node, const Json& result, TimePoint now) {
  return db::Guard([&]() -> Result<bool> {
    auto s = db_.Acquire();
    long long jid = id;
    const std::string text = result.dump(), ts = FormatTimestamp(now);
    return Changed(
        s,
        "UPDATE jobs SET state = 'succeeded', stage = 'done', stage_params = '{}', result = :r, lease_until = NULL, "
        "finished_at = :t WHERE id = :id AND lease_owner = :o AND state = 'running'",
        [&](soci::statement& st) {
          st.exchange(soci::use(text));
          st.exchange(soci::use(ts));
          st.exchange(soci::use(jid));
          st.exchange(soci::use(node));
        });
  });
}

Result<bool> JobStore::MarkFailed(std::int64_t id, const std::string& node, const Error& error, TimePoint now) {
  return db::Guard([&]() -> Result<bool> {
    auto s = db_.Acquire();
    long long jid = id;
    const std::string code(CodeName(error.code)), ts = FormatTimestamp(now);
    return Changed(
        s,
        "UPDATE jobs SET state = 'failed', stage = 'failed', error_code = :c, error_message = :m, lease_until = NULL, "
        "finished_at = :t WHERE id = :id AND lease_owner = :o AND state = 'running'",
        [&](soci::statement& st) {
          st.exchange(soci::use(code));
          st.exchange(soci::use(error.message));
          st.exchange(soci::use(ts));
          st.exchange(soci::use(jid));
          st.exchange(soci::use(node));
        });
  });
}

Result<bool> JobStore::MarkCancelled(std::int64_t id, const std::string& node, TimePoint now) {
  return db::Guard([&]() -> Result<bool> {
    auto s = db_.Acquire();
    long long jid = id;
    const std::string ts = FormatTimestamp(now);
    return Changed(s,
                   "UPDATE jobs SET state = 'cancelled', stage = 'cancelled', lease_until = NULL, finished_at = :t "
                   "WHERE id = :id AND lease_owner = :o AND state = 'running'",
                   [&](soci::statement& st) {
                     st.exchange(soci::use(ts));
                     st.exchange(soci::use(jid));
                     st.exchange(soci::use(node));
                   });
  });
}

Result<bool> JobStore::Release(std::int64_t id, const std::string& node) {
  return db::Guard([&]() -> Result<bool> {
    auto s = db_.Acquire();
    long long jid = id;
    // The attempt was not a failure: it does not count towards max_attempts.
    return Changed(s,
                   "UPDATE jobs SET state = 'queued', lease_until = NULL, attempts = attempts - 1 "
                   "WHERE id = :id AND lease_owner = :o AND state = 'running'",
                   [&](soci::statement& st) {
                     st.exchange(soci::use(jid));
                     st.exchange(soci::use(node));
                   });
  });
}

Result<CancelOutcome> JobStore::RequestCancel(std::int64_t id, TimePoint now) {
  return db_.InTransaction<CancelOutcome>([&](db::Session& s) { return RequestCancel(s, id, now); });
}

Result<CancelOutcome> JobStore::RequestCancel(db::Session& s, std::int64_t id, TimePoint now) {
  return db::Guard([&]() -> Result<CancelOutcome> {
    long long jid = id;
    const std::string ts = FormatTimestamp(now);
    if (Changed(s,
                "UPDATE jobs SET state = 'cancelled', stage = 'cancelled', cancel_requested = 1, finished_at = :t "
                "WHERE id = :id AND state = 'queued'",
                [&](soci::statement& st) {
                  st.exchange(soci::use(ts));
                  st.exchange(soci::use(jid));
                })) {
      return CancelOutcome::kCancelled;
    }
    if (Changed(s, "UPDATE jobs SET cancel_requested = 1 WHERE id = :id AND state = 'running'",
                [&](soci::statement& st) { st.exchange(soci::use(jid)); })) {
      return CancelOutcome::kRequested;
    }
    auto row = GetIn(s, id);
    if (!row) return sanad::Fail(Code::kNotFound, fmt::format("no job {}", id), "id");
    return sanad::Fail(Code::kFailedPrecondition, fmt::format("job {} is already {}", id, StateName(row->state)), "id");
  });
}

Result<std::optional<JobRecord>> JobStore::GetOfKind(std::int64_t id, const std::string& kind) {
  auto job = Get(id);
  if (!job || !*job) return job;
  if ((*job)->kind != kind) return std::optional<JobRecord>();
  return job;
}

Result<JobRecord> JobStore::EnqueueOrRunning(const std::string& kind, const std::function<Result<JobRecord>()>& enqueue,
                                             const std::string& busy_reason) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto queued = enqueue();
    if (queued || queued.error().code != Code::kConflict) return queued;
    auto recent = List(kind, 20);
    if (!recent) return std::unexpected(recent.error());
    for (auto& j : *recent) {
      if (j.state == JobState::kQueued || j.state == JobState::kRunning) return std::move(j);
    }
  }
  return Failure(Code::kConflict, busy_reason);
}

}  // namespace sanad::jobs
