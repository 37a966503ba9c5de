// Beneficiary lists of other programmes linked to the registry, and the cross-programme check they feed.
#include "dedup/dedup_service.h"

#include <fmt/format.h>

#include <memory>
#include <sstream>
#include <unordered_set>

#include "core/csv.h"
#include "dedup/engine_records.h"
#include "linkage/presets.h"

namespace sanad::dedup {

using namespace internal;

const std::vector<std::pair<std::string, linkage::InField>>& ListPersonColumns() {
  // The registry's canonical person columns a list may carry (as `sanad link match --preset sanad`).
  static const std::vector<std::pair<std::string, linkage::InField>> columns{
      {"given_name_ar", linkage::InField::kGivenAr},
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
  return columns;
}

const std::vector<CrossProgrammeRule>& CrossProgrammeRules() {
  static const std::vector<CrossProgrammeRule> rules{
      {"asd_family_allowances", "ASD", "family_allowances", "family_allowances",
       "Law 58.23 arts. 5-7: direct social support cannot be combined with family allowances"},
  };
  return rules;
}

Result<ExternalListRow> DedupService::UploadExternalList(const std::string& name, const std::string& programme,
                                                         const std::string& csv_text, const registry::Actor& who) {
  if (csv_text.empty()) return Failure(Code::kInvalidArgument, "external_list.empty", {}, "body");
  auto reader = csv::Reader::FromStream(std::make_unique<std::istringstream>(csv_text), name);
  if (!reader) return std::unexpected(reader.error());
  const int id_col = reader->Column("record_id");
  if (id_col < 0) return Failure(Code::kInvalidArgument, "external_list.no_record_id", {}, "record_id");
  std::vector<std::pair<int, linkage::InField>> mapping;
  for (const auto& [col, field] : ListPersonColumns()) {
    if (int c = reader->Column(col); c >= 0) mapping.emplace_back(c, field);
  }
  if (mapping.empty()) {
    std::string columns;
    for (const auto& [col, field] : ListPersonColumns()) columns += (columns.empty() ? "" : ", ") + std::string(col);
    return Failure(Code::kInvalidArgument, "external_list.no_person_columns", {{"columns", columns}}, "header");
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
      return Failure(Code::kInvalidArgument, "external_list.too_many_rows",
                     {{"max", std::to_string(options_.max_list_rows)}}, "body");
    }
    linkage::RawRecord rec;
    rec.source = 1;
    rec.id = row[static_cast<std::size_t>(id_col)];
    if (rec.id.empty())
      return Failure(Code::kInvalidArgument, "external_list.empty_record_id",
                     {{"line", std::to_string(reader->line())}}, "record_id");
    if (!ids.insert(rec.id).second) {
      return Failure(Code::kInvalidArgument, "external_list.duplicate_record_id",
                     {{"line", std::to_string(reader->line())}, {"value", rec.id}}, "record_id");
    }
    for (const auto& [c, f] : mapping) rec[f] = row[static_cast<std::size_t>(c)];
    builder.Add(rec);
  }
  if (list_rows == 0) return Failure(Code::kInvalidArgument, "external_list.no_rows", {}, "body");
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
    linkage::EngineOptions o = EngineOptionsOf(options_, Threads());
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
  return Failure(Code::kInvalidArgument, "cross_programme.unknown_rule", {{"value", rule}}, "rule");
}

}  // namespace sanad::dedup
