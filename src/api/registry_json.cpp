#include "api/registry_json.h"

#include "api/json_mapping.h"
#include "i18n/catalogue.h"

namespace sanad::api {

namespace {

// A change request's summary in `lang`; requests filed before summaries had codes keep their text.
std::string SummaryText(i18n::Lang lang, const std::string& code, const MessageParams& params,
                        const std::string& stored) {
  if (code.empty()) return stored;
  return i18n::Render(lang, code, params).value_or(stored);
}

nlohmann::json ParamsJson(const MessageParams& params) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [k, v] : params) out[k] = v;
  return out;
}

}  // namespace

nlohmann::json PersonJson(const registry::PersonRecord& p) {
  nlohmann::json j = registry::ValuesJson(registry::PersonFields(), p.values);
  j["id"] = p.id;
  j["household_id"] = p.household_id;
  j["version"] = p.version;
  j["merged_into"] = OrNull(p.merged_into);
  return j;
}

nlohmann::json HouseholdJson(const registry::HouseholdRecord& h) {
  nlohmann::json j = registry::ValuesJson(registry::HouseholdFields(), h.values);
  j["id"] = h.id;
  j["version"] = h.version;
  j["created_at"] = h.created_at;
  j["updated_at"] = h.updated_at;
  nlohmann::json members = nlohmann::json::array();
  for (const auto& m : h.members) members.push_back(PersonJson(m));
  j["members"] = members;
  return j;
}

nlohmann::json ChangeRequestJson(const registry::ChangeRequestRow& c, bool with_payload, i18n::Lang lang) {
  nlohmann::json j{{"id", c.id},
                   {"kind", c.kind},
                   {"status", c.status},
                   {"author", c.author_username},
                   {"created_at", c.created_at},
                   {"summary", SummaryText(lang, c.summary_code, c.summary_params, c.summary)},
                   {"summary_code", c.summary_code.empty() ? nlohmann::json() : nlohmann::json(c.summary_code)},
                   {"summary_params", c.summary_code.empty() ? nlohmann::json() : ParamsJson(c.summary_params)},
                   {"area_code", OrNull(c.area_code)},
                   {"item_count", c.item_count},
                   {"reviewer", OrNull(c.reviewer_username)},
                   {"reviewed_at", OrNull(c.reviewed_at)},
                   {"review_comment", OrNull(c.review_comment)},
                   {"conflicts_with", c.conflicts_with},
                   {"communes", c.communes}};
  nlohmann::json warnings = nlohmann::json::array();
  for (const auto& w : c.warnings) {
    nlohmann::json item{{"reason", w.reason},
                        {"message", i18n::RenderProblem(lang, Problem{w.reason, w.field, w.params, w.message})},
                        {"field", w.field},
                        {"params", ParamsJson(w.params)}};
    if (w.person_id) item["person_id"] = *w.person_id;
    warnings.push_back(std::move(item));
  }
  j["warnings"] = std::move(warnings);
  if (with_payload) j["payload"] = nlohmann::json::parse(c.payload, nullptr, false);
  return j;
}

nlohmann::json HistoryJson(const registry::HistoryEvent& e, i18n::Lang lang) {
  return {{"at", e.at},
          {"record_type", e.record_type},
          {"record_id", e.record_id},
          {"version", e.version},
          {"change_request_id", OrNull(e.change_request_id)},
          {"kind", e.kind},
          {"author", e.author},
          {"reviewer", e.reviewer},
          {"summary", SummaryText(lang, e.summary_code, e.summary_params, e.summary)}};
}

nlohmann::json BenefitJson(const registry::BenefitRow& b) {
  return {{"id", b.id},
          {"person_id", OrNull(b.person_id)},
          {"household_id", OrNull(b.household_id)},
          {"programme", b.programme},
          {"kind", b.kind},
          {"date", b.benefit_date},
          {"amount_minor", OrNull(b.amount_minor)},
          {"currency", OrNull(b.currency)},
          {"quantity", OrNull(b.quantity)},
          {"unit", OrNull(b.unit)},
          {"reference", b.reference},
          {"source", b.source},
          {"recorded_at", b.recorded_at},
          {"recorded_by", b.recorded_by}};
}

}  // namespace sanad::api
