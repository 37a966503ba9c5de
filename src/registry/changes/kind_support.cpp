#include "registry/changes/kind_support.h"

#include <fmt/format.h>
#include <algorithm>
#include <charconv>

#include "registry/registry_store.h"

namespace sanad::registry {

// ---------------------------------------------------------------- problems

void Problems::Add(const Error& e) {
  if (e.reason == "form.invalid" && !e.problems.empty()) {
    for (const auto& p : e.problems) {
      Error one{e.code, p.message, p.field, 0, p.reason};
      one.params = p.params;
      errors_.push_back(std::move(one));
    }
    return;
  }
  errors_.push_back(e);
}

Status Problems::Done() const {
  if (errors_.empty()) return Ok();
  if (errors_.size() == 1) return std::unexpected(errors_.front());
  // Several problems are an input form to correct; a rule of the registry or a record out of reach
  // among them keeps its own status (the first such error's).
  Code code = Code::kInvalidArgument;
  for (const auto& e : errors_) {
    if (e.code != Code::kInvalidArgument) {
      code = e.code;
      break;
    }
  }
  std::vector<Problem> problems;
  for (const auto& e : errors_) {
    if (!e.problems.empty() && e.reason != "form.invalid") {
      for (const auto& p : e.problems) problems.push_back(p);  // a person's several problems
    } else {
      problems.push_back({e.reason, e.field, e.params, e.message});
    }
  }
  return Failures(code, "form.invalid", std::move(problems));
}

// ---------------------------------------------------------------- payload JSON

Status OnlyKeys(const Json& payload, std::initializer_list<const char*> keys) {
  Problems problems;
  for (const auto& [k, v] : payload.items()) {
    if (std::none_of(keys.begin(), keys.end(), [&](const char* x) { return k == x; })) {
      problems.Check(Status(Failure(Code::kInvalidArgument, "field.unknown", {{"name", k}}, "payload." + k)));
    }
  }
  return problems.Done();
}

Result<std::int64_t> IdOf(const Json& payload, const char* key) {
  auto it = payload.find(key);
  if (it == payload.end() || it->is_null())
    return Failure(Code::kInvalidArgument, "field.required", {{"field", key}}, std::string("payload.") + key);
  if (!it->is_number_integer() || it->get<long long>() <= 0) {
    return Failure(Code::kInvalidArgument, "field.not_an_id", {{"field", key}}, std::string("payload.") + key);
  }
  return it->get<std::int64_t>();
}

Result<std::string> OneOf(const Json& payload, const char* key, std::span<const std::string_view> allowed,
                          std::initializer_list<std::string_view> excluded) {
  std::string all;
  for (auto a : allowed) {
    if (std::find(excluded.begin(), excluded.end(), a) != excluded.end()) continue;
    all += (all.empty() ? "" : ", ") + std::string(a);
  }
  auto it = payload.find(key);
  if (it == payload.end() || it->is_null())
    return Failure(Code::kInvalidArgument, "field.required", {{"field", key}}, std::string("payload.") + key);
  const std::string v = it->is_string() ? it->get<std::string>() : it->dump();
  const bool ok = it->is_string() && std::find(allowed.begin(), allowed.end(), v) != allowed.end() &&
                  std::find(excluded.begin(), excluded.end(), v) == excluded.end();
  if (!ok) {
    return Failure(Code::kInvalidArgument, "value.not_allowed", {{"field", key}, {"allowed", all}, {"value", v}},
                   std::string("payload.") + key);
  }
  return v;
}

Result<ExitRequest> ExitRequestOf(const Json& payload, const char* key,
                                  std::initializer_list<std::string_view> excluded) {
  if (auto st = OnlyKeys(payload, {key, "reason"}); !st) return std::unexpected(st.error());
  Problems problems;
  auto id = IdOf(payload, key);
  auto reason = OneOf(payload, "reason", kExitReasons, excluded);
  problems.Check(id);
  problems.Check(reason);
  if (auto st = problems.Done(); !st) return std::unexpected(st.error());
  return ExitRequest{*id, *reason};
}

Json PresentJson(std::span<const FieldSpec> fields, const ParsedObject& p) {
  Json all = ValuesJson(fields, p.values);
  Json out = Json::object();
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (p.present[i]) out[std::string(fields[i].name)] = all[std::string(fields[i].name)];
  }
  return out;
}

FieldAssignments AssignmentsOf(const ParsedObject& p) {
  FieldAssignments out;
  for (std::size_t i = 0; i < p.present.size(); ++i) {
    if (p.present[i]) out.emplace_back(static_cast<int>(i), p.values[i]);
  }
  return out;
}

// ---------------------------------------------------------------- records

std::string NameOf(const Values& p) {
  static const int g_ar = FieldIndex(kPersonFields, "given_name_ar"),
                   f_ar = FieldIndex(kPersonFields, "family_name_ar"),
                   g_lat = FieldIndex(kPersonFields, "given_name_lat"),
                   f_lat = FieldIndex(kPersonFields, "family_name_lat");
  if (p[g_ar] || p[f_ar]) return fmt::format("{} {}", p[g_ar].value_or(""), p[f_ar].value_or(""));
  return fmt::format("{} {}", p[g_lat].value_or(""), p[f_lat].value_or(""));
}

std::string RefOf(const HouseholdRecord& h) { return h.values[0].value_or(""); }
std::string RecordIdOf(const PersonRecord& p) { return p.values[0].value_or(""); }
bool Active(const PersonRecord& p) { return p.values[fields::kPersonStatus].value_or("active") == "active"; }
bool Active(const HouseholdRecord& h) { return h.values[fields::kHouseholdStatus].value_or("active") == "active"; }
Status Joinable(const HouseholdRecord& h, const std::string& field) {
  if (Active(h)) return Ok();
  const bool awaiting = h.values[fields::kHouseholdStatus] == "awaiting_members";
  return Failure(Code::kFailedPrecondition, awaiting ? "household.awaiting_members" : "household.exited",
                 {{"household", RefOf(h)}}, field);
}
CountryCode CountryOf(const HouseholdRecord& h) {
  return CountryOfArea(h.values[fields::kCommune].value_or("")).value_or(CountryCode::kMorocco);
}

// ---------------------------------------------------------------- Filing

Result<bool> Filing::InScope(const std::string& area) { return store_.households.AreaWithin(s_, area, actor_.scope); }

Result<HouseholdRecord> Filing::Household(std::int64_t id, const char* key) {
  auto h = store_.households.LoadHousehold(s_, id);
  const std::string commune = h ? h->values[fields::kCommune].value_or("") : "";
  auto within = h ? InScope(commune) : Result<bool>(false);
  if (!within) return std::unexpected(within.error());
  if (!*within) {
    return Failure(Code::kNotFound, "household.not_in_area", {{"id", std::to_string(id)}},
                   std::string("payload.") + key);
  }
  Target(*h);
  out_.communes.insert(commune);
  return *h;
}

Result<std::pair<PersonRecord, HouseholdRecord>> Filing::Person(std::int64_t id, const char* key) {
  auto p = store_.households.LoadPerson(s_, id);
  auto h = p ? store_.households.LoadHousehold(s_, p->household_id) : std::nullopt;
  auto within = h ? InScope(h->values[fields::kCommune].value_or("")) : Result<bool>(false);
  if (!within) return std::unexpected(within.error());
  if (!*within) {
    return Failure(Code::kNotFound, "person.not_in_area", {{"id", std::to_string(id)}}, std::string("payload.") + key);
  }
  if (!Active(*p)) {
    return Failure(Code::kFailedPrecondition, "person.not_active", {{"id", RecordIdOf(*p)}},
                   std::string("payload.") + key);
  }
  Target(*p);
  out_.communes.insert(h->values[fields::kCommune].value_or(""));
  return std::make_pair(*p, *h);
}

Status Filing::TouchCommune(const std::string& commune, const std::string& field) {
  auto within = InScope(commune);
  if (!within) return std::unexpected(within.error());
  if (!*within) return Failure(Code::kPermissionDenied, "area.outside_your_area", {{"value", commune}}, field);
  out_.communes.insert(commune);
  return Ok();
}

Result<ParsedObject> Filing::NewHousehold(const Json& obj, const std::string& where) {
  if (!obj.is_object()) return Failure(Code::kInvalidArgument, "field.not_object", {{"field", "household"}}, where);
  const std::string commune_field = where + ".commune_code";
  auto commune_it = obj.find("commune_code");
  std::string commune = commune_it != obj.end() && commune_it->is_string() ? commune_it->get<std::string>() : "";
  auto country = CountryOfArea(commune);
  // Every problem of the household at once: a commune that is no commune does not hide the others.
  std::vector<Problem> problems;
  auto not_a_commune = [&] {
    problems.push_back({std::string(MsgCode("field.not_a_commune")),
                        commune_field,
                        {{"field", "commune_code"}, {"value", commune}},
                        ""});
  };
  ParsedObject parsed =
      ReadObject(HouseholdFields(), obj, country.value_or(CountryCode::kMorocco), false, where, problems);
  if (!country) {
    std::erase_if(problems, [&](const Problem& p) { return p.field == commune_field; });
    not_a_commune();
  } else if (parsed.values[fields::kCommune]) {
    auto is_commune = store_.households.IsCommune(s_, commune);
    if (!is_commune) return std::unexpected(is_commune.error());
    if (!*is_commune) {
      not_a_commune();
    } else if (auto st = TouchCommune(commune, commune_field); !st) {
      return std::unexpected(st.error());  // outside the actor's area: the other problems do not matter
    }
  }
  if (!problems.empty()) return FormFailure(std::move(problems));
  return parsed;
}

Result<ParsedObject> Filing::Member(const Json& obj, CountryCode country, const std::string& where) {
  std::vector<Problem> read;
  ParsedObject parsed = ReadObject(PersonFields(), obj, country, false, where, read);
  Problems problems;
  if (!read.empty()) problems.Add(FormError(read));
  // The checks across fields run when the fields they read could be read: a name that is not valid
  // text is reported as such, not as a missing name as well.
  auto unreadable = [&](std::initializer_list<const char*> names) {
    return std::any_of(read.begin(), read.end(), [&](const Problem& p) {
      return std::any_of(names.begin(), names.end(), [&](const char* n) { return p.field == where + "." + n; });
    });
  };
  if (obj.is_object() && !unreadable({"given_name_ar", "family_name_ar", "given_name_lat", "family_name_lat",
                                      "disability_type", "disability_percent"})) {
    problems.Check(CheckPerson(parsed.values, where));
  }
  if (const auto& birth = parsed.values[fields::kBirthCommune]) {
    auto exists = store_.households.AreaExists(s_, *birth);
    if (!exists) return std::unexpected(exists.error());
    if (!*exists) {
      problems.Add(Failure(Code::kInvalidArgument, "field.unknown_area",
                           {{"field", "birth_commune_code"}, {"value", *birth}}, where + ".birth_commune_code")
                       .error());
    }
  }
  if (auto st = problems.Done(); !st) return std::unexpected(st.error());
  return parsed;
}

Status Filing::NationalIdInUse(const Values& v, std::optional<std::int64_t> self, const std::string& where) {
  const auto& nid = v[fields::kNationalId];
  if (!nid) return Ok();
  auto holders = store_.households.ActiveNationalIdHolders(s_, *nid, self);
  if (!holders) return std::unexpected(holders.error());
  for (const auto& holder : *holders) {
    ChangeWarning w;
    w.reason = MsgCode("person.national_id_in_use");
    w.field = where + ".national_id";
    w.params = {{"national_id", *nid}};
    auto within = InScope(holder.commune_code);
    if (!within) return std::unexpected(within.error());
    if (*within) w.person_id = holder.person_id;  // named only to whom may see them
    out_.warnings.push_back(std::move(w));
  }
  return Ok();
}

Result<std::map<std::int64_t, std::string>> Filing::Relationships(const Json& payload,
                                                                  const std::set<std::int64_t>& moved) {
  std::map<std::int64_t, std::string> out;
  auto it = payload.find("relationships");
  if (it == payload.end()) return out;
  if (!it->is_object())
    return Failure(Code::kInvalidArgument, "field.not_object", {{"field", "relationships"}}, "payload.relationships");
  Problems problems;
  for (const auto& [k, v] : it->items()) {
    const std::string where = "payload.relationships." + k;
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(k.data(), k.data() + k.size(), id);
    if (ec != std::errc() || end != k.data() + k.size()) {
      problems.Add(Failure(Code::kInvalidArgument, "change.not_a_person_id", {{"value", k}}, where).error());
    } else if (!moved.contains(id)) {
      problems.Add(Failure(Code::kInvalidArgument, "change.person_not_moved", {{"value", k}}, where).error());
    } else if (!v.is_string() || !Parse<Relationship>(v.get<std::string>()) || v.get<std::string>() == "head") {
      problems.Add(Failure(Code::kInvalidArgument, "change.relationship_not_head", {}, where).error());
    } else {
      out[id] = v.get<std::string>();
    }
  }
  if (auto st = problems.Done(); !st) return std::unexpected(st.error());
  return out;
}

// ---------------------------------------------------------------- Applying

std::int64_t Applying::InsertHousehold(const Values& v) {
  std::int64_t id = store_.households.InsertHousehold(s_, v, now_, cr_);
  change_.household_ids.push_back(id);
  return id;
}

std::int64_t Applying::InsertPerson(std::int64_t household_id, const Values& v) {
  std::int64_t id = store_.households.InsertPerson(s_, household_id, v, now_, cr_);
  change_.person_ids.push_back(id);
  return id;
}

void Applying::SetPerson(std::int64_t id, const FieldAssignments& set, std::optional<std::int64_t> to_household,
                         std::optional<std::int64_t> merged_into) {
  store_.households.UpdatePerson(s_, id, set, to_household, merged_into, now_, cr_);
  change_.person_ids.push_back(id);
}

void Applying::Touch(std::int64_t household_id, const FieldAssignments& set) {
  store_.households.UpdateHousehold(s_, household_id, set, now_, cr_);
  change_.household_ids.push_back(household_id);
}

}  // namespace sanad::registry
