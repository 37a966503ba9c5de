#include "affiliation/affiliation_service.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <unordered_set>

#include "core/csv.h"
#include "dedup/dedup_service.h"
#include "linkage/engine.h"
#include "linkage/presets.h"

namespace sanad::affiliation {

using Json = nlohmann::json;

namespace {

// A list holds at most this many rows (a wilaya's chamber of crafts register is far smaller).
constexpr std::size_t kMaxListRows = 200'000;

std::unexpected<Error> RowError(const std::string& reason, long line, const std::string& column,
                                MessageParams extra = {}) {
  MessageParams params{{"line", std::to_string(line)}};
  for (auto& p : extra) params.push_back(std::move(p));
  return Failure(Code::kInvalidArgument, reason, std::move(params), fmt::format("line {}, column {}", line, column));
}

// A birth date as the registry holds it: YYYY-MM-DD, or YYYY-MM / YYYY when only those are known.
bool BirthDateOk(const std::string& v) {
  auto digits = [&](std::size_t from, std::size_t n) {
    for (std::size_t i = from; i < from + n; ++i)
      if (v[i] < '0' || v[i] > '9') return false;
    return true;
  };
  if (v.size() == 4) return digits(0, 4);
  if (v.size() == 7) return digits(0, 4) && v[4] == '-' && digits(5, 2) && v.substr(5) >= "01" && v.substr(5) <= "12";
  return ParseDate(v).has_value();
}

}  // namespace

const std::vector<std::string>& Activities() {
  static const std::vector<std::string> all{"artisan", "trader", "farmer", "liberal"};
  return all;
}

ReadScope ScopeOf(const registry::Actor& a) { return {a.scope.area, a.scope.today}; }

AffiliationService::AffiliationService(AffiliationStore& store, dedup::DedupStore& persons, jobs::JobStore& jobs,
                                       const Clock& clock, std::vector<FundRules> funds)
    : store_(store), persons_(persons), jobs_(jobs), clock_(clock), funds_(std::move(funds)) {}

Result<Contribution> AffiliationService::Preview(const std::string& fund, int year,
                                                 std::int64_t declared_base_minor) const {
  auto rules = FindFund(funds_, fund);
  if (!rules) return Failure(Code::kInvalidArgument, "affiliation.unknown_fund", {{"value", fund}}, "fund");
  return ComputeContribution(*rules, year, declared_base_minor);
}

Result<AffiliationList> AffiliationService::ImportList(const std::string& name, const std::string& fund,
                                                       const std::string& csv_text, const registry::Actor& who) {
  if (!FindFund(funds_, fund))
    return Failure(Code::kInvalidArgument, "affiliation.unknown_fund", {{"value", fund}}, "fund");
  if (csv_text.empty()) return Failure(Code::kInvalidArgument, "affiliation.list_empty", {}, "body");
  auto reader = csv::Reader::FromStream(std::make_unique<std::istringstream>(csv_text), name);
  if (!reader) return std::unexpected(reader.error());
  const int id_col = reader->Column("record_id");
  if (id_col < 0)
    return Failure(Code::kInvalidArgument, "affiliation.list_missing_column", {{"column", "record_id"}}, "header");
  const int activity_col = reader->Column("activity");
  if (activity_col < 0)
    return Failure(Code::kInvalidArgument, "affiliation.list_missing_column", {{"column", "activity"}}, "header");
  const int reg_col = reader->Column("registration_number");
  std::vector<std::pair<int, std::string>> person_cols;
  for (const auto& [col, field] : dedup::ListPersonColumns()) {
    if (int c = reader->Column(col); c >= 0) person_cols.emplace_back(c, col);
  }
  if (person_cols.empty()) {
    std::string columns;
    for (const auto& [col, field] : dedup::ListPersonColumns()) columns += (columns.empty() ? "" : ", ") + col;
    return Failure(Code::kInvalidArgument, "affiliation.list_no_person_columns", {{"columns", columns}}, "header");
  }
  std::vector<ListEntry> rows;
  std::unordered_set<std::string> ids;
  std::vector<std::string> row;
  while (true) {
    auto more = reader->Next(row);
    if (!more) return std::unexpected(more.error());
    if (!*more) break;
    const long line = reader->line();
    if (rows.size() >= kMaxListRows)
      return Failure(Code::kInvalidArgument, "affiliation.list_too_many_rows", {{"max", std::to_string(kMaxListRows)}},
                     "body");
    ListEntry e;
    e.line = line;
    e.record_id = row[static_cast<std::size_t>(id_col)];
    if (e.record_id.empty()) return RowError("affiliation.list_empty_value", line, "record_id");
    if (!ids.insert(e.record_id).second)
      return RowError("affiliation.list_duplicate_record", line, "record_id", {{"value", e.record_id}});
    e.activity = row[static_cast<std::size_t>(activity_col)];
    if (std::find(Activities().begin(), Activities().end(), e.activity) == Activities().end())
      return RowError("affiliation.list_bad_activity", line, "activity", {{"value", e.activity}});
    if (reg_col >= 0 && !row[static_cast<std::size_t>(reg_col)].empty())
      e.registration_number = row[static_cast<std::size_t>(reg_col)];
    Json person = Json::object();
    for (const auto& [c, col] : person_cols) {
      const auto& v = row[static_cast<std::size_t>(c)];
      if (v.empty()) continue;
      if (col == "birth_date" && !BirthDateOk(v))
        return RowError("affiliation.list_bad_date", line, col, {{"value", v}});
      person[col] = v;
    }
    if (person.empty()) return RowError("affiliation.list_row_no_person", line, "record_id");
    e.person_json = person.dump();
    rows.push_back(std::move(e));
  }
  if (rows.empty()) return Failure(Code::kInvalidArgument, "affiliation.list_empty", {}, "body");
  return ImportEntries(name, fund, std::move(rows), who);
}

Result<AffiliationList> AffiliationService::ImportEntries(const std::string& name, const std::string& fund,
                                                          std::vector<ListEntry> rows, const registry::Actor& who) {
  if (!FindFund(funds_, fund))
    return Failure(Code::kInvalidArgument, "affiliation.unknown_fund", {{"value", fund}}, "fund");
  if (rows.empty()) return Failure(Code::kFailedPrecondition, "affiliation.list_empty", {}, "body");
  const TimePoint now = clock_.Now();
  AffiliationList list;
  list.name = name;
  list.fund = fund;
  list.area_code = who.scope.area;
  list.status = "queued";
  list.uploaded_at = FormatTimestamp(now);
  list.uploaded_by = who.username;
  list.rows_total = static_cast<std::int64_t>(rows.size());
  auto stored = store_.db().InTransaction<AffiliationList>([&](db::Session& s) -> Result<AffiliationList> {
    auto id = store_.InsertList(s, list, rows);
    if (!id) return std::unexpected(id.error());
    // The scope travels with the job: a rerun on another server matches exactly the same persons.
    jobs::NewJob job{.kind = kJobKind,
                     .params = {{"list_id", *id},
                                {"area", who.scope.area ? Json(*who.scope.area) : Json(nullptr)},
                                {"today", who.scope.today}},
                     .area_code = who.scope.area,
                     .owner_id = who.user_id,
                     .owner = who.username};
    auto queued = jobs_.Enqueue(s, job, now);
    if (!queued) return std::unexpected(queued.error());
    if (auto st = store_.SetListJob(s, *id, queued->id); !st) return std::unexpected(st.error());
    AffiliationList out = list;
    out.id = *id;
    out.job_id = queued->id;
    return out;
  });
  if (stored && on_queued_) on_queued_();
  return stored;
}

Result<jobs::Json> AffiliationService::Run(jobs::JobContext& ctx) {
  const auto& p = ctx.params();
  if (!p.contains("list_id") || !p["list_id"].is_number_integer())
    return Failure(Code::kInvalidArgument, "affiliation.job_params", {}, "list_id");
  const std::int64_t list_id = p["list_id"].get<std::int64_t>();
  registry::Scope scope;
  if (p.contains("area") && p["area"].is_string()) scope.area = p["area"].get<std::string>();
  scope.today = p.value("today", std::string());

  auto result = [&]() -> Result<jobs::Json> {
    ctx.SetStage(std::string(MsgCode("affiliation.stage.loading")));
    auto entries = store_.ListEntries(list_id);
    if (!entries) return std::unexpected(entries.error());
    linkage::RecordStoreBuilder builder;
    auto persons = persons_.LoadActivePersons(scope, 0, builder);
    if (!persons) return std::unexpected(persons.error());
    for (const auto& e : *entries) {
      linkage::RawRecord rec;
      rec.source = 1;
      rec.id = e.record_id;
      const Json person = Json::parse(e.person_json);
      for (const auto& [col, field] : dedup::ListPersonColumns()) {
        if (person.contains(col)) rec[field] = person[col].get<std::string>();
      }
      builder.Add(rec);
    }
    if (auto st = ctx.NextChunk(); !st) return std::unexpected(st.error());
    std::vector<ListMatch> matches;
    if (*persons > 0 && !entries->empty()) {
      ctx.SetStage(std::string(MsgCode("affiliation.stage.matching")));
      const auto records = builder.Build();
      const auto spec = linkage::DefaultSpec(linkage::Preset::kSanad, linkage::LinkType::kLinkOnly, records);
      linkage::EngineOptions o;
      o.threads = 1;
      auto r = linkage::RunEngine(records, spec, std::nullopt, o);
      if (!r) return std::unexpected(r.error());
      // The strongest registry person for each list row.
      std::map<std::string, ListMatch> best;
      for (const auto& m : r->matches) {
        if (records.Source(m.a) == records.Source(m.b)) continue;
        const bool a_registry = records.Source(m.a) == 0;
        const auto reg = a_registry ? m.a : m.b, ext = a_registry ? m.b : m.a;
        ListMatch lm{records.RecordId(ext), std::stoll(records.RecordId(reg)), m.weight};
        auto [it, inserted] = best.emplace(lm.record_id, lm);
        if (!inserted && lm.weight > it->second.weight) it->second = lm;
      }
      for (auto& [id, m] : best) matches.push_back(std::move(m));
    }
    if (auto st = ctx.NextChunk(); !st) return std::unexpected(st.error());
    ctx.SetStage(std::string(MsgCode("affiliation.stage.writing")));
    auto counts = store_.db().InTransaction<MatchCounts>([&](db::Session& s) -> Result<MatchCounts> {
      if (auto st = ctx.Fence(s); !st) return std::unexpected(st.error());
      return store_.WriteMatches(s, list_id, matches);
    });
    if (!counts) return std::unexpected(counts.error());
    return Json{{"list_id", list_id},
                {"rows", entries->size()},
                {"matched", counts->matched},
                {"proposed", counts->proposed},
                {"already_affiliated", counts->already_affiliated},
                {"previously_rejected", counts->previously_rejected}};
  }();
  // A failed run (not a stop: another server resumes those) leaves the list marked failed.
  if (!result && !ctx.StopRequested()) (void)store_.MarkListFailed(list_id);
  return result;
}

Result<Declaration> AffiliationService::Declare(std::int64_t worker_id, int year, std::int64_t declared_base_minor,
                                                const std::string& declared_on, const registry::Actor& who) {
  auto worker = store_.GetWorker(worker_id, ScopeOf(who));
  if (!worker) return std::unexpected(worker.error());
  if (!*worker)
    return Failure(Code::kNotFound, "affiliation.worker_not_found", {{"id", std::to_string(worker_id)}}, "id");
  auto c = Preview((*worker)->fund, year, declared_base_minor);
  if (!c) return std::unexpected(c.error());
  return store_.AddDeclaration(worker_id, *c, declared_on, FormatTimestamp(clock_.Now()), who.username);
}

}  // namespace sanad::affiliation
