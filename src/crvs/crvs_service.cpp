#include "crvs/crvs_service.h"

#include "linkage/identity_match.h"
#include "registry/values.h"
#include "registry_model/fields.h"

namespace sanad::crvs {
namespace {

std::string KindName(EventKind k) {
  return k == EventKind::kBirth ? "birth" : k == EventKind::kDeath ? "death" : "other";
}

nlohmann::json RecordJson(const VitalEvent& e) {
  auto opt = [](const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
  return {{"uin", opt(e.uin)},
          {"given_name", opt(e.given_name)},
          {"surname", opt(e.surname)},
          {"sex", opt(e.sex)},
          {"birth_date", opt(e.birth_date)},
          {"death_date", opt(e.death_date)},
          {"parent_uins", e.parent_uins},
          {"timestamp", e.timestamp}};
}

std::optional<std::string> Field(const registry::PersonRecord& p, std::string_view name) {
  const int i = registry::FieldIndex(registry::PersonFields(), name);
  if (i < 0 || static_cast<std::size_t>(i) >= p.values.size()) return std::nullopt;
  return p.values[static_cast<std::size_t>(i)];
}

// A registry person as the identity the linkage model compares (docs/empowerment.md §Duplicates).
linkage::Identity IdentityOf(const registry::PersonRecord& p) {
  linkage::Identity out;
  out.id = p.id;
  out.given_ar = Field(p, "given_name_ar").value_or("");
  out.family_ar = Field(p, "family_name_ar").value_or("");
  out.given_lat = Field(p, "given_name_lat").value_or("");
  out.family_lat = Field(p, "family_name_lat").value_or("");
  out.birth_date = Field(p, "birth_date").value_or("");
  out.national_id = Field(p, "national_id").value_or("");
  return out;
}

}  // namespace

std::optional<registry::PersonRecord> CrvsService::LinkMother(const Source& source, const VitalEvent& e,
                                                              const registry::Scope& scope, Outcome& o) {
  o.reason = "crvs.parent_not_found";
  for (const auto& uin : e.parent_uins) {
    auto civil = linkage_.civil_person(source, uin);
    if (!civil) {
      o.reason = "crvs.registry_unavailable";  // recorded: a reviewer may ask the registry by hand
      continue;
    }
    // The mother: a father is not looked for by names (a birth joins the mother's household).
    if (!*civil || (*civil)->sex != "F" || !(*civil)->given_name || !(*civil)->surname) continue;
    const CivilPerson& m = **civil;
    linkage::Identity probe;
    const bool arabic = HasArabic(*m.given_name + *m.surname);
    (arabic ? probe.given_ar : probe.given_lat) = *m.given_name;
    (arabic ? probe.family_ar : probe.family_lat) = *m.surname;
    probe.birth_date = m.birth_date.value_or("");
    // Blocking: the name index's nearest names, in either script.
    auto hits = linkage_.name_hits(*m.given_name + " " + *m.surname);
    if (!hits || hits->empty()) continue;
    registry::SearchFilter f;
    f.person_ids = *hits;
    f.limit = static_cast<int>(hits->size());
    auto found = changes_.store().households.SearchPersons(f, scope);
    if (!found) continue;
    std::vector<linkage::Identity> women;
    std::vector<const registry::PersonRecord*> records;
    for (const auto& p : found->first) {
      if (Field(p, "sex").value_or("F") == "M") continue;
      women.push_back(IdentityOf(p));
      records.push_back(&p);
    }
    const auto matches = linkage::ScoreCandidates(probe, women);
    if (matches.empty()) continue;
    nlohmann::json listed = nlohmann::json::array();
    for (const auto& mt : matches) listed.push_back({{"person_id", mt.id}, {"probability", mt.probability}});
    o.candidates = listed.dump();
    // One woman, certainly her: a second plausible one (a sister, a namesake born the same day) leaves
    // the choice to a person.
    if (matches.size() != 1 || matches[0].probability < linkage::kSamePerson || !matches[0].same_given_name) {
      o.reason = "crvs.mother_ambiguous";
      return std::nullopt;
    }
    o.match_probability = matches[0].probability;
    for (const auto* r : records) {
      if (r->id == matches[0].id) return *r;
    }
  }
  return std::nullopt;
}

Result<Received> CrvsService::Receive(const Source& source, const nlohmann::json& message,
                                      const std::string& request_id) {
  auto events = ReadNotify(message);
  if (!events) return std::unexpected(events.error());
  Received out;
  const std::string now = FormatTimestamp(clock_.Now());
  for (const auto& e : *events) {
    ++out.events;
    auto id = store_.Record(source.id, e.reference_id, e.event_type, KindName(e.kind), RecordJson(e).dump(), now);
    if (!id) return std::unexpected(id.error());
    if (!*id) {
      ++out.replayed;
      continue;
    }
    const Outcome o = Handle(source, e, request_id);
    if (auto st = store_.SetOutcome(**id, EventOutcome{o.outcome, o.reason, o.person_id, o.household_id,
                                                       o.change_request_id, o.match_probability, o.candidates});
        !st)
      return std::unexpected(st.error());
    if (o.outcome == "filed") ++out.filed;
    if (o.outcome == "applied") ++out.applied;
    if (o.outcome == "unmatched") ++out.unmatched;
    if (o.outcome == "ignored") ++out.ignored;
    if (o.outcome == "refused") ++out.refused;
  }
  return out;
}

CrvsService::Outcome CrvsService::Handle(const Source& source, const VitalEvent& e, const std::string& request_id) {
  if (e.kind == EventKind::kOther) return {"ignored", "crvs.event_type_not_handled"};
  const std::string today = DateOf(clock_.Now()).ToString();
  // The registry is read and written as the source itself, nationally: the source's requests are then
  // reviewed by staff whose scope covers the household, like any request.
  registry::Actor source_actor;
  source_actor.username = "crvs:" + source.code;
  source_actor.scope = registry::Scope{std::nullopt, today};
  source_actor.request_id = request_id;

  // The person holding an identifier: exactly one active person, else no match.
  auto holder = [&](const std::string& uin) -> Result<std::optional<registry::PersonRecord>> {
    registry::SearchFilter f;
    f.national_id = registry::NationalIdQuery(uin);
    f.limit = 2;
    auto found = changes_.store().households.SearchPersons(f, source_actor.scope);
    if (!found) return std::unexpected(found.error());
    if (found->first.size() != 1) return std::optional<registry::PersonRecord>();
    return std::optional<registry::PersonRecord>(found->first.front());
  };

  std::string kind;
  nlohmann::json payload;
  Outcome o;
  if (e.kind == EventKind::kDeath) {
    if (!e.uin) return {"unmatched", "crvs.no_identifier"};
    auto p = holder(*e.uin);
    if (!p) return {"refused", p.error().reason};
    if (!*p) return {"unmatched", "crvs.person_not_found"};
    o.person_id = (*p)->id;
    o.household_id = (*p)->household_id;
    kind = "remove_member";
    payload = {{"person_id", (*p)->id}, {"reason", "death"}};
  } else {
    for (const auto& uin : e.parent_uins) {
      auto p = holder(uin);
      if (!p) return {"refused", p.error().reason};
      if (!*p) continue;
      o.person_id = (*p)->id;
      o.household_id = (*p)->household_id;
      kind = "add_member";
      payload = {{"household_id", (*p)->household_id},
                 {"person", NewbornPerson(e, Field(**p, "relationship").value_or("other"))}};
      if (e.uin) payload["person"]["source_ref"] = "CRVS:" + *e.uin;
      break;
    }
    if (kind.empty() && !e.parent_uins.empty() && linkage_.civil_person && linkage_.name_hits) {
      if (auto mother = LinkMother(source, e, source_actor.scope, o)) {
        o.reason.reset();
        o.person_id = mother->id;
        o.household_id = mother->household_id;
        kind = "add_member";
        payload = {{"household_id", mother->household_id},
                   {"person", NewbornPerson(e, Field(*mother, "relationship").value_or("other"))}};
        if (e.uin) payload["person"]["source_ref"] = "CRVS:" + *e.uin;
      } else {
        o.outcome = "unmatched";
        return o;
      }
    }
    if (kind.empty()) return {"unmatched", e.parent_uins.empty() ? "crvs.no_identifier" : "crvs.parent_not_found"};
  }

  auto filed = changes_.Submit(kind, payload, source_actor);
  if (!filed) {
    o.outcome = "refused";
    o.reason = filed.error().reason;
    return o;
  }
  o.change_request_id = filed->id;
  o.outcome = "filed";
  // Matched by an identifier, an enabled source is applied at once; the approval is recorded under the
  // source's automatic reviewer, distinct from its author. A mother found by names always waits for a
  // reviewer: a probability is not an identity.
  if (source.auto_approve_exact && !o.match_probability) {
    registry::Actor auto_reviewer = source_actor;
    auto_reviewer.username = "crvs-auto:" + source.code;
    auto applied =
        changes_.Approve(filed->id, auto_reviewer,
                         registry::ReviewDecision{"exact identifier match (automatic approval)", false, false});
    if (applied) {
      o.outcome = "applied";
    } else {
      o.reason = applied.error().reason;  // stays filed, for a reviewer to look at
    }
  }
  return o;
}

}  // namespace sanad::crvs
