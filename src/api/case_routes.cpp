// Case management (src/cases, docs/cases.md): cases of social workers within the caller's scope (their
// area, or cases they own or that were referred to them), the case page with its checklist, timeline
// and notes, and one POST per act. Every read of a case or of the list is audited before the answer
// leaves (fail-closed). Confidential notes are sealed with the configured key before they reach the
// store and opened only for the case's assigned worker and their supervisor.
#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include <nlohmann/json.hpp>

#include "api/case_route_helpers.h"
#include "api/eservice_json.h"
#include "api/services.h"
#include "auth/auth_service.h"
#include "cases/case_store.h"
#include "cases/child_flags.h"
#include "cases/note_cipher.h"

namespace sanad::api {
namespace {

using case_routes::AccessOf;
using case_routes::Bad;
using nlohmann::json;

bool OneOf(const std::string& v, std::initializer_list<const char*> allowed) {
  return std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return v == a; });
}

json CaseJson(const cases::CaseRecord& c, const std::string& now) {
  const bool overdue = c.status == "open" && c.due_at && *c.due_at < now;
  return {{"id", c.id},
          {"case_type", c.case_type},
          {"origin", c.origin},
          {"origin_ref", OrNull(c.origin_ref)},
          {"commune_code", c.commune_code},
          {"unit", OrNull(c.unit)},
          {"summary", c.summary},
          {"status", c.status},
          {"stage", c.stage},
          {"stage_since", c.stage_since},
          {"due_at", OrNull(c.due_at)},
          {"overdue", overdue},
          {"escalation_level", c.escalation_level},
          {"owner", c.owner},
          {"supervisor", OrNull(c.supervisor)},
          {"transfer_to", OrNull(c.transfer_to)},
          {"person_id", OrNull(c.person_id)},
          {"household_id", OrNull(c.household_id)},
          {"outcome", OrNull(c.outcome)},
          {"opened_at", c.opened_at},
          {"opened_by", c.opened_by},
          {"shared_with", c.shared_with},
          {"version", c.version}};
}

// The case in the caller's scope, or 404.
Result<cases::CaseRecord> VisibleCase(Services& s, std::int64_t id, const registry::Actor& actor) {
  auto c = s.cases->Get(id, AccessOf(actor));
  if (!c) return std::unexpected(c.error());
  if (!*c) return Failure(Code::kNotFound, std::string(MsgCode("case.not_found")), {{"id", std::to_string(id)}}, "id");
  return **c;
}

// Confidential notes open for the assigned worker and their supervisor only (issue 11 §3).
bool MayReadConfidential(const cases::CaseRecord& c, const std::string& username) {
  return c.owner == username || (c.supervisor && *c.supervisor == username);
}

http::Response CasePage(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  const auto actor = ActorOf(s, req);
  TRY_OR_RESPOND(c, VisibleCase(s, *id, actor));
  TRY_OR_RESPOND(events, s.cases->Events(*id));
  TRY_OR_RESPOND(answers, s.cases->Answers(*id));
  TRY_OR_RESPOND(notes, s.cases->Notes(*id));
  TRY_OR_RESPOND(protocol, s.cases->ProtocolOf(c->case_type));
  const bool confidential_reader = MayReadConfidential(*c, actor.username);
  json note_items = json::array();
  std::int64_t opened = 0;
  for (const auto& n : *notes) {
    json j{{"id", n.id},
           {"confidential", n.confidential},
           {"topic", OrNull(n.topic)},
           {"written_at", n.written_at},
           {"written_by", n.written_by}};
    if (!n.confidential) {
      j["text"] = OrNull(n.body);
      j["readable"] = true;
    } else if (confidential_reader && s.case_notes && n.sealed) {
      auto text = s.case_notes->Open(*id, *n.sealed);
      if (!text) return http::ErrorResponse(text.error());
      j["text"] = *text;
      j["readable"] = true;
      ++opened;
    } else {
      j["text"] = nullptr;
      j["readable"] = false;
    }
    note_items.push_back(std::move(j));
  }
  // Every view of a case is audited, with how many confidential notes it opened; no entry, no answer.
  if (auto st =
          AuditRequest(s, req, "view", "case", std::to_string(*id), json{{"confidential_notes_opened", opened}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  json checklist = json::array();
  if (*protocol) {
    for (const auto& item : (*protocol)->items) {
      json j{{"item", item.code}, {"required", item.required}, {"answer", nullptr}};
      for (const auto& a : *answers) {
        if (a.item == item.code) {
          j["answer"] = a.answer;
          j["comment"] = OrNull(a.comment);
          j["answered_at"] = a.answered_at;
          j["answered_by"] = a.answered_by;
        }
      }
      checklist.push_back(std::move(j));
    }
  }
  json timeline = json::array();
  std::vector<cases::ChildFlagEvent> flag_events;
  for (const auto& e : *events) {
    if (e.kind == "child_flag") {
      const json d = json::parse(e.details, nullptr, false);
      if (d.is_object() && d.contains("flag") && d["flag"].is_string()) {
        std::optional<std::int64_t> child;
        if (d.contains("person_id") && d["person_id"].is_number_integer()) child = d["person_id"].get<std::int64_t>();
        flag_events.push_back({d["flag"].get<std::string>(), child, !d.value("cleared", false), e.at, e.by});
      }
    }
    timeline.push_back({{"id", e.id},
                        {"at", e.at},
                        {"by", e.by},
                        {"kind", e.kind},
                        {"details", json::parse(e.details, nullptr, false)}});
  }
  json body = CaseJson(*c, FormatTimestamp(s.clock.Now()));
  body["checklist"] = checklist;
  body["timeline"] = timeline;
  body["notes"] = note_items;
  json flags = json::array();
  for (const auto& f : cases::ActiveChildFlags(flag_events)) {
    flags.push_back(
        {{"flag", f.flag}, {"person_id", OrNull(f.person_id)}, {"since", f.since}, {"raised_by", f.raised_by}});
  }
  body["child_flags"] = flags;
  body["may_read_confidential"] = confidential_reader;
  return http::JsonResponse(200, body.dump());
}

http::Response ListCases(Services& s, http::Request& req) {
  http::QueryReader q(req);
  TRY_OR_RESPOND(status, q.OneOf("status", {"open", "closed"}));
  TRY_OR_RESPOND(type, q.OneOf("type", {"elderly_person", "homeless_person", "child_at_risk", "woman_in_difficulty",
                                        "person_with_disability", "family_in_crisis"}));
  TRY_OR_RESPOND(unit, q.String("unit", 100));
  TRY_OR_RESPOND(area, q.String("area", 40));
  TRY_OR_RESPOND(owner, q.String("owner", 100));
  TRY_OR_RESPOND(overdue, q.OneOf("overdue", {"true", "false"}));
  TRY_OR_RESPOND(paging, http::ReadPaging(q, 500));
  if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  const auto actor = ActorOf(s, req);
  cases::CaseFilter f;
  f.status = *status;
  f.case_type = *type;
  f.unit = *unit;
  f.area = *area;
  f.owner = *owner;
  f.overdue = *overdue && **overdue == "true";
  f.limit = static_cast<std::size_t>(paging->limit);
  f.offset = static_cast<std::size_t>(paging->offset);
  const auto now = s.clock.Now();
  TRY_OR_RESPOND(page, s.cases->List(f, AccessOf(actor), now));
  json items = json::array();
  json ids = json::array();
  const std::string now_text = FormatTimestamp(now);
  for (const auto& c : page->first) {
    items.push_back(CaseJson(c, now_text));
    ids.push_back(c.id);
  }
  if (auto st = AuditRequest(s, req, "search", "case", "", json{{"ids", ids}}.dump()); !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(200, http::ListJson(items, page->second, *paging));
}

// A case opened from a citizen report names the report's public id as origin_ref and takes the report's
// commune, description and unit unless given; the report then follows the case (eservices/report_cases.h).
http::Response OpenCase(Services& s, http::Request& req) {
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(type, r.OptionalString("case_type", 40));
  TRY_OR_RESPOND(origin, r.RequiredString("origin", 20));
  TRY_OR_RESPOND(origin_ref, r.OptionalString("origin_ref", 100));
  TRY_OR_RESPOND(commune, r.OptionalString("commune_code", 40));
  TRY_OR_RESPOND(unit, r.OptionalString("unit", 100));
  TRY_OR_RESPOND(summary, r.OptionalString("summary", 2000));
  TRY_OR_RESPOND(owner, r.OptionalString("owner", 100));
  TRY_OR_RESPOND(supervisor, r.OptionalString("supervisor", 100));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  if (!OneOf(*origin, {"report", "walk_in", "referral"}))
    return http::ErrorResponse(Bad("case.bad_origin", *origin, "origin").error());
  if (*type && !cases::IsCaseType(**type))
    return http::ErrorResponse(Bad("case.bad_type", **type, "case_type").error());
  const bool from_report = *origin == "report";
  // From a report, only the report is required; otherwise the case's type, commune and summary.
  for (const auto& [field, value] : {std::pair{"origin_ref", from_report ? origin_ref->value_or("") : "-"},
                                     std::pair{"case_type", from_report ? "-" : type->value_or("")},
                                     std::pair{"commune_code", from_report ? "-" : commune->value_or("")},
                                     std::pair{"summary", from_report ? "-" : summary->value_or("")}}) {
    if (value.empty())
      return http::ErrorResponse(Failure(Code::kInvalidArgument, "field.required", {{"field", field}}, field).error());
  }
  const auto actor = ActorOf(s, req);
  cases::NewCase c{type->value_or(""),
                   *origin,
                   *origin_ref,
                   commune->value_or(""),
                   *unit,
                   summary->value_or(""),
                   owner->value_or(actor.username),
                   *supervisor};
  std::int64_t id = 0;
  bool created = true;
  if (from_report) {
    TRY_OR_RESPOND(opened, s.report_cases->Open(std::move(c), api::AccessOf(s, req), AccessOf(actor), s.clock.Now(),
                                                actor.username));
    id = opened->case_id;
    created = opened->created;
  } else {
    TRY_OR_RESPOND(opened, s.cases->Open(c, AccessOf(actor), s.clock.Now()));
    id = *opened;
  }
  if (auto st = AuditRequest(s, req, created ? "create" : "view", "case", std::to_string(id)); !st)
    return http::ErrorResponse(st.error());
  TRY_OR_RESPOND(shown, VisibleCase(s, id, actor));
  return http::JsonResponse(created ? 201 : 200, CaseJson(*shown, FormatTimestamp(s.clock.Now())).dump());
}

// Answers an act with the case as it now is; the act itself is audited.
http::Response AfterAct(Services& s, http::Request& req, std::int64_t id, const std::string& action, Status done,
                        const json& audit_details = json::object()) {
  if (!done) return http::ErrorResponse(done.error());
  if (auto st = AuditRequest(s, req, action, "case", std::to_string(id), audit_details.dump()); !st)
    return http::ErrorResponse(st.error());
  auto c = VisibleCase(s, id, ActorOf(s, req));
  // The act may have moved the case out of the caller's sight (a transfer accepted elsewhere).
  if (!c) return http::JsonResponse(200, json{{"id", id}}.dump());
  return http::JsonResponse(200, CaseJson(*c, FormatTimestamp(s.clock.Now())).dump());
}

http::Response AnswerItem(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(item, r.RequiredString("item", 60));
  TRY_OR_RESPOND(answer, r.RequiredString("answer", 20));
  TRY_OR_RESPOND(comment, r.OptionalString("comment", 2000));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  if (!OneOf(*answer, {"yes", "no", "unknown"}))
    return http::ErrorResponse(Bad("case.bad_answer", *answer, "answer").error());
  const auto actor = ActorOf(s, req);
  return AfterAct(s, req, *id, "answer",
                  s.cases->Answer(*id, AccessOf(actor), *item, *answer, *comment, s.clock.Now()));
}

http::Response Plan(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(goals, r.RequiredString("goals", 4000));
  TRY_OR_RESPOND(review, r.OptionalString("review_date", 10));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  if (goals->empty())
    return http::ErrorResponse(
        Failure(Code::kInvalidArgument, "field.required", {{"field", "goals"}}, "goals").error());
  if (*review) {
    if (auto d = ParseDate(**review, "review_date"); !d) return http::ErrorResponse(d.error());
  }
  json d{{"goals", *goals}};
  if (*review) d["review_date"] = **review;
  const auto actor = ActorOf(s, req);
  return AfterAct(s, req, *id, "plan", s.cases->Record(*id, AccessOf(actor), "plan", d.dump(), s.clock.Now()));
}

// A service given or a referral made (to an institution, an association, a programme); a service may
// also be written in the benefit ledger of the linked person or household.
http::Response Service(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(kind, r.RequiredString("kind", 20));
  TRY_OR_RESPOND(target_type, r.RequiredString("target_type", 20));
  TRY_OR_RESPOND(target, r.RequiredString("target", 200));
  TRY_OR_RESPOND(description, r.OptionalString("description", 2000));
  TRY_OR_RESPOND(date, r.RequiredString("date", 10));
  TRY_OR_RESPOND(ledger, r.OptionalBool("record_in_ledger"));
  TRY_OR_RESPOND(programme, r.OptionalString("programme", 40));
  TRY_OR_RESPOND(quantity, r.OptionalNumber("quantity", 0.001, 1e6));
  TRY_OR_RESPOND(unit, r.OptionalString("unit", 40));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  if (!OneOf(*kind, {"service", "referral"}))
    return http::ErrorResponse(Bad("case.bad_service_kind", *kind, "kind").error());
  if (!OneOf(*target_type, {"institution", "association", "programme", "internal"}))
    return http::ErrorResponse(Bad("case.bad_target_type", *target_type, "target_type").error());
  if (target->empty())
    return http::ErrorResponse(
        Failure(Code::kInvalidArgument, "field.required", {{"field", "target"}}, "target").error());
  if (auto d = ParseDate(*date, "date"); !d) return http::ErrorResponse(d.error());
  const auto actor = ActorOf(s, req);
  TRY_OR_RESPOND(c, VisibleCase(s, *id, actor));
  json details{{"target_type", *target_type}, {"target", *target}, {"date", *date}};
  if (*description) details["description"] = **description;
  if (ledger->value_or(false)) {
    if (!c->person_id && !c->household_id) {
      return http::ErrorResponse(
          Failure(Code::kFailedPrecondition, "case.not_linked", {{"id", std::to_string(*id)}}, "record_in_ledger")
              .error());
    }
    if (c->status == "closed") {
      return http::ErrorResponse(
          Failure(Code::kFailedPrecondition, "case.closed", {{"id", std::to_string(*id)}}, "id").error());
    }
    registry::BenefitInput b;
    b.person_id = c->person_id;
    b.household_id = c->person_id ? std::nullopt : c->household_id;
    b.programme = programme->value_or("CASE_MANAGEMENT");
    b.kind = "service";
    b.date = *date;
    b.quantity = quantity->value_or(1.0);
    b.unit = unit->value_or("service");
    b.reference = fmt::format("case-{}-{}", *id, auth::AuthService::RandomToken(8));
    b.source = "cases";
    TRY_OR_RESPOND(line, s.benefits->Record(b, actor));
    details["benefit_id"] = line->id;
  }
  return AfterAct(s, req, *id, *kind, s.cases->Record(*id, AccessOf(actor), *kind, details.dump(), s.clock.Now()));
}

http::Response Visit(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(date, r.RequiredString("date", 10));
  TRY_OR_RESPOND(summary, r.OptionalString("summary", 2000));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  if (auto d = ParseDate(*date, "date"); !d) return http::ErrorResponse(d.error());
  json d{{"date", *date}};
  if (*summary) d["summary"] = **summary;
  const auto actor = ActorOf(s, req);
  return AfterAct(s, req, *id, "visit", s.cases->Record(*id, AccessOf(actor), "visit", d.dump(), s.clock.Now()));
}

http::Response Close(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(outcome, r.RequiredString("outcome", 40));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  if (!OneOf(*outcome, {"resolved", "referred_out", "moved_away", "deceased", "refused_services", "unreachable"}))
    return http::ErrorResponse(Bad("case.bad_outcome", *outcome, "outcome").error());
  const auto actor = ActorOf(s, req);
  return AfterAct(s, req, *id, "close", s.cases->Close(*id, AccessOf(actor), *outcome, s.clock.Now()));
}

http::Response Reopen(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(reason, r.RequiredString("reason", 2000));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  const auto actor = ActorOf(s, req);
  return AfterAct(s, req, *id, "reopen", s.cases->Reopen(*id, AccessOf(actor), *reason, s.clock.Now()));
}

http::Response Assign(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(owner, r.RequiredString("owner", 100));
  TRY_OR_RESPOND(supervisor, r.OptionalString("supervisor", 100));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  const auto actor = ActorOf(s, req);
  return AfterAct(s, req, *id, "assign", s.cases->Assign(*id, AccessOf(actor), *owner, *supervisor, s.clock.Now()));
}

http::Response Refer(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(user, r.RequiredString("username", 100));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  const auto actor = ActorOf(s, req);
  return AfterAct(s, req, *id, "refer", s.cases->Share(*id, AccessOf(actor), *user, s.clock.Now()),
                  json{{"with", *user}});
}

http::Response Transfer(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(to, r.RequiredString("to", 100));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  const auto actor = ActorOf(s, req);
  return AfterAct(s, req, *id, "transfer", s.cases->RequestTransfer(*id, AccessOf(actor), *to, s.clock.Now()),
                  json{{"to", *to}});
}

http::Response AcceptTransfer(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  const auto actor = ActorOf(s, req);
  return AfterAct(s, req, *id, "accept_transfer", s.cases->AcceptTransfer(*id, AccessOf(actor), s.clock.Now()));
}

// Links the case to a registry person or household the caller may read (the registry's own scope).
http::Response Link(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(person, r.OptionalInt("person_id", 1, std::numeric_limits<long long>::max()));
  TRY_OR_RESPOND(household, r.OptionalInt("household_id", 1, std::numeric_limits<long long>::max()));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  if (!*person && !*household)
    return http::ErrorResponse(Failure(Code::kInvalidArgument, "case.link_required", {}, "person_id").error());
  const auto actor = ActorOf(s, req);
  std::optional<std::int64_t> hh = *household ? std::optional<std::int64_t>(**household) : std::nullopt;
  if (*person) {
    TRY_OR_RESPOND(p, s.registry->households.GetPerson(**person, actor.scope));
    if (!*p)
      return http::ErrorResponse(
          Failure(Code::kNotFound, "person.not_found", {{"id", std::to_string(**person)}}, "person_id").error());
    if (hh && *hh != (*p)->household_id)
      return http::ErrorResponse(Failure(Code::kInvalidArgument, "benefit.not_member", {}, "household_id").error());
    hh = (*p)->household_id;
  } else {
    TRY_OR_RESPOND(h, s.registry->households.GetHousehold(*hh, actor.scope));
    if (!*h)
      return http::ErrorResponse(
          Failure(Code::kNotFound, "household.not_found", {{"id", std::to_string(*hh)}}, "household_id").error());
  }
  std::optional<std::int64_t> pid = *person ? std::optional<std::int64_t>(**person) : std::nullopt;
  return AfterAct(s, req, *id, "link", s.cases->Link(*id, AccessOf(actor), pid, hh, s.clock.Now()),
                  json{{"person_id", OrNull(pid)}, {"household_id", OrNull(hh)}});
}

http::Response AddNote(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(text, r.RequiredString("text", 8000));
  TRY_OR_RESPOND(confidential, r.OptionalBool("confidential"));
  TRY_OR_RESPOND(topic, r.OptionalString("topic", 40));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  if (text->empty())
    return http::ErrorResponse(Failure(Code::kInvalidArgument, "field.required", {{"field", "text"}}, "text").error());
  const bool sealed_note = confidential->value_or(false);
  if (*topic && !OneOf(**topic, {"counselling", "child_protection", "violence"}))
    return http::ErrorResponse(Bad("case.bad_topic", **topic, "topic").error());
  if (sealed_note && !*topic)
    return http::ErrorResponse(
        Failure(Code::kInvalidArgument, "field.required", {{"field", "topic"}}, "topic").error());
  if (sealed_note && !s.case_notes)
    return http::ErrorResponse(Failure(Code::kUnavailable, "case.notes_key_missing", {}, "confidential").error());
  const auto actor = ActorOf(s, req);
  TRY_OR_RESPOND(c, VisibleCase(s, *id, actor));
  std::optional<std::string> plain, sealed;
  if (sealed_note) {
    sealed = s.case_notes->Seal(*id, *text);
  } else {
    plain = *text;
  }
  TRY_OR_RESPOND(note, s.cases->AddNote(*id, AccessOf(actor), sealed_note, *topic, plain, sealed, s.clock.Now()));
  if (auto st = AuditRequest(s, req, "note", "case", std::to_string(*id),
                             json{{"note_id", *note}, {"confidential", sealed_note}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  return http::JsonResponse(201, json{{"id", *note}, {"case_id", *id}, {"confidential", sealed_note}}.dump());
}

// Raises or clears a child-protection risk flag (issue 11 §5) for a child of the case: a registry person
// the caller may read, or the case's child when none is named.
http::Response ChildFlag(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(flag, r.RequiredString("flag", 40));
  TRY_OR_RESPOND(person, r.OptionalInt("person_id", 1, std::numeric_limits<long long>::max()));
  TRY_OR_RESPOND(cleared, r.OptionalBool("cleared"));
  TRY_OR_RESPOND(note, r.OptionalString("note", 2000));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  if (!cases::IsChildFlag(*flag)) return http::ErrorResponse(Bad("case.bad_child_flag", *flag, "flag").error());
  const auto actor = ActorOf(s, req);
  if (*person) {
    TRY_OR_RESPOND(p, s.registry->households.GetPerson(**person, actor.scope));
    if (!*p)
      return http::ErrorResponse(
          Failure(Code::kNotFound, "person.not_found", {{"id", std::to_string(**person)}}, "person_id").error());
  }
  json d{{"flag", *flag}, {"cleared", cleared->value_or(false)}};
  if (*person) d["person_id"] = **person;
  if (*note) d["note"] = **note;
  return AfterAct(s, req, *id, "child_flag",
                  s.cases->Record(*id, AccessOf(actor), "child_flag", d.dump(), s.clock.Now()), d);
}

// Children of compulsory-school age the registry records as out of school, in the caller's area: the
// candidates for a school-dropout flag (issue 11 §5). Names of persons: audited as a search.
}  // namespace

void AddCaseRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  AddCaseAdminRoutes(t, s);  // before /cases/:id: "protocols" and "escalation" are not case ids
  t.push_back({"GET", "/api/v1/cases", P::kCasesRead, [&s](http::Request& req) { return ListCases(s, req); }});
  t.push_back({"POST", "/api/v1/cases", P::kCasesWork, [&s](http::Request& req) { return OpenCase(s, req); }});
  t.push_back({"GET", "/api/v1/cases/:id", P::kCasesRead, [&s](http::Request& req) { return CasePage(s, req); }});
  t.push_back(
      {"POST", "/api/v1/cases/:id/answers", P::kCasesWork, [&s](http::Request& req) { return AnswerItem(s, req); }});
  t.push_back({"POST", "/api/v1/cases/:id/plan", P::kCasesWork, [&s](http::Request& req) { return Plan(s, req); }});
  t.push_back(
      {"POST", "/api/v1/cases/:id/services", P::kCasesWork, [&s](http::Request& req) { return Service(s, req); }});
  t.push_back({"POST", "/api/v1/cases/:id/visits", P::kCasesWork, [&s](http::Request& req) { return Visit(s, req); }});
  t.push_back({"POST", "/api/v1/cases/:id/close", P::kCasesWork, [&s](http::Request& req) { return Close(s, req); }});
  t.push_back({"POST", "/api/v1/cases/:id/reopen", P::kCasesWork, [&s](http::Request& req) { return Reopen(s, req); }});
  t.push_back(
      {"POST", "/api/v1/cases/:id/assign", P::kCasesSupervise, [&s](http::Request& req) { return Assign(s, req); }});
  t.push_back({"POST", "/api/v1/cases/:id/refer", P::kCasesWork, [&s](http::Request& req) { return Refer(s, req); }});
  t.push_back(
      {"POST", "/api/v1/cases/:id/transfer", P::kCasesWork, [&s](http::Request& req) { return Transfer(s, req); }});
  t.push_back({"POST", "/api/v1/cases/:id/transfer/accept", P::kCasesWork,
               [&s](http::Request& req) { return AcceptTransfer(s, req); }});
  t.push_back({"POST", "/api/v1/cases/:id/link", P::kCasesWork, [&s](http::Request& req) { return Link(s, req); }});
  t.push_back(
      {"POST", "/api/v1/cases/:id/child-flags", P::kCasesWork, [&s](http::Request& req) { return ChildFlag(s, req); }});
  t.push_back({"POST", "/api/v1/cases/:id/notes", P::kCasesWork, [&s](http::Request& req) { return AddNote(s, req); }});
}

}  // namespace sanad::api
