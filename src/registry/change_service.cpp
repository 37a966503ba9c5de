#include "registry/change_service.h"

#include <fmt/format.h>
#include <algorithm>
#include <ranges>
#include <set>

#include "db/row.h"
#include "registry/author_inbox.h"

namespace sanad::registry {

namespace {

using Json = nlohmann::json;

const int kRel = FieldIndex(kPersonFields, "relationship");
const int kPersonStatus = FieldIndex(kPersonFields, "status");
const int kPersonExit = FieldIndex(kPersonFields, "exit_reason");
const int kGivenAr = FieldIndex(kPersonFields, "given_name_ar");
const int kFamilyAr = FieldIndex(kPersonFields, "family_name_ar");
const int kGivenLat = FieldIndex(kPersonFields, "given_name_lat");
const int kFamilyLat = FieldIndex(kPersonFields, "family_name_lat");
const int kCommune = FieldIndex(kHouseholdFields, "commune_code");
const int kHouseholdStatus = FieldIndex(kHouseholdFields, "status");
const int kHouseholdExit = FieldIndex(kHouseholdFields, "exit_reason");
const int kCurrency = FieldIndex(kHouseholdFields, "currency");
const int kNationalId = FieldIndex(kPersonFields, "national_id");

// Until the change kinds return every check's Result: a failed check throws as the store did before,
// and the transaction turns it into an internal error.
template <typename T>
T OrThrow(Result<T> r) {
  if (!r) throw std::runtime_error(r.error().message);
  return std::move(*r);
}

std::unexpected<Error> Invalid(std::string message, std::string field) {
  return Fail(Code::kInvalidArgument, std::move(message), std::move(field));
}

Status OnlyKeys(const Json& payload, std::initializer_list<const char*> keys) {
  for (const auto& [k, v] : payload.items()) {
    if (std::none_of(keys.begin(), keys.end(), [&](const char* x) { return k == x; })) {
      return Invalid(fmt::format("unknown field '{}'", k), "payload." + k);
    }
  }
  return Ok();
}

Result<std::int64_t> IdOf(const Json& payload, const char* key) {
  auto it = payload.find(key);
  if (it == payload.end() || it->is_null())
    return Invalid(fmt::format("'{}' is required", key), std::string("payload.") + key);
  if (!it->is_number_integer() || it->get<long long>() <= 0) {
    return Invalid(fmt::format("'{}' must be a positive integer id", key), std::string("payload.") + key);
  }
  return it->get<std::int64_t>();
}

Result<std::string> OneOf(const Json& payload, const char* key, std::span<const std::string_view> allowed,
                          std::initializer_list<std::string_view> excluded = {}) {
  auto it = payload.find(key);
  if (it == payload.end() || !it->is_string()) {
    return Invalid(fmt::format("'{}' is required and must be a string", key), std::string("payload.") + key);
  }
  std::string v = it->get<std::string>();
  bool ok = std::find(allowed.begin(), allowed.end(), v) != allowed.end() &&
            std::find(excluded.begin(), excluded.end(), v) == excluded.end();
  if (!ok) {
    std::string all;
    for (auto a : allowed) {
      if (std::find(excluded.begin(), excluded.end(), a) != excluded.end()) continue;
      all += (all.empty() ? "" : ", ") + std::string(a);
    }
    return Invalid(fmt::format("'{}' must be one of: {}", key, all), std::string("payload.") + key);
  }
  return v;
}

// Non-null values only: what the request sets.
Json PresentJson(std::span<const FieldSpec> fields, const ParsedObject& p) {
  Json all = ValuesJson(fields, p.values);
  Json out = Json::object();
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (p.present[i]) out[std::string(fields[i].name)] = all[std::string(fields[i].name)];
  }
  return out;
}

// Re-reads a stored object into values. A stored object that no longer parses is refused, never
// applied as empty values.
Result<Values> ValuesFrom(std::span<const FieldSpec> fields, const Json& obj, CountryCode country,
                          const std::string& where) {
  auto parsed = ParseObject(fields, obj, country, true, where);
  if (!parsed) {
    return FailWith(Code::kFailedPrecondition, "change_request.no_longer_valid",
                    "the stored request no longer validates: " + parsed.error().message, parsed.error().field);
  }
  return parsed->values;
}

using AssignmentList = std::vector<std::pair<int, std::optional<std::string>>>;

Result<AssignmentList> Assignments(std::span<const FieldSpec> fields, const Json& obj, CountryCode country,
                                   const std::string& where) {
  auto parsed = ParseObject(fields, obj, country, true, where);
  if (!parsed) {
    return FailWith(Code::kFailedPrecondition, "change_request.no_longer_valid",
                    "the stored request no longer validates: " + parsed.error().message, parsed.error().field);
  }
  AssignmentList out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (parsed->present[i]) out.emplace_back(static_cast<int>(i), parsed->values[i]);
  }
  return out;
}

std::string NameOf(const Values& p) {
  if (p[kGivenAr] || p[kFamilyAr]) return fmt::format("{} {}", p[kGivenAr].value_or(""), p[kFamilyAr].value_or(""));
  return fmt::format("{} {}", p[kGivenLat].value_or(""), p[kFamilyLat].value_or(""));
}

bool Active(const PersonRecord& p) { return p.values[kPersonStatus].value_or("active") == "active"; }
bool Active(const HouseholdRecord& h) { return h.values[kHouseholdStatus].value_or("active") == "active"; }
CountryCode CountryOf(const HouseholdRecord& h) {
  return CountryOfArea(h.values[kCommune].value_or("")).value_or(CountryCode::kMorocco);
}

std::set<std::int64_t> IdsIn(const Json& arr) {
  std::set<std::int64_t> out;
  for (const auto& v : arr) out.insert(v.get<std::int64_t>());
  return out;
}

}  // namespace

void ChangeService::Audit(db::Session& s, const Actor& who, const std::string& action, std::int64_t cr,
                          const std::string& details) {
  audit::AuditEntry e;
  e.user_id = who.user_id;
  e.username = who.username;
  e.action = action;
  e.record_type = "change_request";
  e.record_id = std::to_string(cr);
  e.ip = who.ip;
  e.request_id = who.request_id;
  e.details = details;
  auto r = audit_.AppendIn(s, std::move(e));
  if (!r) throw std::runtime_error("audit append failed: " + r.error().message);
}

Result<ChangeService::Prepared> ChangeService::Prepare(db::Session& s, const std::string& kind, const Json& payload,
                                                       const Actor& author) {
  if (!payload.is_object()) return Invalid("'payload' must be an object", "payload");
  Prepared out;
  auto household = [&](std::int64_t id, const char* key) -> Result<HouseholdRecord> {
    auto h = store_.households.LoadHousehold(s, id);
    if (!h || !OrThrow(store_.households.AreaWithin(s, h->values[kCommune].value_or(""), author.scope))) {
      return Fail(Code::kNotFound, fmt::format("no household {} in your area", id), std::string("payload.") + key);
    }
    out.targets.push_back({"household", h->id, h->version});
    out.communes.insert(h->values[kCommune].value_or(""));
    return *h;
  };
  auto person = [&](std::int64_t id, const char* key) -> Result<std::pair<PersonRecord, HouseholdRecord>> {
    auto p = store_.households.LoadPerson(s, id);
    if (!p) return Fail(Code::kNotFound, fmt::format("no person {} in your area", id), std::string("payload.") + key);
    auto h = store_.households.LoadHousehold(s, p->household_id);
    if (!h || !OrThrow(store_.households.AreaWithin(s, h->values[kCommune].value_or(""), author.scope))) {
      return Fail(Code::kNotFound, fmt::format("no person {} in your area", id), std::string("payload.") + key);
    }
    if (!Active(*p))
      return Fail(Code::kFailedPrecondition, fmt::format("person {} is no longer active", id),
                  std::string("payload.") + key);
    out.targets.push_back({"person", p->id, p->version});
    out.communes.insert(h->values[kCommune].value_or(""));
    return std::make_pair(*p, *h);
  };
  auto new_household = [&](const Json& obj, const std::string& where) -> Result<ParsedObject> {
    if (!obj.is_object()) return Invalid(fmt::format("'{}' must be an object", where), where);
    auto commune_it = obj.find("commune_code");
    std::string commune = commune_it != obj.end() && commune_it->is_string() ? commune_it->get<std::string>() : "";
    auto country = CountryOfArea(commune);
    if (!country)
      return Invalid("'commune_code' must be a commune code such as MA-03.231.01.03", where + ".commune_code");
    auto parsed = ParseObject(HouseholdFields(), obj, *country, false, where);
    if (!parsed) return std::unexpected(parsed.error());
    if (!OrThrow(store_.households.IsCommune(s, commune)))
      return Fail(Code::kInvalidArgument, fmt::format("'{}' is not a commune of the reference data", commune),
                  where + ".commune_code");
    if (!OrThrow(store_.households.AreaWithin(s, commune, author.scope))) {
      return Fail(Code::kPermissionDenied, fmt::format("commune {} is outside your area", commune),
                  where + ".commune_code");
    }
    out.communes.insert(commune);
    return parsed;
  };
  auto member = [&](const Json& obj, CountryCode country, const std::string& where) -> Result<ParsedObject> {
    auto parsed = ParseObject(PersonFields(), obj, country, false, where);
    if (!parsed) return std::unexpected(parsed.error());
    if (auto st = CheckPerson(parsed->values, where); !st) return std::unexpected(st.error());
    const int birth_commune = FieldIndex(kPersonFields, "birth_commune_code");
    if (parsed->values[birth_commune] && !OrThrow(store_.households.AreaExists(s, *parsed->values[birth_commune]))) {
      return Fail(Code::kInvalidArgument, fmt::format("unknown birth commune '{}'", *parsed->values[birth_commune]),
                  where + ".birth_commune_code");
    }
    return parsed;
  };
  // A national ID already held by another active person: filed with a warning; the reviewer decides.
  auto national_id_in_use = [&](const Values& v, std::optional<std::int64_t> self, const std::string& where) {
    const auto& nid = v[kNationalId];
    if (!nid) return;
    for (const auto& holder : OrThrow(store_.households.ActiveNationalIdHolders(s, *nid, self))) {
      ChangeWarning w;
      w.reason = "person.national_id_in_use";
      w.field = where + ".national_id";
      if (OrThrow(store_.households.AreaWithin(s, holder.commune_code, author.scope))) {
        w.person_id = holder.person_id;
        w.message = fmt::format(
            "national ID {} is already held by active person {}: if it is the same person, file a "
            "merge_persons request instead",
            *nid, holder.person_id);
      } else {
        w.message = fmt::format("national ID {} is already held by an active person outside your area", *nid);
      }
      out.warnings.push_back(std::move(w));
    }
  };
  auto relationships = [&](const Json& payload, const std::set<std::int64_t>& allowed_ids) -> Result<Json> {
    auto it = payload.find("relationships");
    if (it == payload.end()) return Json::object();
    if (!it->is_object())
      return Invalid("'relationships' must map person ids to relationships", "payload.relationships");
    for (const auto& [k, v] : it->items()) {
      std::int64_t id = 0;
      try {
        id = std::stoll(k);
      } catch (...) {
        return Invalid(fmt::format("'{}' is not a person id", k), "payload.relationships." + k);
      }
      if (!allowed_ids.contains(id))
        return Invalid(fmt::format("person {} is not moved by this request", k), "payload.relationships." + k);
      if (!v.is_string() || !Parse<Relationship>(v.get<std::string>()) || v.get<std::string>() == "head") {
        return Invalid("relationships must be spouse, child, grandchild, parent, sibling or other",
                       "payload.relationships." + k);
      }
    }
    return *it;
  };

  if (kind == "create_household") {
    if (auto st = OnlyKeys(payload, {"household", "members"}); !st) return std::unexpected(st.error());
    auto h = new_household(payload.value("household", Json()), "payload.household");
    if (!h) return std::unexpected(h.error());
    auto country = *CountryOfArea(*h->values[kCommune]);
    auto members = payload.find("members");
    if (members == payload.end() || !members->is_array() || members->empty() || members->size() > 60) {
      return Invalid("'members' must be a list of 1 to 60 persons", "payload.members");
    }
    Json normalized_members = Json::array();
    int heads = 0;
    std::string head_name;
    for (std::size_t i = 0; i < members->size(); ++i) {
      auto p = member((*members)[i], country, fmt::format("payload.members[{}]", i));
      if (!p) return std::unexpected(p.error());
      national_id_in_use(p->values, std::nullopt, fmt::format("payload.members[{}]", i));
      if (p->values[kRel] == "head") {
        ++heads;
        head_name = NameOf(p->values);
      }
      normalized_members.push_back(PresentJson(PersonFields(), *p));
    }
    if (heads != 1)
      return Invalid(fmt::format("a household has exactly one head; these members name {}", heads), "payload.members");
    out.payload = {{"household", PresentJson(HouseholdFields(), *h)}, {"members", normalized_members}};
    out.area_code = h->values[kCommune];
    out.summary =
        fmt::format("New household in {} with {} member(s), head {}", *h->values[kCommune], members->size(), head_name);
    return out;
  }
  if (kind == "update_household") {
    if (auto st = OnlyKeys(payload, {"household_id", "changes"}); !st) return std::unexpected(st.error());
    auto id = IdOf(payload, "household_id");
    if (!id) return std::unexpected(id.error());
    auto h = household(*id, "household_id");
    if (!h) return std::unexpected(h.error());
    auto changes = payload.value("changes", Json());
    auto country = CountryOf(*h);
    if (changes.is_object() && changes.contains("commune_code") && changes["commune_code"].is_string()) {
      country = CountryOfArea(changes["commune_code"].get<std::string>()).value_or(country);
    }
    auto parsed = ParseObject(HouseholdFields(), changes, country, true, "payload.changes");
    if (!parsed) return std::unexpected(parsed.error());
    if (changes.empty()) return Invalid("'changes' is empty", "payload.changes");
    if (parsed->present[kCommune]) {
      const std::string& c = *parsed->values[kCommune];
      if (!OrThrow(store_.households.AreaWithin(s, c, author.scope)))
        return Fail(Code::kPermissionDenied, "the new commune is outside your area", "payload.changes.commune_code");
      out.communes.insert(c);
    }
    out.payload = {{"household_id", *id}, {"changes", PresentJson(HouseholdFields(), *parsed)}};
    out.area_code = h->values[kCommune];
    out.summary = fmt::format(
        "Update household {}: {}", h->values[0].value_or(""),
        fmt::join(out.payload["changes"].items() | std::views::transform([](auto kv) { return kv.key(); }), ", "));
    return out;
  }
  if (kind == "update_person") {
    if (auto st = OnlyKeys(payload, {"person_id", "changes"}); !st) return std::unexpected(st.error());
    auto id = IdOf(payload, "person_id");
    if (!id) return std::unexpected(id.error());
    auto ph = person(*id, "person_id");
    if (!ph) return std::unexpected(ph.error());
    auto changes = payload.value("changes", Json());
    auto parsed = ParseObject(PersonFields(), changes, CountryOf(ph->second), true, "payload.changes");
    if (!parsed) return std::unexpected(parsed.error());
    if (changes.empty()) return Invalid("'changes' is empty", "payload.changes");
    if (parsed->present[kRel] && (parsed->values[kRel] == "head" || ph->first.values[kRel] == "head")) {
      return Fail(Code::kFailedPrecondition, "the head changes through a change_head request",
                  "payload.changes.relationship");
    }
    Values merged = ph->first.values;
    for (std::size_t i = 0; i < merged.size(); ++i) {
      if (parsed->present[i]) merged[i] = parsed->values[i];
    }
    if (auto st = CheckPerson(merged, "payload.changes"); !st) return std::unexpected(st.error());
    if (parsed->present[kNationalId]) national_id_in_use(parsed->values, *id, "payload.changes");
    out.payload = {{"person_id", *id}, {"changes", PresentJson(PersonFields(), *parsed)}};
    out.area_code = ph->second.values[kCommune];
    out.summary = fmt::format("Update person {} ({})", ph->first.values[0].value_or(""), NameOf(ph->first.values));
    return out;
  }
  if (kind == "add_member") {
    if (auto st = OnlyKeys(payload, {"household_id", "person"}); !st) return std::unexpected(st.error());
    auto id = IdOf(payload, "household_id");
    if (!id) return std::unexpected(id.error());
    auto h = household(*id, "household_id");
    if (!h) return std::unexpected(h.error());
    if (!Active(*h))
      return Fail(Code::kFailedPrecondition, "the household has exited the registry", "payload.household_id");
    auto p = member(payload.value("person", Json()), CountryOf(*h), "payload.person");
    if (!p) return std::unexpected(p.error());
    if (p->values[kRel] == "head")
      return Fail(Code::kFailedPrecondition, "the household already has a head; use change_head",
                  "payload.person.relationship");
    national_id_in_use(p->values, std::nullopt, "payload.person");
    out.payload = {{"household_id", *id}, {"person", PresentJson(PersonFields(), *p)}};
    out.area_code = h->values[kCommune];
    out.summary = fmt::format("Add {} to household {}", NameOf(p->values), h->values[0].value_or(""));
    return out;
  }
  if (kind == "remove_member") {
    if (auto st = OnlyKeys(payload, {"person_id", "reason"}); !st) return std::unexpected(st.error());
    auto id = IdOf(payload, "person_id");
    if (!id) return std::unexpected(id.error());
    auto reason = OneOf(payload, "reason", kExitReasons, {"merged", "duplicate"});
    if (!reason) return std::unexpected(reason.error());
    auto ph = person(*id, "person_id");
    if (!ph) return std::unexpected(ph.error());
    out.targets.push_back({"household", ph->second.id, ph->second.version});
    if (ph->first.values[kRel] == "head") {
      return Fail(Code::kFailedPrecondition, "the head cannot be removed: change the head first, or exit the household",
                  "payload.person_id");
    }
    out.payload = {{"person_id", *id}, {"reason", *reason}};
    out.area_code = ph->second.values[kCommune];
    out.summary = fmt::format("Remove {} from household {} ({})", NameOf(ph->first.values),
                              ph->second.values[0].value_or(""), *reason);
    return out;
  }
  if (kind == "move_member") {
    if (auto st = OnlyKeys(payload, {"person_id", "to_household_id", "relationship"}); !st)
      return std::unexpected(st.error());
    auto id = IdOf(payload, "person_id");
    if (!id) return std::unexpected(id.error());
    auto to = IdOf(payload, "to_household_id");
    if (!to) return std::unexpected(to.error());
    auto rel = OneOf(payload, "relationship", Allowed<Relationship>(), {"head"});
    if (!rel) return std::unexpected(rel.error());
    auto ph = person(*id, "person_id");
    if (!ph) return std::unexpected(ph.error());
    if (ph->first.values[kRel] == "head")
      return Fail(Code::kFailedPrecondition, "the head cannot be moved: change the head first", "payload.person_id");
    if (ph->second.id == *to) return Invalid("the person already belongs to that household", "payload.to_household_id");
    out.targets.push_back({"household", ph->second.id, ph->second.version});
    auto dest = household(*to, "to_household_id");
    if (!dest) return std::unexpected(dest.error());
    if (!Active(*dest))
      return Fail(Code::kFailedPrecondition, "the destination household has exited", "payload.to_household_id");
    out.payload = {{"person_id", *id}, {"to_household_id", *to}, {"relationship", *rel}};
    out.area_code = ph->second.values[kCommune];
    out.summary = fmt::format("Move {} from household {} to {}", NameOf(ph->first.values),
                              ph->second.values[0].value_or(""), dest->values[0].value_or(""));
    return out;
  }
  if (kind == "change_head") {
    if (auto st = OnlyKeys(payload, {"household_id", "new_head_person_id", "previous_head_relationship"}); !st)
      return std::unexpected(st.error());
    auto id = IdOf(payload, "household_id");
    if (!id) return std::unexpected(id.error());
    auto head_id = IdOf(payload, "new_head_person_id");
    if (!head_id) return std::unexpected(head_id.error());
    auto rel = OneOf(payload, "previous_head_relationship", Allowed<Relationship>(), {"head"});
    if (!rel) return std::unexpected(rel.error());
    auto h = household(*id, "household_id");
    if (!h) return std::unexpected(h.error());
    const PersonRecord* new_head = nullptr;
    for (const auto& m : h->members) {
      if (m.id == *head_id && Active(m)) new_head = &m;
      if (Active(m)) out.targets.push_back({"person", m.id, m.version});
    }
    if (!new_head)
      return Fail(Code::kFailedPrecondition, "the new head is not an active member of the household",
                  "payload.new_head_person_id");
    if (new_head->values[kRel] == "head")
      return Invalid("that person is already the head", "payload.new_head_person_id");
    out.payload = {{"household_id", *id}, {"new_head_person_id", *head_id}, {"previous_head_relationship", *rel}};
    out.area_code = h->values[kCommune];
    out.summary = fmt::format("{} becomes head of household {}", NameOf(new_head->values), h->values[0].value_or(""));
    return out;
  }
  if (kind == "split_household") {
    if (auto st = OnlyKeys(payload, {"household_id", "person_ids", "new_head_person_id", "household", "relationships"});
        !st)
      return std::unexpected(st.error());
    auto id = IdOf(payload, "household_id");
    if (!id) return std::unexpected(id.error());
    auto head_id = IdOf(payload, "new_head_person_id");
    if (!head_id) return std::unexpected(head_id.error());
    auto h = household(*id, "household_id");
    if (!h) return std::unexpected(h.error());
    auto ids_it = payload.find("person_ids");
    if (ids_it == payload.end() || !ids_it->is_array() || ids_it->empty())
      return Invalid("'person_ids' must list the persons who leave", "payload.person_ids");
    std::set<std::int64_t> ids;
    for (const auto& v : *ids_it) {
      if (!v.is_number_integer()) return Invalid("'person_ids' must hold person ids", "payload.person_ids");
      ids.insert(v.get<std::int64_t>());
    }
    std::size_t active = 0;
    for (const auto& m : h->members) {
      if (!Active(m)) continue;
      ++active;
      if (ids.contains(m.id)) {
        if (m.values[kRel] == "head")
          return Fail(Code::kFailedPrecondition, "the head stays; change the head first to split them off",
                      "payload.person_ids");
        out.targets.push_back({"person", m.id, m.version});
      }
    }
    if (out.targets.size() - 1 != ids.size())
      return Fail(Code::kFailedPrecondition, "every person split off must be an active member", "payload.person_ids");
    if (ids.size() >= active)
      return Fail(Code::kFailedPrecondition, "someone must stay in the household", "payload.person_ids");
    if (!ids.contains(*head_id))
      return Invalid("the new head must be one of the persons split off", "payload.new_head_person_id");
    auto nh = new_household(payload.value("household", Json()), "payload.household");
    if (!nh) return std::unexpected(nh.error());
    auto rels = relationships(payload, ids);
    if (!rels) return std::unexpected(rels.error());
    out.payload = {{"household_id", *id},
                   {"person_ids", Json(std::vector<std::int64_t>(ids.begin(), ids.end()))},
                   {"new_head_person_id", *head_id},
                   {"household", PresentJson(HouseholdFields(), *nh)},
                   {"relationships", *rels}};
    out.area_code = h->values[kCommune];
    out.summary =
        fmt::format("Split {} person(s) off household {} into a new household", ids.size(), h->values[0].value_or(""));
    return out;
  }
  if (kind == "merge_households") {
    if (auto st = OnlyKeys(payload, {"household_id", "merged_household_id", "relationships"}); !st)
      return std::unexpected(st.error());
    auto id = IdOf(payload, "household_id");
    if (!id) return std::unexpected(id.error());
    auto other = IdOf(payload, "merged_household_id");
    if (!other) return std::unexpected(other.error());
    if (*id == *other) return Invalid("a household cannot be merged into itself", "payload.merged_household_id");
    auto keep = household(*id, "household_id");
    if (!keep) return std::unexpected(keep.error());
    auto gone = household(*other, "merged_household_id");
    if (!gone) return std::unexpected(gone.error());
    if (!Active(*keep) || !Active(*gone))
      return Fail(Code::kFailedPrecondition, "both households must be active", "payload.household_id");
    std::set<std::int64_t> moved;
    for (const auto& m : gone->members) {
      if (Active(m)) {
        moved.insert(m.id);
        out.targets.push_back({"person", m.id, m.version});
      }
    }
    auto rels = relationships(payload, moved);
    if (!rels) return std::unexpected(rels.error());
    out.payload = {{"household_id", *id}, {"merged_household_id", *other}, {"relationships", *rels}};
    out.area_code = keep->values[kCommune];
    out.summary = fmt::format("Merge household {} into {} ({} person(s) move)", gone->values[0].value_or(""),
                              keep->values[0].value_or(""), moved.size());
    return out;
  }
  if (kind == "merge_persons") {
    if (auto st = OnlyKeys(payload, {"person_id", "duplicate_person_id"}); !st) return std::unexpected(st.error());
    auto id = IdOf(payload, "person_id");
    if (!id) return std::unexpected(id.error());
    auto dup = IdOf(payload, "duplicate_person_id");
    if (!dup) return std::unexpected(dup.error());
    if (*id == *dup) return Invalid("a person cannot be merged with itself", "payload.duplicate_person_id");
    auto keep = person(*id, "person_id");
    if (!keep) return std::unexpected(keep.error());
    auto gone = person(*dup, "duplicate_person_id");
    if (!gone) return std::unexpected(gone.error());
    out.targets.push_back({"household", gone->second.id, gone->second.version});
    out.payload = {{"person_id", *id}, {"duplicate_person_id", *dup}};
    out.area_code = keep->second.values[kCommune];
    out.summary =
        fmt::format("Merge duplicate {} ({}) into {} ({})", gone->first.values[0].value_or(""),
                    NameOf(gone->first.values), keep->first.values[0].value_or(""), NameOf(keep->first.values));
    return out;
  }
  if (kind == "exit_household") {
    if (auto st = OnlyKeys(payload, {"household_id", "reason"}); !st) return std::unexpected(st.error());
    auto id = IdOf(payload, "household_id");
    if (!id) return std::unexpected(id.error());
    auto reason = OneOf(payload, "reason", kExitReasons, {"merged", "left_household"});
    if (!reason) return std::unexpected(reason.error());
    auto h = household(*id, "household_id");
    if (!h) return std::unexpected(h.error());
    if (!Active(*h)) return Fail(Code::kFailedPrecondition, "the household has already exited", "payload.household_id");
    for (const auto& m : h->members) {
      if (Active(m)) out.targets.push_back({"person", m.id, m.version});
    }
    out.payload = {{"household_id", *id}, {"reason", *reason}};
    out.area_code = h->values[kCommune];
    out.summary = fmt::format("Household {} exits the registry ({})", h->values[0].value_or(""), *reason);
    return out;
  }
  return Invalid(fmt::format("unknown change request kind '{}'", kind), "kind");
}

Result<ChangeRequestRow> ChangeService::Submit(const std::string& kind, const Json& payload, const Actor& author) {
  return store_.db().InTransaction<ChangeRequestRow>([&](db::Session& s) -> Result<ChangeRequestRow> {
    auto prepared = Prepare(s, kind, payload, author);
    if (!prepared) return std::unexpected(prepared.error());
    ChangeRequestRow row;
    row.kind = kind;
    row.author_id = author.user_id;
    row.author_username = author.username;
    row.created_at = FormatTimestamp(clock_.Now());
    row.summary = prepared->summary;
    row.payload = prepared->payload.dump();
    row.area_code = prepared->area_code;
    row.communes.assign(prepared->communes.begin(), prepared->communes.end());
    row.id = store_.requests.InsertChangeRequest(s, row, prepared->targets);
    Audit(s, author, "create", row.id, Json{{"kind", kind}}.dump());
    auto loaded = store_.requests.LoadChangeRequest(s, row.id);
    loaded->warnings = std::move(prepared->warnings);
    return *loaded;
  });
}

Result<ChangeService::Prepared> ChangeService::Revalidate(db::Session& s, const ChangeRequestRow& cr,
                                                          const Actor& reviewer) {
  auto payload = Json::parse(cr.payload, nullptr, false);
  auto prepared = Prepare(s, cr.kind, payload, reviewer);
  if (!prepared) {
    return FailWith(Code::kFailedPrecondition, "change_request.no_longer_valid",
                    fmt::format("change request {} no longer applies to the registry as it is now: {}", cr.id,
                                prepared.error().message),
                    prepared.error().field);
  }
  return prepared;
}

Result<ChangeRequestRow> ChangeService::Review(std::int64_t id, const Actor& reviewer) {
  auto cr = store_.requests.GetChangeRequest(id, reviewer.scope);
  if (!cr) return std::unexpected(cr.error());
  if (!*cr) return Fail(Code::kNotFound, fmt::format("no change request {} in your area", id), "id");
  if ((*cr)->status != "pending" || (*cr)->kind.starts_with("import_")) return **cr;
  return db::Guard([&]() -> Result<ChangeRequestRow> {
    auto s = store_.db().Acquire();
    ChangeRequestRow row = **cr;
    auto prepared = Revalidate(s, row, reviewer);
    if (!prepared) {
      row.warnings.push_back({prepared.error().reason, prepared.error().message, prepared.error().field, std::nullopt});
    } else {
      row.warnings = std::move(prepared->warnings);
    }
    return row;
  });
}

Result<ChangeRequestRow> ChangeService::SubmitImport(const ImportBatch& batch, const Actor& author) {
  return store_.db().InTransaction<ChangeRequestRow>([&](db::Session& s) -> Result<ChangeRequestRow> {
    ChangeRequestRow row;
    row.kind = batch.kind;
    row.author_id = author.user_id;
    row.author_username = author.username;
    row.created_at = FormatTimestamp(clock_.Now());
    row.summary = fmt::format("Import of {} {} from {}", batch.rows.size(),
                              batch.kind == "import_households" ? "households" : "persons", batch.file_name);
    row.payload = Json{{"file", batch.file_name}, {"rows", batch.rows.size()}}.dump();
    row.area_code = batch.area_code;
    row.item_count = static_cast<std::int64_t>(batch.rows.size());
    row.id = store_.requests.InsertChangeRequest(s, row, {});
    if (batch.kind == "import_households") {
      store_.staging.StageHouseholds(s, row.id, batch.rows);
    } else if (batch.kind == "import_households_with_members") {
      store_.staging.StageHouseholds(s, row.id, batch.household_rows);
      store_.staging.StagePersons(s, row.id, batch.household_refs, {}, batch.rows);
    } else {
      store_.staging.StagePersons(s, row.id, batch.household_refs, batch.household_ids, batch.rows);
    }
    Audit(s, author, "create", row.id, Json{{"kind", batch.kind}, {"rows", batch.rows.size()}}.dump());
    return *store_.requests.LoadChangeRequest(s, row.id);
  });
}

Result<AppliedChange> ChangeService::Apply(db::Session& s, const ChangeRequestRow& cr, const Json& payload,
                                           const std::string& now) {
  AppliedChange change;
  change.change_request_id = cr.id;
  const std::int64_t c = cr.id;
  auto set_person = [&](std::int64_t id, std::vector<std::pair<int, std::optional<std::string>>> set,
                        std::optional<std::int64_t> to_household = std::nullopt,
                        std::optional<std::int64_t> merged_into = std::nullopt) {
    store_.households.UpdatePerson(s, id, set, to_household, merged_into, now, c);
    change.person_ids.push_back(id);
  };
  auto touch = [&](std::int64_t household_id, std::vector<std::pair<int, std::optional<std::string>>> set = {}) {
    store_.households.UpdateHousehold(s, household_id, set, now, c);
    change.household_ids.push_back(household_id);
  };
  auto rel_of = [&](const Json& rels, std::int64_t id, const std::string& fallback) {
    auto it = rels.find(std::to_string(id));
    return it == rels.end() ? fallback : it->get<std::string>();
  };

#define TRY_VALUES(var, expr)                              \
  auto var##_or = (expr);                                  \
  if (!var##_or) return std::unexpected(var##_or.error()); \
  auto var = std::move(*var##_or)

  if (cr.kind == "import_households") {
    change.bulk = true;
    store_.staging.ApplyStagedHouseholds(s, c, now);
    return change;
  }
  if (cr.kind == "import_persons") {
    change.bulk = true;
    // Import requests record no targets: the households they add members to are checked below like
    // those of every other request (two imports approved one after the other must not give a
    // household two heads).
    change.household_ids = store_.staging.StagedPersonHouseholds(s, c);
    store_.staging.ApplyStagedPersons(s, c, now);
  } else if (cr.kind == "import_households_with_members") {
    change.bulk = true;
    // The households and their members in this transaction: checked below, none is left without a head.
    change.household_ids = store_.staging.ApplyStagedHouseholdsWithMembers(s, c, now);
  } else if (cr.kind == "create_household") {
    auto country = *CountryOfArea(payload["household"]["commune_code"].get<std::string>());
    TRY_VALUES(h, ValuesFrom(HouseholdFields(), payload["household"], country, "payload.household"));
    h[kHouseholdStatus] = "active";
    if (!h[kCurrency]) h[kCurrency] = country == CountryCode::kMorocco ? "MAD" : "DZD";
    std::int64_t hid = store_.households.InsertHousehold(s, h, now, c);
    change.household_ids.push_back(hid);
    for (std::size_t i = 0; i < payload["members"].size(); ++i) {
      TRY_VALUES(p, ValuesFrom(PersonFields(), payload["members"][i], country, fmt::format("payload.members[{}]", i)));
      p[kPersonStatus] = "active";
      change.person_ids.push_back(store_.households.InsertPerson(s, hid, p, now, c));
    }
  } else if (cr.kind == "update_household") {
    auto h = store_.households.LoadHousehold(s, payload["household_id"].get<std::int64_t>());
    auto country = CountryOf(*h);
    if (payload["changes"].contains("commune_code")) {
      country = CountryOfArea(payload["changes"]["commune_code"].get<std::string>()).value_or(country);
    }
    TRY_VALUES(set, Assignments(HouseholdFields(), payload["changes"], country, "payload.changes"));
    touch(h->id, std::move(set));
    for (const auto& m : h->members) change.person_ids.push_back(m.id);  // commune may have moved
  } else if (cr.kind == "update_person") {
    auto p = store_.households.LoadPerson(s, payload["person_id"].get<std::int64_t>());
    auto h = store_.households.LoadHousehold(s, p->household_id);
    TRY_VALUES(set, Assignments(PersonFields(), payload["changes"], CountryOf(*h), "payload.changes"));
    set_person(p->id, std::move(set));
  } else if (cr.kind == "add_member") {
    auto h = store_.households.LoadHousehold(s, payload["household_id"].get<std::int64_t>());
    TRY_VALUES(p, ValuesFrom(PersonFields(), payload["person"], CountryOf(*h), "payload.person"));
    p[kPersonStatus] = "active";
    change.person_ids.push_back(store_.households.InsertPerson(s, h->id, p, now, c));
    touch(h->id);
  } else if (cr.kind == "remove_member") {
    auto p = store_.households.LoadPerson(s, payload["person_id"].get<std::int64_t>());
    set_person(p->id, {{kPersonStatus, "exited"}, {kPersonExit, payload["reason"].get<std::string>()}});
    touch(p->household_id);
  } else if (cr.kind == "move_member") {
    auto p = store_.households.LoadPerson(s, payload["person_id"].get<std::int64_t>());
    std::int64_t to = payload["to_household_id"].get<std::int64_t>();
    set_person(p->id, {{kRel, payload["relationship"].get<std::string>()}}, to);
    touch(p->household_id);
    touch(to);
  } else if (cr.kind == "change_head") {
    auto h = store_.households.LoadHousehold(s, payload["household_id"].get<std::int64_t>());
    std::int64_t new_head = payload["new_head_person_id"].get<std::int64_t>();
    for (const auto& m : h->members) {
      if (Active(m) && m.values[kRel] == "head")
        set_person(m.id, {{kRel, payload["previous_head_relationship"].get<std::string>()}});
    }
    set_person(new_head, {{kRel, "head"}});
    touch(h->id);
  } else if (cr.kind == "split_household") {
    auto h = store_.households.LoadHousehold(s, payload["household_id"].get<std::int64_t>());
    auto country = *CountryOfArea(payload["household"]["commune_code"].get<std::string>());
    TRY_VALUES(nh, ValuesFrom(HouseholdFields(), payload["household"], country, "payload.household"));
    nh[kHouseholdStatus] = "active";
    if (!nh[kCurrency]) nh[kCurrency] = h->values[kCurrency];
    std::int64_t new_id = store_.households.InsertHousehold(s, nh, now, c);
    change.household_ids.push_back(new_id);
    std::int64_t new_head = payload["new_head_person_id"].get<std::int64_t>();
    for (std::int64_t pid : IdsIn(payload["person_ids"])) {
      auto p = store_.households.LoadPerson(s, pid);
      std::string rel =
          pid == new_head ? "head" : rel_of(payload["relationships"], pid, p->values[kRel].value_or("other"));
      set_person(pid, {{kRel, rel}}, new_id);
    }
    touch(h->id);
  } else if (cr.kind == "merge_households") {
    auto keep = store_.households.LoadHousehold(s, payload["household_id"].get<std::int64_t>());
    auto gone = store_.households.LoadHousehold(s, payload["merged_household_id"].get<std::int64_t>());
    for (const auto& m : gone->members) {
      if (!Active(m)) continue;
      set_person(m.id, {{kRel, rel_of(payload["relationships"], m.id, "other")}}, keep->id);
    }
    touch(gone->id, {{kHouseholdStatus, "exited"}, {kHouseholdExit, "merged"}});
    touch(keep->id);
  } else if (cr.kind == "merge_persons") {
    auto keep = store_.households.LoadPerson(s, payload["person_id"].get<std::int64_t>());
    auto gone = store_.households.LoadPerson(s, payload["duplicate_person_id"].get<std::int64_t>());
    // The survivor keeps its values and takes from the duplicate what it lacks (a name in the other
    // script, a phone…): the point of linking two registrations.
    std::vector<std::pair<int, std::optional<std::string>>> fill;
    for (std::size_t i = 0; i < std::size(kPersonFields); ++i) {
      if (kPersonFields[i].access == Access::kSystem || kPersonFields[i].name == "source_ref") continue;
      if (!keep->values[i] && gone->values[i]) fill.emplace_back(static_cast<int>(i), gone->values[i]);
    }
    if (!fill.empty()) set_person(keep->id, fill);
    set_person(gone->id, {{kPersonStatus, "merged"}, {kPersonExit, "duplicate"}}, std::nullopt, keep->id);
    store_.benefits.ReassignBenefits(s, gone->id, keep->id);
    auto old_home = store_.households.LoadHousehold(s, gone->household_id);
    bool anyone_left = std::any_of(old_home->members.begin(), old_home->members.end(),
                                   [](const PersonRecord& m) { return Active(m); });
    if (!anyone_left && Active(*old_home)) {
      touch(old_home->id, {{kHouseholdStatus, "exited"}, {kHouseholdExit, "duplicate"}});
    } else {
      touch(old_home->id);
    }
  } else if (cr.kind == "exit_household") {
    auto h = store_.households.LoadHousehold(s, payload["household_id"].get<std::int64_t>());
    std::string reason = payload["reason"].get<std::string>();
    for (const auto& m : h->members) {
      if (Active(m)) set_person(m.id, {{kPersonStatus, "exited"}, {kPersonExit, reason}});
    }
    touch(h->id, {{kHouseholdStatus, "exited"}, {kHouseholdExit, reason}});
  } else {
    return Fail(Code::kFailedPrecondition, fmt::format("cannot apply a '{}' request", cr.kind));
  }

#undef TRY_VALUES

  // Invariant of the registry, checked here for every path (API, import, merge, move, split): an
  // active household has active members and exactly one head.
  std::sort(change.household_ids.begin(), change.household_ids.end());
  change.household_ids.erase(std::unique(change.household_ids.begin(), change.household_ids.end()),
                             change.household_ids.end());
  for (const auto& b : OrThrow(store_.households.HouseholdRuleBreaks(s, change.household_ids))) {
    if (b.active_members == 0) {
      return FailWith(Code::kFailedPrecondition, "household.no_active_member",
                      fmt::format("household {} would have no active member left; exit the household instead", b.ref));
    }
    return FailWith(Code::kFailedPrecondition, b.heads == 0 ? "household.no_head" : "household.two_heads",
                    fmt::format("household {} would have {} heads; a household has exactly one", b.ref, b.heads));
  }
  return change;
}

Result<ChangeRequestRow> ChangeService::Approve(std::int64_t id, const Actor& reviewer,
                                                const ReviewDecision& decision) {
  AppliedChange applied;
  auto result = store_.db().InTransaction<ChangeRequestRow>([&](db::Session& s) -> Result<ChangeRequestRow> {
    auto cr = store_.requests.LoadChangeRequest(s, id);
    if (!cr || !OrThrow(store_.requests.ChangeRequestWithin(s, *cr, reviewer.scope))) {
      return Fail(Code::kNotFound, fmt::format("no change request {} in your area", id), "id");
    }
    if (cr->status != "pending")
      return Fail(Code::kFailedPrecondition, fmt::format("change request {} is already {}", id, cr->status), "id");
    if ((cr->author_id && reviewer.user_id && *cr->author_id == *reviewer.user_id) ||
        cr->author_username == reviewer.username) {
      return Failure(Code::kPermissionDenied, "change_request.own_request", {{"id", std::to_string(id)}}, "id");
    }
    for (const auto& t : store_.requests.Targets(s, id)) {
      std::int64_t now_version = store_.households.CurrentVersion(s, t.record_type, t.record_id);
      if (now_version != t.base_version && !decision.acknowledge_conflicts) {
        return Fail(
            Code::kConflict,
            fmt::format("{} {} changed after this request was filed (version {} → {}); review the current record "
                        "and approve again with acknowledge_conflicts",
                        t.record_type, t.record_id, t.base_version, now_version),
            "acknowledge_conflicts");
      }
    }
    // The stored request is validated again against the registry as it is now, and applied from that.
    Json payload = Json::parse(cr->payload, nullptr, false);
    Json audit_details = {{"kind", cr->kind}, {"acknowledged_conflicts", decision.acknowledge_conflicts}};
    if (!cr->kind.starts_with("import_")) {
      auto prepared = Revalidate(s, *cr, reviewer);
      if (!prepared) return std::unexpected(prepared.error());
      for (const auto& c : prepared->communes) {
        if (!OrThrow(store_.households.AreaWithin(s, c, reviewer.scope)))
          return Fail(Code::kNotFound, fmt::format("no change request {} in your area", id), "id");
      }
      if (!prepared->warnings.empty()) {
        if (!decision.national_id_not_same_person) {
          return FailWith(
              Code::kFailedPrecondition, "person.national_id_in_use",
              prepared->warnings.front().message +
                  "; if it is the same person, reject this request and file a merge_persons request; if not, "
                  "approve with national_id_decision \"not_same_person\" and a comment saying why",
              "national_id_decision");
        }
        if (decision.comment.empty()) {
          return FailWith(Code::kInvalidArgument, "change_request.override_needs_comment",
                          "approving despite a national ID held by another person needs a comment saying why",
                          "comment");
        }
        Json holders = Json::array();
        for (const auto& w : prepared->warnings) holders.push_back(w.person_id ? Json(*w.person_id) : Json(nullptr));
        audit_details["national_id_override"] = true;
        audit_details["national_id_holders"] = holders;
      }
      payload = std::move(prepared->payload);
    }
    const std::string now = FormatTimestamp(clock_.Now());
    auto change = Apply(s, *cr, payload, now);
    if (!change) return std::unexpected(change.error());
    applied = std::move(*change);
    store_.requests.FinishChangeRequest(s, id, "applied", reviewer.user_id, reviewer.username, now, decision.comment);
    NotifyAuthorOfDecision(authors_, s, *cr, "applied", reviewer, decision.comment, now);
    audit_details["persons"] = applied.person_ids.size();
    audit_details["households"] = applied.household_ids.size();
    Audit(s, reviewer, "approve", id, audit_details.dump());
    feed_.Append(s, applied, now);  // last: it holds the feed's lock until the commit
    return *store_.requests.LoadChangeRequest(s, id);
  });
  if (result) {
    for (const auto& l : listeners_) l(applied);
  }
  return result;
}

Result<ChangeRequestRow> ChangeService::Reject(std::int64_t id, const Actor& reviewer, const std::string& comment) {
  return store_.db().InTransaction<ChangeRequestRow>([&](db::Session& s) -> Result<ChangeRequestRow> {
    auto cr = store_.requests.LoadChangeRequest(s, id);
    if (!cr || !OrThrow(store_.requests.ChangeRequestWithin(s, *cr, reviewer.scope))) {
      return Fail(Code::kNotFound, fmt::format("no change request {} in your area", id), "id");
    }
    if (cr->status != "pending")
      return Fail(Code::kFailedPrecondition, fmt::format("change request {} is already {}", id, cr->status), "id");
    if (comment.empty()) return Invalid("a rejection needs a comment saying why", "comment");
    const std::string now = FormatTimestamp(clock_.Now());
    store_.requests.FinishChangeRequest(s, id, "rejected", reviewer.user_id, reviewer.username, now, comment);
    store_.staging.DiscardStaged(s, id);
    NotifyAuthorOfDecision(authors_, s, *cr, "rejected", reviewer, comment, now);
    Audit(s, reviewer, "reject", id, Json{{"kind", cr->kind}}.dump());
    return *store_.requests.LoadChangeRequest(s, id);
  });
}

}  // namespace sanad::registry
