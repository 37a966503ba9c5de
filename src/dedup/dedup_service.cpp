#include "dedup/dedup_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_set>

#include "core/csv.h"
#include "linkage/engine.h"
#include "linkage/presets.h"
#include "registry_model/fields.h"

namespace sanad::dedup {

namespace {

using Json = nlohmann::json;

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

Json ExplanationJson(const linkage::Explanation& e) {
  Json fields = Json::array();
  for (const auto& c : e.fields) {
    fields.push_back({{"comparison", c.comparison},
                      {"level", c.level},
                      {"label", c.label},
                      {"value_a", c.value_a},
                      {"value_b", c.value_b},
                      {"m", c.m},
                      {"u", c.u},
                      {"weight", c.log2_bf + c.tf_adjustment},
                      {"tf_adjustment", c.tf_adjustment}});
  }
  return {{"prior", e.prior_log2}, {"weight", e.weight}, {"probability", e.probability}, {"fields", fields}};
}

std::int64_t PersonIdOf(const linkage::RecordStore& store, std::uint32_t row) {
  return std::stoll(store.RecordId(row));
}

// The registry's canonical person columns a list may carry (as `sanad link match --preset sanad`).
constexpr std::pair<const char*, linkage::InField> kListColumns[] = {{"given_name_ar", linkage::InField::kGivenAr},
                                                                     {"family_name_ar", linkage::InField::kFamilyAr},
                                                                     {"given_name_lat", linkage::InField::kGivenLat},
                                                                     {"family_name_lat", linkage::InField::kFamilyLat},
                                                                     {"father_name_ar", linkage::InField::kFatherAr},
                                                                     {"father_name_lat", linkage::InField::kFatherLat},
                                                                     {"sex", linkage::InField::kSex},
                                                                     {"birth_date", linkage::InField::kBirthDate},
                                                                     {"birth_commune_code", linkage::InField::kCommune},
                                                                     {"national_id", linkage::InField::kNationalId},
                                                                     {"phone", linkage::InField::kPhone}};

}  // namespace

const std::vector<CrossProgrammeRule>& CrossProgrammeRules() {
  static const std::vector<CrossProgrammeRule> rules{
      {"asd_family_allowances", "ASD", "family_allowances", "family_allowances",
       "Law 58.23 arts. 5-7: direct social support cannot be combined with family allowances"},
  };
  return rules;
}

DedupService::DedupService(DedupStore& store, registry::ChangeService& changes, jobs::JobStore& jobs,
                           const Clock& clock, DedupOptions options)
    : store_(store), changes_(changes), jobs_(jobs), clock_(clock), options_(options) {}

int DedupService::Threads() const {
  if (options_.threads > 0) return options_.threads;
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

Result<JobRow> DedupService::StartJob(const registry::Actor& who) {
  const TimePoint now = clock_.Now();
  JobRow row;
  row.status = "running";
  row.stage = "queued";
  row.area_code = who.scope.area;
  row.started_by_id = who.user_id;
  row.started_by = who.username;
  row.started_at = FormatTimestamp(now);
  auto inserted = store_.db().InTransaction<JobRow>([&](db::Session& s) -> Result<JobRow> {
    auto job = store_.InsertJob(s, row);
    if (!job) return job;
    // The scope (area and the date its boundaries are read at) travels with the job, so that a rerun on
    // another server covers exactly the same persons.
    jobs::NewJob queued{.kind = kJobKind,
                        .params = {{"linkage_job_id", job->id},
                                   {"area", who.scope.area ? Json(*who.scope.area) : Json(nullptr)},
                                   {"today", who.scope.today}},
                        .area_code = who.scope.area,
                        .exclusive_key = kJobKind,
                        .owner_id = who.user_id,
                        .owner = who.username};
    auto run = jobs_.Enqueue(s, queued, now);
    if (!run) {
      if (run.error().code == Code::kConflict) {
        return Fail(Code::kConflict, "a deduplication job is still queued or running; wait for it or cancel it");
      }
      return std::unexpected(run.error());
    }
    store_.SetRunJob(s, job->id, run->id);
    job->run_job_id = run->id;
    return job;
  });
  if (inserted && on_queued_) on_queued_();
  return inserted;
}

JobRow DedupService::WithLiveState(JobRow row) {
  if (row.status != "running" || !row.run_job_id) return row;
  auto run = jobs_.Get(*row.run_job_id);
  if (!run || !*run) return row;
  const jobs::JobRecord& j = **run;
  switch (j.state) {
    case jobs::JobState::kQueued:
      row.stage = "queued";
      break;
    case jobs::JobState::kRunning:
    case jobs::JobState::kSucceeded:  // its 'done' commit is what ends a job: not yet visible here
      row.stage = j.stage;
      row.pairs_compared = j.progress_done;
      if (j.started_at) {
        if (auto started = ParseTimestamp(*j.started_at)) {
          row.seconds = std::chrono::duration<double>(clock_.Now() - *started).count();
        }
      }
      break;
    case jobs::JobState::kFailed:  // e.g. interrupted on every attempt: the handler never recorded it
      row.status = "failed";
      row.stage = "failed";
      row.error = j.error_message.value_or(j.error_code.value_or("failed"));
      row.finished_at = j.finished_at;
      break;
    case jobs::JobState::kCancelled:
      row.status = "cancelled";
      row.stage = "cancelled";
      row.finished_at = j.finished_at;
      break;
  }
  return row;
}

Result<std::vector<JobRow>> DedupService::ListJobs(const registry::Scope& scope, int limit) {
  auto rows = store_.ListJobs(limit, scope);
  if (!rows) return rows;
  for (auto& r : *rows) r = WithLiveState(std::move(r));
  return rows;
}

Result<std::optional<JobRow>> DedupService::GetJob(std::int64_t id, const registry::Scope& scope) {
  auto row = store_.GetJob(id, scope);
  if (!row || !*row) return row;
  return std::optional<JobRow>(WithLiveState(std::move(**row)));
}

Result<JobRow> DedupService::CancelJob(std::int64_t id, const registry::Actor& who) {
  auto row = GetJob(id, who.scope);
  if (!row) return std::unexpected(row.error());
  if (!*row) return Fail(Code::kNotFound, fmt::format("no deduplication job {} in your area", id), "id");
  const bool owner = (*row)->started_by_id && who.user_id && *(*row)->started_by_id == *who.user_id;
  if (!(*row)->area_code && !owner && !who.administrator) {
    return FailWith(Code::kPermissionDenied, "linkage_job.not_owner",
                    fmt::format("job {} covers the whole country: only {} or an administrator may cancel it", id,
                                (*row)->started_by),
                    "id");
  }
  if ((*row)->status != "running") {
    return Fail(Code::kFailedPrecondition, fmt::format("job {} is {}, not running", id, (*row)->status), "id");
  }
  const TimePoint now = clock_.Now();
  JobRow cancelled = **row;
  cancelled.status = "cancelled";
  cancelled.stage = "cancelled";
  cancelled.finished_at = FormatTimestamp(now);
  cancelled.error = fmt::format("cancelled by {}", who.username);
  // One transaction: the job row and the request to stop. The server running the job writes its
  // results under a fence that this request makes fail (or, if it committed first, this finds the job
  // no longer running).
  auto done = store_.db().InTransaction<JobRow>([&](db::Session& s) -> Result<JobRow> {
    auto ok = store_.FinishJob(s, cancelled);
    if (!ok) return std::unexpected(ok.error());
    if (!*ok)
      return Fail(Code::kFailedPrecondition, fmt::format("job {} finished before it could be cancelled", id), "id");
    if (cancelled.run_job_id) {
      auto req = jobs_.RequestCancel(s, *cancelled.run_job_id, now);
      if (!req && req.error().code != Code::kFailedPrecondition) return std::unexpected(req.error());
    }
    return cancelled;
  });
  return done;
}

Result<jobs::Json> DedupService::Run(jobs::JobContext& ctx) {
  const Json& p = ctx.params();
  if (!p.contains("linkage_job_id") || !p["linkage_job_id"].is_number_integer()) {
    return Fail(Code::kInvalidArgument, "dedup job without linkage_job_id", "params");
  }
  const std::int64_t id = p["linkage_job_id"].get<std::int64_t>();
  registry::Scope scope;
  if (p.contains("area") && p["area"].is_string()) scope.area = p["area"].get<std::string>();
  scope.today = p.value("today", DateOf(clock_.Now()).ToString());
  auto row = store_.GetJob(id, registry::Scope{});  // the runner acts for the job's starter: no scope of its own
  if (!row) return std::unexpected(row.error());
  if (!*row) return Fail(Code::kNotFound, fmt::format("no deduplication job {}", id), "linkage_job_id");
  auto result = [](const JobRow& j) {
    return Json{{"linkage_job_id", j.id}, {"records", j.records}, {"candidate_pairs", j.candidate_pairs},
                {"matches", j.matches},   {"review", j.review},   {"proposed", j.proposed}};
  };
  // A previous attempt committed its results and died before the job was marked succeeded.
  if ((*row)->status == "done") return result(**row);
  if ((*row)->status != "running") {
    return Fail(Code::kFailedPrecondition, fmt::format("deduplication job {} is {}", id, (*row)->status),
                "linkage_job_id");
  }
  auto r = Execute(ctx, **row, scope);
  if (!r && !ctx.StopRequested()) {
    JobRow failed = **row;
    failed.status = "failed";
    failed.stage = "failed";
    failed.error = r.error().message;
    failed.finished_at = FormatTimestamp(clock_.Now());
    auto recorded = store_.db().InTransaction<bool>([&](db::Session& s) -> Result<bool> {
      if (auto st = ctx.Fence(s); !st) return std::unexpected(st.error());
      return store_.FinishJob(s, failed);
    });
    (void)recorded;  // lost the lease or cancelled meanwhile: the job row says so already
  }
  return r;
}

Result<jobs::Json> DedupService::Execute(jobs::JobContext& ctx, JobRow job, const registry::Scope& scope) {
  const auto start = std::chrono::steady_clock::now();
  ctx.SetStage("loading");
  linkage::RecordStoreBuilder builder;
  auto loaded = store_.LoadActivePersons(scope, 0, builder);
  if (!loaded) return std::unexpected(loaded.error());
  job.records = static_cast<std::int64_t>(*loaded);
  (void)store_.SetRecords(job.id, job.records);
  ctx.SetStage("preparing", {{"records", job.records}});
  if (auto st = ctx.NextChunk(); !st) return std::unexpected(st.error());
  const linkage::RecordStore records = builder.Build();
  const auto spec = linkage::DefaultSpec(linkage::Preset::kSanad, linkage::LinkType::kDedupe, records);
  linkage::EngineOptions o;
  o.threads = Threads();
  o.match_probability = options_.match_probability;
  o.review_probability = options_.review_probability;
  o.progress = [&ctx](const linkage::Progress& p) {
    ctx.SetProgress(static_cast<std::int64_t>(p.pairs));
    if (p.stage == "done") return;  // the engine's end, not the job's: the queue is still to be written
    // "blocking given_key+family_key (2/6)" → code "blocking", detail kept as a parameter.
    const auto space = p.stage.find(' ');
    Json params = Json::object();
    if (space != std::string::npos) params["detail"] = p.stage.substr(space + 1);
    ctx.SetStage(p.stage.substr(0, space), std::move(params));
  };
  auto r = linkage::RunEngine(records, spec, std::nullopt, o);
  if (!r) return std::unexpected(r.error());
  if (auto st = ctx.NextChunk(); !st) return std::unexpected(st.error());
  ctx.SetStage("writing_queue", {{"candidate_pairs", r->candidate_pairs}});

  auto decided = store_.DecidedPairs();
  if (!decided) return std::unexpected(decided.error());
  auto pending = store_.PendingPairs();
  if (!pending) return std::unexpected(pending.error());
  struct Pick {
    linkage::ScoredPair pair;
    bool match;
  };
  std::vector<Pick> picks;
  picks.reserve(r->matches.size() + r->review.size());
  for (const auto& p : r->matches) picks.push_back({p, true});
  for (const auto& p : r->review) picks.push_back({p, false});
  std::stable_sort(picks.begin(), picks.end(),
                   [](const Pick& x, const Pick& y) { return x.pair.weight > y.pair.weight; });
  std::set<std::pair<std::int64_t, std::int64_t>> seen;
  std::vector<NewCandidate> rows;
  std::vector<std::int64_t> persons;
  for (const auto& pick : picks) {
    if (rows.size() >= options_.max_candidates) break;
    std::uint32_t ra = pick.pair.a, rb = pick.pair.b;
    std::int64_t a = PersonIdOf(records, ra), b = PersonIdOf(records, rb);
    if (a == b) continue;
    if (a > b) {
      std::swap(a, b);
      std::swap(ra, rb);
    }
    const auto key = std::make_pair(a, b);
    if (decided->contains(key) || pending->contains(key) || !seen.insert(key).second) continue;
    NewCandidate c;
    c.person_a = a;
    c.person_b = b;
    c.weight = pick.pair.weight;
    c.probability = linkage::Model::Probability(pick.pair.weight);
    c.band = pick.match ? "match" : "review";
    c.explanation = ExplanationJson(r->model.Explain(records, ra, rb)).dump();
    rows.push_back(std::move(c));
    persons.push_back(a);
    persons.push_back(b);
  }
  if (auto st = ctx.NextChunk(); !st) return std::unexpected(st.error());

  JobRow done = job;
  done.candidate_pairs = static_cast<std::int64_t>(r->candidate_pairs);
  done.matches = static_cast<std::int64_t>(r->matches.size());
  done.review = static_cast<std::int64_t>(r->review.size());
  const std::string now = FormatTimestamp(clock_.Now());
  auto written = store_.db().InTransaction<std::int64_t>([&](db::Session& s) -> Result<std::int64_t> {
    // Only the server that still holds the job, not cancelled, writes (and the job row stays locked
    // until commit, so a cancellation either comes before and stops this, or after and finds it done).
    if (auto st = ctx.Fence(s); !st) return std::unexpected(st.error());
    // Persons merged or exited while the engine ran are not proposed.
    const auto inactive = store_.InactivePersons(s, persons);
    std::vector<NewCandidate> keep;
    keep.reserve(rows.size());
    for (auto& c : rows) {
      if (!inactive.contains(c.person_a) && !inactive.contains(c.person_b)) keep.push_back(std::move(c));
    }
    store_.InsertCandidates(s, done.id, keep, now);
    done.status = "done";
    done.stage = "done";
    done.proposed = static_cast<std::int64_t>(keep.size());
    done.pairs_compared = static_cast<std::int64_t>(r->candidate_pairs);
    done.seconds = Since(start);
    done.finished_at = now;
    auto finished = store_.FinishJob(s, done);
    if (!finished) return std::unexpected(finished.error());
    // Cancelled between the engine's return and now: roll the queue back.
    if (!*finished) return Fail(Code::kConflict, "cancelled");
    return done.proposed;
  });
  if (!written) return std::unexpected(written.error());
  return Json{{"linkage_job_id", done.id}, {"records", done.records}, {"candidate_pairs", done.candidate_pairs},
              {"matches", done.matches},   {"review", done.review},   {"proposed", done.proposed},
              {"seconds", done.seconds}};
}

Result<std::pair<std::vector<CandidateRow>, long long>> DedupService::Candidates(const std::string& status,
                                                                                 const registry::Scope& scope,
                                                                                 int limit, int offset) {
  return store_.ListCandidates(status, scope, limit, offset);
}

Result<std::optional<CandidateRow>> DedupService::Candidate(std::int64_t id, const registry::Scope& scope) {
  return store_.GetCandidate(id, scope);
}

Result<CandidateRow> DedupService::Confirm(std::int64_t id, std::optional<std::int64_t> keep,
                                           const std::string& comment, const registry::Actor& who) {
  auto c = store_.GetCandidate(id, who.scope);
  if (!c) return std::unexpected(c.error());
  if (!*c) return Fail(Code::kNotFound, fmt::format("no candidate pair {} in your area", id), "id");
  const CandidateRow& cand = **c;
  if (cand.status != "pending") {
    return Fail(Code::kFailedPrecondition, fmt::format("candidate pair {} is already {}", id, cand.status), "id");
  }
  if (keep && *keep != cand.person_a && *keep != cand.person_b) {
    return Fail(Code::kInvalidArgument, fmt::format("keep must be {} or {}", cand.person_a, cand.person_b), "keep");
  }
  if (!keep) {
    static const int kRel = registry::FieldIndex(registry::kPersonFields, "relationship");
    auto a = changes_.store().households.GetPerson(cand.person_a, who.scope);
    auto b = changes_.store().households.GetPerson(cand.person_b, who.scope);
    if (!a) return std::unexpected(a.error());
    if (!b) return std::unexpected(b.error());
    const bool a_head = *a && (**a).values[kRel] == "head", b_head = *b && (**b).values[kRel] == "head";
    keep = (b_head && !a_head) ? cand.person_b : cand.person_a;
  }
  const std::int64_t dup = *keep == cand.person_a ? cand.person_b : cand.person_a;
  auto claimed = store_.SetCandidateStatus(id, "pending", "confirming");
  if (!claimed) return std::unexpected(claimed.error());
  if (!*claimed)
    return Fail(Code::kConflict, fmt::format("candidate pair {} is being decided by someone else", id), "id");
  auto cr = changes_.Submit("merge_persons", Json{{"person_id", *keep}, {"duplicate_person_id", dup}}, who);
  if (!cr) {
    (void)store_.SetCandidateStatus(id, "confirming", "pending");
    return std::unexpected(cr.error());
  }
  return store_.Decide(id, "confirming", "confirmed", "duplicates", cr->id, who, comment,
                       FormatTimestamp(clock_.Now()));
}

Result<CandidateRow> DedupService::Reject(std::int64_t id, const std::string& comment, const registry::Actor& who) {
  auto c = store_.GetCandidate(id, who.scope);
  if (!c) return std::unexpected(c.error());
  if (!*c) return Fail(Code::kNotFound, fmt::format("no candidate pair {} in your area", id), "id");
  if ((*c)->status != "pending") {
    return Fail(Code::kFailedPrecondition, fmt::format("candidate pair {} is already {}", id, (*c)->status), "id");
  }
  return store_.Decide(id, "pending", "rejected", "not_duplicates", std::nullopt, who, comment,
                       FormatTimestamp(clock_.Now()));
}

Result<ExternalListRow> DedupService::UploadExternalList(const std::string& name, const std::string& programme,
                                                         const std::string& csv_text, const registry::Actor& who) {
  if (csv_text.empty()) return Fail(Code::kInvalidArgument, "the request body (the list) is empty", "body");
  auto reader = csv::Reader::FromStream(std::make_unique<std::istringstream>(csv_text), name);
  if (!reader) return std::unexpected(reader.error());
  const int id_col = reader->Column("record_id");
  if (id_col < 0) return Fail(Code::kInvalidArgument, "the list has no record_id column", "record_id");
  std::vector<std::pair<int, linkage::InField>> mapping;
  for (const auto& [col, field] : kListColumns) {
    if (int c = reader->Column(col); c >= 0) mapping.emplace_back(c, field);
  }
  if (mapping.empty()) {
    return Fail(
        Code::kInvalidArgument,
        "the list has none of the person columns (given_name_ar, family_name_ar, given_name_lat, family_name_lat, "
        "father_name_ar, sex, birth_date, birth_commune_code, national_id, phone)",
        "header");
  }
  linkage::RecordStoreBuilder builder;
  auto registry_rows = store_.LoadActivePersons(who.scope, 0, builder);
  if (!registry_rows) return std::unexpected(registry_rows.error());
  std::vector<std::string> row;
  std::unordered_set<std::string> ids;
  std::size_t list_rows = 0;
  while (true) {
    auto more = reader->Next(row);
    if (!more) return std::unexpected(more.error());
    if (!*more) break;
    if (++list_rows > options_.max_list_rows) {
      return Fail(Code::kInvalidArgument, fmt::format("the list has more than {} rows", options_.max_list_rows),
                  "body");
    }
    linkage::RawRecord rec;
    rec.source = 1;
    rec.id = row[static_cast<std::size_t>(id_col)];
    if (rec.id.empty())
      return Fail(Code::kInvalidArgument, fmt::format("line {}: record_id is empty", reader->line()), "record_id");
    if (!ids.insert(rec.id).second) {
      return Fail(Code::kInvalidArgument, fmt::format("line {}: record_id '{}' appears twice", reader->line(), rec.id),
                  "record_id");
    }
    for (const auto& [c, f] : mapping) rec[f] = row[static_cast<std::size_t>(c)];
    builder.Add(rec);
  }
  if (list_rows == 0) return Fail(Code::kInvalidArgument, "the list has a header but no rows", "body");
  ExternalListRow out;
  out.name = name;
  out.programme = programme;
  out.area_code = who.scope.area;
  out.uploaded_by = who.username;
  out.uploaded_at = FormatTimestamp(clock_.Now());
  out.rows_total = static_cast<std::int64_t>(list_rows);
  std::vector<ExternalMatch> matches;
  if (*registry_rows > 0) {
    const auto records = builder.Build();
    const auto spec = linkage::DefaultSpec(linkage::Preset::kSanad, linkage::LinkType::kLinkOnly, records);
    linkage::EngineOptions o;
    o.threads = Threads();
    o.match_probability = options_.match_probability;
    o.review_probability = options_.review_probability;
    auto r = linkage::RunEngine(records, spec, std::nullopt, o);
    if (!r) return std::unexpected(r.error());
    std::unordered_set<std::string> matched_rows;
    for (const auto& p : r->matches) {
      if (records.Source(p.a) == records.Source(p.b)) continue;
      const bool a_registry = records.Source(p.a) == 0;
      const auto reg = a_registry ? p.a : p.b, ext = a_registry ? p.b : p.a;
      matches.push_back({PersonIdOf(records, reg), records.RecordId(ext), p.weight});
      matched_rows.insert(records.RecordId(ext));
    }
    out.matched = static_cast<std::int64_t>(matched_rows.size());
  }
  return store_.InsertExternalList(out, matches);
}

Result<std::vector<ExternalListRow>> DedupService::ExternalLists(const registry::Scope& scope) {
  return store_.ListExternalLists(scope);
}

Result<std::pair<std::vector<ConflictRow>, long long>> DedupService::CrossProgramme(const std::string& rule,
                                                                                    const registry::Scope& scope,
                                                                                    int limit, int offset) {
  for (const auto& r : CrossProgrammeRules()) {
    if (r.id == rule) return store_.Conflicts(r.programme, r.flag_column, r.other, scope, limit, offset);
  }
  return Fail(Code::kInvalidArgument, fmt::format("unknown rule '{}'", rule), "rule");
}

}  // namespace sanad::dedup
