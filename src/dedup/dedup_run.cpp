// One run of a deduplication job: the linkage engine over the active persons of the job's scope, and
// the strongest new pairs written to the review queue under the job's lease.
#include "dedup/dedup_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <set>

#include "dedup/dedup_messages.h"
#include "dedup/engine_records.h"
#include "linkage/presets.h"

namespace sanad::dedup {

using namespace internal;
using Json = nlohmann::json;

namespace {

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// The explanation stored with a candidate; "label_code" is the level's catalogue code, rendered in the
// reader's language by the API ("label" stays, in English, for tools).
Json ExplanationJson(const linkage::Explanation& e, const std::vector<linkage::ComparisonSpec>& comparisons) {
  Json fields = Json::array();
  for (const auto& c : e.fields) {
    std::string_view code;
    for (const auto& spec : comparisons) {
      if (spec.name == c.comparison) code = LevelCode(spec.kind, c.level);
    }
    fields.push_back({{"comparison", c.comparison},
                      {"level", c.level},
                      {"label", c.label},
                      {"label_code", code.empty() ? Json(nullptr) : Json(std::string(code))},
                      {"value_a", c.value_a},
                      {"value_b", c.value_b},
                      {"m", c.m},
                      {"u", c.u},
                      {"weight", c.log2_bf + c.tf_adjustment},
                      {"tf_adjustment", c.tf_adjustment}});
  }
  return {{"prior", e.prior_log2}, {"weight", e.weight}, {"probability", e.probability}, {"fields", fields}};
}

}  // namespace

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
  linkage::EngineOptions o = EngineOptionsOf(options_, Threads());
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
    c.explanation = ExplanationJson(r->model.Explain(records, ra, rb), r->model.comparisons()).dump();
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
    if (!*finished) return Failure(Code::kConflict, "linkage_stage.cancelled");
    return done.proposed;
  });
  if (!written) return std::unexpected(written.error());
  return Json{{"linkage_job_id", done.id}, {"records", done.records}, {"candidate_pairs", done.candidate_pairs},
              {"matches", done.matches},   {"review", done.review},   {"proposed", done.proposed},
              {"seconds", done.seconds}};
}

}  // namespace sanad::dedup
