#include "api/registry_json.h"

#include "api/json_mapping.h"

namespace sanad::api {

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

nlohmann::json ChangeRequestJson(const registry::ChangeRequestRow& c, bool with_payload) {
  nlohmann::json j{{"id", c.id},
                   {"kind", c.kind},
                   {"status", c.status},
                   {"author", c.author_username},
                   {"created_at", c.created_at},
                   {"summary", c.summary},
                   {"area_code", OrNull(c.area_code)},
                   {"item_count", c.item_count},
                   {"reviewer", OrNull(c.reviewer_username)},
                   {"reviewed_at", OrNull(c.reviewed_at)},
                   {"review_comment", OrNull(c.review_comment)},
                   {"conflicts_with", c.conflicts_with},
                   {"communes", c.communes}};
  nlohmann::json warnings = nlohmann::json::array();
  for (const auto& w : c.warnings) {
    nlohmann::json item{{"reason", w.reason}, {"message", w.message}, {"field", w.field}};
    if (w.person_id) item["person_id"] = *w.person_id;
    warnings.push_back(std::move(item));
  }
  j["warnings"] = std::move(warnings);
  if (with_payload) j["payload"] = nlohmann::json::parse(c.payload, nullptr, false);
  return j;
}

nlohmann::json HistoryJson(const registry::HistoryEvent& e) {
  return {{"at", e.at},
          {"record_type", e.record_type},
          {"record_id", e.record_id},
          {"version", e.version},
          {"change_request_id", OrNull(e.change_request_id)},
          {"kind", e.kind},
          {"author", e.author},
          {"reviewer", e.reviewer},
          {"summary", e.summary}};
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
