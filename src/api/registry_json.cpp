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
  nlohmann::json records = nlohmann::json::array();
  for (const auto& rc : e.records) {
    const bool household = rc.record_type == "household";
    const auto fields = household ? registry::HouseholdFields() : registry::PersonFields();
    nlohmann::json changes = nlohmann::json::array();
    for (const auto& f : rc.fields) {
      const int i = registry::FieldIndex(fields, f.field);
      // household_id and merged_into are record ids, outside the field table.
      auto value = [&](const std::optional<std::string>& v) -> nlohmann::json {
        if (i >= 0) return registry::ValueJson(fields[i], v);
        if (!v) return nullptr;
        return std::stoll(*v);
      };
      changes.push_back({{"field", f.field}, {"before", value(f.before)}, {"after", value(f.after)}});
    }
    nlohmann::json item{{"record_type", rc.record_type},
                        {"record_id", rc.record_id},
                        {"version", rc.version},
                        {"ref", registry::ValueJson(fields[0], rc.values.empty() ? std::nullopt : rc.values[0])},
                        {"changes", std::move(changes)}};
    if (!household) {
      nlohmann::json names = nlohmann::json::object();
      for (const char* n : {"given_name_ar", "family_name_ar", "given_name_lat", "family_name_lat"}) {
        const int k = registry::FieldIndex(fields, n);
        names[n] = k >= 0 && static_cast<std::size_t>(k) < rc.values.size()
                       ? registry::ValueJson(fields[k], rc.values[k])
                       : nlohmann::json(nullptr);
      }
      item["person"] = std::move(names);
    }
    records.push_back(std::move(item));
  }
  return {{"at", e.at},
          {"change_request_id", OrNull(e.change_request_id)},
          {"kind", e.kind},
          {"author", e.author},
          {"reviewer", e.reviewer},
          // Empty when the reader may not see every area the change touched (HistoryStore).
          {"summary", e.summary_code.empty() && e.summary.empty()
                          ? nlohmann::json()
                          : nlohmann::json(SummaryText(lang, e.summary_code, e.summary_params, e.summary))},
          {"records", std::move(records)}};
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
